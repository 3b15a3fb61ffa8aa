// memmap-check exhaustive: every configuration within small bounds, every schedule up to the
// reduction of docs/exhaustive.md; on worker threads, whole or one shard of a bigger sweep.
import { availableParallelism } from 'node:os';
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import { MAX_VMEMMAP_SHIFT } from '../../model/kernel/scenario.ts';
import { CONFIG_SETS, type ConfigSet, DEFAULT_BOUNDS } from '../../properties/exhaustive-configs.ts';
import { summaryText } from '../exhaustive/format.ts';
import { progressFor } from '../exhaustive/progress.ts';
import { runExhaustive } from '../exhaustive/run.ts';
import { parseShard } from '../exhaustive/shard.ts';
import { SweepError } from '../exhaustive/sweep.ts';
import { VariantFault } from '../../model/faults.ts';
import { type Bounds, countConfigurations } from '../../properties/exhaustive-configs.ts';
import type { Shard } from '../exhaustive/shard.ts';
import { UsageError, boundedInt, positiveInt } from './errors.ts';
import { heartbeat } from './heartbeat.ts';
import { variantSpecOf } from './format.ts';
import { requireDrainsExecuted } from './drain-coverage.ts';
import { isVariantPath, loadVariant, variantFileOf } from './load-variant.ts';
import { drainSitesOf } from './select.ts';

export const EXHAUSTIVE_USAGE = 'exhaustive [--variant NAME|FILE]... [--max-order K] [--max-compound-pages N] ' +
  '[--configs typical|default|all] [--workers N] [--shard i/n] [--remove-drain SITE]...';

export interface ExhaustiveArgs {
  variant?: string[] | undefined;
  'max-order'?: string | undefined;
  'max-compound-pages'?: string | undefined;
  configs?: string | undefined;
  workers?: string | undefined;
  shard?: string | undefined;
  'remove-drain'?: string[] | undefined;
}

export function maxOrderOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_BOUNDS.maxOrder;
  if (!/^[0-9]+$/.test(value) || Number(value) > MAX_VMEMMAP_SHIFT) {
    throw new UsageError(`--max-order=${value} is not allowed; allowed: 0..${MAX_VMEMMAP_SHIFT}`);
  }
  return Number(value);
}

export function configSetOf(value: string | undefined): ConfigSet {
  if (value === undefined) return DEFAULT_BOUNDS.configs;
  if (!(CONFIG_SETS as readonly string[]).includes(value)) throw new UsageError(`--configs=${value} is not allowed; allowed: ${CONFIG_SETS.join(', ')}`);
  return value as ConfigSet;
}

const MAX_WORKERS = 256;
/** --max-compound-pages past this gives millions of configurations per kernel config. */
export const MAX_COMPOUND_PAGES = 64;
/** Configurations one run may sweep: about 17 minutes on one core at the measured ~490 per second. */
export const MAX_CONFIGURATIONS_PER_RUN = 500_000;
const RATE_PER_CORE = 490;

/** Refuse, before any work, a sweep that would take hours: the count is in the message. */
export function preflight(bounds: Bounds, shard: Shard): void {
  if (bounds.configs === 'all' && shard.count < 64) {
    throw new UsageError(`--configs all sweeps every kernel config: tens of millions of configurations per compound page count; allowed: --configs all only with --shard i/n, n >= 64 (or --configs default)`);
  }
  // configurations grow linearly with the compound page count (every count has the same
  // alignments, types and altmaps): count one and scale, rather than enumerate them all
  const total = countConfigurations({ ...bounds, maxCompoundPages: 1 }) * bounds.maxCompoundPages;
  const mine = Math.ceil(total / shard.count);
  if (mine > MAX_CONFIGURATIONS_PER_RUN) {
    const hours = mine / RATE_PER_CORE / 3600;
    const n = Math.ceil(total / MAX_CONFIGURATIONS_PER_RUN);
    throw new UsageError(`these bounds give about ${total.toLocaleString('en-US')} configurations${shard.count > 1 ? ` (${mine.toLocaleString('en-US')} in this shard)` : ''}, at least ${hours.toFixed(1)} hours on one core; allowed: at most ${MAX_CONFIGURATIONS_PER_RUN.toLocaleString('en-US')} per run: lower the bounds or split with --shard i/n, n >= ${n}`);
  }
}

/** --workers N; by default one per core. */
export function workersOf(value: string | undefined): number {
  const n = positiveInt('workers', value, availableParallelism());
  if (n > MAX_WORKERS) throw new UsageError(`--workers=${value} is not allowed; allowed: 1..${MAX_WORKERS} (this machine has ${availableParallelism()} cores)`);
  return n;
}

export async function runExhaustiveCommand(a: ExhaustiveArgs): Promise<number> {
  const names = a.variant?.length ? a.variant : VARIANTS.map((v) => v.name);
  const bounds = {
    maxOrder: maxOrderOf(a['max-order']),
    maxCompoundPages: boundedInt('max-compound-pages', a['max-compound-pages'], DEFAULT_BOUNDS.maxCompoundPages, MAX_COMPOUND_PAGES, 'the sweep would take days'),
    configs: configSetOf(a.configs),
  };
  const shard = parseShard(a.shard);
  // a variant file's sweep stays on the watched thread (sandbox.ts): a loop in it cannot hide in a pool worker
  const files = names.some(isVariantPath) && heartbeat.installed();
  const workers = files ? 1 : workersOf(a.workers);
  preflight(bounds, shard);
  if (a['remove-drain']?.length && names.length !== 1) {
    throw new UsageError('--remove-drain needs exactly one --variant; allowed: --variant NAME --remove-drain SITE');
  }
  // resolve every variant and drain site before the first sweep starts
  const targets = [];
  for (const name of names) {
    const v = await loadVariant(name);
    const removed = drainSitesOf(v, a['remove-drain']);
    if (variantFileOf(v)) requireDrainsExecuted(v, `variant file '${name}'`, removed, variantFileOf(v)!.sha256);
    targets.push({ arg: variantSpecOf(name), removed: [...removed] });
  }
  let failed = false;
  for (const [i, t] of targets.entries()) {
    try {
      const s = await runExhaustive({
        variant: t.arg, bounds, shard, workers, removedDrains: t.removed, progress: progressFor(process.stderr, false),
      });
      console.log([...(i > 0 ? [''] : []), ...summaryText(s)].join('\n'));
      failed ||= s.tally.violations > 0;
    } catch (e) {
      // a configuration threw: the variant under check crashed (exit 3)
      if (e instanceof SweepError) throw new VariantFault('threw', e.message);
      throw e;
    }
  }
  return failed ? 1 : 0;
}
