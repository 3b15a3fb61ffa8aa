// The property suite on v3: every property over generated scenarios and schedules.
import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { budget } from './budget.ts';
import { v3 as variant } from '../model/kernel/variants/v3.ts';
import { LARGE, scenarioArb, scheduleArb } from '../properties/arbitraries.ts';
import { EXTRA_PROPERTIES } from '../properties/extra.ts';
import { IMAGE_PROPERTIES, LARGE_RUNS, SUITE_RUNS, suiteProperties, suiteProperty, suiteRuns } from '../properties/suite.ts';

describe(variant.name, () => {
  // the image properties share each run: each case judged by all five (SUITE_RUNS cases under test:full)
  test.prop([scenarioArb(), scheduleArb], { numRuns: budget(250, SUITE_RUNS), seed: 1000 })(IMAGE_PROPERTIES.join(', '), suiteProperties(variant, IMAGE_PROPERTIES));
  EXTRA_PROPERTIES.forEach((p, i) => {
    test.prop([scenarioArb(), scheduleArb], { numRuns: budget(50, suiteRuns(p)), seed: 1005 + i })(p, suiteProperty(variant, p));
  });
  test.prop([scenarioArb(LARGE), scheduleArb], { numRuns: budget(10, LARGE_RUNS), seed: 8 })('large ranges: no-write-after-streaming', suiteProperty(variant, 'no-write-after-streaming'));
});
