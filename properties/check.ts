// Run one property of one variant under fast-check, and shrink a failure to a minimal case.
import fc from 'fast-check';
import type { KernelConfig } from '../model/kernel/config.ts';
import type { Drains } from '../model/kernel/copy.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { type Schedule, UNTIL_DRAIN } from '../model/schedule.ts';
import { SMALL, type ScenarioBounds, scenarioArb, scheduleArb } from './arbitraries.ts';
import { type Evaluation, evaluate } from './evaluate.ts';
import { oneOptionScenarios, smallerScenario } from './minimal.ts';
import { type PropertyName, type Verdict, verdict } from './properties.ts';

export interface CheckOptions {
  readonly numRuns?: number;
  readonly seed?: number;
  readonly bounds?: ScenarioBounds;
  readonly drains?: Drains;
  /** fixed scenario parts, for example to pin one known bug while another is studied */
  readonly scenarioArb?: fc.Arbitrary<Scenario>;
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
  /** The shrunk case was replaced by a smaller one-option case (oneOptionScenarios()). */
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
 * A failure smaller than the shrunk one that fast-check cannot shrink to: the smallest geometry
 * with at most one build option off the typical build (oneOptionScenarios()), under the worst
 * schedule. None when the scenarios are fixed by the caller.
 */
export function lateralCase(shrunk: Scenario, o: CheckOptions, fails: (s: Scenario) => boolean): Scenario | undefined {
  if (o.scenarioArb) return undefined;
  const seen = new Set<string>();
  for (const c of oneOptionScenarios().map((x) => pinned(x, o.pin))) {
    const key = JSON.stringify(c);
    if (seen.has(key)) continue;
    seen.add(key);
    if (smallerScenario(c, shrunk) && fails(c)) return c;
  }
  return undefined;
}

export function checkProperty(v: Variant, p: PropertyName, o: CheckOptions = {}): CheckResult {
  const seed = o.seed ?? DEFAULT_SEED;
  const numRuns = o.numRuns ?? 100;
  const prop = fc.property(propertyArb(o), ([scenario, schedule]) =>
    verdict(p, evaluate(v, { scenario, schedule }, { drains: o.drains })).ok);
  const d = fc.check(prop, { seed, numRuns, endOnFailure: false });
  const removedDrains = [...(o.drains?.removed ?? [])];
  if (!d.failed) return { variant: v.name, property: p, ok: true, numRuns: d.numRuns, seed, removedDrains };
  if (!d.counterexample) throw d.errorInstance ?? new Error(`${v.name}/${p}: property threw`);
  const [[shrunk, shrunkSchedule]] = d.counterexample;
  // a smaller failure fast-check cannot shrink to: one build option away from the typical build
  const lateral = lateralCase(shrunk, o, (c) => !verdict(p, evaluate(v, { scenario: c, schedule: UNTIL_DRAIN }, { drains: o.drains })).ok);
  const [scenario, schedule] = lateral ? [lateral, UNTIL_DRAIN] : [shrunk, shrunkSchedule];
  const evaluation = evaluate(v, { scenario, schedule }, { drains: o.drains, trace: true });
  return {
    variant: v.name, property: p, ok: false, numRuns: d.numRuns, seed, removedDrains,
    failedAt: d.numRuns, shrinks: d.numShrinks, ...(lateral ? { lateral: true } : {}), counterexample: { scenario, schedule },
    evaluation, verdict: verdict(p, evaluation),
  };
}
