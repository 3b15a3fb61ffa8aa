// The exhaustive check of one configuration: every property, for every schedule, decided by one
// run under the worst-case schedule UNTIL_DRAIN (the reduction of docs/exhaustive.md). Pure.
import type { Drains } from '../model/kernel/copy.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import type { HazardClass, HazardKind } from '../model/hazards.ts';
import { UNTIL_DRAIN } from '../model/schedule.ts';
import { type Evaluation, evaluate } from './evaluate.ts';
import { expectedInvariantFailure } from './known-bugs.ts';
import { PROPERTIES, type PropertyName, verdict } from './properties.ts';

/** The schedule that decides every configuration (docs/exhaustive.md, "The reduction"). */
export const DECIDING_SCHEDULE = UNTIL_DRAIN;

export type PropertyOutcome = 'pass' | 'FAIL' | 'expected-fail';

export interface PropertyResult {
  readonly property: PropertyName;
  readonly outcome: PropertyOutcome;
  /** Why it failed, in kernel terms (empty when it passed). */
  readonly lines: readonly string[];
  /** Known kernel bugs (ids) behind an expected failure. */
  readonly knownBugs: readonly string[];
}

/** Where a hazard happens: enough to compare hazards across schedules (the conflicting store may differ). */
export interface HazardSite {
  readonly kind: HazardKind;
  readonly cls: HazardClass;
  readonly event: number;
  readonly op: 'load' | 'store' | 'publish';
  readonly addr: number;
  readonly size: number;
}

export interface ConfigResult {
  readonly results: readonly PropertyResult[];
  /** Properties that fail for some schedule, not explained by a known kernel bug. */
  readonly violated: readonly PropertyName[];
  /**
   * The deciding run had a write-after-streaming hazard: the configuration fails, and the other
   * properties' verdicts are U's (real, but another schedule may fail more; docs/exhaustive.md).
   */
  readonly writeAfterStreaming: boolean;
  /** Struct pages the variant initialized. */
  readonly structPages: number;
}

/** The outcome of one property on an evaluation, with known kernel bugs of the variant's base tolerated. */
export function propertyResult(p: PropertyName, e: Evaluation): PropertyResult {
  const v = verdict(p, e);
  if (v.ok) return { property: p, outcome: 'pass', lines: [], knownBugs: [] };
  const bugs = p === 'invariants' ? expectedInvariantFailure(e) : null;
  if (bugs) return { property: p, outcome: 'expected-fail', lines: v.lines, knownBugs: bugs.map((b) => b.id) };
  return { property: p, outcome: 'FAIL', lines: v.lines, knownBugs: [] };
}

/** Every property of one configuration, for all schedules (docs/exhaustive.md). */
export function checkConfiguration(v: Variant, scenario: Scenario, drains?: Drains): ConfigResult {
  // traced: instrumented, init-once and in-range read the stores (a read hazard aside, the same for
  // every schedule: no load sees a pending byte, so every schedule issues the same stores)
  const e = evaluate(v, { scenario, schedule: DECIDING_SCHEDULE }, { drains, trace: true });
  const results = PROPERTIES.map((p) => propertyResult(p, e));
  return {
    results,
    violated: results.filter((r) => r.outcome === 'FAIL').map((r) => r.property),
    writeAfterStreaming: e.hazards('write-after-streaming').length > 0,
    structPages: e.run.image.pfns.length,
  };
}

/** The sites of an evaluation's hazards (every kind, in event order). */
export function hazardSites(e: Evaluation): HazardSite[] {
  return e.run.end.hazards
    .map((h) => ({ kind: h.kind, cls: h.cls, event: h.eventIndex, op: h.access.op, addr: h.access.addr, size: h.access.size }))
    .sort((a, b) => a.event - b.event || a.kind.localeCompare(b.kind));
}
