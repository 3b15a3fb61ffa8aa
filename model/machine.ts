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
//
// Performance notes (the rules above are unchanged by them; src/bench measures them):
// - A Transient shares the line, cached-line and write-combining maps with the state it started
//   from and with every snapshot it hands out, and copies a map only before its first change
//   after that (so `settle` of a state with nothing pending copies nothing).
// - Lines it writes are views into slabs it allocated since its last snapshot: a line is its own
//   (writable in place) when its buffer is one of those slabs, without a per-line set. A line
//   whose 64 bytes all land at a drain becomes a view of its pending bytes (no copy).
// - Pending streaming bytes live in slot arrays indexed through a LineTable (64 data bytes and 16
//   owner ids per line), and streaming records in arrays by id, not in an object each; snapshots
//   turn them back into `PendingLine` and `StreamRecord` objects.
// - `execute` runs kernel function bodies from a stack of its own (see KernelCall in events.ts),
//   so an event does not travel through every enclosing generator's `yield*`.
import { freeze } from 'immer';
import { type Cost, type MutableCost, ZERO_COST } from './cost.ts';
import { type AccessClass, type Event, type Frame, KernelCall, type LoadEvent, type Program, RET, type StoreEvent } from './events.ts';
import type { Access, Hazard, HazardClass, HazardKind, PendingStore } from './hazards.ts';
import { type Delay, type Schedule, delayLookup } from './schedule.ts';

import { LINE, MAX_HAZARDS, UNIT, UNITS } from './machine/constants.ts';
import { checkEvent } from './machine/validate.ts';

export { LINE, MAX_HAZARDS, UNIT };
const FULL_LINE = (1 << UNITS) - 1;

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

/** Copy `size` bytes at `addr` of a state's memory (pending bytes forwarded) into `out` at `at`. */
function readInto(lines: ReadonlyMap<number, Uint8Array>, pending: ReadonlyMap<number, PendingLine>,
  fillLine: Uint8Array, addr: number, size: number, out: Uint8Array, at: number): void {
  for (let i = 0; i < size; ) {
    const a = addr + i;
    const idx = Math.floor(a / LINE);
    const off = a - idx * LINE;
    const n = Math.min(LINE - off, size - i);
    const line = lines.get(idx) ?? fillLine;
    if (n === LINE) out.set(line, at + i);
    else for (let b = 0; b < n; b++) out[at + i + b] = line[off + b]!;
    if (pending.size !== 0) {
      const p = pending.get(idx);
      if (p) for (let b = off; b < off + n; b++) if (p.owner[(b / UNIT) | 0]! >= 0) out[at + i + b - off] = p.data[b]!;
    }
    i += n;
  }
}

function classOf(cls: AccessClass | undefined): HazardClass {
  return cls === 'folio' ? 'folio-alias' : cls === 'head-flags' ? 'head-flags' : 'plain';
}

/** Lines of one fill value, shared read-only (a transient copies before writing). */
const fillLines = new Map<number, Uint8Array>();
function fillLineOf(fill: number): Uint8Array {
  let l = fillLines.get(fill);
  if (!l) fillLines.set(fill, (l = new Uint8Array(LINE).fill(fill)));
  return l;
}

// Empty arrays standing for "not allocated yet" (never written: growing copies into new arrays).
const NO_LINE = new Uint8Array(0);
const NO_F64 = new Float64Array(0);
const NO_I32 = new Int32Array(0);

/**
 * Line index -> slot (a non-negative int): open addressing with linear probing, without an object
 * per entry. Line indices are mostly consecutive (the memmap): the hash scatters groups of 8
 * consecutive lines (Fibonacci hashing) and keeps each group together, so neighbours share a
 * cache line of keys while no long run of occupied entries builds up.
 */
class LineTable {
  size = 0;
  private used = 0; // entries holding a key or a tombstone
  /** Per entry: EMPTY, TOMB, or line index + 1 (so that a new array is all EMPTY). */
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number; // 32 - log2(capacity / 8)

  constructor() {
    // allocated at the first add (many transients never hold a pending line)
    this.keys = NO_F64;
    this.vals = NO_I32;
    this.mask = 0;
    this.shift = 0;
  }

