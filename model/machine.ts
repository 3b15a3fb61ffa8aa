// The machine: byte memory in 64-byte lines plus a store buffer of weakly ordered streaming
// stores, under the memcpy_streaming() contract semantics (DESIGN.md §4, li-zhe-series.md §3.1).
//
// Rules, in the style of a cat model:
//   cached store   visible at once; a hazard if it overlaps pending streaming bytes
//                  (the pending store may land later and clobber it).
//   streaming store  enters the buffer per instruction (granule); lands after the delay the
//                  schedule gives it, or at the next drain; a later streaming store to the same
//                  bytes replaces the pending one (write collapsing).
//   load           a hazard if it overlaps pending bytes; returns the program-order value.
//   drain          every pending store lands.
//   publish        a hazard if anything is pending.
//
// `step(state, event)` is the pure specification. `Transient` applies the same reducer to a
// state it owns (copy-on-write lines, in-place updates), which is what `execute` uses; a test
// checks that folding `step` gives the same final state.
import { freeze } from 'immer';
import { type Cost, type MutableCost, ZERO_COST } from './cost.ts';
import type { AccessClass, Event, Frame, LoadEvent, Program, StoreEvent } from './events.ts';
import type { Access, Hazard, HazardClass, HazardKind, PendingStore } from './hazards.ts';
import { type Delay, type Schedule, delayLookup } from './schedule.ts';

export const LINE = 64;
const UNIT = 4; // streaming stores are tracked per 4-byte unit (the smallest MOVNTI)
const UNITS = LINE / UNIT;
const FULL_LINE = (1 << UNITS) - 1;
/** Hazards kept in full per kind; further ones are only counted. */
export const MAX_HAZARDS = 64;

/** Pending streaming bytes of one line. */
export interface PendingLine {
  readonly data: Uint8Array;
  /** Per 4-byte unit: id of the streaming record owning it, or -1. */
  readonly owner: Int32Array;
  readonly live: number;
}

/** One streaming store event, split into instructions of `granule` bytes. */
export interface StreamRecord {
  readonly id: number;
  readonly eventIndex: number;
  readonly addr: number;
  readonly size: number;
  readonly granule: number;
  readonly kFirst: number;
  readonly stack: Frame | null;
  readonly fn: string | undefined;
  readonly liveUnits: number;
}

export interface MachineState {
  readonly fill: number;
  readonly schedule: Schedule;
  readonly lines: ReadonlyMap<number, Uint8Array>;
  readonly pending: ReadonlyMap<number, PendingLine>;
  readonly records: ReadonlyMap<number, StreamRecord>;
  /** deadline event index -> instructions (record id, instruction index) that land after it */
  readonly due: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  readonly cachedLines: ReadonlySet<number>;
  /** Write-combining: per line, the 4-byte units streamed since the line was last flushed. */
  readonly wc: ReadonlyMap<number, number>;
  /** Index of the next memory event. */
  readonly now: number;
  /** Index k of the next streaming store instruction. */
  readonly nextK: number;
  readonly nextRecord: number;
  readonly stack: Frame | null;
  readonly hazards: readonly Hazard[];
  readonly hazardCount: number;
  readonly cost: Cost;
  /** Result of the last load (for `step` users). */
  readonly lastLoad: Uint8Array | null;
}

export interface MachineInit {
  readonly schedule: Schedule;
  /** Byte value of memory never written (0xff = PAGE_POISON_PATTERN). */
  readonly fill?: number;
  /** Initial contents of some lines (for example a zeroed pageblock bitmap). */
  readonly preset?: ReadonlyMap<number, Uint8Array>;
}

export function initialState(init: MachineInit): MachineState {
  return freeze({
    fill: init.fill ?? 0xff,
    schedule: init.schedule,
    lines: new Map(init.preset ?? []),
    pending: new Map(),
    records: new Map(),
    due: new Map(),
    cachedLines: new Set<number>(),
    wc: new Map(),
    now: 0,
    nextK: 0,
    nextRecord: 0,
    stack: null,
    hazards: [],
    hazardCount: 0,
    cost: ZERO_COST,
    lastLoad: null,
  } satisfies MachineState);
}

