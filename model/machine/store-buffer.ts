// The store buffer: pending streaming store instructions, per 4-byte unit. A streaming store
// replaces the pending units it covers (write collapsing); each instruction lands after the delay
// the schedule gives it, or at a drain, into the landed memory (LineMemory).
//
// Layout (no object per line or per store, so that a 1 GiB range pending costs no garbage):
// - pending lines: line index -> slot through a LineTable; per slot its line index, 64 data bytes,
//   16 owner ids (the streaming record of each unit, or -1) and the count of pending units (0: a
//   dead slot). Slots are taken in order and not reused before the next commit of everything, so
//   the live slots in slot order are the lines in the order they became pending.
// - records (one per streaming store event with a unit pending): arrays by id - recBase.
// - due: deadline event index -> flat (record id, instruction) pairs that land after it.
// Snapshots turn them back into `PendingLine` and `StreamRecord` objects (state.ts).
import type { Frame } from '../events.ts';
import type { PendingStore } from '../hazards.ts';
import { type Delay, type Schedule, delayLookup } from '../schedule.ts';
import { LINE, UNIT, UNITS } from './constants.ts';
import { NO_F64, NO_I32, NO_LINE } from './empty.ts';
import { LineTable } from './line-table.ts';
import type { LineMemory } from './lines.ts';
import type { MachineState, PendingLine, StreamRecord } from './state.ts';

const FIRST_SLOTS = 16;
const FIRST_RECORDS = 16;

export class StoreBuffer {
  private readonly delay: (k: number) => Delay;
  /** The delay of every instruction when the schedule has no exceptions, else null. */
  private readonly constDelay: Delay | null;

  /** Lines with pending units: line index -> slot. */
  readonly lines = new LineTable();
  private pIdx = NO_F64;
  private pData = NO_LINE;
  /** pData as 32-bit words */
  private pWords = NO_I32;
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
  private readonly due = new Map<number, number[]>();

  /** Index k of the next streaming store instruction, and id of the next record. */
  nextK: number;
  nextRecord: number;

  constructor(s: MachineState, private readonly mem: LineMemory) {
    this.delay = delayLookup(s.schedule);
    this.constDelay = s.schedule.late.length === 0 ? s.schedule.base : null;
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
    this.nextK = s.nextK;
    this.nextRecord = s.nextRecord;
  }

  /** The pending lines, records and due instructions as state objects (fresh copies). */
  snapshot(): Pick<MachineState, 'pending' | 'records' | 'due' | 'nextK' | 'nextRecord'> {
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
    return { pending, records, due, nextK: this.nextK, nextRecord: this.nextRecord };
  }

  // -- entering streaming stores ----------------------------------------------------------------

