// The property suite as data, shared by `npm test` and `memmap-check` (main job).
import { describeScenario } from '../model/kernel/describe.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import type { Schedule } from '../model/schedule.ts';
import { type Evaluation, evaluate } from './evaluate.ts';
import { IMAGE_PROPERTIES, type PropertyName, type Verdict, verdict } from './properties.ts';
import { EXTRA_PROPERTIES } from './extra.ts';
import { expectedInvariantFailure } from './known-bugs.ts';

/** Runs per (variant, property) in `npm test`: 3 variants x 5 image properties x 700 = 10,500 scenarios. */
export const SUITE_RUNS = 700;
/** Runs per (variant, property) for instrumented, init-once and in-range: traced runs, and rarer bugs. */
export const EXTRA_SUITE_RUNS = 100;

export const suiteRuns = (p: PropertyName): number => ((EXTRA_PROPERTIES as readonly string[]).includes(p) ? EXTRA_SUITE_RUNS : SUITE_RUNS);

/** Runs of the large-size property (ranges of up to 64 compound or order-0 pages: LARGE). */
export const LARGE_RUNS = 25;

/**
 * The verdict `npm test` requires of a variant: the property itself, except that `invariants`
 * tolerates violations explained by a known kernel bug the variant's base still has (those are
 * asserted separately, as expected failures naming the upstream fix).
 */
export function suiteVerdict(_v: Variant, p: PropertyName, e: Evaluation): Verdict {
  if (p === 'invariants' && expectedInvariantFailure(e)) return { ok: true, lines: [] };
  return verdict(p, e);
}

/** The predicate `npm test` runs: throws a readable, kernel-terms message on failure. */
export function suiteProperty(v: Variant, p: PropertyName): (scenario: Scenario, schedule: Schedule) => void {
  return (scenario, schedule) => {
    const traced = (EXTRA_PROPERTIES as readonly string[]).includes(p);
    const r = suiteVerdict(v, p, evaluate(v, { scenario, schedule }, { trace: traced }));
    if (!r.ok) throw new Error([`${v.name} fails ${p}: ${describeScenario(scenario)}`, ...r.lines].join('\n'));
  };
}

export { IMAGE_PROPERTIES };

/**
 * suiteProperty() for several properties sharing each run: one execution per generated case,
 * judged by every property in `ps` (each still sees every case; a failure names its property).
 */
export function suiteProperties(v: Variant, ps: readonly PropertyName[]): (scenario: Scenario, schedule: Schedule) => void {
  const traced = ps.some((p) => (EXTRA_PROPERTIES as readonly string[]).includes(p));
  return (scenario, schedule) => {
    const e = evaluate(v, { scenario, schedule }, { trace: traced });
    for (const p of ps) {
      const r = suiteVerdict(v, p, e);
      if (!r.ok) throw new Error([`${v.name} fails ${p}: ${describeScenario(scenario)}`, ...r.lines].join('\n'));
    }
  };
}