function readBytes(lines: ReadonlyMap<number, Uint8Array>, pending: ReadonlyMap<number, { readonly data: Uint8Array; readonly owner: Int32Array }>,
  fillLine: Uint8Array, addr: number, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; ) {
    const a = addr + i;
    const idx = Math.floor(a / LINE);
    const off = a - idx * LINE;
    const n = Math.min(LINE - off, size - i);
    out.set((lines.get(idx) ?? fillLine).subarray(off, off + n), i);
    const p = pending.get(idx);
    if (p) for (let b = off; b < off + n; b++) if (p.owner[(b / UNIT) | 0]! >= 0) out[i + b - off] = p.data[b]!;
    i += n;
  }
  return out;
}

function classOf(cls: AccessClass | undefined): HazardClass {
  return cls === 'folio' ? 'folio-alias' : cls === 'head-flags' ? 'head-flags' : 'plain';
}

interface MutPendingLine {
  data: Uint8Array;
  owner: Int32Array;
  live: number;
}
interface MutRecord {
  id: number; eventIndex: number; addr: number; size: number; granule: number; kFirst: number;
  stack: Frame | null; fn: string | undefined; liveUnits: number;
}

/** A machine state owned by one execution: updated in place, frozen by `snapshot()`. */
export class Transient {
  private readonly fill: number;
  private readonly schedule: Schedule;
  private readonly delay: (k: number) => Delay;
  private readonly lines: Map<number, Uint8Array>;
  private readonly owned = new Set<Uint8Array>();
  private readonly pending: Map<number, MutPendingLine>;
  private readonly records: Map<number, MutRecord>;
  private readonly due: Map<number, (readonly [number, number])[]>;
  private readonly cachedLines: Set<number>;
  private readonly wc: Map<number, number>;
  private readonly fillLine: Uint8Array;
  now: number;
  private nextK: number;
  private nextRecord: number;
  stack: Frame | null;
  readonly hazards: Hazard[];
  hazardCount: number;
  readonly cost: MutableCost;
  lastLoad: Uint8Array | null;

  constructor(s: MachineState) {
    this.fill = s.fill;
    this.schedule = s.schedule;
    this.delay = delayLookup(s.schedule);
    this.lines = new Map(s.lines);
    this.pending = new Map();
    for (const [i, p] of s.pending) this.pending.set(i, { data: p.data.slice(), owner: p.owner.slice(), live: p.live });
    this.records = new Map();
    for (const [i, r] of s.records) this.records.set(i, { ...r });
    this.due = new Map();
    for (const [d, l] of s.due) this.due.set(d, [...l]);
    this.cachedLines = new Set(s.cachedLines);
    this.wc = new Map(s.wc);
    this.fillLine = new Uint8Array(LINE).fill(s.fill);
    this.now = s.now;
    this.nextK = s.nextK;
    this.nextRecord = s.nextRecord;
    this.stack = s.stack;
    this.hazards = [...s.hazards];
    this.hazardCount = s.hazardCount;
    this.cost = { ...s.cost };
    this.lastLoad = s.lastLoad;
  }

  snapshot(): MachineState {
    const pending = new Map<number, PendingLine>();
    for (const [i, p] of this.pending) pending.set(i, { data: p.data.slice(), owner: p.owner.slice(), live: p.live });
    const records = new Map<number, StreamRecord>();
    for (const [i, r] of this.records) records.set(i, { ...r });
    const due = new Map<number, readonly (readonly [number, number])[]>();
    for (const [d, l] of this.due) due.set(d, [...l]);
    // Lines are handed out read-only: this transient must copy them again before writing.
    this.owned.clear();
    return freeze({
      fill: this.fill,
      schedule: this.schedule,
      lines: new Map(this.lines),
      pending,
      records,
      due,
      cachedLines: new Set(this.cachedLines),
      wc: new Map(this.wc),
      now: this.now,
      nextK: this.nextK,
      nextRecord: this.nextRecord,
      stack: this.stack,
      hazards: [...this.hazards],
      hazardCount: this.hazardCount,
      cost: { ...this.cost },
      lastLoad: this.lastLoad,
    } satisfies MachineState);
  }

  /** Apply one event; returns the bytes of a load. */
  apply(ev: Event): Uint8Array | undefined {
    return (this.handlers[ev.kind] as (e: Event) => Uint8Array | undefined)(ev);
  }

