// memmap-check drains: is each drain of a variant necessary, and what does it cost?
import { hexNum } from '../../model/kernel/bytes.ts';
import { X86_64_DEFAULT, type KernelConfig } from '../../model/kernel/config.ts';
import { MEMORY_TYPE_NAMES } from '../../model/kernel/constants.ts';
import { describeScenario, earlyText } from '../../model/kernel/describe.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { describeSchedule } from '../../model/schedule.ts';
import { RANGE_BASE_PFN } from '../../properties/arbitraries.ts';
import { baseOf, knownBugsOf } from '../../properties/known-bugs.ts';
import type { PropertyName } from '../../properties/properties.ts';
import { type CheckResult, DEFAULT_SEED } from '../../properties/check.ts';
import { type DrainsPerGiB, type SiteCost, drainCosts } from '../../properties/drain-cost.ts';
import { PROOF_BOUNDS, boundsText } from '../../properties/drain-proof.ts';
import type { Bounds } from '../../properties/exhaustive-configs.ts';
import { type DrainAnalysis, type DrainVerdict, analyzeDrains } from '../../properties/drains.ts';
import { counterexampleOf } from '../report/counterexample.ts';
import { encodeToken } from '../report/token.ts';
import { UsageError, maxEventsOf, runsOf, seedOf } from './errors.ts';
import { variantSpecOf } from './format.ts';
import { requireDrainsExecuted } from './drain-coverage.ts';
import { variantArg, variantFileOf } from './load-variant.ts';
import { debugVmPinOf, variantOf } from './select.ts';
import { runSynthesize } from '../synth/cli.ts';

export interface DrainsArgs {
  variant?: string | undefined;
  runs?: string | undefined;
  seed?: string | undefined;
  format?: string | undefined;
  'add-drain'?: string[] | undefined;
  exhaustive?: string | undefined;
  'debug-vm'?: string | undefined;
  'max-events'?: string | undefined;
  /** --synthesize: the cheapest safe placement instead (src/synth/cli.ts), in --mode. */
  synthesize?: boolean | undefined;
  mode?: string | undefined;
}

/** Scenarios per property and removal: v5 and v3 each finish in well under a minute. */
export const DRAINS_RUNS = 300;

interface Report {
  readonly v: Variant;
  readonly spec: string;
  /** drain points filled for the analysis */
  readonly added: ReadonlySet<string>;
  readonly a: DrainAnalysis;
  readonly costs: readonly SiteCost[];
  /** CONFIG_DEBUG_VM fixed for the analysis (--debug-vm), or generated both ways */
  readonly pin: Partial<KernelConfig> | undefined;
}

export async function runDrains(args: DrainsArgs): Promise<number> {
  if (args.synthesize) return runSynthesize(args);
  const format = args.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  const numRuns = runsOf(args.runs, DRAINS_RUNS);
  const seed = seedOf(args.seed, DEFAULT_SEED);
  const prove = proveOf(args.exhaustive);
  const pin = debugVmPinOf(args['debug-vm']);
  const variants = args.variant === undefined ? VARIANTS.filter((v) => v.drainSites.length > 0) : [await variantOf(args.variant, { maxEvents: maxEventsOf(args['max-events']) })];
  if (args['add-drain']?.length && args.variant === undefined) throw new UsageError('--add-drain needs --variant: drain points belong to one variant');
  const reports: Report[] = variants.map((v) => {
    const spec = variantSpecOf(variantArg(v));
    const added = drainPointsOf(v, args['add-drain']);
    if (variantFileOf(v)) requireDrainsExecuted(v, `variant file '${variantArg(v)}'`, [], variantFileOf(v)!.sha256);
    const a = analyzeDrains(v, { numRuns, seed, added, prove, ...(pin ? { pin } : { splitDebugVm: true }) });
    return { v, spec, added, a, costs: drainCosts(v, added), pin };
  });
  if (format === 'json') console.log(JSON.stringify(reports.map(toJson), null, 2));
  else console.log(reports.map((r) => textOf(r).join('\n')).join('\n\n'));
  return 0;
}

const EXHAUSTIVE = ['typical', 'default', 'all', 'off'] as const;

/** --exhaustive: the kernel configs of the exhaustive check of each removal not shown necessary. */
function proveOf(value: string | undefined): Bounds | null {
  const v = value ?? 'typical';
  if (!(EXHAUSTIVE as readonly string[]).includes(v)) throw new UsageError(`--exhaustive=${v} is not allowed; allowed: ${EXHAUSTIVE.join(', ')}`);
  return v === 'off' ? null : { ...PROOF_BOUNDS, configs: v as Bounds['configs'] };
}

