// The fast engine: a machine state owned by one execution, updated in place event by event and
// frozen by `snapshot()`. It follows the rules of reference.ts (the specification) and is
// differential-tested against it; this file sequences each event over the parts that keep the
// state: landed memory (lines.ts), store buffer (store-buffer.ts), cost and cache lines
// (traffic.ts) and hazards (hazard-log.ts). Every event is checked as it arrives (validate.ts),
// and a run past its event budget stops: a driver of a Transient gets both.
import { freeze } from 'immer';
import type { MutableCost } from '../cost.ts';
import { type AccessClass, type CallEvent, type Event, type Frame, type LoadEvent, RET, type RetEvent, type StoreEvent } from '../events.ts';
import type { Access, Hazard, HazardKind } from '../hazards.ts';
import type { Schedule } from '../schedule.ts';
import { LINE, UNIT } from './constants.ts';
import { HazardLog, classOf } from './hazard-log.ts';
import { LineMemory } from './lines.ts';
import type { MachineState } from './state.ts';
import { StoreBuffer } from './store-buffer.ts';
import { Traffic } from './traffic.ts';
import { budgetFault, checkEvent, okLoad, okSite, okStore } from './validate.ts';

export class Transient {
  private readonly schedule: Schedule;
  private readonly mem: LineMemory;
  private readonly buf: StoreBuffer;
  private readonly traffic: Traffic;
  private readonly log: HazardLog;

  /** Index of the next memory event. */
  now: number;
  stack: Frame | null;
  /** Depth of `stack`, and the last frame entered at each depth (see the call handler). */
  private depth: number;
  private readonly frames: Frame[] = [];
  readonly hazards: Hazard[];
  readonly cost: MutableCost;
  lastLoad: Uint8Array | null;
  /** Events applied (memory, call and ret), and the most allowed: past it `apply` throws VariantFault('budget'). */
  events = 0;
  maxEvents = Infinity;

  constructor(s: MachineState) {
    this.schedule = s.schedule;
    this.mem = new LineMemory(s.fill, s.lines);
    this.buf = new StoreBuffer(s, this.mem);
    this.traffic = new Traffic(s.cost, s.cachedLines, s.wc);
    this.log = new HazardLog(s.hazards, s.hazardCount);
    this.now = s.now;
    this.stack = s.stack;
    this.depth = 0;
    for (let f = s.stack; f; f = f.parent) this.depth++;
    this.hazards = this.log.list;
    this.cost = this.traffic.cost;
    this.lastLoad = s.lastLoad;
  }

  get hazardCount(): number {
    return this.log.count;
  }

  /** The state, frozen; the maps it shares with this transient are copied before the next change. */
  snapshot(): MachineState {
    return freeze({ ...this.parts(), lines: this.mem.share(), ...this.traffic.share() } satisfies MachineState);
  }

  /**
   * The current state as a snapshot would give it, without handing this transient's maps and lines
   * out (copies): for a test that watches a run event by event without changing its course.
   */
  inspect(): MachineState {
    return freeze({ ...this.parts(), lines: this.mem.copy(), ...this.traffic.copy() } satisfies MachineState);
  }

  private parts(): Omit<MachineState, 'lines' | 'cachedLines' | 'wc'> {
    return {
      fill: this.mem.fill,
      schedule: this.schedule,
      ...this.buf.snapshot(),
      now: this.now,
      stack: this.stack,
      hazards: [...this.log.list],
      hazardCount: this.log.count,
      cost: { ...this.cost },
      lastLoad: this.lastLoad,
    };
  }

  /**
   * Apply one event; returns the bytes of a load. Throws VariantFault on a bad event (the same
   * checks as the specification's: validate.ts) or past the event budget.
   */
  apply(ev: Event): Uint8Array | undefined {
    if (++this.events > this.maxEvents) throw budgetFault(this.maxEvents, this.now, this.stack);
    if (typeof ev !== 'object' || ev === null) return this.refuse(ev);
    // Each case first runs a quick check of its kind's fields (validate.ts), reading the fields it
    // uses anyway; checkEvent, with its messages, only runs when that check fails.
    switch (ev.kind) {
      case 'store': {
        if (!okStore(ev)) checkEvent(ev, this.now, this.stack);
        this.beginEvent();
        if (ev.via === 'cached') this.cachedStore(ev);
        else this.streamingStore(ev);
        this.now++;
        return undefined;
      }
      case 'load': {
        if (!okLoad(ev)) checkEvent(ev, this.now, this.stack);
        this.beginEvent();
        const v = this.load(ev);
        this.now++;
        this.lastLoad = v;
        return v;
      }
      case 'call':
        this.call(ev);
        return undefined;
      case 'ret':
        this.ret(ev);
        return undefined;
      case 'drain':
        if (!okSite(ev)) checkEvent(ev, this.now, this.stack);
        this.beginEvent();
        this.cost.drains++;
        this.cost.linesPendingAtDrains += this.buf.lines.size;
        this.traffic.flushWc();
        this.buf.commitAll();
        this.now++;
        return undefined;
      case 'publish': {
        if (!okSite(ev)) checkEvent(ev, this.now, this.stack);
        this.beginEvent();
        const o = this.buf.oldest();
        if (o) {
          const access: Access = { op: 'publish', addr: 0, size: 0, stack: this.stack, fn: ev.site };
          this.log.record({ kind: 'unpublished', cls: 'plain', eventIndex: this.now, access, pending: o.store, conflicts: o.insns });
        }
        this.now++;
        return undefined;
      }
      default:
        ev satisfies never; // a missing kind is a compile error
        return this.refuse(ev);
    }
  }

