// Exact counts for ranges too large to simulate (a 100 GiB namespace is 26 million struct pages):
// simulate three prefixes of the range and extrapolate over whole periods.
//
// Why it is exact. Take the period P = max(PAGES_PER_SECTION, compound size) pfns. What the kernel
// code does to pfn p depends on p only through p mod pageblock, compound and section size, and
// through addresses that move by a fixed amount per period: P struct pages are a whole number of
// 64-byte lines (P * sizeof(struct page) is a multiple of 64), and the pageblock bits of one
// section fill exactly one usemap line. Keep the start and the remainder r = pfns mod P, and a
// range of r + K*P pfns is a head piece, K periods that are translates of one another, and a tail
// piece that is the same for every K (it holds the final drain, write-combining flush and
// publish). A period's counts depend on its own events and on the machine state of the lines it
// touches; the only lines two periods share are the on-stack templates and the usemap line that
// straddles their boundary, and from the first period on these are in the same state whenever a
// period starts. Every count is additive (counts.ts), so the counts are affine in K:
// C(K) = C(k0) + (K - k0) * (C(k0 + 1) - C(k0)).
//
// The extrapolation checks itself: it simulates k0, k0 + 1 and k0 + 2 periods and refuses to
// extrapolate unless both increments are identical in every count (test/cost-extrapolation.test.ts
// compares it with full simulations up to 1 GiB; `npm run fit` does so for every seed variant).
import { PAGES_PER_SECTION } from '../../model/kernel/constants.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { type Counts, type Measure, addScaled, differingKeys, measure as simulate, sameCounts, subtract } from './counts.ts';

export interface ExactCounts {
  readonly counts: Counts;
  readonly sizeofPage: number;
  /** 'simulated': one run over the whole range; 'extrapolated': prefixes plus whole periods. */
  readonly method: 'simulated' | 'extrapolated';
  /** Period in pfns. */
  readonly period: number;
  /** Whole periods in the range after the remainder. */
  readonly periods: number;
  /** pfns actually simulated, over every run. */
  readonly simulatedPfns: number;
}

export class NotPeriodicError extends Error {
  override readonly name = 'NotPeriodicError';
}

/** The extrapolation period of a scenario, in pfns. */
export const periodOf = (s: Scenario): number => Math.max(PAGES_PER_SECTION, 2 ** s.pgmap.vmemmapShift);

const altmapOffset = (s: Scenario): number => (s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0);

/** Device pfns of a scenario (after the altmap skip). */
export const devicePfns = (s: Scenario): number => s.nrPages - altmapOffset(s);

/** The same scenario with `m` device pfns: the same start, altmap and everything else. */
export const withDevicePfns = (s: Scenario, m: number): Scenario => ({ ...s, nrPages: altmapOffset(s) + m });

/** Extra first periods tried when the increments differ (start effects longer than a period). */
const MAX_SHIFT = 2;

export function exactCounts(v: Variant, s: Scenario, o: { measure?: Measure } = {}): ExactCounts {
  const run = o.measure ?? simulate;
  const P = periodOf(s);
  const m = devicePfns(s);
  const r = m % P;
  const K = (m - r) / P;
  // the prefixes must have device pfns: with r = 0 the first one is one period
  let k0 = r === 0 ? 1 : 0;
  if (K < k0 + 3) {
    const whole = run(v, s);
    return { ...whole, method: 'simulated', period: P, periods: K, simulatedPfns: m };
  }
  const at = (k: number) => run(v, withDevicePfns(s, r + k * P));
  const c = [at(k0), at(k0 + 1), at(k0 + 2)];
  let simulatedPfns = 3 * r + (3 * k0 + 3) * P;
  for (;;) {
    const d1 = subtract(c[1]!.counts, c[0]!.counts);
    const d2 = subtract(c[2]!.counts, c[1]!.counts);
    if (sameCounts(d1, d2)) {
      return {
        counts: addScaled(c[0]!.counts, d1, K - k0),
        sizeofPage: c[0]!.sizeofPage,
        method: 'extrapolated', period: P, periods: K, simulatedPfns,
      };
    }
    if (k0 >= MAX_SHIFT || k0 + 3 >= K) {
      throw new NotPeriodicError(`${v.name}: counts are not periodic in ${P}-pfn periods after ${k0} periods (${differingKeys(d1, d2).join(', ')} differ); refusing to extrapolate`);
    }
    k0++;
    c.shift();
    c.push(at(k0 + 2));
    simulatedPfns += r + (k0 + 2) * P;
  }
}
