// Run one property of one variant under fast-check, and shrink a failure to a minimal case.
import fc from 'fast-check';
import type { KernelConfig } from '../model/kernel/config.ts';
import type { Drains } from '../model/kernel/copy.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { type Schedule, UNTIL_DRAIN } from '../model/schedule.ts';
import { SMALL, type ScenarioBounds, scenarioArb, scheduleArb } from './arbitraries.ts';
import { type Evaluation, evaluate } from './evaluate.ts';
import { compareConfigs, minimizeInLattice } from './lattice.ts';
import { oneOptionScenarios } from './minimal.ts';
import { cachedFails } from './run-cache.ts';
import { type PropertyName, type Verdict, verdict } from './properties.ts';

export interface CheckOptions {
  readonly numRuns?: number;
  readonly seed?: number;
  readonly bounds?: ScenarioBounds;
  readonly drains?: Drains;
  /** fixed scenario parts, for example to pin one known bug while another is studied */
  readonly scenarioArb?: fc.Arbitrary<Scenario>;
  /**
   * After fast-check's shrink, search the lattice below the case for a smaller failing one
   * (properties/lattice.ts); default on. Off, the case is fast-check's local minimum.
   */
  readonly minimize?: boolean;
  /** build options fixed in every generated scenario (`--debug-vm on|off`) */
  readonly pin?: Partial<KernelConfig>;
}

export interface CheckResult {
  readonly variant: string;
  readonly property: PropertyName;
  readonly ok: boolean;
  readonly numRuns: number;
  readonly seed: number;
  /** drain sites removed for this check */
  readonly removedDrains: readonly string[];
  /** 1-based index of the first failing scenario */
  readonly failedAt?: number;
  readonly shrinks?: number;
  /** What the lattice minimization enumerated ("minimal within: ..."), and its steps to a smaller case. */
  readonly minimalWithin?: string;
  readonly latticeSteps?: number;
  /** fast-check's case was replaced by a smaller one a single build option away (lateralCase) */
  readonly lateral?: boolean;
  readonly counterexample?: { readonly scenario: Scenario; readonly schedule: Schedule };
  readonly evaluation?: Evaluation;
  readonly verdict?: Verdict;
}

export const DEFAULT_SEED = 0x6d656d; // "mem"

const pinned = (s: Scenario, pin: Partial<KernelConfig> | undefined): Scenario => (pin ? { ...s, kconfig: { ...s.kconfig, ...pin } } : s);

export function propertyArb(o: CheckOptions) {
  const scenarios = o.scenarioArb ?? scenarioArb(o.bounds ?? SMALL);
  return fc.tuple(o.pin ? scenarios.map((s) => pinned(s, o.pin)) : scenarios, scheduleArb);
}

/**
 * A failure smaller than fast-check's that it cannot shrink to: fast-check moves build options only
 * towards the typical build, so from a failure without an option it never reaches a smaller one
 * that needs it (v1 reads a streamed page in pageblock init at order 0, but only with DEBUG_VM).
 * The candidates: the smallest geometry with at most one build option changed (oneOptionScenarios()),
 * under the worst schedule. None when the caller fixes the scenarios.
 */
export function lateralCase(shrunk: Scenario, o: CheckOptions, fails: (s: Scenario) => boolean): Scenario | undefined {
  if (o.scenarioArb) return undefined;
  const seen = new Set<string>();
  for (const c of oneOptionScenarios().map((x) => pinned(x, o.pin))) {
    const key = JSON.stringify(c);
    if (seen.has(key)) continue;
    seen.add(key);
    if (compareConfigs(c, shrunk) < 0 && fails(c)) return c;
  }
  return undefined;
}

/** A property's verdict function: `verdict` itself, or one that sets known kernel bugs aside. */
export type Judge = (p: PropertyName, e: Evaluation) => Verdict;

/**
 * Search with fast-check, shrink, then minimize in the lattice (properties/lattice.ts); `tag` names
 * the judge for the run cache.
 */
export function searchProperty(v: Variant, p: PropertyName, o: CheckOptions, judge: Judge, tag: string): CheckResult {
  const seed = o.seed ?? DEFAULT_SEED;
  const numRuns = o.numRuns ?? 100;
  const fails = cachedFails(v, p, o.drains, tag, (e) => !judge(p, e).ok);
  const prop = fc.property(propertyArb(o), ([scenario, schedule]) => !fails(scenario, schedule));
  const d = fc.check(prop, { seed, numRuns, endOnFailure: false });
  const removedDrains = [...(o.drains?.removed ?? [])];
  if (!d.failed) return { variant: v.name, property: p, ok: true, numRuns: d.numRuns, seed, removedDrains };
  if (!d.counterexample) throw d.errorInstance ?? new Error(`${v.name}/${p}: property threw`);
  const [[shrunk, shrunkSchedule]] = d.counterexample;
  // a smaller failure one build option away, then the lattice below whichever is smaller
  const lateral = o.minimize === false ? undefined : lateralCase(shrunk, o, (c) => fails(c, UNTIL_DRAIN));
  const [found, foundSchedule] = lateral ? [lateral, UNTIL_DRAIN] : [shrunk, shrunkSchedule];
  // a pinned option (--debug-vm) holds in the reported case too: the lattice tries it at its
  // default, so configurations off the pin do not count
  const keepsPin = (s: Scenario) => !o.pin || Object.entries(o.pin).every(([k, x]) => s.kconfig[k as keyof KernelConfig] === x);
  const m = o.minimize === false ? null : minimizeInLattice({ scenario: found, schedule: foundSchedule }, (s, sch) => keepsPin(s) && fails(s, sch), p);
  const { scenario, schedule } = m ? m.case : { scenario: found, schedule: foundSchedule };
  const evaluation = evaluate(v, { scenario, schedule }, { drains: o.drains, trace: true });
  return {
    variant: v.name, property: p, ok: false, numRuns: d.numRuns, seed, removedDrains,
    failedAt: d.numRuns, shrinks: d.numShrinks, ...(lateral ? { lateral: true } : {}), counterexample: { scenario, schedule },
    ...(m ? { minimalWithin: m.within, latticeSteps: m.steps } : {}),
    evaluation, verdict: judge(p, evaluation),
  };
}

/** The property as such: every violation counts, known kernel bugs included. */
export function checkProperty(v: Variant, p: PropertyName, o: CheckOptions = {}): CheckResult {
  return searchProperty(v, p, o, verdict, 'raw');
}
