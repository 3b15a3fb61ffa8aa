// The property suite: every property on base-next, v3 and v5, over generated scenarios and schedules.
import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { baseNext } from '../model/kernel/variants/base-next.ts';
import { v3 } from '../model/kernel/variants/v3.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import { LARGE, scenarioArb, scheduleArb } from '../properties/arbitraries.ts';
import { evaluate } from '../properties/evaluate.ts';
import { PROPERTIES, type PropertyName } from '../properties/properties.ts';
import { LARGE_RUNS, SUITE_RUNS, suiteVerdict } from '../properties/suite.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { describeScenario } from '../model/kernel/describe.ts';

function holds(v: Variant, p: PropertyName) {
  return (scenario: Parameters<typeof describeScenario>[0], schedule: Parameters<typeof evaluate>[1]['schedule']) => {
    const r = suiteVerdict(v, p, evaluate(v, { scenario, schedule }));
    if (!r.ok) throw new Error([`${v.name} fails ${p}: ${describeScenario(scenario)}`, ...r.lines].join('\n'));
  };
}

describe.each([baseNext, v3, v5])('$name', (v) => {
  PROPERTIES.forEach((p, i) => {
    test.prop([scenarioArb(), scheduleArb], { numRuns: SUITE_RUNS, seed: 1000 + i })(p, holds(v, p));
  });
});

describe('large ranges (up to 600 pages, orders 0..18)', () => {
  test.prop([scenarioArb(LARGE), scheduleArb], { numRuns: LARGE_RUNS, seed: 7 })('v5 identical', holds(v5, 'identical'));
  test.prop([scenarioArb(LARGE), scheduleArb], { numRuns: LARGE_RUNS, seed: 8 })('v3 no-write-after-streaming', holds(v3, 'no-write-after-streaming'));
});