  /**
   * A call event, for a driver that knows it has one (the C front-end's calls): apply(ev) without
   * the dispatch on the event's kind. The same check, budget and effect.
   */
  enter(ev: CallEvent): void {
    if (++this.events > this.maxEvents) throw budgetFault(this.maxEvents, this.now, this.stack);
    this.call(ev);
  }

  /** The ret event, as apply(RET) (see enter()). */
  leave(): void {
    if (++this.events > this.maxEvents) throw budgetFault(this.maxEvents, this.now, this.stack);
    this.ret(RET);
  }

  private call(ev: CallEvent): void {
    if (typeof ev.fn !== 'string') checkEvent(ev, this.now, this.stack);
    // Frames are immutable values: the last frame entered at this depth is reused when it is the
    // same function called from the same frame (a loop calls the same functions once per page).
    const d = this.depth++;
    const m = this.frames[d];
    if (m !== undefined && m.parent === this.stack && m.fn === ev.fn) this.stack = m;
    else this.stack = this.frames[d] = { fn: ev.fn, parent: this.stack };
  }

  private ret(ev: RetEvent): void {
    if (this.stack === null) checkEvent(ev, this.now, this.stack);
    this.depth--;
    this.stack = this.stack!.parent;
  }

  private refuse(ev: unknown): never {
    checkEvent(ev, this.now, this.stack);
    throw new Error('machine: checkEvent took an event apply() cannot'); // unreachable
  }

  /** Land every pending store (the final forced commit of the image; a drain also counts it). */
  commitAll(): void {
    this.buf.commitAll();
  }

  /** Flush every write-combining buffer (the end of the run). */
  flushWc(): void {
    this.traffic.flushWc();
  }

  /** Read bytes as this CPU sees them (pending streaming bytes forwarded). No event. */
  peek(addr: number, size: number): Uint8Array {
    const out = new Uint8Array(size);
    for (let i = 0; i < size; ) {
      const a = addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const n = Math.min(LINE - off, size - i);
      this.mem.read(idx, off, n, out, i);
      const slot = this.buf.lines.size !== 0 ? this.buf.lines.get(idx) : -1;
      if (slot >= 0) this.buf.overlay(slot, off, n, out, i);
      i += n;
    }
    return out;
  }

  // -- events ---------------------------------------------------------------------------------

  /** Every memory event counts as a field operation, after the stores due before it land. */
  private beginEvent(): void {
    this.cost.fieldOps++;
    this.buf.landDue(this.now);
  }

  private cachedStore(e: StoreEvent): void {
    const bytes = e.bytes;
    const n = bytes.length;
    const addr = e.addr;
    this.cost.cachedStores++;
    this.cost.cachedBytes += n;
    if (this.buf.lines.size !== 0) this.conflicts('write-after-streaming', 'store', addr, n, e.cls, e.fn);
    for (let i = 0; i < n; ) {
      const a = addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      this.traffic.cachedLine(idx);
      const chunk = this.mem.writable(idx);
      const at = this.mem.at + off;
      if (i === 0 && m === n) chunk.set(bytes, at);
      else for (let b = 0; b < m; b++) chunk[at + b] = bytes[i + b]!;
      i += m;
    }
  }

  private streamingStore(e: StoreEvent): void {
    const n = e.bytes.length;
    const g = e.granule ?? 8;
    this.cost.streamingStores += n / g;
    this.cost.streamingBytes += n;
    for (let i = 0; i < n; ) {
      const a = e.addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      this.traffic.streamedLine(idx, off / UNIT, m / UNIT);
      i += m;
    }
    this.buf.stream(e.addr, e.bytes, g, this.now, this.stack, e.fn);
  }

  private load(e: LoadEvent): Uint8Array {
    const addr = e.addr;
    const size = e.size;
    this.traffic.loadedLines(Math.floor(addr / LINE), Math.floor((addr + size - 1) / LINE));
    this.cost.loads++;
    this.cost.loadBytes += size;
    const idx = Math.floor(addr / LINE);
    const off = addr - idx * LINE;
    if (off + size <= LINE) {
      // within one line: nothing pending in it, no hazard
      const slot = this.buf.lines.size !== 0 ? this.buf.lines.get(idx) : -1;
      if (slot >= 0 && this.conflicts('read-after-streaming', 'load', addr, size, e.cls, e.fn)) {
        this.cost.loadsHittingPending++;
      }
      const out = this.mem.slice(idx, off, size);
      if (slot >= 0) this.buf.overlay(slot, off, size, out, 0);
      return out;
    }
    if (this.buf.lines.size !== 0 && this.conflicts('read-after-streaming', 'load', addr, size, e.cls, e.fn)) {
      this.cost.loadsHittingPending++;
    }
    return this.peek(addr, size);
  }

  /** Record a hazard if [addr, addr+size) overlaps pending bytes; returns whether it did. */
  private conflicts(kind: HazardKind, op: Access['op'], addr: number, size: number,
    cls: AccessClass | undefined, fn: string | undefined): boolean {
    const first = this.buf.firstConflict(addr, size);
    if (!first) return false;
    this.log.record({
      kind, cls: classOf(cls), eventIndex: this.now,
      access: { op, addr, size, stack: this.stack, fn }, pending: first,
      conflicts: this.buf.countConflicts(addr, size),
    });
    return true;
  }
}
