// The JSON report: versioned documents, described in docs/report-schema.md and checked against
// docs/counterexample.schema.json and docs/check-results.schema.json by test/report-json.test.ts.
// A counterexample document is also what `check --save` writes and `replay file.json` reads.
import { costFields } from '../cost/format.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Delay, Schedule } from '../../model/schedule.ts';
import type { CheckResult } from '../../properties/check.ts';
import type { PropertyName } from '../../properties/properties.ts';
import type { Outcome } from './outcome.ts';
import type { Explanation, FieldDiff, HazardInfo, Step, Witness } from './explanation.ts';
import type { Provenance } from './text-report.ts';

/** Bump on any change a reader could notice; additions of optional fields included. */
export const REPORT_SCHEMA_VERSION = 1;
export const COUNTEREXAMPLE_SCHEMA = 'memmap-check/counterexample';
export const CHECK_RESULT_SCHEMA = 'memmap-check/check-result';

export interface ScheduleJson {
  readonly base: Delay;
  readonly late: readonly (readonly [number, Delay])[];
}

export interface CounterexampleDoc {
  readonly schema: typeof COUNTEREXAMPLE_SCHEMA;
  readonly version: typeof REPORT_SCHEMA_VERSION;
  /** what replay loads: a shipped variant's name, or the path of a .ts module */
  readonly variant: string;
  readonly variantName: string;
  readonly reference: string;
  readonly property: PropertyName;
  readonly outcome: Outcome;
  readonly scenario: Scenario;
  readonly config: string;
  /** the copy backend of this build, for variants whose backend depends on it (v1) */
  readonly backend?: Explanation['backend'];
  readonly schedule: ScheduleJson;
  readonly scheduleText: string;
  readonly originalSchedule: ScheduleJson;
  readonly drains: { readonly removed: readonly string[]; readonly added: readonly string[] };
  readonly hazard: HazardInfo | null;
  readonly otherHazards: Explanation['otherHazards'];
  readonly timeline: readonly (Step & { readonly step: number })[];
  readonly unwritten: readonly string[];
  readonly diff: FieldDiff;
  readonly witness: Witness | null;
  readonly knownBugs: readonly string[];
  readonly verdict: readonly string[];
  readonly token: string;
  readonly cost?: ReturnType<typeof costFields>;
  readonly found?: Provenance;
}

export interface CheckResultDoc {
  readonly schema: typeof CHECK_RESULT_SCHEMA;
  readonly version: typeof REPORT_SCHEMA_VERSION;
  readonly variant: string;
  readonly property: PropertyName;
  readonly outcome: Outcome;
  readonly numRuns: number;
  readonly seed: number;
  readonly removedDrains: readonly string[];
  readonly counterexample: CounterexampleDoc | null;
}

const scheduleJson = (s: Schedule): ScheduleJson => ({ base: s.base, late: s.late.map(([k, d]) => [k, d] as const) });

export function counterexampleDoc(x: Explanation, found?: Provenance): CounterexampleDoc {
  return {
    schema: COUNTEREXAMPLE_SCHEMA,
    version: REPORT_SCHEMA_VERSION,
    variant: x.cx.variant,
    variantName: x.variantName,
    reference: x.reference,
    property: x.cx.property,
    outcome: x.outcome,
    scenario: x.cx.scenario,
    config: x.config,
    ...(x.backend ? { backend: x.backend } : {}),
    schedule: scheduleJson(x.cx.schedule),
    scheduleText: x.scheduleText,
    originalSchedule: scheduleJson(x.originalSchedule),
    drains: { removed: [...x.cx.removed], added: [...x.cx.added] },
    hazard: x.hazard,
    otherHazards: x.otherHazards,
    timeline: x.steps.map((s, i) => ({ step: i + 1, ...s })),
    unwritten: x.unwritten,
    diff: x.diff,
    witness: x.witness,
    knownBugs: x.knownBugs,
    verdict: x.verdict,
    token: x.token,
    cost: costFields(x.cost),
    ...(found ? { found } : {}),
  };
}

export function checkResultDoc(r: CheckResult, outcome: Outcome, counterexample: CounterexampleDoc | null): CheckResultDoc {
  return {
    schema: CHECK_RESULT_SCHEMA, version: REPORT_SCHEMA_VERSION, variant: r.variant, property: r.property, outcome,
    numRuns: r.numRuns, seed: r.seed, removedDrains: r.removedDrains, counterexample,
  };
}
