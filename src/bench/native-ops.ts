// The model's memory operations as the native harness performs them (docs/cost-model.md §7).
//
// One op per model event: a load, a cached store, a streaming store (MOVNTI in its granule), the
// pageblock bitmap update (the cached store try_cmpxchg() issues: LOCK CMPXCHG), a drain (SFENCE).
// Each op sits in one of three regions: the memmap, the section usemap (pageblock bits) and the
// kernel stack holding the templates; its offset is relative to the region's first 4 KiB page
// (so the 64-byte line structure is kept).
import type { Event } from '../../model/events.ts';
import { STACK_BASE, USEMAP_BASE } from '../../model/kernel/constants.ts';
import type { TraceEntry } from '../../model/machine.ts';

export const REGIONS = ['memmap', 'usemap', 'stack'] as const;
export type Region = 0 | 1 | 2;

export type OpKind = 'ld' | 'st' | 'nt' | 'cas' | 'sfence';

export interface Op {
  readonly kind: 'op';
  readonly op: OpKind;
  readonly r: Region;
  /** Model address (before rebasing) or offset in the region (after). 0 for sfence. */
  readonly a: number;
  /** Bytes (0 for sfence). */
  readonly n: number;
  /** MOVNTI size for `nt`, else 0. */
  readonly g: number;
  /**
   * The value a store of at most 8 bytes writes (little-endian), else 0n. The harness writes the
   * model's values: whether a line is zero changes how fast it is written on some machines (this
   * one streams zero lines 25% faster).
   */
  readonly val: bigint;
}

/** The little-endian value of up to 8 bytes. */
export function valueOf(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = Math.min(b.length, 8) - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** The region of a model address, and the address within it. */
export function regionOf(addr: number): [Region, number] {
  if (addr >= STACK_BASE) return [2, addr - STACK_BASE];
  if (addr >= USEMAP_BASE) return [1, addr - USEMAP_BASE];
  return [0, addr];
}

/** The fn the model gives the pageblock bitmap store (mm/page_alloc.c __set_pfnblock_flags_mask()). */
export const CMPXCHG_FN = 'try_cmpxchg';

/** The op of a model event, or null for events with no memory effect (publish, call, ret). */
export function opOf(e: Event): Op | null {
  switch (e.kind) {
    case 'load': {
      const [r, a] = regionOf(e.addr);
      return { kind: 'op', op: 'ld', r, a, n: e.size, g: 0, val: 0n };
    }
    case 'store': {
      const [r, a] = regionOf(e.addr);
      const val = e.bytes.length <= 8 ? valueOf(e.bytes) : 0n;
      if (e.via === 'streaming') return { kind: 'op', op: 'nt', r, a, n: e.bytes.length, g: e.granule ?? 8, val };
      return { kind: 'op', op: e.fn === CMPXCHG_FN ? 'cas' : 'st', r, a, n: e.bytes.length, g: 0, val };
    }
    case 'drain':
      return { kind: 'op', op: 'sfence', r: 0, a: 0, n: 0, g: 0, val: 0n };
    default:
      return null;
  }
}

/** The ops of an execution trace, in model addresses. */
export const opsOfTrace = (trace: readonly TraceEntry[]): Op[] =>
  trace.map((t) => opOf(t.event)).filter((o): o is Op => o !== null);

/** Region bases: each region's lowest address rounded down to 4 KiB (null when unused). */
export type Bases = readonly [number | null, number | null, number | null];

export function basesOf(ops: Iterable<Op>): Bases {
  const b: (number | null)[] = [null, null, null];
  for (const o of ops) {
    if (o.op === 'sfence') continue;
    const page = Math.floor(o.a / 4096) * 4096;
    if (b[o.r] === null || page < b[o.r]!) b[o.r] = page;
  }
  return [b[0]!, b[1]!, b[2]!];
}

export const rebase = (o: Op, b: Bases): Op => (o.op === 'sfence' ? o : { ...o, a: o.a - b[o.r]! });

/** One op as the harness prints it in trace mode: `kind region offset bytes [granule]`. */
export function opText(o: Op): string {
  if (o.op === 'sfence') return 'sfence';
  return o.op === 'nt' ? `nt ${o.r} ${o.a} ${o.n} ${o.g}` : `${o.op} ${o.r} ${o.a} ${o.n}`;
}
