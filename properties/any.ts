// Any property, of DESIGN.md §5 or the extra ones: its verdict, a shrinking check, and a
// detection run that stops at the first failing scenario (for mutation testing).
import fc from 'fast-check';
import type { Variant } from '../model/kernel/variants/types.ts';
import { type CheckOptions, type CheckResult, DEFAULT_SEED, propertyArb, searchProperty } from './check.ts';
import type { Evaluation } from './evaluate.ts';
import { EXTRA_PROPERTIES, type ExtraPropertyName } from './extra.ts';
import { cachedFails } from './run-cache.ts';
import { expectedInvariantFailure } from './known-bugs.ts';
import { PROPERTIES, type PropertyName, type Verdict, verdict } from './properties.ts';

/** Every property is first-class now (properties.ts): the names stay for existing callers. */
export type AnyPropertyName = PropertyName;
export const ALL_PROPERTIES: readonly AnyPropertyName[] = PROPERTIES;

export const isExtra = (p: AnyPropertyName): p is ExtraPropertyName => (EXTRA_PROPERTIES as readonly string[]).includes(p);

/**
 * The verdict of any property. `invariants` does not count violations that a known kernel bug of
 * the variant's base explains (a mutant of v3 inherits base-v7.1's bugs; they are not its own).
 */
export function anyVerdict(p: AnyPropertyName, e: Evaluation): Verdict {
  const r = verdict(p, e);
  if (r.ok || p !== 'invariants') return r;
  return expectedInvariantFailure(e) ? { ok: true, lines: [] } : r;
}

/** A check result of any property; every property is a PropertyName now, so it is a CheckResult. */
export type AnyCheckResult<P extends AnyPropertyName = AnyPropertyName> = Omit<CheckResult, 'property'> & { readonly property: P };

/**
 * checkProperty() judged by anyVerdict(): the first failure that is the variant's own, shrunk and
 * minimized in the lattice. For every property but `invariants` of a variant whose base has known
 * kernel bugs, this is checkProperty().
 */
export function checkAnyProperty<P extends AnyPropertyName>(v: Variant, p: P, o: CheckOptions = {}): AnyCheckResult<P> {
  return searchProperty(v, p, o, anyVerdict, 'own') as AnyCheckResult<P>;
}

export interface Detection {
  readonly caught: boolean;
  /** 1-based index of the first failing generated scenario */
  readonly failedAt?: number;
  readonly numRuns: number;
}

/** Run generated scenarios until the first one fails `p` (no shrinking). */
export function detect(v: Variant, p: AnyPropertyName, o: CheckOptions = {}): Detection {
  const fails = cachedFails(v, p, o.drains, 'own', (e) => !anyVerdict(p, e).ok);
  const prop = fc.property(propertyArb(o), ([scenario, schedule]) => !fails(scenario, schedule));
  const d = fc.check(prop, { seed: o.seed ?? DEFAULT_SEED, numRuns: o.numRuns ?? 100, endOnFailure: true });
  if (d.failed && !d.counterexample) throw d.errorInstance ?? new Error(`${v.name}/${p}: property threw`);
  return d.failed ? { caught: true, failedAt: d.numRuns, numRuns: d.numRuns } : { caught: false, numRuns: d.numRuns };
}
