// Drain synthesis (docs/synthesis.md): the cheapest placement of a variant's candidate drains under
// which every property holds within the bounds of a mode, found exactly, then verified.
//
//   1. constraints: the hazards of the drain-free variant on the seed configurations, each mapped to
//      the candidates between its pending store and its access;
//   2. solve: the least-cost placement hitting every constraint (cover.ts, exact);
//   3. verify it on every configuration of the scope; if one fails, its hazards under that placement
//      are new constraints that the placement misses: back to 2 (counterexample-guided refinement);
//   4. minimality: for each drain of the result, a configuration where removing it fails.
// Every constraint is necessary for safety on the scope (the cover lemma), and step 2 is exact, so
// the verified placement costs no more than any placement safe on the scope.
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { type Bounds, configurations, countConfigurations } from '../../properties/exhaustive-configs.ts';
import { boundsText } from '../../properties/drain-proof.ts';
import { CostModel, type PlacementCost, compareCost } from './cost.ts';
import { minCover } from './cover.ts';
import { type Candidate, type Placement, candidatesOf, ownPlacement } from './placement.ts';
import { type ConfigCheck, type Constraint, type Mode, checkerOf } from './safety.ts';

/** The configurations a placement is verified on. */
export interface Scope {
  readonly text: string;
  readonly count: number;
  readonly configurations: () => Iterable<Scenario>;
  /** The bounds it is, when it is all of them (a worker pool can then sweep it by configuration index). */
  readonly bounds?: Bounds;
}

export function boundsScope(b: Bounds, keep?: (s: Scenario) => boolean, note = ''): Scope {
  let cached: Scenario[] | null = null;
  const list = () => (cached ??= [...configurations(b)].map((c) => c.scenario).filter((s) => !keep || keep(s)));
  return {
    ...(keep ? {} : { bounds: b }),
    text: `${boundsText(b)}${keep ? note : '; every pgmap type, altmap, alignment, early_section and nid'}`,
    get count() {
      return keep ? list().length : countConfigurations(b);
    },
    configurations: list,
  };
}

/**
 * Bounds of the CLI and the bench: orders 0..10 (9 is a 2 MiB page, 10 the first one above
 * pageblock_order, only with the vmemmap dedup), 1..2 compound pages, the typical kernel config:
 * every code path a drain guards (order 0, compound heads and tails, the dedup, pageblock-aligned
 * heads) within seconds. Larger orders repeat order 10's drains (docs/synthesis.md §5).
 */
export const SYNTH_BOUNDS: Bounds = { maxOrder: 10, maxCompoundPages: 2, configs: 'typical' };

/**
 * Seed configurations for the first constraints: the scope's orders 0..2 without altmap, outside an
 * early section, on node 0 (order 0: the publish; 1: the head; 2: the first streamed tail). What
 * they miss, the verification finds and the refinement adds.
 */
export const SEED_MAX_ORDER = 2;
export const isSeed = (s: Scenario): boolean => s.pgmap.vmemmapShift <= SEED_MAX_ORDER && s.pgmap.altmap === null && !s.earlySection && s.nid === 0;

export interface Removal {
  readonly candidate: number;
  /** A configuration where the placement without this drain fails, and why. */
  readonly witness: Scenario | null;
  readonly reason: string | null;
}

export interface OwnVerdict {
  readonly placement: Placement;
  readonly cost: PlacementCost;
  readonly safe: boolean;
  readonly reason: string | null;
  readonly scenario: Scenario | null;
}

export type Synthesis = {
  readonly variant: string;
  readonly mode: Mode;
  readonly candidates: readonly Candidate[];
  readonly scope: { readonly text: string; readonly configurations: number };
  readonly own: OwnVerdict;
  readonly constraints: readonly Constraint[];
  /** Solve-and-verify rounds, branch-and-bound nodes. */
  readonly rounds: number;
  readonly nodes: number;
  /** Phases: pricing, the drain-free variant's hazards, solve-and-verify, the variant's own drains, each drain's removal. */
  readonly ms: { readonly cost: number; readonly constraints: number; readonly verify: number; readonly own: number; readonly removals: number; readonly total: number };
} & (
  | {
    readonly status: 'ok';
    readonly placement: Placement;
    readonly cost: PlacementCost;
    /** Configurations the placement was verified on (all of the scope). */
    readonly verified: number;
    readonly removals: readonly Removal[];
  }
  | { readonly status: 'no-safe-placement'; readonly reason: string; readonly scenario: Scenario | null }
);