function drainPointsOf(v: Variant, names: string[] | undefined): ReadonlySet<string> {
  const known = (v.drainPoints ?? []).map((d) => d.name);
  for (const n of names ?? []) {
    if (!known.includes(n)) throw new UsageError(`unknown drain point '${n}' for variant ${v.name}; allowed: ${known.length ? known.join(', ') : '(none: the variant leaves no drain point empty)'}`);
  }
  return new Set(names ?? []);
}

// -- text ---------------------------------------------------------------------------------------

const SHORT: Record<PropertyName, string> = {
  identical: 'identical', 'no-read-after-streaming': 'no-read', 'no-write-after-streaming': 'no-write',
  'published-clean': 'published', invariants: 'invariants', instrumented: 'instrumented', 'init-once': 'init-once', 'in-range': 'in-range',
};

/** The scenario as its differences from the smallest typical one: "vmemmap_shift=2 nr_pages=4 pgmap=GENERIC". */
export function shortScenario(s: Scenario): string {
  const out = [`vmemmap_shift=${s.pgmap.vmemmapShift}`, `nr_pages=${s.nrPages}`];
  if (s.pgmap.type !== 3) out.push(`pgmap=${MEMORY_TYPE_NAMES[s.pgmap.type]}`);
  if (s.pgmap.altmap) out.push(`altmap=reserve=${s.pgmap.altmap.reserve},free=${s.pgmap.altmap.free}`);
  if (s.startPfn !== RANGE_BASE_PFN) out.push(`start_pfn=${hexNum(s.startPfn)}`);
  if (s.nid !== 0) out.push(`nid=${s.nid}`);
  if (s.earlySection || s.earlySections) out.push(earlyText(s).trim());
  for (const key of Object.keys(X86_64_DEFAULT) as (keyof KernelConfig)[]) {
    const v = s.kconfig[key];
    if (v === X86_64_DEFAULT[key]) continue;
    out.push(typeof v === 'boolean' ? `${v ? '+' : '-'}${key}` : `${key}=${v}`);
  }
  return out.join(' ');
}

function verdictWord(d: DrainVerdict): string {
  return d.necessary ? 'necessary' : 'not shown necessary';
}

function opensOf(d: DrainVerdict): string {
  if (!d.necessary) {
    const proof = d.proof?.holds ? `, nor in ${d.proof.configurations} configurations exhaustively` : '';
    return `nothing in ${d.scenarios} scenarios x ${d.checked.length} properties${proof}`;
  }
  if (d.opens.length) return d.opens.join(', ');
  if (d.failures.length === 0) return `${d.proof!.failing!.property} (exhaustive check)`;
  return `corrupts the image (${d.failures.map((f) => SHORT[f.property]).join(', ')})`;
}

function table(rows: string[][]): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ').trimEnd());
}

function tokenOf(spec: string, added: ReadonlySet<string>, r: CheckResult): string {
  return encodeToken({ ...counterexampleOf(r, spec), added: [...added] });
}

/** The check command that finds it again (check cannot fill drain points: then replay the token). */
function rerunOf(spec: string, added: ReadonlySet<string>, r: CheckResult, pin?: Partial<KernelConfig>): string | null {
  if (added.size) return null;
  const drains = r.removedDrains.map((d) => ` --remove-drain ${d}`).join('') + (pin ? ` --debug-vm ${pin.debugVm ? 'on' : 'off'}` : '');
  return `memmap-check check --variant ${spec}${drains} --property ${r.property} --seed ${r.seed} --runs ${r.failedAt}`;
}

const perGiB = (c: DrainsPerGiB): string => String(c.perGiB);
const pageSize = (shift: number): string => (shift === 0 ? 'order-0 pages' : `${(2 ** shift * 4) / 1024} MiB pages`);

/** What CONFIG_DEBUG_VM does to a necessary drain's failures. */
function debugVmOf(d: DrainVerdict, pin: Partial<KernelConfig> | undefined): string {
  if (pin) return pin.debugVm ? 'on (fixed)' : 'off (fixed)';
  if (!d.necessary || d.debugVmOnly === null) return '-';
  if (d.failures.length === 0) return 'not needed';
  if (d.debugVmOnly.length === d.failures.length) return 'needed';
  if (d.debugVmOnly.length === 0) return 'not needed';
  return `needed for ${d.debugVmOnly.map((p) => SHORT[p]).join(', ')}`;
}

