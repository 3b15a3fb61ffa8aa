// Check a batch of configurations and tally them: the work one worker (or the main thread) does.
import { describeScenario } from '../../model/kernel/describe.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import type { Configuration } from '../../properties/exhaustive-configs.ts';
import { DECIDING_SCHEDULE, checkConfiguration } from '../../properties/exhaustive.ts';
import { encodeToken } from '../report/token.ts';
import { TELLING_ORDER, type Tally, type ViolationReport, addFingerprint, emptyTally, fingerprintOf, mergeTallies } from './tally.ts';

export interface SweepTarget {
  readonly variant: Variant;
  /** What --variant named: a shipped variant's name or a file path (for replay tokens). */
  readonly variantArg: string;
  /** Drain sites removed from the variant. */
  readonly removed: readonly string[];
  /** Drain points added (drain synthesis verifies a placement this way). */
  readonly added?: readonly string[];
}

/** A configuration the model could not run (a broken variant module); the message is one line. */
export class SweepError extends Error {
  override readonly name = 'SweepError';
}

export function checkBatch(t: SweepTarget, batch: readonly Configuration[]): Tally {
  const drains = { removed: new Set(t.removed), ...(t.added?.length ? { added: new Set(t.added) } : {}) };
  const byProperty = { ...emptyTally().byProperty };
  const knownBugs: Record<string, number> = {};
  const first: ViolationReport[] = [];
  let structPages = 0;
  let violations = 0;
  let expectedFailures = 0;
  let fingerprint = 0;
  for (const c of batch) {
    let r: ReturnType<typeof checkConfiguration>;
    try {
      r = checkConfiguration(t.variant, c.scenario, drains);
    } catch (e) {
      const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      throw new SweepError(`configuration #${c.index} (${describeScenario(c.scenario)}): ${t.variantArg} threw: ${msg}`);
    }
    structPages += r.structPages;
    fingerprint = addFingerprint(fingerprint, fingerprintOf(c.index, r.results.map((x) => x.outcome)));
    for (const p of r.violated) byProperty[p]++;
    if (r.violated.length > 0) {
      violations++;
      if (r.violated.some((p) => !first.some((f) => f.failures.some((x) => x.property === p)))) {
        // the first configuration of this batch to violate one of these properties
        const failures = TELLING_ORDER.flatMap((p) => r.results.filter((x) => x.property === p && x.outcome === 'FAIL'))
          .map((x) => ({ property: x.property, lines: x.lines }));
        const token = encodeToken({
          variant: t.variantArg, property: failures[0]!.property, scenario: c.scenario, schedule: DECIDING_SCHEDULE,
          removed: [...t.removed], added: [...(t.added ?? [])],
        });
        first.push({ index: c.index, scenario: c.scenario, config: describeScenario(c.scenario), failures, token });
      }
    } else if (r.results.some((x) => x.outcome === 'expected-fail')) {
      expectedFailures++;
      for (const id of new Set(r.results.flatMap((x) => x.knownBugs))) knownBugs[id] = (knownBugs[id] ?? 0) + 1;
    }
  }
  return mergeTallies(emptyTally(), {
    configurations: batch.length, structPages, violations, expectedFailures, byProperty, knownBugs, fingerprint, first,
  });
}
