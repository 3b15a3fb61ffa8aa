// Drain necessity, maximally permissive: remove each drain site of a variant in turn, and each
// pair, and check what breaks. A site is necessary when some property that holds with every drain
// in place fails without it; otherwise it is "not shown necessary" within the scenarios tried.
// Removing drains only widens what the schedules can do (a pending store may land later), so a
// pair holding a necessary site is necessary; pairs of unneeded sites show whether they can go
// together.
import fc from 'fast-check';
import type { KernelConfig } from '../model/kernel/config.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { checkAnyProperty } from './any.ts';
import { type CheckResult, DEFAULT_SEED } from './check.ts';
import { type Proof, boundsText, proveUnneeded } from './drain-proof.ts';
import type { Bounds } from './exhaustive-configs.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { compareConfigs } from './lattice.ts';
import { failingInSmallScope } from './minimal.ts';
import { PROPERTIES, type PropertyName } from './properties.ts';

/**
 * Properties in the order a drain's purpose shows first: the hazards, then what they corrupt. The
 * baseline checks all eight; instrumented, init-once and in-range are not judged per removal: they
 * depend only on the stores a variant issues, which a drain changes only if a load reads pending
 * bytes, and that is already a no-read-after-streaming failure.
 */
export const NECESSITY_ORDER: readonly PropertyName[] = [
  'no-read-after-streaming', 'no-write-after-streaming', 'published-clean', 'identical', 'invariants',
];

export interface DrainVerdict {
  /** The removed drain sites (one, or a pair). */
  readonly removed: readonly string[];
  readonly necessary: boolean;
  /** Failing properties, each with its shrunk counterexample. */
  readonly failures: readonly CheckResult[];
  /** The failure with the smallest counterexample (the one to show). */
  readonly primary: CheckResult | null;
  /** Hazard classes the removal opens: "write-after-streaming (folio-alias)". */
  readonly opens: readonly string[];
  /** Properties checked, and scenarios generated per property. */
  readonly checked: readonly PropertyName[];
  readonly scenarios: number;
  /** The exhaustive check of a removal not shown necessary (null when not run). */
  readonly proof: Proof | null;
  /** The bounds within which "not necessary" is proven, in words (null when not proven). */
  readonly provenWithin: string | null;
  /**
   * Failing properties that hold on every kernel built without CONFIG_DEBUG_VM (rechecked with
   * DEBUG_VM pinned off); null when not asked (DrainOptions.splitDebugVm) or not necessary.
   */
  readonly debugVmOnly: readonly PropertyName[] | null;
}

export interface DrainAnalysis {
  readonly variant: string;
  readonly numRuns: number;
  readonly seed: number;
  /** Drain points filled for the whole analysis. */
  readonly added: readonly string[];
  /** Every property with all drains in place (`invariants` sets known kernel bugs of the base aside). */
  readonly baseline: readonly CheckResult[];
  /** The properties that hold with every drain: necessity is judged on these. */
  readonly judged: readonly PropertyName[];
  readonly singles: readonly DrainVerdict[];
  readonly pairs: readonly DrainVerdict[];
}

export interface DrainOptions {
  readonly numRuns?: number;
  readonly seed?: number;
  /** Drain points to fill first (Drains.added): judge a variant as it would be with them. */
  readonly added?: ReadonlySet<string>;
  /** Bounds of the exhaustive check of each removal not shown necessary; null: none. */
  readonly prove?: Bounds | null;
  /** Minimize each failure in the lattice (default); off when only the verdicts count. */
  readonly minimize?: boolean;
  /** Called before each check, for progress output. */
  readonly onCheck?: (removed: readonly string[], p: PropertyName) => void;
  /** Build options fixed in every generated scenario (`--debug-vm on|off`). */
  readonly pin?: Partial<KernelConfig>;
  /** For each necessary single removal, find which failures need CONFIG_DEBUG_VM. */
  readonly splitDebugVm?: boolean;
  /**
   * Only whether each single removal is necessary (the main job's column): stop at its first
   * failing property and skip the pairs. The verdicts are the same; the failure lists are not full.
   */
  readonly necessityOnly?: boolean;
}

/** The order of properties/lattice.ts: vmemmap order, struct pages written, fields off the typical config. */
const smaller = (a: Scenario, b: Scenario): boolean => compareConfigs(a, b) < 0;

/** "write-after-streaming (folio-alias)" for a failing hazard property, null for the others. */
export function hazardClassOf(r: CheckResult): string | null {
  const kind = r.property === 'no-read-after-streaming' ? 'read-after-streaming'
    : r.property === 'no-write-after-streaming' ? 'write-after-streaming'
    : r.property === 'published-clean' ? 'unpublished' : null;
  if (!kind || !r.evaluation) return null;
  const h = r.evaluation.hazards(kind)[0];
  if (!h) return null;
  return kind === 'unpublished' ? 'unpublished' : `${kind} (${h.cls})`;
}