  /** A streaming store of `bytes` at `addr` (4-aligned), split into instructions of `g` bytes, at event `now`. */
  stream(addr: number, bytes: Uint8Array, g: number, now: number, stack: Frame | null, fn: string | undefined): void {
    const n = bytes.length;
    const rid = this.nextRecord++;
    const kFirst = this.nextK;
    this.nextK += n / g;
    const cd = this.constDelay;
    let units = 0; // of this store, left pending
    for (let i = 0; i < n; ) {
      const a = addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      const u0 = off / UNIT;
      const nu = m / UNIT;

      // write collapsing: this store replaces the pending bytes it covers
      let slot = this.lines.size !== 0 ? this.lines.get(idx) : -1;
      if (slot >= 0 && !this.collapse(idx, slot, u0, nu)) slot = -1;

      if (cd === 0) {
        // every instruction lands at once
        const chunk = this.mem.writable(idx);
        const at = this.mem.at + off;
        if (i === 0 && m === n) chunk.set(bytes, at);
        else for (let b = 0; b < m; b++) chunk[at + b] = bytes[i + b]!;
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
            if (byte % g === 0) this.addDue(now + cd, rid, Math.floor(byte / g));
          }
        }
      } else {
        for (let u = u0; u < u0 + nu; u++) {
          const byte = idx * LINE + u * UNIT - addr; // offset within the event
          const insn = Math.floor(byte / g);
          const d = this.delay(kFirst + insn);
          if (d === 0) {
            const chunk = this.mem.writable(idx);
            const at = this.mem.at + u * UNIT;
            for (let b = 0; b < UNIT; b++) chunk[at + b] = bytes[byte + b]!;
            continue;
          }
          if (slot < 0) slot = this.newSlot(idx, false);
          const d0 = slot * LINE + u * UNIT;
          for (let b = 0; b < UNIT; b++) this.pData[d0 + b] = bytes[byte + b]!;
          this.pOwner[slot * UNITS + u] = rid;
          this.pLive[slot]!++;
          units++;
          if (d !== 'drain' && byte % g === 0) this.addDue(now + d, rid, insn);
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
      this.setRecord(rid - this.recBase, now, addr, n, g, kFirst, stack, fn, units);
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

  // -- landing ----------------------------------------------------------------------------------

  /** Before memory event `now`: land the instructions whose delay ran out at the event before it. */
  landDue(now: number): void {
    if (this.due.size === 0) return;
    const list = this.due.get(now - 1);
    if (!list) return;
    this.due.delete(now - 1);
    for (let j = 0; j < list.length; j += 2) this.commitInsn(list[j]!, list[j + 1]!);
  }

  private commitInsn(rid: number, insn: number): void {
    const j = this.recIndex(rid);
    if (j < 0) return;
    const g = this.rGran[j]!;
    const a0 = this.rAddr[j]! + insn * g;
    for (let a = a0; a < a0 + g; a += UNIT) {
      const idx = Math.floor(a / LINE);
      const slot = this.lines.get(idx);
      if (slot < 0) continue;
      const u = (a - idx * LINE) / UNIT;
      if (this.pOwner[slot * UNITS + u] !== rid) continue;
      const chunk = this.mem.writable(idx);
      const at = this.mem.at;
      const d0 = slot * LINE;
      for (let b = u * UNIT; b < (u + 1) * UNIT; b++) chunk[at + b] = this.pData[d0 + b]!;
      this.pOwner[slot * UNITS + u] = -1;
      this.pLive[slot]!--;
      if (this.pLive[slot] === 0) this.freeSlot(idx, slot);
      this.dropUnit(rid);
    }
  }

  /** Land every pending store (a drain, or the final forced commit of the image). */
  commitAll(): void {
    const data = this.pData;
    const owner = this.pOwner;
    for (let slot = 0; slot < this.pTop; slot++) {
      if (this.pLive[slot] === 0) continue;
      const idx = this.pIdx[slot]!;
      const d0 = slot * LINE;
      if (this.pLive[slot] === UNITS) {
        // the whole line lands
        this.mem.setLine(idx, this.pWords, d0 / 4);
        continue;
      }
      const chunk = this.mem.writable(idx);
      const at = this.mem.at;
      const o0 = slot * UNITS;
      for (let u = 0; u < UNITS; u++) {
        if (owner[o0 + u]! < 0) continue;
        for (let b = u * UNIT; b < (u + 1) * UNIT; b++) chunk[at + b] = data[d0 + b]!;
      }
    }
    this.lines.clear();
    this.pTop = 0;
    this.pDead = 0;
    this.recBase = this.nextRecord;
    this.recTop = 0;
    this.recLive = 0;
    this.rStack.length = 0;
    this.rFn.length = 0;
    this.due.clear();
  }

  // -- what is pending --------------------------------------------------------------------------

  /** Copy the pending bytes among [off, off+n) of the line in `slot` into out at `at`. */
  overlay(slot: number, off: number, n: number, out: Uint8Array, at: number): void {
    const owner = this.pOwner;
    const data = this.pData;
    const o0 = slot * UNITS;
    const d0 = slot * LINE;
    for (let b = off; b < off + n; b++) if (owner[o0 + (b >> 2)]! >= 0) out[at + b - off] = data[d0 + b]!;
  }

  /** The pending instruction at the lowest pending byte of [addr, addr+size), if any. */
  firstConflict(addr: number, size: number): PendingStore | undefined {
    if (this.lines.size === 0) return undefined;
    const end = addr + size;
    for (let a = addr - (addr % UNIT); a < end; a += UNIT) {
      const idx = Math.floor(a / LINE);
      const slot = this.lines.get(idx);
      if (slot < 0) {
        a = (idx + 1) * LINE - UNIT; // nothing pending in the rest of this line
        continue;
      }
      const rid = this.pOwner[slot * UNITS + (a - idx * LINE) / UNIT]!;
      if (rid >= 0) return this.pendingStore(rid, this.insnOf(rid, a));
    }
    return undefined;
  }

  /** How many pending instructions [addr, addr+size) overlaps. */
  countConflicts(addr: number, size: number): number {
    const seen = new Set<number>();
    const end = addr + size;
    for (let a = addr - (addr % UNIT); a < end; a += UNIT) {
      const rid = this.ownerAt(a);
      if (rid < 0) continue;
      seen.add(this.rK[rid - this.recBase]! + this.insnOf(rid, a));
    }
    return seen.size;
  }

  /** The oldest pending instruction and the number pending, or undefined if nothing is (publish). */
  oldest(): { readonly store: PendingStore; readonly insns: number } | undefined {
    if (this.lines.size === 0) return undefined;
    let oldest = -1;
    let insns = 0;
    for (let j = 0; j < this.recTop; j++) {
      if (this.rUnits[j]! <= 0) continue;
      insns += this.liveInsns(this.recBase + j);
      if (oldest < 0 || this.rK[j]! < this.rK[oldest]!) oldest = j;
    }
    if (oldest < 0) return undefined;
    const rid = this.recBase + oldest;
    return { store: this.pendingStore(rid, this.firstLiveInsn(rid)), insns };
  }

  /** Index of record `rid` if it has pending units, else -1. */
  private recIndex(rid: number): number {
    const j = rid - this.recBase;
    return j >= 0 && j < this.recTop && this.rUnits[j]! > 0 ? j : -1;
  }

  /** The record id owning the pending unit at `a` (4-aligned), or -1. */
  private ownerAt(a: number): number {
    const idx = Math.floor(a / LINE);
    const slot = this.lines.get(idx);
    if (slot < 0) return -1;
    return this.pOwner[slot * UNITS + (a - idx * LINE) / UNIT]!;
  }

  /** Instruction index within record `rid` of the unit at `a`. */
  private insnOf(rid: number, a: number): number {
    const j = rid - this.recBase;
    return Math.floor((a - this.rAddr[j]!) / this.rGran[j]!);
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

  // -- slots and records ------------------------------------------------------------------------

  private dropUnit(rid: number): void {
    const j = this.recIndex(rid);
    if (j < 0) return;
    if (--this.rUnits[j]! === 0) {
      this.rStack[j] = null;
      this.recLive--;
    }
  }

  /** A slot for line idx, which becomes pending; `full`: all its 64 bytes are about to be written. */
  private newSlot(idx: number, full: boolean): number {
    if (this.pTop === this.pLive.length) {
      if (this.pDead > 0 && 2 * this.pDead >= this.pTop) this.compactSlots();
      else this.growSlots();
    }
    const s = this.pTop++;
    if (!full) {
      this.pData.fill(0, s * LINE, (s + 1) * LINE);
      this.pOwner.fill(-1, s * UNITS, (s + 1) * UNITS);
    }
    this.pIdx[s] = idx;
    this.pLive[s] = 0;
    this.lines.add(idx, s);
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
    this.pWords = new Int32Array(data.buffer);
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
        this.lines.move(this.pIdx[to]!, to);
      }
      to++;
    }
    this.pTop = to;
    this.pDead = 0;
  }

  private freeSlot(idx: number, slot: number): void {
    this.lines.delete(idx);
    this.pLive[slot] = 0;
    this.pDead++;
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
}