export interface SynthOptions {
  readonly mode?: Mode;
  readonly scope?: Scope;
  /** Configurations the drain-free variant's hazards are collected on first (default: orders 0..2 of the scope). */
  readonly seed?: Scope;
  /** Share one cost model between syntheses of the same variant (contract and x86). */
  readonly costModel?: CostModel;
}

/** The first configuration of the scope where placement p fails, or null. */
export function firstFailure(v: Variant, cs: readonly Candidate[], p: Placement, mode: Mode, scope: Scope,
  first: readonly Scenario[] = []): { scenario: Scenario; check: ConfigCheck } | null {
  const check = checkerOf(mode);
  for (const s of first) {
    const c = check(v, cs, p, s);
    if (!c.ok) return { scenario: s, check: c };
  }
  for (const s of scope.configurations()) {
    const c = check(v, cs, p, s);
    if (!c.ok) return { scenario: s, check: c };
  }
  return null;
}

/** A question the synthesis asks its driver: the first configuration where placement p fails. */
export interface Ask {
  readonly placement: Placement;
  /** Checked first, in order (earlier counterexamples), then the scope. */
  readonly first: readonly Scenario[];
  readonly scope: Scope;
}
export type Answer = { scenario: Scenario; check: ConfigCheck } | null;

/** The synthesis of docs/synthesis.md, asking its driver for every sweep (sync or on a worker pool). */
function* core(v: Variant, o: SynthOptions): Generator<Ask, Synthesis, Answer> {
  const t0 = performance.now();
  const mode = o.mode ?? 'contract';
  const scope = o.scope ?? boundsScope(SYNTH_BOUNDS);
  const seed = o.seed ?? { text: 'seed', count: 0, configurations: () => [...scope.configurations()].filter(isSeed) };
  const cs = candidatesOf(v);
  const model = o.costModel ?? new CostModel(v, cs);
  const check = checkerOf(mode);
  const own = ownPlacement(cs);
  const ownCost = model.of(own);
  const tCost = performance.now();

  // 1. the drain-free variant's hazards on the seed configurations
  const constraints: Constraint[] = [];
  const seen = new Set<string>();
  const add = (ks: readonly Constraint[]) => {
    for (const k of ks) if (!seen.has(k.hits.join(','))) (seen.add(k.hits.join(',')), constraints.push(k));
  };
  let unfixable: { reason: string; scenario: Scenario } | null = null;
  for (const s of seed.configurations()) {
    const c = check(v, cs, [], s);
    if (!c.ok && c.constraints.length === 0) {
      unfixable = { reason: c.reason!, scenario: s };
      break;
    }
    add(c.constraints);
  }
  const tConstraints = performance.now();

  // 2-3. solve, verify, refine
  let rounds = 0;
  let nodes = 0;
  let result: { placement: Placement; cost: PlacementCost } | null = null;
  const witnesses: Scenario[] = [];
  while (!unfixable) {
    rounds++;
    const empty = constraints.find((k) => k.hits.length === 0);
    if (empty) {
      unfixable = { reason: `no candidate drain lies between the store and the access: ${empty.what}`, scenario: empty.scenario };
      break;
    }
    const sol = minCover(constraints.map((k) => k.hits), (p) => model.of(p), compareCost)!;
    nodes += sol.nodes;
    const fail = yield { placement: sol.placement, first: [...witnesses], scope };
    if (!fail) {
      result = { placement: sol.placement, cost: sol.cost };
      break;
    }
    witnesses.push(fail.scenario);
    const fresh = fail.check.constraints.filter((k) => !k.hits.some((c) => sol.placement.includes(c)));
    if (fresh.length === 0) {
      unfixable = { reason: fail.check.reason!, scenario: fail.scenario };
      break;
    }
    add(fresh);
  }
  const tVerify = performance.now();

  // the variant's own placement: safe iff it hits every constraint and passes the scope
  let ownV: OwnVerdict;
  const missed = constraints.find((k) => !k.hits.some((c) => own.includes(c)));
  if (result && result.placement.every((c) => own.includes(c))) {
    // adding drains never makes a safe placement unsafe (docs/synthesis.md §3.1)
    ownV = { placement: own, cost: ownCost, safe: true, reason: null, scenario: null };
  } else if (missed) {
    ownV = { placement: own, cost: ownCost, safe: false, reason: missed.what, scenario: missed.scenario };
  } else {
    const f = yield { placement: own, first: [...witnesses], scope };
    ownV = { placement: own, cost: ownCost, safe: !f, reason: f?.check.reason ?? null, scenario: f?.scenario ?? null };
  }
  const tOwn = performance.now();
  const common = {
    variant: v.name, mode, candidates: cs, scope: { text: scope.text, configurations: scope.count }, own: ownV,
    constraints, rounds, nodes,
  };
  const ms = (t: number) => ({ cost: tCost - t0, constraints: tConstraints - tCost, verify: tVerify - tConstraints, own: tOwn - tVerify, removals: t - tOwn, total: t - t0 });
  if (!result) {
    return { ...common, status: 'no-safe-placement', reason: unfixable!.reason, scenario: unfixable!.scenario, ms: ms(performance.now()) };
  }

  // 4. every drain of the result is needed: a configuration where the placement without it fails
  const removals: Removal[] = [];
  for (const d of result.placement) {
    const without = result.placement.filter((c) => c !== d);
    const only = constraints.find((k) => k.hits.filter((c) => result!.placement.includes(c)).every((c) => c === d));
    const f = yield { placement: without, first: [], scope: only ? { text: '', count: 1, configurations: () => [only.scenario] } : scope };
    const g = f ?? (only ? yield { placement: without, first: [], scope } : null);
    removals.push({ candidate: d, witness: g?.scenario ?? null, reason: g?.check.reason ?? null });
  }
  return { ...common, status: 'ok', placement: result.placement, cost: result.cost, verified: scope.count, removals, ms: ms(performance.now()) };
}