  private hash(idx: number): number {
    const g = Math.floor(idx / 8);
    const f = Math.imul((g >>> 0) ^ Math.imul((g / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1);
    return ((f >>> this.shift) << 3) | (idx & 7);
  }

  get(idx: number): number {
    if (this.size === 0) return -1;
    const keys = this.keys;
    const key = idx + 1;
    for (let h = this.hash(idx); ; h = (h + 1) & this.mask) {
      const k = keys[h]!;
      if (k === key) return this.vals[h]!;
      if (k === EMPTY) return -1;
    }
  }

  /** Enter idx (not present) with its slot. */
  add(idx: number, slot: number): void {
    if (2 * (this.used + 1) > this.keys.length) this.rehash(this.size + 1);
    const keys = this.keys;
    let h = this.hash(idx);
    while (keys[h]! > 0) h = (h + 1) & this.mask;
    if (keys[h] === EMPTY) this.used++;
    keys[h] = idx + 1;
    this.vals[h] = slot;
    this.size++;
  }

  /** Change the slot of idx (present). */
  move(idx: number, slot: number): void {
    const keys = this.keys;
    let h = this.hash(idx);
    while (keys[h] !== idx + 1) h = (h + 1) & this.mask;
    this.vals[h] = slot;
  }

  delete(idx: number): void {
    const keys = this.keys;
    const key = idx + 1;
    for (let h = this.hash(idx); ; h = (h + 1) & this.mask) {
      const k = keys[h]!;
      if (k === key) {
        keys[h] = TOMB;
        this.size--;
        return;
      }
      if (k === EMPTY) return;
    }
  }

  clear(): void {
    if (this.used === 0) return;
    if (this.keys.length > 1024 && 8 * this.used < this.keys.length) this.reset(MIN_TABLE);
    else {
      this.keys.fill(EMPTY);
      this.size = 0;
      this.used = 0;
    }
  }

  private reset(cap: number): void {
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 35 - Math.log2(cap);
    this.size = 0;
    this.used = 0;
  }

  private rehash(need: number): void {
    let cap = MIN_TABLE;
    while (cap < 4 * need) cap *= 2;
    const keys = this.keys;
    const vals = this.vals;
    this.reset(cap);
    for (let h = 0; h < keys.length; h++) if (keys[h]! > 0) this.add(keys[h]! - 1, vals[h]!);
  }
}
const EMPTY = 0;
const TOMB = -1;
const MIN_TABLE = 16; // >= 16: the hash takes at least one bit of the product

const FIRST_SLAB = 16 * LINE;
const MAX_SLAB = 1024 * LINE;
const FIRST_SLOTS = 16;
const FIRST_RECORDS = 16;

/** A machine state owned by one execution: updated in place, frozen by `snapshot()`. */
export class Transient {
  private readonly fill: number;
  private readonly schedule: Schedule;
  private readonly delay: (k: number) => Delay;
  /** The delay of every instruction when the schedule has no exceptions, else null. */
  private readonly constDelay: Delay | null;
  private readonly fillLine: Uint8Array;

  // Maps shared with states (copied before the first change after sharing).
  private lines: Map<number, Uint8Array>;
  private linesShared = true;
  private cachedLines: Set<number>;
  private cachedShared = true;
  private wc: Map<number, number>;
  private wcShared = true;

  // Lines this transient may write in place: views into the buffers it allocated since its last
  // snapshot (line slabs, and pending-data arenas whose lines it adopted at a commit).
  private slab: Uint8Array = NO_LINE;
  private slabBuffer: ArrayBufferLike | null = null;
  private slabOff = 0;
  private slabSize = FIRST_SLAB;
  private readonly ownedSlabs = new Set<ArrayBufferLike>();
  /** The last line returned by writableLine() (own, and the one in `lines`), or NaN. */
  private wIdx = NaN;
  private wLine: Uint8Array = NO_LINE;
  /** A line index and its entry in `lines` (undefined: never written), for reads; or NaN. */
  private rIdx = NaN;
  private rLine: Uint8Array | undefined = undefined;
  /** A line index known to be in cachedLines, or NaN. */
  private cIdx = NaN;

  // Pending streaming bytes: line index -> slot; per slot its line, 64 data bytes, 16 owners and
  // the count of pending units (0: a dead slot). Slots are taken in order and not reused before
  // the next commit of everything, so the live slots in slot order are the lines in the order
  // they became pending (the order of the state's `pending` map).
  private readonly pending = new LineTable();
  private pIdx = NO_F64;
  private pData = NO_LINE;
  private pOwner = NO_I32;
  private pLive = NO_I32;
  private pTop = 0;
  private pDead = 0;

  // Streaming records with pending units, by id: index j = id - recBase, for j < recTop; a record
  // with rUnits[j] === 0 has no unit pending (it is not in the state's `records`).
  private recBase: number;
  private recTop = 0;
  private recLive = 0;
  private rEvent = NO_F64;
  private rAddr = NO_F64;
  private rK = NO_F64;
  private rSize = NO_I32;
  private rGran = NO_I32;
  private rUnits = NO_I32;
  private rStack: (Frame | null)[] = [];
  private rFn: (string | undefined)[] = [];
  /** deadline -> flat (record id, instruction) pairs */
  private readonly due = new Map<number, number[]>();

  now: number;
  private nextK: number;
  private nextRecord: number;
  stack: Frame | null;
  /** Depth of `stack`, and the last frame entered at each depth (see the call handler). */
  private depth: number;
  private readonly frames: Frame[] = [];
  readonly hazards: Hazard[];
  hazardCount: number;
  private readonly kept: Record<HazardKind, number> = { 'read-after-streaming': 0, 'write-after-streaming': 0, unpublished: 0 };
  readonly cost: MutableCost;
  lastLoad: Uint8Array | null;

  constructor(s: MachineState) {
    this.fill = s.fill;
    this.schedule = s.schedule;
    this.delay = delayLookup(s.schedule);
    this.constDelay = s.schedule.late.length === 0 ? s.schedule.base : null;
    this.fillLine = fillLineOf(s.fill);
    this.lines = s.lines instanceof Map ? s.lines : new Map(s.lines);
    this.cachedLines = s.cachedLines instanceof Set ? s.cachedLines : new Set(s.cachedLines);
    this.wc = s.wc instanceof Map ? s.wc : new Map(s.wc);
    for (const [i, p] of s.pending) {
      const slot = this.newSlot(i, false);
      this.pData.set(p.data, slot * LINE);
      this.pOwner.set(p.owner, slot * UNITS);
      this.pLive[slot] = p.live;
    }
    this.recBase = s.nextRecord;
    for (const i of s.records.keys()) this.recBase = Math.min(this.recBase, i);
    for (const [i, r] of s.records) {
      this.setRecord(i - this.recBase, r.eventIndex, r.addr, r.size, r.granule, r.kFirst, r.stack, r.fn, r.liveUnits);
    }
    for (const [d, l] of s.due) {
      const flat: number[] = [];
      for (const [rid, insn] of l) flat.push(rid, insn);
      this.due.set(d, flat);
    }
    this.now = s.now;
    this.nextK = s.nextK;
    this.nextRecord = s.nextRecord;
    this.stack = s.stack;
    this.depth = 0;
    for (let f = s.stack; f; f = f.parent) this.depth++;
    this.hazards = [...s.hazards];
    for (const h of s.hazards) this.kept[h.kind]++;
    this.hazardCount = s.hazardCount;
    this.cost = { ...s.cost };
    this.lastLoad = s.lastLoad;
  }

  /**
   * The current state as a snapshot would give it, without handing this transient's maps and lines
   * out (copies): for a test that watches a run event by event without changing its course.
   */
  inspect(): MachineState {
    return freeze({
      ...this.stateParts(),
      lines: new Map([...this.lines].map(([i, l]) => [i, l.slice()])),
      cachedLines: new Set(this.cachedLines),
      wc: new Map(this.wc),
    } satisfies MachineState);
  }

  snapshot(): MachineState {
    const parts = this.stateParts();
    // The maps and lines are handed out read-only: copy them again before changing them.
    this.linesShared = this.cachedShared = this.wcShared = true;
    this.ownedSlabs.clear();
    this.slab = NO_LINE;
    this.slabBuffer = null;
    this.slabOff = 0;
    this.slabSize = FIRST_SLAB;
    this.wIdx = NaN;
    this.wLine = NO_LINE;
    return freeze({ ...parts, lines: this.lines, cachedLines: this.cachedLines, wc: this.wc } satisfies MachineState);
  }

  private stateParts(): Omit<MachineState, 'lines' | 'cachedLines' | 'wc'> {
    const pending = new Map<number, PendingLine>();
    for (let slot = 0; slot < this.pTop; slot++) {
      if (this.pLive[slot] === 0) continue;
      pending.set(this.pIdx[slot]!, {
        data: this.pData.slice(slot * LINE, (slot + 1) * LINE),
        owner: this.pOwner.slice(slot * UNITS, (slot + 1) * UNITS),
        live: this.pLive[slot]!,
      });
    }
    const records = new Map<number, StreamRecord>();
    for (let j = 0; j < this.recTop; j++) {
      if (this.rUnits[j]! <= 0) continue;
      const id = this.recBase + j;
      records.set(id, {
        id, eventIndex: this.rEvent[j]!, addr: this.rAddr[j]!, size: this.rSize[j]!, granule: this.rGran[j]!,
        kFirst: this.rK[j]!, stack: this.rStack[j]!, fn: this.rFn[j], liveUnits: this.rUnits[j]!,
      });
    }
    const due = new Map<number, readonly (readonly [number, number])[]>();
    for (const [d, l] of this.due) {
      const pairs: (readonly [number, number])[] = [];
      for (let j = 0; j < l.length; j += 2) pairs.push([l[j]!, l[j + 1]!]);
      due.set(d, pairs);
    }
    return {
      fill: this.fill,
      schedule: this.schedule,
      pending,
      records,
      due,
      now: this.now,
      nextK: this.nextK,
      nextRecord: this.nextRecord,
      stack: this.stack,
      hazards: [...this.hazards],
      hazardCount: this.hazardCount,
      cost: { ...this.cost },
      lastLoad: this.lastLoad,
    };
  }

  /** Apply one event; returns the bytes of a load. */
  apply(ev: Event): Uint8Array | undefined {
    checkEvent(ev, this.now, this.stack);
    return (this.handlers[ev.kind] as (e: Event) => Uint8Array | undefined)(ev);
  }

  // Dispatch table over Event['kind']: the mapped type makes a missing kind a compile error, like
  // ts-pattern's .exhaustive(), without building a matcher per event (profiling showed ts-pattern's
  // builder at 27% of the template path).
  private readonly handlers: { readonly [K in Event['kind']]: (e: Extract<Event, { kind: K }>) => Uint8Array | undefined } = {
    call: (e) => {
      // Frames are immutable values: the last frame entered at this depth is reused when it is the
      // same function called from the same frame (a loop calls the same functions once per page).
      const d = this.depth++;
      const m = d >= 0 ? this.frames[d] : undefined;
      if (m !== undefined && m.parent === this.stack && m.fn === e.fn) this.stack = m;
      else {
        this.stack = { fn: e.fn, parent: this.stack };
        if (d >= 0) this.frames[d] = this.stack;
      }
      return undefined;
    },
    ret: () => {
      if (!this.stack) throw new Error('machine: ret without call');
      this.depth--;
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
    const data = this.pData;
    const owner = this.pOwner;
    let adopted = false;
    for (let slot = 0; slot < this.pTop; slot++) {
      if (this.pLive[slot] === 0) continue;
      const idx = this.pIdx[slot]!;
      const d0 = slot * LINE;
      if (this.pLive[slot] === UNITS) {
        // the whole line lands: its pending bytes become the line (the arena is retired below)
        this.setLine(idx, data.subarray(d0, d0 + LINE));
        adopted = true;
        continue;
      }
      const line = this.writableLine(idx);
      const o0 = slot * UNITS;
      for (let u = 0; u < UNITS; u++) {
        if (owner[o0 + u]! < 0) continue;
        for (let b = u * UNIT; b < (u + 1) * UNIT; b++) line[b] = data[d0 + b]!;
      }
    }
    if (adopted) {
      // its lines are in use: the next pending line takes a new arena of the same size
      this.ownedSlabs.add(data.buffer);
      this.pData = NO_LINE;
    }
    this.pending.clear();
    this.pTop = 0;
    this.pDead = 0;
    this.recBase = this.nextRecord;
    this.recTop = 0;
    this.recLive = 0;
    this.rStack.length = 0;
    this.rFn.length = 0;
    this.due.clear();
  }

  /** Read bytes as this CPU sees them (pending streaming bytes forwarded). No event. */
  peek(addr: number, size: number): Uint8Array {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; ) {
      const a = addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const n = Math.min(LINE - off, size - i);
      this.readLine(idx, off, n, out, i, this.pending.size !== 0 ? this.pending.get(idx) : -1);
      i += n;
    }
    return out;
  }

  /** Copy bytes [off, off+n) of line idx, with the pending bytes of `slot` (or -1), into out at `at`. */
  private readLine(idx: number, off: number, n: number, out: Uint8Array, at: number, slot: number): void {
    let line: Uint8Array | undefined;
    if (idx === this.wIdx) line = this.wLine;
    else if (idx === this.rIdx) line = this.rLine;
    else {
      line = this.lines.get(idx);
      this.rIdx = idx;
      this.rLine = line;
    }
    line ??= this.fillLine;
    if (n === LINE) out.set(line, at);
    else for (let b = 0; b < n; b++) out[at + b] = line[off + b]!;
    if (slot >= 0) {
      const owner = this.pOwner;
      const data = this.pData;
      const o0 = slot * UNITS;
      const d0 = slot * LINE;
      for (let b = off; b < off + n; b++) if (owner[o0 + (b >> 2)]! >= 0) out[at + b - off] = data[d0 + b]!;
    }
  }

  // -- events ---------------------------------------------------------------------------------

  private beginEvent(): void {
    this.cost.fieldOps++;
    if (this.due.size === 0) return;
    const list = this.due.get(this.now - 1);
    if (!list) return;
    this.due.delete(this.now - 1);
    for (let j = 0; j < list.length; j += 2) this.commitInsn(list[j]!, list[j + 1]!);
  }

  private cachedStore(e: StoreEvent): void {
    const bytes = e.bytes;
    const n = bytes.length;
    const addr = e.addr;
    this.cost.cachedStores++;
    this.cost.cachedBytes += n;
    if (this.pending.size !== 0) this.conflicts('write-after-streaming', 'store', addr, n, e.cls, e.fn);
    for (let i = 0; i < n; ) {
      const a = addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      if (this.wc.size !== 0) this.evictWc(idx);
      if (idx !== this.cIdx) {
        if (this.cachedShared) {
          if (!this.cachedLines.has(idx)) {
            this.cachedMut().add(idx);
            this.cost.rfoLines++;
          }
        } else {
          const n0 = this.cachedLines.size;
          if (this.cachedLines.add(idx).size !== n0) this.cost.rfoLines++; // one lookup for has + add
        }
        this.cIdx = idx;
      }
      const line = this.writableLine(idx, m === LINE);
      if (m === LINE) line.set(i === 0 && n === LINE ? bytes : bytes.subarray(i, i + m));
      else for (let b = 0; b < m; b++) line[off + b] = bytes[i + b]!;
      i += m;
    }
  }

  private streamingStore(e: StoreEvent): void {
    const bytes = e.bytes;
    const n = bytes.length;
    const addr = e.addr;
    const g = e.granule ?? 8;
    if (addr % UNIT !== 0 || n % g !== 0 || (g !== 4 && g !== 8)) {
      throw new Error(`machine: streaming store at ${addr} of ${n} bytes with granule ${g} is not a MOVNTI sequence`);
    }
    const rid = this.nextRecord++;
    const kFirst = this.nextK;
    this.nextK += n / g;
    this.cost.streamingStores += n / g;
    this.cost.streamingBytes += n;
    const cd = this.constDelay;
    let units = 0; // of this store, left pending
    // Per line: write-combining and eviction of the cached copy, then the store buffer. (The two
    // touch disjoint state, so doing both per line equals a pass for each.)
    for (let i = 0; i < n; ) {
      const a = addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      const u0 = off / UNIT;
      const nu = m / UNIT;
      // a non-temporal store evicts the line
      if (idx === this.cIdx) this.cIdx = NaN;
      if (this.cachedLines.has(idx)) this.cachedMut().delete(idx);
      const wcUnits = (this.wc.size !== 0 ? (this.wc.get(idx) ?? 0) : 0) | (((1 << nu) - 1) << u0);
      if (wcUnits === FULL_LINE) {
        this.cost.streamingLinesFull++;
        if (this.wc.size !== 0 && this.wc.has(idx)) this.wcMut().delete(idx);
      } else this.wcMut().set(idx, wcUnits);

      // write collapsing: this store replaces the pending bytes it covers
      let slot = this.pending.size !== 0 ? this.pending.get(idx) : -1;
      if (slot >= 0 && !this.collapse(idx, slot, u0, nu)) slot = -1;

      if (cd === 0) {
        // every instruction lands at once
        const line = this.writableLine(idx, m === LINE);
        if (m === LINE) line.set(i === 0 && n === LINE ? bytes : bytes.subarray(i, i + m));
        else for (let b = 0; b < m; b++) line[off + b] = bytes[i + b]!;
      } else if (cd !== null) {
        if (slot < 0) slot = this.newSlot(idx, nu === UNITS);
        const d0 = slot * LINE + off;
        if (m === n) this.pData.set(bytes, d0);
        else if (m >= 16) this.pData.set(bytes.subarray(i, i + m), d0);
        else for (let b = 0; b < m; b++) this.pData[d0 + b] = bytes[i + b]!;
        const o0 = slot * UNITS + u0;
        for (let u = 0; u < nu; u++) this.pOwner[o0 + u] = rid;
        this.pLive[slot]! += nu;
        units += nu;
        if (cd !== 'drain') {
          // the first unit of an instruction registers its landing time
          for (let u = u0; u < u0 + nu; u++) {
            const byte = idx * LINE + u * UNIT - addr;
            if (byte % g === 0) this.addDue(this.now + cd, rid, Math.floor(byte / g));
          }
        }
      } else {
        for (let u = u0; u < u0 + nu; u++) {
          const byte = idx * LINE + u * UNIT - addr; // offset within the event
          const insn = Math.floor(byte / g);
          const d = this.delay(kFirst + insn);
          if (d === 0) {
            const line = this.writableLine(idx);
            for (let b = 0; b < UNIT; b++) line[u * UNIT + b] = bytes[byte + b]!;
            continue;
          }
          if (slot < 0) slot = this.newSlot(idx, false);
          const d0 = slot * LINE + u * UNIT;
          for (let b = 0; b < UNIT; b++) this.pData[d0 + b] = bytes[byte + b]!;
          this.pOwner[slot * UNITS + u] = rid;
          this.pLive[slot]!++;
          units++;
          if (d !== 'drain' && byte % g === 0) this.addDue(this.now + d, rid, insn);
        }
      }
      i += m;
    }
    if (units > 0) {
      if (this.recLive === 0) {
        this.recBase = rid;
        this.recTop = 0;
        this.rStack.length = 0;
        this.rFn.length = 0;
      }
      this.setRecord(rid - this.recBase, this.now, addr, n, g, kFirst, this.stack, e.fn, units);
    }
  }

  /** Enter record j (an index not yet in use, or the next one) with its pending units. */
  private setRecord(j: number, eventIndex: number, addr: number, size: number, granule: number, kFirst: number,
    stack: Frame | null, fn: string | undefined, liveUnits: number): void {
    if (j >= this.rUnits.length) this.growRecords(j + 1);
    for (let x = this.recTop; x < j; x++) this.rUnits[x] = 0;
    this.rEvent[j] = eventIndex;
    this.rAddr[j] = addr;
    this.rSize[j] = size;
    this.rGran[j] = granule;
    this.rK[j] = kFirst;
    this.rUnits[j] = liveUnits;
    this.rStack[j] = stack;
    this.rFn[j] = fn;
    if (j >= this.recTop) this.recTop = j + 1;
    this.recLive++;
  }

  private growRecords(need: number): void {
    let cap = Math.max(FIRST_RECORDS, this.rUnits.length);
    while (cap < need) cap *= 2;
    const f64 = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    const i32 = (a: Int32Array) => { const b = new Int32Array(cap); b.set(a); return b; };
    this.rEvent = f64(this.rEvent);
    this.rAddr = f64(this.rAddr);
    this.rK = f64(this.rK);
    this.rSize = i32(this.rSize);
    this.rGran = i32(this.rGran);
    this.rUnits = i32(this.rUnits);
  }

  private addDue(deadline: number, rid: number, insn: number): void {
    const l = this.due.get(deadline);
    if (l) l.push(rid, insn);
    else this.due.set(deadline, [rid, insn]);
  }

  private load(e: LoadEvent): Uint8Array {
    const addr = e.addr;
    const size = e.size;
    if (this.wc.size !== 0) {
      for (let i = Math.floor(addr / LINE); i <= Math.floor((addr + size - 1) / LINE); i++) this.evictWc(i);
    }
    this.cost.loads++;
    this.cost.loadBytes += size;
    const idx = Math.floor(addr / LINE);
    const off = addr - idx * LINE;
    if (size > 0 && off + size <= LINE) {
      // within one line: nothing pending in it, no hazard
      const slot = this.pending.size !== 0 ? this.pending.get(idx) : -1;
      if (slot >= 0 && this.conflicts('read-after-streaming', 'load', addr, size, e.cls, e.fn)) {
        this.cost.loadsHittingPending++;
      }
      const out = new Uint8Array(size);
      this.readLine(idx, off, size, out, 0, slot);
      return out;
    }
    if (this.pending.size !== 0 && this.conflicts('read-after-streaming', 'load', addr, size, e.cls, e.fn)) {
      this.cost.loadsHittingPending++;
    }
    return this.peek(addr, size);
  }

  private publish(site: string): void {
    if (this.pending.size === 0) return;
    let oldest = -1;
    let insns = 0;
    for (let j = 0; j < this.recTop; j++) {
      if (this.rUnits[j]! <= 0) continue;
      insns += this.liveInsns(this.recBase + j);
      if (oldest < 0 || this.rK[j]! < this.rK[oldest]!) oldest = j;
    }
    if (oldest < 0) return;
    const rid = this.recBase + oldest;
    const insn = this.firstLiveInsn(rid);
    this.record({
      kind: 'unpublished',
      cls: 'plain',
      eventIndex: this.now,
      access: { op: 'publish', addr: 0, size: 0, stack: this.stack, fn: site },
      pending: this.pendingStore(rid, insn),
      conflicts: insns,
    });
  }

  // -- store buffer ---------------------------------------------------------------------------

  /** Index of record `rid` if it has pending units, else -1. */
  private recIndex(rid: number): number {
    const j = rid - this.recBase;
    return j >= 0 && j < this.recTop && this.rUnits[j]! > 0 ? j : -1;
  }

  /** The record id owning the pending unit at `a` (4-aligned), or -1. */
  private ownerAt(a: number): number {
    const idx = Math.floor(a / LINE);
    const slot = this.pending.get(idx);
    if (slot < 0) return -1;
    return this.pOwner[slot * UNITS + (a - idx * LINE) / UNIT]!;
  }

  /** Instruction index within record `rid` of the unit at `a`. */
  private insnOf(rid: number, a: number): number {
    const j = rid - this.recBase;
    return Math.floor((a - this.rAddr[j]!) / this.rGran[j]!);
  }

  /** Record a hazard if [addr, addr+size) overlaps pending bytes; returns whether it did. */
  private conflicts(kind: HazardKind, op: Access['op'], addr: number, size: number,
    cls: AccessClass | undefined, fn: string | undefined): boolean {
    if (this.pending.size === 0) return false;
    let first: PendingStore | undefined;
    const end = addr + size;
    for (let a = addr - (addr % UNIT); a < end && !first; a += UNIT) {
      const idx = Math.floor(a / LINE);
      const slot = this.pending.get(idx);
      if (slot < 0) {
        a = (idx + 1) * LINE - UNIT; // nothing pending in the rest of this line
        continue;
      }
      const rid = this.pOwner[slot * UNITS + (a - idx * LINE) / UNIT]!;
      if (rid < 0) continue;
      first = this.pendingStore(rid, this.insnOf(rid, a));
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
      const rid = this.ownerAt(a);
      if (rid < 0) continue;
      seen.add(this.rK[rid - this.recBase]! + this.insnOf(rid, a));
    }
    return seen.size;
  }

  private pendingStore(rid: number, insn: number): PendingStore {
    const j = rid - this.recBase;
    const g = this.rGran[j]!;
    return {
      k: this.rK[j]! + insn, eventIndex: this.rEvent[j]!, addr: this.rAddr[j]! + insn * g,
      size: g, stack: this.rStack[j]!, fn: this.rFn[j],
    };
  }

  /** Store instructions of record `rid` with at least one byte still pending. */
  private liveInsns(rid: number): number {
    const j = rid - this.recBase;
    const g = this.rGran[j]!;
    let n = 0;
    for (let a0 = this.rAddr[j]!; a0 < this.rAddr[j]! + this.rSize[j]!; a0 += g) {
      for (let a = a0; a < a0 + g; a += UNIT) {
        if (this.ownerAt(a) === rid) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  /** The first instruction of record `rid` with a byte still pending (any of its units, not only the first). */
  private firstLiveInsn(rid: number): number {
    const j = rid - this.recBase;
    const a0 = this.rAddr[j]!;
    for (let a = a0; a < a0 + this.rSize[j]!; a += UNIT) {
      if (this.ownerAt(a) === rid) return this.insnOf(rid, a);
    }
    return 0;
  }

  private record(h: Hazard): void {
    this.hazardCount++;
    // keep the first MAX_HAZARDS of each kind, so one kind cannot crowd out another
    if (this.kept[h.kind] < MAX_HAZARDS) {
      this.kept[h.kind]++;
      this.hazards.push(h);
    }
  }

  /**
   * Drop the pending units [u0, u0+nu) of line idx held in `slot` (a new streaming store replaces
   * them: write collapsing). Returns false when the line has nothing pending left (slot freed).
   */
  private collapse(idx: number, slot: number, u0: number, nu: number): boolean {
    const o0 = slot * UNITS;
    for (let u = u0; u < u0 + nu; u++) {
      const rid = this.pOwner[o0 + u]!;
      if (rid < 0) continue;
      this.pOwner[o0 + u] = -1;
      this.pLive[slot]!--;
      this.dropUnit(rid);
    }
    if (this.pLive[slot] !== 0) return true;
    this.freeSlot(idx, slot);
    return false;
  }

  private dropUnit(rid: number): void {
    const j = this.recIndex(rid);
    if (j < 0) return;
    if (--this.rUnits[j]! === 0) {
      this.rStack[j] = null;
      this.recLive--;
    }
  }

  private commitInsn(rid: number, insn: number): void {
    const j = this.recIndex(rid);
    if (j < 0) return;
    const g = this.rGran[j]!;
    const a0 = this.rAddr[j]! + insn * g;
    for (let a = a0; a < a0 + g; a += UNIT) {
      const idx = Math.floor(a / LINE);
      const slot = this.pending.get(idx);
      if (slot < 0) continue;
      const u = (a - idx * LINE) / UNIT;
      if (this.pOwner[slot * UNITS + u] !== rid) continue;
      const line = this.writableLine(idx);
      const d0 = slot * LINE;
      for (let b = u * UNIT; b < (u + 1) * UNIT; b++) line[b] = this.pData[d0 + b]!;
      this.pOwner[slot * UNITS + u] = -1;
      this.pLive[slot]!--;
      if (this.pLive[slot] === 0) this.freeSlot(idx, slot);
      this.dropUnit(rid);
    }
  }

  /** A slot for line idx, which becomes pending; `full`: all its 64 bytes are about to be written. */
  private newSlot(idx: number, full: boolean): number {
    if (this.pTop === this.pLive.length) {
      if (this.pDead > 0 && 2 * this.pDead >= this.pTop) this.compactSlots();
      else this.growSlots();
    }
    if (this.pData.length === 0) this.pData = new Uint8Array(this.pLive.length * LINE); // retired at a commit
    const s = this.pTop++;
    if (!full) {
      this.pData.fill(0, s * LINE, (s + 1) * LINE);
      this.pOwner.fill(-1, s * UNITS, (s + 1) * UNITS);
    }
    this.pIdx[s] = idx;
    this.pLive[s] = 0;
    this.pending.add(idx, s);
    return s;
  }

  private growSlots(): void {
    const cap = Math.max(FIRST_SLOTS, 2 * this.pLive.length);
    const idx = new Float64Array(cap);
    idx.set(this.pIdx);
    const data = new Uint8Array(cap * LINE);
    data.set(this.pData);
    const owner = new Int32Array(cap * UNITS);
    owner.set(this.pOwner);
    const live = new Int32Array(cap);
    live.set(this.pLive);
    this.pIdx = idx;
    this.pData = data;
    this.pOwner = owner;
    this.pLive = live;
  }

  /** Move the live slots down over the dead ones, keeping their order. */
  private compactSlots(): void {
    let to = 0;
    for (let from = 0; from < this.pTop; from++) {
      if (this.pLive[from] === 0) continue;
      if (to !== from) {
        this.pIdx[to] = this.pIdx[from]!;
        this.pData.copyWithin(to * LINE, from * LINE, (from + 1) * LINE);
        this.pOwner.copyWithin(to * UNITS, from * UNITS, (from + 1) * UNITS);
        this.pLive[to] = this.pLive[from]!;
        this.pending.move(this.pIdx[to]!, to);
      }
      to++;
    }
    this.pTop = to;
    this.pDead = 0;
  }

  private freeSlot(idx: number, slot: number): void {
    this.pending.delete(idx);
    this.pLive[slot] = 0;
    this.pDead++;
  }

  /** A line whose write-combining buffer is flushed before it was filled costs a partial write. */
  private evictWc(idx: number): void {
    if (this.wc.size === 0 || !this.wc.has(idx)) return;
    this.wcMut().delete(idx);
    this.cost.streamingLinesPartial++;
  }

  /** Flush every write-combining buffer (a drain, or the end of the run). */
  flushWc(): void {
    this.cost.streamingLinesPartial += this.wc.size;
    if (this.wc.size === 0) return;
    if (this.wcShared) {
      this.wc = new Map();
      this.wcShared = false;
    } else this.wc.clear();
  }

  // -- memory ---------------------------------------------------------------------------------

  private cachedMut(): Set<number> {
    if (this.cachedShared) {
      this.cachedLines = new Set(this.cachedLines);
      this.cachedShared = false;
    }
    return this.cachedLines;
  }

  private wcMut(): Map<number, number> {
    if (this.wcShared) {
      this.wc = new Map(this.wc);
      this.wcShared = false;
    }
    return this.wc;
  }

  /** Make `line` (a buffer this transient owns) the contents of line idx. */
  private setLine(idx: number, line: Uint8Array): void {
    if (this.linesShared) {
      this.lines = new Map(this.lines);
      this.linesShared = false;
    }
    this.lines.set(idx, line);
    if (idx === this.rIdx) this.rIdx = NaN;
    this.wIdx = idx;
    this.wLine = line;
  }

  /** Line idx, own and in `lines`; `whole`: the caller overwrites all of it (no need to copy it). */
  private writableLine(idx: number, whole = false): Uint8Array {
    if (idx === this.wIdx) return this.wLine;
    const l = this.lines.get(idx);
    if (l !== undefined && (l.buffer === this.slabBuffer || this.ownedSlabs.has(l.buffer))) {
      this.wIdx = idx;
      this.wLine = l;
      return l;
    }
    const fresh = this.allocLine();
    if (!whole) fresh.set(l ?? this.fillLine);
    this.setLine(idx, fresh);
    return fresh;
  }

  private allocLine(): Uint8Array {
    if (this.slabOff === this.slab.length) {
      this.slab = new Uint8Array(this.slabSize);
      this.slabBuffer = this.slab.buffer;
      this.ownedSlabs.add(this.slabBuffer);
      this.slabOff = 0;
      this.slabSize = Math.min(2 * this.slabSize, MAX_SLAB);
    }
    const l = this.slab.subarray(this.slabOff, this.slabOff + LINE);
    this.slabOff += LINE;
    return l;
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
  const read = readerInto(state);
  return (addr, size) => {
    const out = new Uint8Array(size);
    read(addr, size, out, 0);
    return out;
  };
}

/** Like `reader`, but copies into `out` at `at` (no allocation per read). */
export function readerInto(state: MachineState): (addr: number, size: number, out: Uint8Array, at: number) => void {
  const fillLine = fillLineOf(state.fill);
  return (addr, size, out, at) => readInto(state.lines, state.pending, fillLine, addr, size, out, at);
}

/**
 * Copy the memory of `state` (pending bytes forwarded, as `reader` reads it) at ascending,
 * disjoint address ranges into `out`: range i, [addr, addr + size), goes to `out` at `at`. Equal to
 * a `readerInto` call per range; when the ranges cover much of the state's lines, it makes one
 * pass over the lines instead of a lookup per line (a big map's lookups miss the cache).
 */
export function readRanges(state: MachineState, ranges: readonly (readonly [addr: number, size: number, at: number])[], out: Uint8Array): void {
  let total = 0;
  for (const [, size] of ranges) total += size;
  if (4 * total < LINE * state.lines.size) {
    const read = readerInto(state);
    for (const [addr, size, at] of ranges) read(addr, size, out, at);
    return;
  }
  for (const [, size, at] of ranges) out.fill(state.fill, at, at + size);
  // the first range ending after `a` (ranges ascending), or ranges.length
  const find = (a: number): number => {
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const [addr, size] = ranges[mid]!;
      if (addr + size <= a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const [idx, line] of state.lines) {
    const a0 = idx * LINE;
    for (let r = find(a0); r < ranges.length; r++) {
      const [addr, size, at] = ranges[r]!;
      if (addr >= a0 + LINE) break;
      const from = Math.max(addr, a0);
      const to = Math.min(addr + size, a0 + LINE);
      if (to - from === LINE && line.length === LINE) out.set(line, at + a0 - addr);
      else for (let a = from; a < to; a++) out[at + a - addr] = line[a - a0]!;
    }
  }
  if (state.pending.size === 0) return;
  for (const [idx, p] of state.pending) {
    const a0 = idx * LINE;
    for (let r = find(a0); r < ranges.length; r++) {
      const [addr, size, at] = ranges[r]!;
      if (addr >= a0 + LINE) break;
      const from = Math.max(addr, a0);
      const to = Math.min(addr + size, a0 + LINE);
      for (let a = from; a < to; a++) if (p.owner[((a - a0) / UNIT) | 0]! >= 0) out[at + a - addr] = p.data[a - a0]!;
    }
  }
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

/**
 * Run a kernel program to completion on a state this execution owns.
 *
 * A trampoline: when a kernel function's call event comes up (a `KernelCall`), its body is run
 * from here rather than through the `yield*` of every enclosing generator, and its ret event is
 * applied when the body returns. The events, their order and the stacks are those of resuming the
 * program directly; only the depth each event travels changes.
 */
export interface ExecuteOptions {
  readonly trace?: boolean;
  /** Event budget: past it the run stops with a VariantFault('budget') (model/faults.ts). */
  readonly maxEvents?: number;
}

export function execute<R>(program: Program<R>, init: MachineState, opts: ExecuteOptions = {}): Execution<R> {
  const t = new Transient(init);
  const trace: TraceEntry[] | undefined = opts.trace ? [] : undefined;
  const suspended: Program<unknown>[] = [];
  const calls: KernelCall[] = [];
  let top: Program<unknown> = program;
  let sent: unknown = undefined;
  let result: R;
  for (;;) {
    const r = top.next(sent as Uint8Array | undefined);
    if (r.done) {
      const c = calls.pop();
      if (c === undefined) {
        result = r.value as R;
        break;
      }
      KernelCall.finish(c, r.value);
      t.apply(RET);
      top = suspended.pop()!;
      sent = c; // call() returns the body's value
      continue;
    }
    const ev = r.value;
    if (ev.kind === 'call' && ev instanceof KernelCall) {
      const body = KernelCall.adopt(ev);
      if (body !== null) {
        t.apply(ev);
        suspended.push(top);
        calls.push(ev);
        top = body;
        sent = undefined;
        continue;
      }
    }
    if (trace && ev.kind !== 'call' && ev.kind !== 'ret') trace.push({ index: t.now, event: ev, stack: t.stack });
    sent = t.apply(ev);
  }
  return trace ? { state: t.snapshot(), result, trace } : { state: t.snapshot(), result };
}
