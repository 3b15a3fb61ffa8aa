// The property suite on base-next: every property over generated scenarios and schedules.
import { test } from '@fast-check/vitest';
import { describe } from 'vitest';
import { baseNext as variant } from '../model/kernel/variants/base-next.ts';
import { scenarioArb, scheduleArb } from '../properties/arbitraries.ts';
import { EXTRA_PROPERTIES } from '../properties/extra.ts';
import { IMAGE_PROPERTIES, SUITE_RUNS, suiteProperties, suiteProperty, suiteRuns } from '../properties/suite.ts';

describe(variant.name, () => {
  // the image properties share each run: SUITE_RUNS cases, each judged by all five
  test.prop([scenarioArb(), scheduleArb], { numRuns: SUITE_RUNS, seed: 1000 })(IMAGE_PROPERTIES.join(', '), suiteProperties(variant, IMAGE_PROPERTIES));
  EXTRA_PROPERTIES.forEach((p, i) => {
    test.prop([scenarioArb(), scheduleArb], { numRuns: suiteRuns(p), seed: 1005 + i })(p, suiteProperty(variant, p));
  });
});
