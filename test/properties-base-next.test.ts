// The property suite on base-next: every property over generated scenarios and schedules.
import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { baseNext as variant } from '../model/kernel/variants/base-next.ts';
import { scenarioArb, scheduleArb } from '../properties/arbitraries.ts';
import { PROPERTIES } from '../properties/properties.ts';
import { suiteProperty, suiteRuns } from '../properties/suite.ts';

describe(variant.name, () => {
  PROPERTIES.forEach((p, i) => {
    test.prop([scenarioArb(), scheduleArb], { numRuns: suiteRuns(p), seed: 1000 + i })(p, suiteProperty(variant, p));
  });
});
