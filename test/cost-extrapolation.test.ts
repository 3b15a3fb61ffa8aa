// The extrapolation is exact: counts extrapolated from simulated prefixes equal a full simulation
// of the whole range, at several sizes up to a 1 GiB namespace. (`npm run fit` repeats this at
// 1 GiB for every seed variant, base-v7.1 included, in both modes, with the memmap on the device
// and in RAM; it takes too long for npm test.)
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { v3 } from '../model/kernel/variants/v3.ts';
import { v3Cached } from '../model/kernel/variants/v3-cached.ts';
import { type Measure, type Measured, measure } from '../src/cost/counts.ts';
import { devicePfns, exactCounts, periodOf, withDevicePfns } from '../src/cost/extrapolate.ts';
import { type Mode, namespaceScenario } from '../src/cost/namespace.ts';

/** measure(), remembering runs: the prefixes are shared by every size with the same remainder. */
function memo(): Measure {
  const seen = new Map<string, Measured>();
  return (v, s) => {
    const key = `${v.name}|${s.nrPages}`;
    let m = seen.get(key);
    if (!m) seen.set(key, (m = measure(v, s)));
    return m;
  };
}

function check(v: Variant, s: Scenario, periods: readonly number[]) {
  const run = memo();
  const P = periodOf(s);
  const r = devicePfns(s) % P;
  for (const k of periods) {
    const sized = withDevicePfns(s, r + k * P);
    const e = exactCounts(v, sized, { measure: run });
    expect(e.method).toBe('extrapolated');
    expect(e.counts, `${v.name}, ${r + k * P} pfns`).toEqual(measure(v, sized).counts);
  }
}

const GiB = (mode: Mode) => namespaceScenario({ bytes: 2 ** 30, mode, align: '2M', mapDev: true });

describe('extrapolated counts equal a full simulation', () => {
  it('v3, dax_pmem (devdax 2M, map=dev): a 1 GiB namespace (7 periods) and 3 periods', () => {
    expect(devicePfns(GiB('devdax'))).toBe(257536);
    check(v3, GiB('devdax'), [3, 7]);
  });
  it('v3-cached, nd_pmem (fsdax): 3 periods after a short remainder', () => {
    const s = GiB('fsdax');
    check(v3Cached, withDevicePfns({ ...s, pgmap: { ...s.pgmap, altmap: { reserve: 2, free: 510 } } }, 512), [3]);
  });
});