type Resolved = { readonly numRuns: number; readonly seed: number; readonly added: ReadonlySet<string> } & DrainOptions;

function verdictOf(v: Variant, removed: readonly string[], judged: readonly PropertyName[], o: Resolved, stopAtFirst: boolean): DrainVerdict {
  const drains = { removed: new Set(removed), added: o.added };
  const failures: CheckResult[] = [];
  const checked: PropertyName[] = [];
  for (const p of judged) {
    o.onCheck?.(removed, p);
    let r: CheckResult = checkAnyProperty(v, p, { numRuns: o.numRuns, seed: o.seed, drains, minimize: o.minimize, pin: o.pin });
    if (r.ok) {
      // random scenarios rarely hit the small cases a build option opens (DEBUG_VM's read of a
      // streamed pageblock start): try the small scope too, then report that case as found
      const small = failingInSmallScope(v, p, drains, o.pin);
      if (small) r = checkAnyProperty(v, p, { numRuns: 1, seed: o.seed, drains, minimize: o.minimize, scenarioArb: fc.constant(small), pin: o.pin });
    }
    checked.push(p);
    if (!r.ok) {
      failures.push(r);
      if (stopAtFirst) break;
    }
  }
  let proof: Proof | null = null;
  if (failures.length === 0 && o.prove) {
    proof = proveUnneeded(v, removed, o.added, judged, o.prove);
    if (proof.failing) {
      // the generated scenarios missed it: check the configuration the sweep found, for its schedule
      const { scenario, property } = proof.failing;
      const r: CheckResult = checkAnyProperty(v, property, { numRuns: o.numRuns, seed: o.seed, drains, scenarioArb: fc.constant(scenario), pin: o.pin });
      if (!r.ok) failures.push(r);
    }
  }
  let primary: CheckResult | null = null;
  for (const f of failures) if (!primary || smaller(f.counterexample!.scenario, primary.counterexample!.scenario)) primary = f;
  const opens = [...new Set(failures.map(hazardClassOf).filter((x): x is string => x !== null))];
  const provenWithin = proof?.holds
    ? `${proof.configurations} configurations (${boundsText(proof.bounds)}; every pgmap type, altmap, alignment, early_section ` +
      'and nid), each for every schedule (docs/exhaustive.md)'
    : null;
  const necessary = failures.length > 0 || proof?.holds === false;
  const debugVmOnly = o.splitDebugVm && necessary && o.pin?.debugVm === undefined
    ? failures.filter((f) => f.counterexample!.scenario.kconfig.debugVm &&
      checkAnyProperty(v, f.property, { numRuns: o.numRuns, seed: o.seed, drains, pin: { ...o.pin, debugVm: false } }).ok &&
      failingInSmallScope(v, f.property, drains, { ...o.pin, debugVm: false }) === null).map((f) => f.property)
    : null;
  return { removed, necessary, failures, primary, opens, checked, scenarios: o.numRuns, proof, provenWithin, debugVmOnly };
}

/** Every property with all drains in place, judged as `check` judges a variant's own failures. */
export function drainBaseline(v: Variant, opts: DrainOptions = {}): CheckResult[] {
  return PROPERTIES.map((p) => {
    opts.onCheck?.([], p);
    return checkAnyProperty(v, p, {
      numRuns: opts.numRuns ?? 200, seed: opts.seed ?? DEFAULT_SEED, drains: { removed: new Set(), added: opts.added ?? new Set() }, minimize: opts.minimize,
    }) as CheckResult;
  });
}

export function analyzeDrains(v: Variant, opts: DrainOptions = {}): DrainAnalysis {
  const o: Resolved = { ...opts, numRuns: opts.numRuns ?? 200, seed: opts.seed ?? DEFAULT_SEED, added: opts.added ?? new Set() };
  const baseline = drainBaseline(v, o);
  const judged = NECESSITY_ORDER.filter((p) => baseline.find((r) => r.property === p)!.ok);
  const sites = v.drainSites.map((d) => d.name);
  const singles = sites.map((s) => verdictOf(v, [s], judged, o, o.necessityOnly === true));
  if (o.necessityOnly) return { variant: v.name, numRuns: o.numRuns, seed: o.seed, added: [...o.added], baseline, judged, singles, pairs: [] };
  // a pair checks its members' showing properties first, and stops at the first failure
  const firstOf = (d: DrainVerdict): PropertyName[] => (d.primary ? [d.primary.property] : []);
  const pairs: DrainVerdict[] = [];
  for (let i = 0; i < sites.length; i++) {
    for (let j = i + 1; j < sites.length; j++) {
      const order = [...new Set([...firstOf(singles[i]!), ...firstOf(singles[j]!), ...judged])];
      pairs.push(verdictOf(v, [sites[i]!, sites[j]!], order, { ...o, splitDebugVm: false }, true));
    }
  }
  return { variant: v.name, numRuns: o.numRuns, seed: o.seed, added: [...o.added], baseline, judged, singles, pairs };
}
