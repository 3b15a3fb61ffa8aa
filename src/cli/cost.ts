// memmap-check cost: exact counts at a real PMEM configuration, priced by the fitted cost model,
// beside the seeds' measured rebind times (docs/cost-model.md).
import { accessSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { costChart } from '../cost/chart.ts';
import { costJson } from '../cost/json.ts';
import { ALIGNS, type Align, MODES, type Mode, type Namespace, namespaceProblem, parseSize } from '../cost/namespace.ts';
import { FITTED_PARAMS } from '../cost/params.ts';
import { refit, sameParams } from '../cost/refit.ts';
import { type CostReport, costReport } from '../cost/report.ts';
import { SEED_VARIANTS } from '../cost/seeds.ts';
import { costTable } from '../cost/table.ts';
import { COST_VARIANTS, costVariantByName } from '../cost/variants.ts';
import { variantArg } from './load-variant.ts';
import { UsageError, allowed } from './errors.ts';
import { type CostParamsChoice, calibrateCommand, costParamsOf } from './cost-calibrate.ts';

export interface CostArgs {
  namespace?: string | undefined;
  mode?: string[] | undefined;
  align?: string | undefined;
  altmap?: boolean | undefined;
  variant?: string[] | undefined;
  chart?: string | undefined;
  format?: string | undefined;
  /** Measure the model's parameters on this machine and save them (cost-calibrate.ts). */
  calibrate?: boolean | undefined;
  /** The calibration file to write or read (default .memmap-check/calibration.json). */
  params?: string | undefined;
}

const SIZE_HELP = 'a size such as 512M, 100G or 1T (K, M, G, T: powers of 1024)';

export function namespacesOf(a: CostArgs): Namespace[] {
  if (a.namespace === undefined) throw new UsageError(`--namespace is required; allowed: ${SIZE_HELP}`);
  const bytes = parseSize(a.namespace);
  if (bytes === null) throw new UsageError(`--namespace=${a.namespace} is not allowed; allowed: ${SIZE_HELP}`);
  if (!a.mode || a.mode.length === 0) throw new UsageError(`--mode is required; allowed: ${MODES.join(', ')}`);
  const align = a.align ?? '2M';
  if (!(ALIGNS as readonly string[]).includes(align)) throw new UsageError(`--align=${align} is not allowed; allowed: ${ALIGNS.join(', ')}`);
  const modes = a.mode.map((m) => {
    if (!(MODES as readonly string[]).includes(m)) throw allowed('mode', m, MODES);
    return m as Mode;
  });
  return [...new Set(modes)].map((mode) => {
    const ns: Namespace = { bytes, mode, align: align as Align, mapDev: a.altmap ?? false };
    const problem = namespaceProblem(ns);
    if (problem) throw new UsageError(problem);
    return ns;
  });
}

export function costVariantsOf(names: string[] | undefined, loaded: readonly Variant[] = []): Variant[] {
  return (names && names.length ? names : [...SEED_VARIANTS]).map((n) => {
    const v = costVariantByName(n) ?? loaded.find((x) => variantArg(x) === n);
    if (!v) throw allowed('variant', n, COST_VARIANTS.map((x) => x.name));
    return v;
  });
}

/** `loaded`: variants already loaded from files (--c), named in a.variant by their spec. */
export function runCost(a: CostArgs, loaded: readonly Variant[] = []): number {
  if (a.calibrate) {
    calibrateCommand(a.params);
    if (a.namespace === undefined) return 0;
  }
  const format = a.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  if (a.chart !== undefined && !/\.svg$/i.test(a.chart)) throw new UsageError(`--chart=${a.chart} is not allowed; allowed: a file name ending in .svg`);
  if (a.chart !== undefined) writableFile('chart', a.chart);
  const namespaces = namespacesOf(a);
  const variants = costVariantsOf(a.variant, loaded);
  const choice: CostParamsChoice = costParamsOf(a.params);
  const reports: CostReport[] = namespaces.map((ns) => costReport(ns, variants, choice.params));
  // only the seed-fitted parameters can be stale against the seeds
  const stale = choice.source === 'seed-fitted' ? staleness(reports) : null;
  if (stale) console.error('memmap-check: warning: src/cost/params.ts no longer matches the model\'s counts; run `npm run fit`');
  if (format === 'json') {
    const j = costJson(reports, choice.params, stale);
    console.log(JSON.stringify({ ...j, model: { ...j.model, source: choice.source, sourceText: choice.text } }, null, 2));
  } else {
    console.log(`parameters: ${choice.text}`);
    reports.forEach((r, i) => {
      if (i > 0) console.log('');
      for (const l of costTable(r)) console.log(l);
    });
    if (!reports.some((r) => r.rows.some((x) => x.seed))) {
      console.log('(the seeds measured --namespace 100G --align 2M --altmap: that configuration shows their figures)');
    }
  }
  if (a.chart !== undefined) {
    writeFileSync(a.chart, costChart(reports, 'memmap_init_zone_device() rebind time: model against the seeds'));
    if (format === 'text') console.log(`chart written to ${a.chart}`);
  }
  return 0;
}

/** Fail before computing if `file` cannot be written: a file we may write, or a new one in a folder we may write. */
export function writableFile(flag: string, file: string): void {
  const bad = (why: string) => new UsageError(`--${flag}=${file} cannot be written (${why}); allowed: a writable file name`);
  if (existsSync(file)) {
    if (statSync(file).isDirectory()) throw bad('it is a directory');
    try {
      accessSync(file, constants.W_OK);
    } catch {
      throw bad('permission denied');
    }
    return;
  }
  const dir = dirname(resolve(file));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw bad(`no directory ${dirname(file)}`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw bad(`the directory ${dirname(file)} is not writable`);
  }
}

/** Whether params.ts is stale: known only when a report is the seeds' nd_pmem configuration with the fitted variants. */
function staleness(reports: readonly CostReport[]): boolean | null {
  for (const r of reports) {
    const f = refit(r, FITTED_PARAMS.tDrain);
    if (f) return !sameParams(f.params, FITTED_PARAMS);
  }
  return null;
}
