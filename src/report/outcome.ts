// Pass, fail, or a failure wholly explained by known kernel bugs of the variant's base.
import type { Evaluation } from '../../properties/evaluate.ts';
import { explainedBy } from '../../properties/known-bugs.ts';
import type { PropertyName } from '../../properties/properties.ts';

export type Outcome = 'pass' | 'FAIL' | 'expected-fail';

export function evaluationOutcome(property: PropertyName, ok: boolean, e: Evaluation): Outcome {
  if (ok) return 'pass';
  if (property === 'invariants' && !e.run.crash) {
    const vs = e.invariants().violations;
    if (vs.length > 0 && vs.every((v) => explainedBy(e.variant.name, e.case.scenario, v))) return 'expected-fail';
  }
  return 'FAIL';
}

/** Upstream fixes of the known kernel bugs behind an evaluation's invariant violations. */
export function knownBugsOfEvaluation(e: Evaluation): string[] {
  const ids = new Set<string>();
  for (const v of e.invariants().violations) {
    const b = explainedBy(e.variant.name, e.case.scenario, v);
    if (b) ids.add(`"${b.fix}" (Fixes: ${b.fixes})`);
  }
  return [...ids];
}
