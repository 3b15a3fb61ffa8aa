// npm run bench:native: the model's operations run natively, beside the model's prediction from
// parameters measured on this machine (docs/cost-model.md §7-§9).
//
// For base-next, v5-cached (the cached template) and v5, at order 0 (fsdax) and 2 MiB compound
// pages (devdax) of the seeds' namespace (100 GiB, map=dev: a 1.65 GB memmap): the native
// program is derived from the model and checked against its exact counts (native-plan.ts), built
// with `cc`, run (one warm-up, then the median of --runs, thread CPU time), and set beside the
// model's prediction from the calibrated parameters. Ratios are printed beside the seeds', since
// a shared machine's absolute times are noisy. Prints figures only: nothing here is asserted.
import { parseArgs } from 'node:util';
import { type CostParams, predict } from '../cost/model.ts';
import { type Align, type Mode, type Namespace, describeNamespace, namespaceProblem, namespaceScenario, parseSize } from '../cost/namespace.ts';
import { type Calibration, DEFAULT_CALIBRATION_PATH, describeCalibration, loadCalibration, runCalibration, saveCalibration } from '../cost/calibrate.ts';
import { FITTED_PARAMS } from '../cost/params.ts';
import { NATIVE_VARIANTS, nativeVariantByName } from './native-variants.ts';
import { nativeUnavailable, timeHarness } from './native-build.ts';
import { generateC } from './native-codegen.ts';
import { planFor } from './native-plan.ts';

/** The seeds' ratios (seeds/README.md): v3 series / base and cached template / base. */
export const SEED_RATIOS: Record<Mode, { readonly label: string; readonly streaming: number; readonly template: number }> = {
  fsdax: { label: 'nd_pmem', streaming: 0.418, template: 0.902 },
  devdax: { label: 'dax_pmem', streaming: 0.317, template: 0.767 },
};

export interface NativeRow {
  readonly mode: Mode;
  readonly variant: string;
  readonly measuredMs: number;
  readonly runsMs: readonly number[];
  readonly predictedMs: number;
  readonly seedFittedMs: number;
  readonly bound: string;
  readonly errorPct: number;
}

const fmt = (x: number, d = 2): string => x.toFixed(d);
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
const pp = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;

function usage(msg: string): never {
  console.error(`bench:native: ${msg}`);
  process.exit(2);
}

function options() {
  try {
    return parseArgs({
      args: process.argv.slice(2), strict: true, allowPositionals: false,
      options: {
        namespace: { type: 'string' }, runs: { type: 'string' }, params: { type: 'string' },
        calibrate: { type: 'boolean' }, variant: { type: 'string', multiple: true },
      },
    }).values;
  } catch (e) {
    return usage((e as Error).message.split('. To ')[0]!);
  }
}

export function ratioLines(rows: readonly NativeRow[], variants: readonly string[]): string[] {
  const out = ['| ratio | measured | predicted | error (points) | seeds |', '|---|---|---|---|---|'];
  const [base, template, streaming] = variants;
  for (const mode of ['fsdax', 'devdax'] as const) {
    const at = (v: string | undefined) => rows.find((r) => r.mode === mode && r.variant === v);
    const b = at(base);
    if (!b) continue;
    const seed = SEED_RATIOS[mode];
    for (const [what, v, s] of [['streaming/base', streaming, seed.streaming], ['template/base', template, seed.template]] as const) {
      const x = at(v);
      if (!x) continue;
      const m = x.measuredMs / b.measuredMs;
      const p = x.predictedMs / b.predictedMs;
      out.push(`| ${mode === 'fsdax' ? 'order-0' : '2 MiB'} ${what} (${v} / ${base}) | ${fmt(m, 3)} | ${fmt(p, 3)} | ${pp(100 * (p - m))} | ${seed.label} ${fmt(s, 3)} |`);
    }
  }
  return out;
}

function main(): void {
  const o = options();
  const why = nativeUnavailable();
  if (why) {
    console.log(`bench:native: skipped: ${why}. The model and every other command work without it.`);
    return;
  }
  const bytes = parseSize(o.namespace ?? '100G');
  if (bytes === null) usage(`--namespace=${o.namespace} is not allowed; allowed: a size such as 16G or 100G`);
  const runs = Number(o.runs ?? '5');
  if (!Number.isInteger(runs) || runs < 1 || runs > 101) usage(`--runs=${o.runs} is not allowed; allowed 1..101`);
  const variants = o.variant?.length ? o.variant : [...NATIVE_VARIANTS];
  for (const v of variants) if (!nativeVariantByName(v)) usage(`--variant=${v} is not allowed; allowed: ${NATIVE_VARIANTS.join(', ')} or a shipped variant`);
  const file = o.params ?? DEFAULT_CALIBRATION_PATH;
  let cal: Calibration | null = o.calibrate ? null : loadCalibration(file);
  if (!cal) {
    console.log(`calibrating (bench/native/calibrate.c), saved to ${file} ...`);
    cal = runCalibration();
    saveCalibration(file, cal);
  }
  const params: CostParams = cal.params;
  const align: Align = '2M';
  console.log(`parameters: ${describeCalibration(cal, file)}`);
  console.log(`  BW_read ${fmt(params.bwRead)} GB/s, BW_write ${fmt(params.bwWrite)} GB/s, t_op ${fmt(params.tOp, 3)} ns, t_drain ${fmt(params.tDrain, 1)} ns, overlap n = ${params.overlap === undefined ? 'inf (max)' : fmt(params.overlap)}`);
  console.log(`  raw: ${JSON.stringify(cal.raw)}`);
  const rows: NativeRow[] = [];
  for (const mode of ['fsdax', 'devdax'] as const) {
    const ns: Namespace = { bytes, mode, align, mapDev: true };
    const problem = namespaceProblem(ns);
    if (problem) usage(problem);
    const s = namespaceScenario(ns);
    console.log(`${describeNamespace(ns)}`);
    for (const name of variants) {
      const v = nativeVariantByName(name)!;
      const plan = planFor(v, s);
      const t = timeHarness(generateC(plan.program, `${name}, ${describeNamespace(ns)}`), runs);
      const pred = predict(plan.exact.counts, params);
      const measuredMs = t.medianNs / 1e6;
      const row: NativeRow = {
        mode, variant: name, measuredMs, runsMs: t.runsNs.map((x) => x / 1e6), predictedMs: pred.ms,
        seedFittedMs: predict(plan.exact.counts, FITTED_PARAMS).ms, bound: pred.bound,
        errorPct: (100 * (pred.ms - measuredMs)) / measuredMs,
      };
      rows.push(row);
      console.log(`  ${name}: ${plan.totals.ops.toLocaleString('en-US')} ops, memmap ${(t.bytes[0] / 1e9).toFixed(3)} GB; runs ${row.runsMs.map((x) => fmt(x, 1)).join(' ')} ms (wall ${t.wallNs.map((x) => fmt(x / 1e6, 1)).join(' ')})`);
    }
  }
  console.log('');
  console.log('| configuration | variant | measured (median) | predicted (calibrated) | error | bound | seed-fitted model |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.mode === 'fsdax' ? 'order-0 (fsdax)' : '2 MiB (devdax)'} | ${r.variant} | ${fmt(r.measuredMs)} ms | ${fmt(r.predictedMs)} ms | ${pct(r.errorPct)} | ${r.bound} | ${fmt(r.seedFittedMs)} ms |`);
  }
  console.log('');
  for (const l of ratioLines(rows, variants)) console.log(l);
}

main();