function textOf({ v, spec, added, a, costs, pin }: Report): string[] {
  const out: string[] = [];
  const filled = added.size ? `, with drain point(s) ${[...added].join(', ')} filled` : '';
  const debugVm = pin ? `, CONFIG_DEBUG_VM ${pin.debugVm ? 'on' : 'off'} in every scenario` : '';
  out.push(`drain necessity: ${v.name}${filled} (reference ${v.reference ?? 'itself'}), contract semantics${debugVm}`);
  out.push(`each drain site removed in turn, then each pair; ${a.numRuns} generated scenarios per property, seed ${a.seed}`);
  const base = a.baseline.map((r) => `${SHORT[r.property]} ${r.ok ? 'pass' : 'FAIL'}`).join(', ');
  out.push(`with every drain in place: ${base}`);
  const lineage = baseOf(v);
  if (knownBugsOf(v).length) {
    out.push(`  (invariants sets aside the known ${lineage} kernel bugs, fixed upstream: ${knownBugsOf(v).map((b) => b.id).join(', ')})`);
  }
  if (a.judged.length < a.baseline.length) {
    const failing = a.baseline.filter((r) => !r.ok).map((r) => r.property);
    out.push(`  ${v.name} itself fails ${failing.join(', ')} (memmap-check check --variant ${spec}); necessity is judged on the ` +
      `${a.judged.length} properties that hold with every drain: ${a.judged.map((p) => SHORT[p]).join(', ')}`);
    const empty = (v.drainPoints ?? []).map((d) => d.name).filter((n) => !added.has(n));
    if (empty.length) {
      out.push(`  hint: ${v.name} leaves drain point(s) ${empty.join(', ')} empty; ${empty.map((n) => `--add-drain ${n}`).join(' ')} judges it as if filled`);
    }
  }
  if (v.drainSites.length === 0) {
    out.push('', `${v.name} has no drain sites.`);
    return out;
  }
  out.push('');
  out.push(...table([
    ['drain site', 'verdict', 'DEBUG_VM', 'opens', 'minimal configuration'],
    ...a.singles.map((d) => [d.removed[0]!, verdictWord(d), debugVmOf(d, pin), opensOf(d), d.primary ? shortScenario(d.primary.counterexample!.scenario) : '-']),
  ]));
  if (!pin) {
    out.push('DEBUG_VM: "needed" when every failure of the removal needs CONFIG_DEBUG_VM (each is rechecked with it off)');
  }
  for (const d of a.singles) out.push('', ...siteText(v, spec, added, a, d, costs, pin));
  if (a.pairs.length) {
    out.push('', 'pairs removed together:');
    out.push(...table([
      ['drain sites', 'verdict', 'opens', 'minimal configuration'],
      ...a.pairs.map((d) => [d.removed.join(' + '), verdictWord(d), opensOf(d), d.primary ? shortScenario(d.primary.counterexample!.scenario) : '-']),
    ]).map((l) => `  ${l}`));
    const removable = a.pairs.filter((d) => !d.necessary);
    if (removable.length) out.push(`  not shown necessary together: ${removable.map((d) => d.removed.join(' + ')).join('; ')}`);
  }
  out.push('', ...costText(costs));
  return out;
}

