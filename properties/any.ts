// Any property, of DESIGN.md §5 or the extra ones: its verdict, a shrinking check, and a
// detection run that stops at the first failing scenario (for mutation testing).
import fc from 'fast-check';
import type { Drains } from '../model/kernel/copy.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { UNTIL_DRAIN } from '../model/schedule.ts';
import { type CheckOptions, type CheckResult, DEFAULT_SEED, lateralCase, propertyArb } from './check.ts';
import { type Evaluation, evaluate } from './evaluate.ts';
import { EXTRA_PROPERTIES, type ExtraPropertyName, extraVerdict } from './extra.ts';
import { expectedInvariantFailure } from './known-bugs.ts';
import { PROPERTIES, type PropertyName, type Verdict, verdict } from './properties.ts';

export type AnyPropertyName = PropertyName | ExtraPropertyName;
export const ALL_PROPERTIES: readonly AnyPropertyName[] = [...PROPERTIES, ...EXTRA_PROPERTIES];

export const isExtra = (p: AnyPropertyName): p is ExtraPropertyName => (EXTRA_PROPERTIES as readonly string[]).includes(p);

/**
 * The verdict of any property. `invariants` does not count violations that a known kernel bug of
 * the variant's base explains (a mutant of v3 inherits base-v7.1's bugs; they are not its own).
 */
export function anyVerdict(p: AnyPropertyName, e: Evaluation): Verdict {
  if (isExtra(p)) return extraVerdict(p, e);
  const r = verdict(p, e);
  if (r.ok || p !== 'invariants') return r;
  const lineage = [e.variant.reference ?? e.variant.name, e.variant.name];
  return expectedInvariantFailure(e, lineage) ? { ok: true, lines: [] } : r;
}

function evaluateFor(v: Variant, p: AnyPropertyName, c: Evaluation['case'], drains: Drains | undefined, trace = false): Evaluation {
  return evaluate(v, c, { drains, trace: trace || isExtra(p) });
}

/** A check result of any property; for a property of DESIGN.md §5 it is a CheckResult. */
export type AnyCheckResult<P extends AnyPropertyName = AnyPropertyName> = Omit<CheckResult, 'property'> & { readonly property: P };

/**
 * checkProperty() for any property, judged by anyVerdict(): the first failure, shrunk. For every
 * property but `invariants` of a variant whose base has known kernel bugs, this is checkProperty().
 */
export function checkAnyProperty<P extends AnyPropertyName>(v: Variant, p: P, o: CheckOptions = {}): AnyCheckResult<P> {
  const seed = o.seed ?? DEFAULT_SEED;
  const numRuns = o.numRuns ?? 100;
  const prop = fc.property(propertyArb(o), ([scenario, schedule]) => anyVerdict(p, evaluateFor(v, p, { scenario, schedule }, o.drains)).ok);
  const d = fc.check(prop, { seed, numRuns, endOnFailure: false });
  const removedDrains = [...(o.drains?.removed ?? [])];
  if (!d.failed) return { variant: v.name, property: p, ok: true, numRuns: d.numRuns, seed, removedDrains };
  if (!d.counterexample) throw d.errorInstance ?? new Error(`${v.name}/${p}: property threw`);
  const [[shrunk, shrunkSchedule]] = d.counterexample;
  const lateral = lateralCase(shrunk, o, (c) => !anyVerdict(p, evaluateFor(v, p, { scenario: c, schedule: UNTIL_DRAIN }, o.drains)).ok);
  const [scenario, schedule] = lateral ? [lateral, UNTIL_DRAIN] : [shrunk, shrunkSchedule];
  const evaluation = evaluateFor(v, p, { scenario, schedule }, o.drains, true);
  return {
    variant: v.name, property: p, ok: false, numRuns: d.numRuns, seed, removedDrains,
    failedAt: d.numRuns, shrinks: d.numShrinks, ...(lateral ? { lateral: true } : {}), counterexample: { scenario, schedule },
    evaluation, verdict: anyVerdict(p, evaluation),
  };
}

export interface Detection {
  readonly caught: boolean;
  /** 1-based index of the first failing generated scenario */
  readonly failedAt?: number;
  readonly numRuns: number;
}

/** Run generated scenarios until the first one fails `p` (no shrinking). */
export function detect(v: Variant, p: AnyPropertyName, o: CheckOptions = {}): Detection {
  const prop = fc.property(propertyArb(o), ([scenario, schedule]) => anyVerdict(p, evaluateFor(v, p, { scenario, schedule }, o.drains)).ok);
  const d = fc.check(prop, { seed: o.seed ?? DEFAULT_SEED, numRuns: o.numRuns ?? 100, endOnFailure: true });
  if (d.failed && !d.counterexample) throw d.errorInstance ?? new Error(`${v.name}/${p}: property threw`);
  return d.failed ? { caught: true, failedAt: d.numRuns, numRuns: d.numRuns } : { caught: false, numRuns: d.numRuns };
}
