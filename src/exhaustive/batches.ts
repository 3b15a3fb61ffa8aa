// The configurations of one shard, cut into batches of about equal work for the workers.
import { type Bounds, type Configuration, configurations, structPagesOf } from '../../properties/exhaustive-configs.ts';
import { type Shard, inShard } from './shard.ts';

/** Struct pages per batch: about a tenth of a second of work, so the last batches finish together. */
export const BATCH_WORK = 8192;
const BATCH_MAX = 256;

export interface Batch {
  readonly configs: readonly Configuration[];
  readonly work: number;
}

export function* shardConfigurations(b: Bounds, s: Shard): Generator<Configuration> {
  for (const c of configurations(b)) if (inShard(c.index, s)) yield c;
}

export function* batchesOf(configs: Iterable<Configuration>, maxWork = BATCH_WORK): Generator<Batch> {
  let batch: Configuration[] = [];
  let work = 0;
  for (const c of configs) {
    batch.push(c);
    work += structPagesOf(c.scenario);
    if (work >= maxWork || batch.length >= BATCH_MAX) {
      yield { configs: batch, work };
      batch = [];
      work = 0;
    }
  }
  if (batch.length) yield { configs: batch, work };
}

/** The number of configurations and the work (struct pages) of a shard. */
export function shardSize(b: Bounds, s: Shard): { configurations: number; work: number } {
  let configurations = 0;
  let work = 0;
  for (const c of shardConfigurations(b, s)) {
    configurations++;
    work += structPagesOf(c.scenario);
  }
  return { configurations, work };
}
