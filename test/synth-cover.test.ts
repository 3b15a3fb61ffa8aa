// The exact hitting-set search (src/synth/cover.ts) against brute force, on random instances with an
// additive cost and with the monotone, non-additive cost of drains that stall only after streaming.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minCover } from '../src/synth/cover.ts';

const cmp = (a: number, b: number) => a - b;

function brute(n: number, sets: number[][], cost: (p: number[]) => number): number | null {
  let best: number | null = null;
  for (let m = 0; m < 2 ** n; m++) {
    const p = [...Array(n).keys()].filter((i) => (m >> i) & 1);
    if (!sets.every((k) => k.some((c) => p.includes(c)))) continue;
    const c = cost(p);
    if (best === null || c < best) best = c;
  }
  return best;
}

const instance = fc.integer({ min: 1, max: 8 }).chain((n) => fc.record({
  n: fc.constant(n),
  sets: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 0, maxLength: n }), { minLength: 0, maxLength: 6 }),
  weights: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: n, maxLength: n }),
  // a run: streaming or not between consecutive candidate positions
  streamed: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
}));

describe('minCover', () => {
  it('finds the least additive cost of any hitting set, or null when a set is empty', () => {
    fc.assert(fc.property(instance, ({ n, sets, weights }) => {
      const cost = (p: readonly number[]) => p.reduce((a, i) => a + weights[i]!, 0);
      const r = minCover(sets, cost, cmp);
      const b = brute(n, sets, cost);
      if (sets.some((k) => k.length === 0)) return r === null;
      expect(r).not.toBeNull();
      expect(sets.every((k) => k.some((c) => r!.placement.includes(c)))).toBe(true);
      expect(r!.cost).toBe(b);
      return true;
    }), { numRuns: 300 });
  });

  it('is exact for the monotone stall cost (a drain stalls only if something streamed since the last)', () => {
    fc.assert(fc.property(instance, ({ n, sets, streamed }) => {
      // candidates in program order; candidate i follows streaming iff streamed[i]
      const cost = (p: readonly number[]) => {
        let s = false;
        let stalls = 0;
        for (let i = 0; i < n; i++) {
          s ||= streamed[i]!;
          if (!p.includes(i)) continue;
          if (s) stalls++;
          s = false;
        }
        return stalls * 100 + p.length;
      };
      const r = minCover(sets, cost, cmp);
      if (sets.some((k) => k.length === 0)) return r === null;
      expect(r!.cost).toBe(brute(n, sets, cost));
      return true;
    }), { numRuns: 300 });
  });
});