function siteText(v: Variant, spec: string, added: ReadonlySet<string>, a: DrainAnalysis, d: DrainVerdict, costs: readonly SiteCost[],
  pin: Partial<KernelConfig> | undefined): string[] {
  const site = d.removed[0]!;
  const where = v.drainSites.find((s) => s.name === site)?.where ?? '';
  const cost = costs.find((c) => c.site === site)!;
  const costLine = `  cost:     ${cost.byOrder.map((c) => `${perGiB(c)} ${c.perGiB === 1 ? 'drain' : 'drains'} per GiB with ${pageSize(c.vmemmapShift)}`).join(', ')}`;
  if (!d.necessary) {
    return [
      `${site}: not shown necessary`,
      `  where:    ${where}`,
      `  tried:    ${d.scenarios} generated scenarios (seed ${a.seed}), each under ${d.checked.length} properties (${d.checked.map((p) => SHORT[p]).join(', ')}): none failed`,
      `  proven:   ${d.provenWithin ? `no failure of ${d.checked.map((p) => SHORT[p]).join(', ')} within ${d.provenWithin}` : 'not attempted (--exhaustive off)'}`,
      costLine,
    ];
  }
  const p = d.primary;
  if (!p) {
    const f = d.proof!.failing!;
    return [
      `${site}: NECESSARY (found by the exhaustive check, ${boundsText(d.proof!.bounds)})`,
      `  where:    ${where}`,
      `  fails:    ${f.property} in configuration ${describeScenario(f.scenario)}`,
      costLine,
    ];
  }
  const cx = p.counterexample!;
  const holds = d.checked.filter((x) => !d.failures.some((f) => f.property === x));
  return [
    `${site}: NECESSARY`,
    `  where:    ${where}`,
    `  fails:    ${d.failures.map((f) => f.property).join(', ')}${holds.length ? ` (${holds.map((x) => SHORT[x]).join(', ')} still hold)` : ''}`,
    ...(d.debugVmOnly === null ? [] : [`  DEBUG_VM: ${d.debugVmOnly.length === 0
      ? 'every failure shows without CONFIG_DEBUG_VM too'
      : `${d.debugVmOnly.join(', ')} fail${d.debugVmOnly.length === 1 ? 's' : ''} only with CONFIG_DEBUG_VM (rechecked on ${a.numRuns} scenarios with it off: ` +
        `${d.debugVmOnly.length === 1 ? 'it holds' : 'they hold'})`}`]),
    `  shown by: ${p.property}, first failing scenario ${p.failedAt} of ${a.numRuns}, shrunk in ${p.shrinks} steps${p.lateral ? ', then a smaller case one build option away' : ''}`,
    `  config:   ${describeScenario(cx.scenario)}`,
    `  schedule: ${describeSchedule(cx.schedule)}`,
    ...p.verdict!.lines.map((l) => `  ${l}`),
    `  token:    ${tokenOf(spec, added, p)}`,
    `  rerun:    ${rerunOf(spec, added, p, pin) ?? `memmap-check replay <token> (check cannot fill drain points)`}`,
    costLine,
  ];
}

function costText(costs: readonly SiteCost[]): string[] {
  const orders = costs[0]!.byOrder;
  const head = ['drains executed per GiB', ...orders.map((c) => pageSize(c.vmemmapShift))];
  const rows = costs.map((c) => [c.site ?? 'all drains', ...c.byOrder.map(perGiB)]);
  const w = head.map((_, i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join('  ');
  const affine = costs.every((c) => c.byOrder.every((o) => o.affine));
  return [
    line(head),
    ...rows.map(line),
    'counted by the machine (cost.drains) on the typical x86_64 build, FS_DAX, no altmap, with one',
    'memmap_init_zone_device() call per GiB; measured with 1..4 pages and extrapolated to a GiB',
    ...(affine
      ? ['(262144 4-KiB pages): every row is affine, drains = a*pages + b, because each loop iteration',
        'runs the same drain sites, so the figures are exact']
      : ['(262144 4-KiB pages), but some rows are not affine in the number of pages: a trend only']),
  ];
}

// -- json ---------------------------------------------------------------------------------------

function failureJson(spec: string, added: ReadonlySet<string>, r: CheckResult, pin: Partial<KernelConfig> | undefined) {
  const cx = r.counterexample!;
  return {
    property: r.property, failedAt: r.failedAt, shrinks: r.shrinks, scenario: cx.scenario, schedule: cx.schedule,
    config: describeScenario(cx.scenario), verdict: r.verdict!.lines, token: tokenOf(spec, added, r), rerun: rerunOf(spec, added, r, pin),
  };
}

function verdictJson(spec: string, added: ReadonlySet<string>, d: DrainVerdict, pin: Partial<KernelConfig> | undefined) {
  return {
    removed: d.removed, verdict: d.necessary ? 'necessary' : 'not-shown-necessary', opens: d.opens, debugVmOnly: d.debugVmOnly,
    minimal: d.primary ? failureJson(spec, added, d.primary, pin) : null,
    failures: d.failures.map((f) => failureJson(spec, added, f, pin)),
    checked: d.checked, scenarios: d.scenarios, provenWithin: d.provenWithin,
  };
}

function toJson({ v, spec, added, a, costs, pin }: Report) {
  return {
    variant: v.name, spec, reference: v.reference, added: [...added], numRuns: a.numRuns, seed: a.seed, debugVm: pin?.debugVm ?? 'generated',
    baseline: a.baseline.map((r) => ({ property: r.property, ok: r.ok })), judged: a.judged,
    sites: a.singles.map((d) => ({
      site: d.removed[0], where: v.drainSites.find((s) => s.name === d.removed[0])?.where, ...verdictJson(spec, added, d, pin),
      cost: costs.find((c) => c.site === d.removed[0])!.byOrder,
    })),
    pairs: a.pairs.map((d) => verdictJson(spec, added, d, pin)),
    cost: costs,
  };
}