  // Dispatch table over Event['kind']: the mapped type makes a missing kind a compile error, like
  // ts-pattern's .exhaustive(), without building a matcher per event (profiling showed ts-pattern's
  // builder at 27% of the template path).
  private readonly handlers: { readonly [K in Event['kind']]: (e: Extract<Event, { kind: K }>) => Uint8Array | undefined } = {
    call: (e) => {
      this.stack = { fn: e.fn, parent: this.stack };
      return undefined;
    },
    ret: () => {
      if (!this.stack) throw new Error('machine: ret without call');
      this.stack = this.stack.parent;
      return undefined;
    },
    store: (e) => {
      this.beginEvent();
      if (e.via === 'cached') this.cachedStore(e);
      else this.streamingStore(e);
      this.now++;
      return undefined;
    },
    load: (e) => {
      this.beginEvent();
      const v = this.load(e);
      this.now++;
      this.lastLoad = v;
      return v;
    },
    drain: () => {
      this.beginEvent();
      this.cost.drains++;
      this.cost.linesPendingAtDrains += this.pending.size;
      this.flushWc();
      this.commitAll();
      this.now++;
      return undefined;
    },
    publish: (e) => {
      this.beginEvent();
      this.publish(e.site);
      this.now++;
      return undefined;
    },
  };

  /** Land every pending store (a drain, or the final forced commit of the image). */
  commitAll(): void {
    for (const [idx, p] of this.pending) {
      const line = this.writableLine(idx);
      for (let u = 0; u < UNITS; u++) {
        if (p.owner[u]! < 0) continue;
        for (let b = u * UNIT; b < (u + 1) * UNIT; b++) line[b] = p.data[b]!;
      }
    }
    this.pending.clear();
    this.records.clear();
    this.due.clear();
  }

  /** Read bytes as this CPU sees them (pending streaming bytes forwarded). No event. */
  peek(addr: number, size: number): Uint8Array {
    return readBytes(this.lines, this.pending, this.fillLine, addr, size);
  }

  // -- events ---------------------------------------------------------------------------------

  private beginEvent(): void {
    this.cost.fieldOps++;
    if (this.due.size === 0) return;
    const list = this.due.get(this.now - 1);
    if (!list) return;
    this.due.delete(this.now - 1);
    for (const [rid, insn] of list) this.commitInsn(rid, insn);
  }

  private cachedStore(e: StoreEvent): void {
    const n = e.bytes.length;
    this.cost.cachedStores++;
    this.cost.cachedBytes += n;
    this.conflicts('write-after-streaming', 'store', e.addr, n, e.cls, e.fn);
    for (let i = 0; i < n; ) {
      const a = e.addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      this.evictWc(idx);
      if (!this.cachedLines.has(idx)) {
        this.cachedLines.add(idx);
        this.cost.rfoLines++;
      }
      this.writableLine(idx).set(e.bytes.subarray(i, i + m), off);
      i += m;
    }
  }

  private streamingStore(e: StoreEvent): void {
    const n = e.bytes.length;
    const g = e.granule ?? 8;
    if (e.addr % UNIT !== 0 || n % g !== 0 || (g !== 4 && g !== 8)) {
      throw new Error(`machine: streaming store at ${e.addr} of ${n} bytes with granule ${g} is not a MOVNTI sequence`);
    }
    const rid = this.nextRecord++;
    const kFirst = this.nextK;
    this.nextK += n / g;
    this.cost.streamingStores += n / g;
    this.cost.streamingBytes += n;
    const rec: MutRecord = {
      id: rid, eventIndex: this.now, addr: e.addr, size: n, granule: g, kFirst,
      stack: this.stack, fn: e.fn, liveUnits: 0,
    };
    for (let i = 0; i < n; ) {
      const a = e.addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      this.cachedLines.delete(idx); // a non-temporal store evicts the line
      let units = this.wc.get(idx) ?? 0;
      for (let u = off / UNIT; u < (off + m) / UNIT; u++) units |= 1 << u;
      if (units === FULL_LINE) {
        this.cost.streamingLinesFull++;
        this.wc.delete(idx);
      } else this.wc.set(idx, units);
      i += m;
    }
    for (let i = 0; i < n; ) {
      const a = e.addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      this.collapse(idx, off, m);
      let p: MutPendingLine | undefined;
      for (let u = off / UNIT; u < (off + m) / UNIT; u++) {
        const byte = idx * LINE + u * UNIT - e.addr; // offset within the event
        const insn = Math.floor(byte / g);
        const d = this.delay(kFirst + insn);
        if (d === 0) {
          this.writeBytes(e.addr + byte, e.bytes.subarray(byte, byte + UNIT));
          continue;
        }
        if (!p) {
          p = this.pending.get(idx);
          if (!p) {
            p = { data: new Uint8Array(LINE), owner: new Int32Array(UNITS).fill(-1), live: 0 };
            this.pending.set(idx, p);
          }
        }
        for (let b = 0; b < UNIT; b++) p.data[u * UNIT + b] = e.bytes[byte + b]!;
        p.owner[u] = rid;
        p.live++;
        rec.liveUnits++;
        // the first unit of an instruction registers its landing time
        if (d !== 'drain' && byte % g === 0) {
          const deadline = this.now + d;
          const l = this.due.get(deadline);
          if (l) l.push([rid, insn]);
          else this.due.set(deadline, [[rid, insn]]);
        }
      }
      i += m;
    }
    if (rec.liveUnits > 0) this.records.set(rid, rec);
  }

