// Safety of a placement on one configuration, per mode, and the candidate sets its hazards demand
// (docs/synthesis.md §3).
//
//   contract: every property of properties/exhaustive.ts under the deciding schedule UNTIL_DRAIN,
//             which decides every schedule (docs/exhaustive.md, Theorem 3);
//   x86:      CPU 0 runs the trace under the x86 rules and a reader CPU reads the struct pages after
//             the publish (model/x86/kernel-trace.ts): no NT store may still be invisible to it; and
//             the image (identical, invariants) is the program-order one.
//
// A hazard becomes a constraint: the set of candidates whose drain would execute between the latest
// streaming store the access conflicts with and the access. Every safe placement has a drain from
// each constraint (the cover lemma, docs/synthesis.md §3.2).
import type { Event } from '../../model/events.ts';
import type { Hazard } from '../../model/hazards.ts';
import type { Drains } from '../../model/kernel/copy.ts';
import { describeAddr } from '../../model/kernel/describe.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { LAND_AT_ONCE, UNTIL_DRAIN } from '../../model/schedule.ts';
import { x86OfTrace } from '../../model/x86/kernel-trace.ts';
import { evaluate } from '../../properties/evaluate.ts';
import { DECIDING_SCHEDULE, propertyResult } from '../../properties/exhaustive.ts';
import { type ImageVerdicts, imageVerdictsOf } from './image-verdicts.ts';
import { PROPERTIES, type PropertyName } from '../../properties/properties.ts';
import { type Candidate, type Placement, drainsOf, everyCandidate, newLog, placed } from './placement.ts';

export type Mode = 'contract' | 'x86';

/** A set of candidates of which every safe placement must contain one. */
export interface Constraint {
  /** Candidate indices, ascending (empty: no candidate can remove the hazard). */
  readonly hits: readonly number[];
  readonly scenario: Scenario;
  /** The hazard, in kernel terms. */
  readonly what: string;
}

export interface ConfigCheck {
  readonly ok: boolean;
  /** Properties (contract) or "x86-published" that fail. */
  readonly failing: readonly string[];
  /** Constraints from its hazards; none when it fails with no hazard (no placement can help). */
  readonly constraints: readonly Constraint[];
  /** First failure, in one line. */
  readonly reason: string | null;
}

/** Markers strictly after event `from` and at or before `to`: the candidates between. */
function between(markers: readonly { candidate: number; pos: number }[], from: number, to: number): number[] {
  const s = new Set<number>();
  for (const m of markers) if (m.pos > from && m.pos <= to) s.add(m.candidate);
  return [...s].sort((a, b) => a - b);
}

const key = (c: Constraint): string => c.hits.join(',');

function dedupe(cs: Constraint[]): Constraint[] {
  const seen = new Set<string>();
  return cs.filter((c) => !seen.has(key(c)) && (seen.add(key(c)), true));
}

/**
 * Does a placement, given as the variant's Drains, pass one configuration in the mode? The
 * common case of both checkers below, and all a sweep worker asks (src/synth/worker-main.ts).
 * Contract: no property of checkConfiguration() fails; x86: the reader misses no NT store and the
 * image properties hold. The properties of the run go first; `identical` and `invariants`, most of
 * the work, last. A worker passes `cache`: what it knows of the configuration's image from an
 * earlier sweep (image-verdicts.ts), and gets the image's verdicts back when they were decided.
 */
export function holds(mode: Mode, v: Variant, s: Scenario, d: Drains, cache?: { readonly known: ImageVerdicts | null }): { ok: boolean; image: ImageVerdicts | null } {
  const e = evaluate(v, { scenario: s, schedule: mode === 'contract' ? DECIDING_SCHEDULE : LAND_AT_ONCE }, { drains: d, trace: true });
  const runOk = mode === 'contract'
    ? PROPERTIES.every((q) => q === 'identical' || q === 'invariants' || propertyResult(q, e).outcome !== 'FAIL')
    : x86OfTrace(e.run.trace ?? []).unpublished.length === 0;
  if (!runOk) return { ok: false, image: null };
  if (!cache) return { ok: (['identical', 'invariants'] as const).every((q) => propertyResult(q, e).outcome !== 'FAIL'), image: null };
  const image = imageVerdictsOf(e, cache.known);
  return { ok: image.identical !== 'FAIL' && image.invariants !== 'FAIL', image };
}

