// Point of view of a reviewer: a variant's own bug comes first. `invariants` of a variant whose base
// carries known kernel bugs is searched twice: first for a run with a violation of the variant's
// own (known ones set aside), shrunk and minimized on that; then as such, for the expected failure
// the base's bugs cause, listed after. Every other property is one search.
import type { Variant } from '../model/kernel/variants/types.ts';
import { checkAnyProperty } from './any.ts';
import { type CheckOptions, type CheckResult, checkProperty } from './check.ts';
import { expectedInvariantFailure, knownBugsOf } from './known-bugs.ts';
import type { PropertyName } from './properties.ts';

export interface OwnFirst {
  readonly property: PropertyName;
  /** The variant's own failure (or its pass): what the verdict and the exit code go by. */
  readonly own: CheckResult;
  /** A failure wholly explained by known kernel bugs of the base (expected-fail), else null. */
  readonly known: CheckResult | null;
}

export function checkOwnFirst(v: Variant, p: PropertyName, o: CheckOptions = {}): OwnFirst {
  const own = checkAnyProperty(v, p, o) as CheckResult;
  if (p !== 'invariants' || knownBugsOf(v).length === 0) return { property: p, own, known: null };
  const all = checkProperty(v, p, o);
  if (all.ok) return { property: p, own, known: null };
  const expected = all.evaluation && expectedInvariantFailure(all.evaluation) !== null;
  if (expected) return { property: p, own, known: all };
  // the search with every violation counted found an own one the first search missed
  return { property: p, own: own.ok ? all : own, known: null };
}

/** The results in the order a report lists them: each property's own, then the known ones. */
export function reportOrder(rs: readonly OwnFirst[]): CheckResult[] {
  return [...rs.map((r) => r.own), ...rs.flatMap((r) => (r.known ? [r.known] : []))];
}
