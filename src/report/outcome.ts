// Pass, fail, or a failure wholly explained by known kernel bugs of the variant's base.
import type { Evaluation } from '../../properties/evaluate.ts';
import { expectedInvariantFailure } from '../../properties/known-bugs.ts';
import type { PropertyName } from '../../properties/properties.ts';

export type Outcome = 'pass' | 'FAIL' | 'expected-fail';

export function evaluationOutcome(property: PropertyName, ok: boolean, e: Evaluation): Outcome {
  if (ok) return 'pass';
  return property === 'invariants' && expectedInvariantFailure(e) ? 'expected-fail' : 'FAIL';
}

/** Upstream fixes of the known kernel bugs behind an expected invariants failure (else none). */
export function knownBugsOfEvaluation(e: Evaluation): string[] {
  return (expectedInvariantFailure(e) ?? []).map((b) => `"${b.fix}" (Fixes: ${b.fixes})`);
}
