// runExhaustive(): the exhaustive small-scope sweep of one variant, on the main thread or on worker
// threads, whole or one shard. The bench calls it too (src/bench).
import { UsageError } from '../cli/errors.ts';
import { loadVariant } from '../cli/load-variant.ts';
import { type Bounds, DEFAULT_BOUNDS, countConfigurations } from '../../properties/exhaustive-configs.ts';
import { type Batch, batchesOf, shardConfigurations, shardSize } from './batches.ts';
import { runInProcess, runOnWorkers } from './pool.ts';
import { NO_PROGRESS, type ProgressSink } from './progress.ts';
import { type Shard, WHOLE } from './shard.ts';
import type { SweepTarget } from './sweep.ts';
import type { Tally } from './tally.ts';

export interface ExhaustiveOptions {
  /** A shipped variant's name or the path of a variant module (as --variant takes it). */
  readonly variant: string;
  readonly bounds?: Partial<Bounds>;
  readonly shard?: Shard;
  /** Worker threads; 1 (the default) checks on the calling thread. */
  readonly workers?: number;
  /** Drain sites removed from the variant (must be among its drain sites). */
  readonly removedDrains?: readonly string[];
  readonly progress?: ProgressSink;
}

export interface Summary {
  readonly variant: string;
  readonly reference: string;
  readonly removedDrains: readonly string[];
  readonly bounds: Bounds;
  readonly shard: Shard;
  readonly workers: number;
  /** Configurations of the whole sweep (every shard). */
  readonly total: number;
  /** What this run checked (its shard). */
  readonly tally: Tally;
  readonly wallMs: number;
}

/** Shards this large are not counted up front; progress then goes by configurations. */
const COUNT_WORK_UP_TO = 1_000_000;

export async function runExhaustive(o: ExhaustiveOptions): Promise<Summary> {
  const t0 = performance.now();
  const bounds: Bounds = { ...DEFAULT_BOUNDS, ...o.bounds };
  const shard = o.shard ?? WHOLE;
  const workers = o.workers ?? 1;
  const progress = o.progress ?? NO_PROGRESS;
  const variant = await loadVariant(o.variant);
  const unknown = (o.removedDrains ?? []).filter((d) => !variant.drainSites.some((x) => x.name === d));
  if (unknown.length) throw new UsageError(`unknown drain site '${unknown[0]}' for variant ${variant.name}; allowed: ${variant.drainSites.map((x) => x.name).join(', ') || '(none)'}`);
  const target: SweepTarget = { variant, variantArg: o.variant, removed: [...(o.removedDrains ?? [])] };

  const total = countConfigurations(bounds);
  const approx = Math.ceil(total / shard.count);
  const size = approx <= COUNT_WORK_UP_TO ? shardSize(bounds, shard) : { configurations: approx, work: null };
  progress.start(size);
  let done = 0;
  let work = 0;
  const onBatch = (sofar: Tally, b: Batch) => {
    done += b.configs.length;
    work += b.work;
    progress.update({ configurations: done, work, violations: sofar.violations });
  };
  const batches = batchesOf(shardConfigurations(bounds, shard));
  let tally: Tally;
  try {
    tally = workers <= 1 ? await runInProcess(target, batches, onBatch) : await runOnWorkers(target, workers, batches, onBatch);
  } finally {
    progress.stop();
  }
  return {
    variant: variant.name, reference: variant.reference ?? variant.name, removedDrains: target.removed,
    bounds, shard, workers, total, tally, wallMs: performance.now() - t0,
  };
}
