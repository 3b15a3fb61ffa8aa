// The kernel program under the x86 hardware mode (docs/x86-mode.md §3). CPU 0 runs the kernel's
// event trace (from the contract machine under LAND_AT_ONCE: its loads then return the program-
// order value, which is what x86 store forwarding returns too). A reader CPU runs after the
// publish: it sees the "published" flag and then reads the struct pages.
//
// Modeling assumption for the publish: it is a plain store by CPU 0 (a release store, WRITE_ONCE
// or a spin_unlock: a plain MOV on x86), with no locked instruction and no fence between the
// return of memmap_init_zone_device() and it. The reader acquires the flag and then loads, which
// x86-TSO keeps in order. No other CPU reads the device's struct pages before the publish
// (ZONE_DEVICE pfns are not online: pfn_to_online_page() returns NULL for them).
//
// Then, by the rules of model/x86/machine.ts (each checked by the litmus catalogue):
//   - CPU 0's own loads of pending NT bytes see them (store forwarding; CoWR+nt): no hazard.
//   - A normal store to bytes of a pending NT store is ordered after it (coherence;
//     CoWW+nt+mov, CoRR+nt+mov), and normal stores leave the store buffer in order (x86-TSO),
//     so the flag cannot become visible before that NT store: it is forced, no hazard.
//   - A locked read-modify-write (the LOCK CMPXCHG of try_cmpxchg() in the pageblock update,
//     a store event marked `locked`) is not reordered with earlier NT stores and flushes the
//     write-combining buffers (SDM vol. 3 §8.2.2, §11.3.1; litmus MP+nt+xchg): every NT store
//     before it is visible before the publish, as after an SFENCE.
//   - An NT store not drained (SFENCE or locked instruction) and not forced may still sit in the
//     write-combining buffer when the reader sees the flag (MP+nt): the reader may read stale
//     struct page bytes. That is the only x86 hazard.
import type { Event, Frame } from '../events.ts';

export interface NtInstr {
  readonly eventIndex: number;
  readonly addr: number;
  readonly size: number;
  readonly fn: string | undefined;
  readonly stack: Frame | null;
  forced: boolean;
  /** NT stores to some of the same bytes issued before it (ordered before it by coherence). */
  readonly older: NtInstr[];
}

export interface X86TraceResult {
  /** NT store instructions that may be invisible to the reader CPU after the publish (x86 hazard). */
  readonly unpublished: readonly NtInstr[];
  /** NT instructions still pending at the publish but forced by a later normal store to their bytes. */
  readonly forcedAtPublish: number;
  /** Contract hazards that x86 does not have: loads forwarded from pending NT bytes, and normal
   *  stores ordered after pending NT stores to the same bytes (counted per event). */
  readonly forwardedLoads: number;
  readonly coherentStores: number;
  readonly published: boolean;
  /** Locked instructions that found NT stores pending (and so drained them). */
  readonly lockedDrains: number;
  /** Locked instructions in the trace (before the publish). */
  readonly lockedStores: number;
}

export interface X86TraceOptions {
  /** Honour `locked` stores as full barriers (the x86 machine); false treats them as plain stores. */
  readonly locked?: boolean;
}

const UNIT = 4;

export interface TraceItem {
  readonly index: number;
  readonly event: Event;
  readonly stack: Frame | null;
}

/** Walk CPU 0's trace under the x86 rules above; report what the reader CPU may miss. */
export function x86OfTrace(trace: readonly TraceItem[], o: X86TraceOptions = {}): X86TraceResult {
  const honourLocked = o.locked ?? true;
  let lockedDrains = 0;
  let lockedStores = 0;
  // 4-byte unit -> the latest pending NT instruction writing it
  let units = new Map<number, NtInstr>();
  let forwardedLoads = 0;
  let coherentStores = 0;
  let unpublished: NtInstr[] = [];
  let forcedAtPublish = 0;
  let published = false;
  const force = (i: NtInstr): void => {
    if (i.forced) return;
    i.forced = true;
    for (const o of i.older) force(o);
  };
  const overlapping = (addr: number, size: number): NtInstr[] => {
    const out = new Set<NtInstr>();
    for (let u = Math.floor(addr / UNIT); u * UNIT < addr + size; u++) {
      const i = units.get(u);
      if (i) out.add(i);
    }
    return [...out];
  };
  for (const { index, event: ev, stack } of trace) {
    if (ev.kind === 'store' && ev.via === 'streaming') {
      const g = ev.granule ?? 8;
      for (let off = 0; off < ev.bytes.length; off += g) {
        const size = Math.min(g, ev.bytes.length - off);
        const instr: NtInstr = { eventIndex: index, addr: ev.addr + off, size, fn: ev.fn, stack, forced: false, older: overlapping(ev.addr + off, size) };
        for (let a = instr.addr; a < instr.addr + size; a += UNIT) units.set(Math.floor(a / UNIT), instr);
      }
    } else if (ev.kind === 'store' && ev.locked && honourLocked) {
      // everything pending lands before the locked instruction: nothing left to force or miss
      if (!published) lockedStores++;
      if (units.size) lockedDrains++;
      units = new Map();
    } else if (ev.kind === 'store') {
      const hit = overlapping(ev.addr, ev.bytes.length);
      if (hit.length) coherentStores++;
      hit.forEach(force);
    } else if (ev.kind === 'load') {
      if (overlapping(ev.addr, ev.size).length) forwardedLoads++;
    } else if (ev.kind === 'drain') {
      units = new Map();
    } else if (ev.kind === 'publish') {
      published = true;
      const pending = new Set<NtInstr>();
      const walk = (i: NtInstr): void => {
        if (pending.has(i)) return;
        pending.add(i);
        i.older.forEach(walk);
      };
      units.forEach(walk);
      unpublished = [...pending].filter((i) => !i.forced).sort((a, b) => a.eventIndex - b.eventIndex || a.addr - b.addr);
      forcedAtPublish = pending.size - unpublished.length;
    }
  }
  return { unpublished, forcedAtPublish, forwardedLoads, coherentStores, published, lockedDrains, lockedStores };
}
