// memmap-check drains --synthesize: the cheapest safe drain placement of a variant (docs/synthesis.md).
import { readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { applyPatches } from '../../model/c/patch.ts';
import type { CVariant } from '../../model/c/variant.ts';
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { isCSpec, loadCVariant } from '../cli/c-source.ts';
import { UsageError } from '../cli/errors.ts';
import { type CSourceCandidates, cSourceCandidates, placeableVariant } from './c-candidates.ts';
import { placementToDiff } from './diff.ts';
import { variantOf } from '../cli/select.ts';
import { CostModel, type Workload } from './cost.ts';
import { needsText, synthesisJson, synthesisText } from './format.ts';
import { candidatesOf } from './placement.ts';
import type { Mode } from './safety.ts';
import { SweepPool, defaultWorkers, poolSweep, pooled } from './pool.ts';
import { SYNTH_BOUNDS, type Scope, type SynthOptions, type Synthesis, boundsScope, synthesize, synthesizeWith } from './synthesize.ts';

export interface SynthesizeArgs {
  variant?: string | undefined;
  mode?: string | undefined;
  format?: string | undefined;
  runs?: string | undefined;
  seed?: string | undefined;
  exhaustive?: string | undefined;
  'add-drain'?: string[] | undefined;
}

const MODES: readonly Mode[] = ['contract', 'x86'];

/** One variant: its synthesis in the mode, and in x86 mode the contract's too, for the comparison. */
export function synthesizeModes(v: Variant, mode: Mode): { main: Synthesis; contract: Synthesis | null } {
  const costModel = new CostModel(v, candidatesOf(v));
  const main = synthesize(v, { mode, costModel });
  return { main, contract: mode === 'x86' ? synthesize(v, { mode: 'contract', costModel }) : null };
}

/**
 * The same, with the sweeps of whole bounds on a pool of worker threads that lives as long as the
 * command (`variantArg`: what the workers load). `workers` 1: everything on the main thread.
 */
export async function synthesizeModesPooled(v: Variant, variantArg: string, mode: Mode, o: SynthOptions & { workers?: number } = {}):
  Promise<{ main: Synthesis; contract: Synthesis | null }> {
  const cs = candidatesOf(v);
  const costModel = o.costModel ?? new CostModel(v, cs);
  const workers = o.workers ?? defaultWorkers();
  // started first, so that the workers load the variant while this thread prices the candidates
  const pool = workers >= 2 && pooled(o.scope ?? boundsScope(SYNTH_BOUNDS)) ? new SweepPool(variantArg, workers) : null;
  try {
    const run = (m: Mode) => (pool ? synthesizeWith(v, { ...o, mode: m, costModel }, poolSweep(pool, cs, m)) : Promise.resolve(synthesize(v, { ...o, mode: m, costModel })));
    const main = await run(mode);
    return { main, contract: mode === 'x86' ? await run('contract') : null };
  } finally {
    await pool?.close();
  }
}

/** A C variant's synthesis with the diff of each placement against the file (patches applied). */
export interface CSynthesis {
  readonly main: Synthesis;
  readonly contract: Synthesis | null;
  readonly diff: (s: Synthesis) => string | null;
  readonly source: CSourceCandidates;
  /** The path the diff names (relative to the working directory, as `git apply` wants it). */
  readonly path: string;
}

/** --c FILE [--patch P]: the file's text as compiled, the candidates a diff can place, and the syntheses. */
export async function synthesizeC(spec: string, v: CVariant, mode: Mode,
  o: { scope?: Scope; workloads?: readonly Workload[]; workers?: number } = {}): Promise<CSynthesis> {
  const text = cSourceText(spec);
  const source = await cSourceCandidates(v, text);
  const pv = placeableVariant(v, source);
  const costModel = new CostModel(pv, candidatesOf(pv), o.workloads);
  const { main, contract } = await synthesizeModesPooled(pv, spec, mode, { costModel, ...(o.scope ? { scope: o.scope } : {}), ...(o.workers ? { workers: o.workers } : {}) });
  const file = spec.split('?', 1)[0]!;
  const rel = relative(process.cwd(), resolve(file)).split(sep).join('/');
  const path = rel.startsWith('../') || isAbsolute(rel) ? file : rel;
  const diff = (s: Synthesis): string | null => {
    if (s.status !== 'ok') return null;
    const names = new Set(s.placement.map((i) => s.candidates[i]!.name));
    return placementToDiff(path, text, source.candidates, names, { drainCall: source.drainCall });
  };
  return { main, contract, diff, source, path };
}

/** The text a C spec compiles: the file with its --patch files applied, in memory. */
function cSourceText(spec: string): string {
  const [file, query = ''] = spec.split('?', 2) as [string, string?];
  const patches = new URLSearchParams(query).getAll('patch');
  const text = readFileSync(file, 'utf8');
  return patches.length ? applyPatches(text, patches.map((p) => ({ name: p, text: readFileSync(p, 'utf8') })), file) : text;
}

/** The JSON object of a C synthesis (docs/synthesis.md §8): the diff of each placement included. */
export function cSynthesisJson(c: CSynthesis) {
  return {
    ...synthesisJson(c.main), diff: c.diff(c.main),
    ...(c.contract ? { contract: { ...synthesisJson(c.contract), diff: c.diff(c.contract) } } : {}),
  };
}

/** The diff part of the text output (console lines). */
export function diffText(c: CSynthesis, s: Synthesis): string[] {
  const d = c.diff(s);
  if (d === null) return [];
  const patched = c.main.variant.includes('+') ? ' (after its --patch files)' : '';
  const notes = [
    ...(c.source.unplaceable.length ? [`  (${c.source.unplaceable.length} drain point(s) whose statement does not begin its line are not candidates: ${c.source.unplaceable.join(', ')})`] : []),
    ...(c.source.fixed.length ? [`  (drain site(s) ${c.source.fixed.join(', ')} are kept: the drain call is not a statement of its own)`] : []),
  ];
  if (d === '') return ['', `diff: none (${c.path}${patched} already has this placement)`, ...notes];
  return ['', `diff against ${c.path}${patched}, ${s.mode} placement (git apply takes it from this directory):`, ...notes, d.slice(0, -1)]; // the final newline only: a context line may be one space
}

export async function runSynthesize(args: SynthesizeArgs): Promise<number> {
  for (const flag of ['runs', 'seed', 'exhaustive', 'add-drain'] as const) {
    if (args[flag] !== undefined) throw new UsageError(`--${flag} is not used with --synthesize (every drain point is a candidate, every configuration within its bounds is checked); allowed: --variant, --mode, --format`);
  }
  const mode = (args.mode ?? 'contract') as Mode;
  if (!MODES.includes(mode)) throw new UsageError(`--mode=${args.mode} is not allowed; allowed: ${MODES.join(', ')}`);
  const format = args.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  if (args.variant !== undefined && isCSpec(args.variant)) {
    const v = await loadCVariant(args.variant);
    const c = await synthesizeC(args.variant, v, mode);
    const { main, contract } = c;
    if (format === 'json') {
      console.log(JSON.stringify([cSynthesisJson(c)], null, 2));
    } else {
      console.log([
        ...synthesisText(main), ...diffText(c, main),
        ...(contract ? ['', ...synthesisText(contract), ...diffText(c, contract), '', ...needsText(main, contract)] : []),
      ].join('\n'));
    }
    return 0;
  }
  const variants: Variant[] = args.variant === undefined
    ? VARIANTS.filter((v) => v.drainSites.length > 0 || (v.drainPoints ?? []).length > 0)
    : [await variantOf(args.variant)];
  const results = [];
  for (const v of variants) results.push(await synthesizeModesPooled(v, args.variant ?? v.name, mode));
  if (format === 'json') {
    console.log(JSON.stringify(results.map(({ main, contract }) => ({
      ...synthesisJson(main), diff: null, ...(contract ? { contract: { ...synthesisJson(contract), diff: null } } : {}),
    })), null, 2));
  } else {
    console.log(results.map(({ main, contract }) => [
      ...synthesisText(main),
      ...(contract ? ['', ...synthesisText(contract), '', ...needsText(main, contract)] : []),
    ].join('\n')).join('\n\n'));
  }
  return 0;
}
