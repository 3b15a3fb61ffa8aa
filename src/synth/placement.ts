// A placement: which candidate drains a variant executes. Candidates are the variant's drain sites
// and drain points (docs/synthesis.md §1). The variant is run with every candidate in place, and a
// wrapper around its program keeps the drains of the placement and swallows the others, recording
// where each swallowed one would have been (a marker). Markers let one run of a placement say, for
// every hazard, which candidates lie between the pending store and the access.
import type { Event, Program } from '../../model/events.ts';
import { inlineCalls } from '../../model/inline-calls.ts';
import type { Drains } from '../../model/kernel/copy.ts';
import type { DirectRun } from '../../model/kernel/variants/direct.ts';
import type { DrainSite, Variant } from '../../model/kernel/variants/types.ts';
import { UsageError } from '../cli/errors.ts';

export interface Candidate {
  readonly name: string;
  readonly where: string;
  /** A drain site of the variant (it drains there), or a drain point (empty unless added). */
  readonly own: boolean;
}

/** A placement: indices into the candidate list, ascending. */
export type Placement = readonly number[];

export function candidatesOf(v: Variant): Candidate[] {
  const of = (own: boolean) => (d: DrainSite): Candidate => ({ name: d.name, where: d.where, own });
  const all = [...v.drainSites.map(of(true)), ...(v.drainPoints ?? []).map(of(false))];
  const names = all.map((c) => c.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new UsageError(`variant ${v.name}: drain '${dup}' is listed twice among its drain sites and points`);
  return all;
}

/** The variant's own placement: its drain sites. */
export const ownPlacement = (cs: readonly Candidate[]): Placement => cs.flatMap((c, i) => (c.own ? [i] : []));

/** Every candidate drains (sites kept, points added): the run the wrapper filters. */
export function everyCandidate(cs: readonly Candidate[]): Drains {
  return { removed: new Set(), added: new Set(cs.filter((c) => !c.own).map((c) => c.name)) };
}

/**
 * The placement as the variant's own Drains: its sites outside the placement removed, its points in
 * it added. The same runs as `placed()` for drains emitted by drain() and drainPoint() (the variant
 * API), without the wrapper's cost; it has no markers.
 */
export function drainsOf(cs: readonly Candidate[], p: Placement): Drains {
  const inP = new Set(p);
  return {
    removed: new Set(cs.filter((c, i) => c.own && !inP.has(i)).map((c) => c.name)),
    added: new Set(cs.filter((c, i) => !c.own && inP.has(i)).map((c) => c.name)),
  };
}

/** A swallowed candidate drain: it would have been memory event number `pos` of the run. */
export interface Marker {
  readonly candidate: number;
  readonly pos: number;
}

/** What the wrapper saw in one run (positions count memory events, as the machine numbers them). */
export interface PlacementLog {
  /** Memory events passed to the machine so far. */
  n: number;
  readonly markers: Marker[];
  /** Drain events kept, per candidate index (-1: a drain the variant does not declare, always kept). */
  readonly kept: { readonly candidate: number; readonly pos: number }[];
}

export const newLog = (): PlacementLog => ({ n: 0, markers: [], kept: [] });

/**
 * The decision of a placement on each event of one run: true to pass it on, false for a drain of a
 * candidate outside `keep`, swallowed and logged as a marker. Memory events that pass are counted
 * (positions as the machine numbers them) and shown to `observe`.
 */
function placementRoute(index: ReadonlyMap<string, number>, keep: ReadonlySet<number>, log: PlacementLog,
  observe: ((ev: Event) => void) | undefined): (ev: Event) => boolean {
  return (ev) => {
    if (ev.kind === 'call' || ev.kind === 'ret') return true;
    if (ev.kind === 'drain') {
      const c = index.get(ev.site) ?? -1;
      if (c >= 0 && !keep.has(c)) {
        log.markers.push({ candidate: c, pos: log.n });
        return false;
      }
      log.kept.push({ candidate: c, pos: log.n });
    }
    observe?.(ev);
    log.n++;
    return true;
  };
}

const DROP = { drop: true };

/** Run `p` with the placement's drains (inlineCalls: every nested event passes the route). */
function filter<R>(p: Program<R>, route: (ev: Event) => boolean): Program<R> {
  return inlineCalls(p, (ev) => (route(ev) ? undefined : DROP));
}

/**
 * The variant with exactly the drains of `placement` (plus any drain it does not declare as a
 * site or point), logging markers into `log`. Run it with `everyCandidate(cs)` as its Drains.
 */
export function placed(v: Variant, cs: readonly Candidate[], placement: Placement, log: PlacementLog,
  observe?: (ev: Event) => void): Variant {
  const index = new Map(cs.map((c, i) => [c.name, i]));
  const keep = new Set(placement);
  // only the first run logs: a property that reruns the case for its trace (Evaluation.trace) gets
  // the same events again, which must not append markers at positions past the end of the first run
  let first = true;
  const once = (): [PlacementLog, ((ev: Event) => void) | undefined] => {
    const r: [PlacementLog, ((ev: Event) => void) | undefined] = first ? [log, observe] : [newLog(), undefined];
    first = false;
    return r;
  };
  const direct = v.direct;
  return {
    ...v,
    memmap_init_zone_device: (k, d, zone, start_pfn, nr_pages, pgmap) =>
      filter(v.memmap_init_zone_device(k, d, zone, start_pfn, nr_pages, pgmap), placementRoute(index, keep, ...once())),
    // a variant that runs directly (the C front-end) is run directly: runVariant() prefers `direct`
    ...(direct ? { direct: ((io, k, d, zone, start_pfn, nr_pages, pgmap) => filterDirect(direct, placementRoute(index, keep, ...once()))(io, k, d, zone, start_pfn, nr_pages, pgmap)) as DirectRun } : {}),
  };
}

/** filter() for a direct run: the same markers, around its emit. */
function filterDirect(direct: DirectRun, route: (ev: Event) => boolean): DirectRun {
  return (io, k, d, zone, start_pfn, nr_pages, pgmap) => {
    // memory events the run emitted, swallowed drains included: their source stacks are dropped too
    let emitted = 0;
    const swallowed: number[] = [];
    const emit = (ev: Event): Uint8Array | undefined => {
      if (ev.kind === 'call' || ev.kind === 'ret') return io.emit(ev);
      emitted++;
      if (route(ev)) return io.emit(ev);
      swallowed.push(emitted - 1);
      return undefined;
    };
    const stacks = direct({ emit, trace: io.trace }, k, d, zone, start_pfn, nr_pages, pgmap);
    if (!stacks || swallowed.length === 0) return stacks;
    const drop = new Set(swallowed);
    return stacks.filter((_, i) => !drop.has(i));
  };
}

/** "before-prep_compound_head + before-return", or "(none)". */
export const placementText = (cs: readonly Candidate[], p: Placement): string =>
  p.length ? p.map((i) => cs[i]!.name).join(' + ') : '(no drain)';
