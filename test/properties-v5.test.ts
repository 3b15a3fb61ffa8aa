// The property suite on v5: every property over generated scenarios and schedules.
import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { v5 as variant } from '../model/kernel/variants/v5.ts';
import { LARGE, scenarioArb, scheduleArb } from '../properties/arbitraries.ts';
import { PROPERTIES } from '../properties/properties.ts';
import { LARGE_RUNS, suiteProperty, suiteRuns } from '../properties/suite.ts';

describe(variant.name, () => {
  PROPERTIES.forEach((p, i) => {
    test.prop([scenarioArb(), scheduleArb], { numRuns: suiteRuns(p), seed: 1000 + i })(p, suiteProperty(variant, p));
  });
  test.prop([scenarioArb(LARGE), scheduleArb], { numRuns: LARGE_RUNS, seed: 7 })('large ranges: identical', suiteProperty(variant, 'identical'));
});