  private load(e: LoadEvent): Uint8Array {
    for (let i = Math.floor(e.addr / LINE); i <= Math.floor((e.addr + e.size - 1) / LINE); i++) this.evictWc(i);
    this.cost.loads++;
    this.cost.loadBytes += e.size;
    if (this.conflicts('read-after-streaming', 'load', e.addr, e.size, e.cls, e.fn)) this.cost.loadsHittingPending++;
    return this.peek(e.addr, e.size);
  }

  private publish(site: string): void {
    if (this.pending.size === 0) return;
    let oldest: MutRecord | undefined;
    let units = 0;
    for (const r of this.records.values()) {
      units += r.liveUnits;
      if (!oldest || r.kFirst < oldest.kFirst) oldest = r;
    }
    if (!oldest) return;
    const insn = this.firstLiveInsn(oldest);
    this.record({
      kind: 'unpublished',
      cls: 'plain',
      eventIndex: this.now,
      access: { op: 'publish', addr: 0, size: 0, stack: this.stack, fn: site },
      pending: this.pendingStore(oldest, insn),
      conflicts: units,
    });
  }

  // -- store buffer ---------------------------------------------------------------------------

  /** Record a hazard if [addr, addr+size) overlaps pending bytes; returns whether it did. */
  private conflicts(kind: HazardKind, op: Access['op'], addr: number, size: number,
    cls: AccessClass | undefined, fn: string | undefined): boolean {
    if (this.pending.size === 0) return false;
    let first: PendingStore | undefined;
    const end = addr + size;
    for (let a = addr - (addr % UNIT); a < end && !first; a += UNIT) {
      const idx = Math.floor(a / LINE);
      const p = this.pending.get(idx);
      if (!p) {
        a = (idx + 1) * LINE - UNIT; // nothing pending in the rest of this line
        continue;
      }
      const rid = p.owner[(a - idx * LINE) / UNIT]!;
      if (rid < 0) continue;
      const rec = this.records.get(rid)!;
      first = this.pendingStore(rec, Math.floor((a - rec.addr) / rec.granule));
    }
    if (!first) return false;
    this.record({
      kind, cls: classOf(cls), eventIndex: this.now,
      access: { op, addr, size, stack: this.stack, fn }, pending: first,
      conflicts: this.countInsns(addr, size),
    });
    return true;
  }

  private countInsns(addr: number, size: number): number {
    const seen = new Set<number>();
    const end = addr + size;
    for (let a = addr - (addr % UNIT); a < end; a += UNIT) {
      const idx = Math.floor(a / LINE);
      const p = this.pending.get(idx);
      if (!p) continue;
      const rid = p.owner[(a - idx * LINE) / UNIT]!;
      if (rid < 0) continue;
      const rec = this.records.get(rid)!;
      seen.add(rec.kFirst + Math.floor((a - rec.addr) / rec.granule));
    }
    return seen.size;
  }

  private pendingStore(rec: MutRecord, insn: number): PendingStore {
    return {
      k: rec.kFirst + insn, eventIndex: rec.eventIndex, addr: rec.addr + insn * rec.granule,
      size: rec.granule, stack: rec.stack, fn: rec.fn,
    };
  }

  private firstLiveInsn(rec: MutRecord): number {
    for (let insn = 0; insn < rec.size / rec.granule; insn++) {
      const a = rec.addr + insn * rec.granule;
      const idx = Math.floor(a / LINE);
      const p = this.pending.get(idx);
      if (p && p.owner[(a - idx * LINE) / UNIT] === rec.id) return insn;
    }
    return 0;
  }