export function synthesize(v: Variant, o: SynthOptions = {}): Synthesis {
  const cs = candidatesOf(v);
  const mode = o.mode ?? 'contract';
  const g = core(v, o);
  let r = g.next();
  while (!r.done) r = g.next(firstFailure(v, cs, r.value.placement, mode, r.value.scope, r.value.first));
  return r.value;
}

/**
 * The same synthesis, with the sweeps of the whole scope handed to `sweep` (a worker pool): it says
 * the scope's lowest-indexed configuration where the placement fails, or null. The earlier
 * counterexamples are checked here first, as firstFailure() does, so the answers are the same.
 */
export async function synthesizeWith(v: Variant, o: SynthOptions,
  sweep: (p: Placement, scope: Scope) => Promise<Scenario | null> | null): Promise<Synthesis> {
  const cs = candidatesOf(v);
  const mode = o.mode ?? 'contract';
  const check = checkerOf(mode);
  const g = core(v, o);
  let r = g.next();
  while (!r.done) {
    const { placement, first, scope } = r.value;
    let answer: Answer = firstFailure(v, cs, placement, mode, { text: '', count: first.length, configurations: () => [] }, first);
    if (!answer) {
      const pooled = sweep(placement, scope);
      if (pooled === null) answer = firstFailure(v, cs, placement, mode, scope);
      else {
        const s = await pooled;
        answer = s ? { scenario: s, check: check(v, cs, placement, s) } : null;
        if (answer?.check.ok) throw new Error(`${v.name}: a worker found a failure the main thread does not see, on ${JSON.stringify(s)}`);
      }
    }
    r = g.next(answer);
  }
  return r.value;
}