/** Contract mode: one run under UNTIL_DRAIN with the placement's drains, the others as markers. */
export function checkContract(v: Variant, cs: readonly Candidate[], p: Placement, s: Scenario): ConfigCheck {
  // the common case first, without the wrapper: the placement as Drains
  if (holds('contract', v, s, drainsOf(cs, p)).ok) return { ok: true, failing: [], constraints: [], reason: null };
  const log = newLog();
  const streaming: Streamed[] = [];
  const observe = (ev: Event) => {
    if (ev.kind === 'store' && ev.via === 'streaming') streaming.push({ index: log.n, addr: ev.addr, end: ev.addr + ev.bytes.length });
  };
  const e = evaluate(placed(v, cs, p, log, observe), { scenario: s, schedule: UNTIL_DRAIN }, { drains: everyCandidate(cs) });
  const failing: PropertyName[] = PROPERTIES.filter((q) => propertyResult(q, e).outcome === 'FAIL');
  if (failing.length === 0) return { ok: true, failing, constraints: [], reason: null };
  const hazards = e.run.end.hazards;
  // up to the first write-after-streaming hazard every load returned its program-order value, so the
  // run is the program-order one and its hazards are those of any placement without the drains
  // between (docs/exhaustive.md, Lemma 2; docs/synthesis.md §3.2)
  const was = hazards.filter((h) => h.kind === 'write-after-streaming').map((h) => h.eventIndex);
  const cut = was.length ? Math.min(...was) : Infinity;
  const k = e.run.kernel;
  const constraints = dedupe(hazards.filter((h) => h.eventIndex <= cut).map((h): Constraint => {
    const from = latestConflicting(h, streaming);
    return { hits: between(log.markers, from, h.eventIndex), scenario: s, what: hazardText(h, k) };
  }));
  const first = hazards[0];
  return {
    ok: false, failing, constraints,
    reason: first ? `${failing.join(', ')}: ${hazardText(first, k)}` : `${failing.join(', ')} fail${failing.length > 1 ? '' : 's'} with no hazard: no drain can help`,
  };
}

interface Streamed {
  readonly index: number;
  readonly addr: number;
  readonly end: number;
}

/**
 * The latest streaming store before the access that overlaps it (any, for a publish). Streaming
 * stores cover whole 4-byte units, and a later one to a unit replaces the earlier (docs/exhaustive.md
 * M1), so the latest one's units under the access stay pending until a drain: it is pending at the
 * access in any run without a drain between. Never earlier than the pending store the machine names.
 */
function latestConflicting(h: Hazard, streaming: readonly Streamed[]): number {
  for (let j = streaming.length - 1; j >= 0; j--) {
    const st = streaming[j]!;
    if (st.index >= h.eventIndex) continue;
    if (h.kind === 'unpublished' || (st.addr < h.access.addr + h.access.size && h.access.addr < st.end)) {
      return Math.max(st.index, h.pending.eventIndex);
    }
  }
  return h.pending.eventIndex;
}

function hazardText(h: Hazard, k: import('../../model/kernel/mm.ts').Kernel): string {
  const what = h.kind === 'unpublished' ? 'publish' : `${h.access.op} of ${describeAddr(k, h.access.addr)}`;
  const cls = h.kind === 'write-after-streaming' ? ` (${h.cls})` : '';
  return `${h.kind}${cls}: ${what} while the streaming store of ${describeAddr(k, h.pending.addr)} (${h.pending.fn ?? '?'}) is pending`;
}

/** x86 mode: the trace under LAND_AT_ONCE (x86 store forwarding returns program-order values). */
export function checkX86(v: Variant, cs: readonly Candidate[], p: Placement, s: Scenario): ConfigCheck {
  if (holds('x86', v, s, drainsOf(cs, p)).ok) return { ok: true, failing: [], constraints: [], reason: null };
  const log = newLog();
  const e = evaluate(placed(v, cs, p, log), { scenario: s, schedule: LAND_AT_ONCE }, { drains: everyCandidate(cs), trace: true });
  const image = (['identical', 'invariants'] as const).filter((q) => propertyResult(q, e).outcome === 'FAIL');
  const res = x86OfTrace(e.run.trace ?? []);
  const failing = [...image, ...(res.unpublished.length ? ['x86-published'] : [])];
  if (failing.length === 0) return { ok: true, failing, constraints: [], reason: null };
  const k = e.run.kernel;
  // an NT store neither drained nor forced by a later normal store stays invisible to the reader
  // unless a drain follows it; forcing does not depend on the placement (docs/synthesis.md §3.3)
  const constraints = dedupe(res.unpublished.map((i): Constraint => ({
    hits: between(log.markers, i.eventIndex, Infinity), scenario: s,
    what: `x86-published: the NT store of ${describeAddr(k, i.addr)} (${i.fn ?? '?'}) may be invisible to the reader CPU after the publish`,
  })));
  return {
    ok: false, failing, constraints,
    reason: constraints[0]?.what ?? `${image.join(', ')} fail${image.length > 1 ? '' : 's'} with no hazard: no drain can help`,
  };
}

export const checkerOf = (m: Mode) => (m === 'contract' ? checkContract : checkX86);
