// Copy primitives of the series: memcpy() into and out of on-stack templates, memcpy_streaming() /
// memcpy_nt() (x86 memcpy_flushcache(): ascending 8-byte MOVNTI) and the drains
// (v1's arch_optimize_store_u64() is in variants/v1.ts) (li-zhe-series.md §3).
import type { DrainEvent, Program, StoreEvent } from '../events.ts';
import { type PageRef, load, store } from './mm.ts';

/**
 * Drain sites removed from a variant, or added at one of its drain points (a place in the code
 * where the series could drain but this variant does not), for necessity analysis and witnesses.
 */
export interface Drains {
  readonly removed: ReadonlySet<string>;
  readonly added?: ReadonlySet<string>;
}

export const ALL_DRAINS: Drains = { removed: new Set() };

/** memcpy(dst, src, n) with cached stores: one load of the source, one store of the destination. */
export function* memcpy(dst: PageRef, src: PageRef, n: number): Program {
  const bytes = (yield load(src.addr, n, 'memcpy'))!;
  yield store(dst.addr, bytes, 'memcpy');
}

/** memcpy_streaming(dst, src, n) / memcpy_nt(): MOVNTI qwords in ascending order, no fence. */
export function* memcpy_streaming(dst: PageRef, src: PageRef, n: number, fn = 'memcpy_streaming'): Program {
  const bytes = (yield load(src.addr, n, fn))!;
  yield streamingCopyStore(dst, bytes, fn);
}

/** The store of memcpy_streaming(): the loaded bytes, as MOVNTI qwords (for callers without a generator). */
export function streamingCopyStore(dst: PageRef, bytes: Uint8Array, fn: string): StoreEvent {
  return { kind: 'store', via: 'streaming', addr: dst.addr, bytes, granule: 8, fn };
}

/** memcpy_streaming_drain() / memcpy_nt_drain() / arch_optimize_store_drain(): SFENCE at a named site. */
export function* drain(d: Drains, site: string, fn = 'memcpy_streaming_drain'): Program {
  if (d.removed.has(site)) return;
  const ev: DrainEvent = { kind: 'drain', site, fn };
  yield ev;
}

/** A drain point the variant leaves empty: it drains only when added. */
export function* drainPoint(d: Drains, site: string, fn = 'memcpy_streaming_drain'): Program {
  if (!d.added?.has(site)) return;
  const ev: DrainEvent = { kind: 'drain', site, fn };
  yield ev;
}
