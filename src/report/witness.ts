// The passing witness: the smallest change that makes the same case pass, so a reviewer sees
// what the failure depends on. A drain put back is the best witness; without one, the report
// says honestly what the failure does not depend on.
import type { Drains } from '../../model/kernel/copy.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { type Case, evaluate, referenceOf } from '../../properties/evaluate.ts';
import { type PropertyName, verdict } from '../../properties/properties.ts';
import type { Counterexample } from './counterexample.ts';
import type { Witness } from './explanation.ts';

export interface DrainChange {
  readonly change: 'restored' | 'added';
  readonly site: string;
  readonly where: string;
  readonly drains: Drains;
}

/** Each removed drain put back, then each empty drain point filled, one at a time. */
export function drainChanges(v: Variant, cx: Pick<Counterexample, 'removed' | 'added'>): DrainChange[] {
  const removed = cx.removed.map((site) => ({
    change: 'restored' as const, site, where: v.drainSites.find((d) => d.name === site)?.where ?? '',
    drains: { removed: new Set(cx.removed.filter((x) => x !== site)), added: new Set(cx.added) },
  }));
  const added = (v.drainPoints ?? []).filter((d) => !cx.added.includes(d.name)).map((d) => ({
    change: 'added' as const, site: d.name, where: d.where,
    drains: { removed: new Set(cx.removed), added: new Set([...cx.added, d.name]) },
  }));
  return [...removed, ...added];
}

export interface FoundWitness {
  readonly witness: Witness;
  /** the drain put back, for a drain witness */
  readonly change: DrainChange | null;
}

export function findWitness(v: Variant, p: PropertyName, c: Case, cx: Counterexample, drains: Drains): FoundWitness {
  const passes = (variant: Variant, cs: Case, d: Drains) => verdict(p, evaluate(variant, cs, { drains: d })).ok;
  for (const d of drainChanges(v, cx)) {
    if (passes(v, c, d.drains)) return { witness: { kind: 'drain', change: d.change, site: d.site, where: d.where }, change: d };
  }
  const ref = referenceOf(v);
  // `identical` compares against the reference itself: it passes by definition, so say so
  const tautological = p === 'identical';
  const referencePasses = tautological || passes(ref, { scenario: c.scenario, schedule: LAND_AT_ONCE }, { removed: new Set() });
  const late = c.schedule.base !== 0 || c.schedule.late.some(([, d]) => d !== 0);
  if (late && passes(v, { scenario: c.scenario, schedule: LAND_AT_ONCE }, drains)) {
    return { witness: { kind: 'at-once', reference: ref.name, referencePasses }, change: null };
  }
  return { witness: { kind: 'reference', reference: ref.name, referencePasses, tautological }, change: null };
}
