// --shard i/n: deterministic, disjoint slices whose union is the whole sweep, and whose merged
// tallies are the single run's tally.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/errors.ts';
import { shardConfigurations } from '../src/exhaustive/batches.ts';
import { runExhaustive } from '../src/exhaustive/run.ts';
import { inShard, parseShard } from '../src/exhaustive/shard.ts';
import { emptyTally, mergeTallies } from '../src/exhaustive/tally.ts';
import { configurations } from '../properties/exhaustive-configs.ts';

// a mutant that fails in the typical build (v3-stream-pageblock-aligned needs DEBUG_VM)
const MUTANT = 'test/mutants/v5-set-page-head-before-drain.ts';
const TINY = { maxOrder: 2, maxCompoundPages: 2, configs: 'typical' as const };

describe('--shard i/n', () => {
  it('parses 1-based i/n like vitest', () => {
    expect(parseShard(undefined)).toEqual({ index: 1, count: 1 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
  });
  it.each(['0/3', '4/3', '1/0', 'x', '1/', '/2', '1/2/3', '-1/2', '1.5/2', ' 1/2'])('rejects %j in one line', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
    expect(() => parseShard(text)).toThrow(`--shard=${text} is not allowed; allowed: i/n with 1 <= i <= n, like vitest --shard`);
  });
  it('the shards partition the configurations: disjoint, and their union is every index', () => {
    const all = [...configurations(TINY)].map((c) => c.index);
    expect(all).toEqual(all.map((_, i) => i));
    for (const n of [1, 2, 3, 7]) {
      const seen = new Map<number, number>();
      for (let i = 1; i <= n; i++) {
        for (const c of shardConfigurations(TINY, { index: i, count: n })) {
          expect(seen.has(c.index)).toBe(false);
          expect(inShard(c.index, { index: i, count: n })).toBe(true);
          seen.set(c.index, i);
        }
      }
      expect([...seen.keys()].sort((a, b) => a - b)).toEqual(all);
    }
  });
  it('the merged tallies of 3 shards are the single run\'s tally (counts, fingerprint, first violations)', async () => {
    const bounds = { maxOrder: 1, maxCompoundPages: 2, configs: 'typical' as const };
    const whole = await runExhaustive({ variant: MUTANT, bounds });
    const parts = await Promise.all([1, 2, 3].map((index) => runExhaustive({ variant: MUTANT, bounds, shard: { index, count: 3 } })));
    for (const p of parts) expect(p.total).toBe(whole.total);
    expect(parts.map((p) => p.tally.configurations).reduce((a, b) => a + b)).toBe(whole.tally.configurations);
    const merged = parts.map((p) => p.tally).reduce(mergeTallies, emptyTally());
    expect(merged).toEqual(whole.tally);
    expect(whole.tally.violations).toBeGreaterThan(0);
    expect(parts.every((p) => p.tally.violations > 0)).toBe(true);
  });
});
