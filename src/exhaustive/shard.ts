// --shard i/n: a deterministic slice of the sweep, so a CI matrix or a batch runner can spread it
// over machines. Written like vitest's --shard (1-based "index/count"); the slice is the
// configurations whose index is i-1 modulo n (interleaved, because costs grow with the order, so
// contiguous slices would leave the last shard with the largest compound pages). The n shards are
// disjoint and their union is the whole sweep.
import { UsageError } from '../cli/errors.ts';

export interface Shard {
  /** 1-based, 1 <= index <= count */
  readonly index: number;
  readonly count: number;
}

export const WHOLE: Shard = { index: 1, count: 1 };

const SHAPE = 'i/n with 1 <= i <= n, like vitest --shard (for example 2/4)';

export function parseShard(text: string | undefined): Shard {
  if (text === undefined) return WHOLE;
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text);
  if (!m) throw new UsageError(`--shard=${text} is not allowed; allowed: ${SHAPE}`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || index > count) throw new UsageError(`--shard=${text} is not allowed; allowed: ${SHAPE}`);
  return { index, count };
}

/** Is configuration `index` in this shard? */
export const inShard = (index: number, s: Shard): boolean => index % s.count === s.index - 1;

export const shardText = (s: Shard): string => `${s.index}/${s.count}`;
