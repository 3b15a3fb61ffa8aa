// Point of view of a reviewer: a variant's own bug comes first. `invariants` of a variant whose base
// carries known kernel bugs is searched twice: first for a run with a violation of the variant's
// own (known ones set aside), shrunk and minimized on that; then as such, for the expected failure
// the base's bugs cause, listed after. Every other property is one search.
import type { Variant } from '../model/kernel/variants/types.ts';
import { checkAnyProperty } from './any.ts';
import { type CheckOptions, type CheckResult, searchProperty } from './check.ts';
import type { Evaluation } from './evaluate.ts';
import { explainInvariants, knownBugsOf } from './known-bugs.ts';
import { type PropertyName, type Verdict, verdict } from './properties.ts';

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
  // the smallest run in which a known bug of the base shows (own violations may show with it)
  const known = searchProperty(v, p, o, knownOnly, 'known');
  if (known.ok) return { property: p, own, known: null };
  // the first search missed an own violation that this run shows: it is the verdict
  if (own.ok && explainInvariants([v], known.counterexample!.scenario, known.evaluation!.run.image).unexplained > 0) {
    return { property: p, own: known, known: null };
  }
  return { property: p, own, known };
}

/** `invariants` failing through the known kernel bugs of the base: the other violations aside. */
function knownOnly(p: PropertyName, e: Evaluation): Verdict {
  if (p !== 'invariants' || e.run.crash) return { ok: true, lines: [] };
  const { bugs } = explainInvariants([e.variant], e.case.scenario, e.run.image);
  return bugs.length === 0 ? { ok: true, lines: [] } : verdict(p, e);
}

/** The results in the order a report lists them: each property's own, then the known ones. */
export function reportOrder(rs: readonly OwnFirst[]): CheckResult[] {
  return [...rs.map((r) => r.own), ...rs.flatMap((r) => (r.known ? [r.known] : []))];
}