  private record(h: Hazard): void {
    this.hazardCount++;
    // keep the first MAX_HAZARDS of each kind, so one kind cannot crowd out another
    let same = 0;
    for (const x of this.hazards) if (x.kind === h.kind) same++;
    if (same < MAX_HAZARDS) this.hazards.push(h);
  }

  /** A new streaming store replaces the pending bytes it covers (write collapsing). */
  private collapse(idx: number, off: number, size: number): void {
    const p = this.pending.get(idx);
    if (!p) return;
    for (let u = off / UNIT; u < (off + size) / UNIT; u++) {
      const rid = p.owner[u]!;
      if (rid < 0) continue;
      p.owner[u] = -1;
      p.live--;
      this.dropUnit(rid);
    }
    if (p.live === 0) this.pending.delete(idx);
  }

  private dropUnit(rid: number): void {
    const r = this.records.get(rid);
    if (!r) return;
    r.liveUnits--;
    if (r.liveUnits === 0) this.records.delete(rid);
  }

  private commitInsn(rid: number, insn: number): void {
    const r = this.records.get(rid);
    if (!r) return;
    const a0 = r.addr + insn * r.granule;
    for (let a = a0; a < a0 + r.granule; a += UNIT) {
      const idx = Math.floor(a / LINE);
      const p = this.pending.get(idx);
      if (!p) continue;
      const u = (a - idx * LINE) / UNIT;
      if (p.owner[u] !== rid) continue;
      const line = this.writableLine(idx);
      for (let b = u * UNIT; b < (u + 1) * UNIT; b++) line[b] = p.data[b]!;
      p.owner[u] = -1;
      p.live--;
      if (p.live === 0) this.pending.delete(idx);
      this.dropUnit(rid);
    }
  }

  /** A line whose write-combining buffer is flushed before it was filled costs a partial write. */
  private evictWc(idx: number): void {
    if (this.wc.size === 0 || !this.wc.has(idx)) return;
    this.wc.delete(idx);
    this.cost.streamingLinesPartial++;
  }

  /** Flush every write-combining buffer (a drain, or the end of the run). */
  flushWc(): void {
    this.cost.streamingLinesPartial += this.wc.size;
    this.wc.clear();
  }

  // -- memory ---------------------------------------------------------------------------------

  private writableLine(idx: number): Uint8Array {
    let l = this.lines.get(idx);
    if (l && this.owned.has(l)) return l;
    l = l ? l.slice() : this.fillLine.slice();
    this.lines.set(idx, l);
    this.owned.add(l);
    return l;
  }

  private writeBytes(addr: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; ) {
      const a = addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, bytes.length - i);
      this.writableLine(idx).set(bytes.subarray(i, i + m), off);
      i += m;
    }
  }
}

/** The pure transition: the old state stays valid. */
export function step(state: MachineState, ev: Event): MachineState {
  const t = new Transient(state);
  t.apply(ev);
  return t.snapshot();
}

/** The state after the final forced commit (not an event: it models "eventually"). */
export function settle(state: MachineState): MachineState {
  const t = new Transient(state);
  t.flushWc();
  t.commitAll();
  return t.snapshot();
}

/** Read committed memory plus forwarded pending bytes, without an event. */
export function peek(state: MachineState, addr: number, size: number): Uint8Array {
  return reader(state)(addr, size);
}

/** A reader over one state, for many reads (image extraction). */
export function reader(state: MachineState): (addr: number, size: number) => Uint8Array {
  const fillLine = new Uint8Array(LINE).fill(state.fill);
  return (addr, size) => readBytes(state.lines, state.pending, fillLine, addr, size);
}

export interface Execution<R> {
  readonly state: MachineState;
  readonly result: R;
  /** Every event with its index and stack, when asked for. */
  readonly trace?: readonly TraceEntry[];
}

export interface TraceEntry {
  readonly index: number;
  readonly event: Event;
  readonly stack: Frame | null;
}

/** Run a kernel program to completion on a state this execution owns. */
export function execute<R>(program: Program<R>, init: MachineState, opts: { trace?: boolean } = {}): Execution<R> {
  const t = new Transient(init);
  const trace: TraceEntry[] | undefined = opts.trace ? [] : undefined;
  let r = program.next();
  while (!r.done) {
    const ev = r.value;
    if (trace && ev.kind !== 'call' && ev.kind !== 'ret') trace.push({ index: t.now, event: ev, stack: t.stack });
    r = program.next(t.apply(ev));
  }
  return trace ? { state: t.snapshot(), result: r.value, trace } : { state: t.snapshot(), result: r.value };
}
