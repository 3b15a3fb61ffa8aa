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
import { UsageError, positiveInt } from './errors.ts';
import { variantSpecOf } from './format.ts';
import { loadVariant } from './load-variant.ts';
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
    maxCompoundPages: positiveInt('max-compound-pages', a['max-compound-pages'], DEFAULT_BOUNDS.maxCompoundPages),
    configs: configSetOf(a.configs),
  };
  const workers = workersOf(a.workers);
  const shard = parseShard(a.shard);
  if (a['remove-drain']?.length && names.length !== 1) {
    throw new UsageError('--remove-drain needs exactly one --variant; allowed: --variant NAME --remove-drain SITE');
  }
  // resolve every variant and drain site before the first sweep starts
  const targets = [];
  for (const name of names) {
    const v = await loadVariant(name);
    targets.push({ arg: variantSpecOf(name), removed: [...drainSitesOf(v, a['remove-drain'])] });
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
      if (e instanceof SweepError) throw new UsageError(e.message);
      throw e;
    }
  }
  return failed ? 1 : 0;
}
