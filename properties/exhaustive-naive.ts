// The naive schedule enumeration the reduction is checked against (test/exhaustive-reduction.test.ts):
// every streaming store instruction gets every delay in {0, 1, ..., maxDelay, 'drain'}, one run per
// combination. Affordable only for a handful of instructions; the reduction replaces it by one run.
import type { Drains } from '../model/kernel/copy.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import type { Delay, Schedule } from '../model/schedule.ts';
import { evaluate } from './evaluate.ts';
import { DECIDING_SCHEDULE, type HazardSite, hazardSites, propertyResult } from './exhaustive.ts';
import { PROPERTIES, type PropertyName } from './properties.ts';

/** Every schedule giving instructions 0..m-1 each delay in {0..maxDelay, 'drain'}; later ones land at once. */
export function* naiveSchedules(m: number, maxDelay: number): Generator<Schedule> {
  const delays: Delay[] = [...Array.from({ length: maxDelay + 1 }, (_, i) => i), 'drain'];
  const digits = new Array<number>(m).fill(0);
  for (;;) {
    yield { base: 0, late: digits.map((d, k) => [k, delays[d]!] as const) };
    let i = m - 1;
    while (i >= 0 && ++digits[i]! === delays.length) digits[i--] = 0;
    if (i < 0) return;
  }
}

export const siteKey = (h: HazardSite): string => `${h.kind}/${h.cls}@${h.event}:${h.op} ${h.addr}+${h.size}`;

/** What a set of runs of one configuration showed: the union over its schedules. */
export interface Observation {
  /** Properties failing (not explained by a known kernel bug) under some schedule. */
  readonly violated: ReadonlySet<PropertyName>;
  /** Hazard sites (siteKey) of some schedule. */
  readonly sites: ReadonlySet<string>;
  /** Earliest hazardous event over the schedules (Infinity: none). */
  readonly firstHazardEvent: number;
  /** Earliest write-after-streaming event over the schedules (Infinity: none). */
  readonly firstWriteHazardEvent: number;
  /** Schedules run. */
  readonly runs: number;
  /** The most streaming instructions any run issued (for the naive runs: must be <= m). */
  readonly maxInstructions: number;
}

function observe(v: Variant, scenario: Scenario, drains: Drains, schedules: Iterable<Schedule>): Observation {
  const violated = new Set<PropertyName>();
  const sites = new Set<string>();
  let firstHazardEvent = Infinity;
  let firstWriteHazardEvent = Infinity;
  let runs = 0;
  let maxInstructions = 0;
  for (const schedule of schedules) {
    const e = evaluate(v, { scenario, schedule }, { drains, trace: true });
    runs++;
    maxInstructions = Math.max(maxInstructions, e.run.end.nextK);
    for (const p of PROPERTIES) if (propertyResult(p, e).outcome === 'FAIL') violated.add(p);
    for (const h of hazardSites(e)) {
      sites.add(siteKey(h));
      firstHazardEvent = Math.min(firstHazardEvent, h.event);
      if (h.kind === 'write-after-streaming') firstWriteHazardEvent = Math.min(firstWriteHazardEvent, h.event);
    }
  }
  return { violated, sites, firstHazardEvent, firstWriteHazardEvent, runs, maxInstructions };
}

/** The naive enumeration over the first m instructions. */
export function observeNaive(v: Variant, scenario: Scenario, drains: Drains, m: number, maxDelay: number): Observation {
  return observe(v, scenario, drains, naiveSchedules(m, maxDelay));
}

/** The reduction: the one deciding schedule. */
export function observeReduced(v: Variant, scenario: Scenario, drains: Drains): Observation {
  return observe(v, scenario, drains, [DECIDING_SCHEDULE]);
}
