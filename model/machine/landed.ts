// The machine with nothing but memory: every store lands as it is issued, as under the schedule
// LAND_AT_ONCE, and no store buffer, cost, cache traffic or hazard is kept. A run's final memory
// here is the machine's after its final commit (with nothing pending, no load can differ and no
// store can be overwritten late); what it leaves out is what a reference run never reads. Events
// are checked and counted against the budget as the Transient does (validate.ts).
// test/landed.test.ts compares the images with the machine's on every shipped variant.
import type { CallEvent, Event, Frame } from '../events.ts';
import { LINE } from './constants.ts';
import { LineMemory } from './lines.ts';
import type { MachineState } from './state.ts';
import { budgetFault, checkEvent, okLoad, okSite, okStore } from './validate.ts';

export class Landed {
  private readonly mem: LineMemory;
  private readonly init: MachineState;
  /** Index of the next memory event, and the call stack (for the messages of a bad event). */
  now: number;
  stack: Frame | null;
  events = 0;
  maxEvents = Infinity;

  constructor(init: MachineState) {
    if (init.pending.size !== 0) throw new Error('Landed: a state with pending stores');
    this.init = init;
    this.mem = new LineMemory(init.fill, init.lines);
    this.now = init.now;
    this.stack = init.stack;
  }

  apply(ev: Event): Uint8Array | undefined {
    if (++this.events > this.maxEvents) throw budgetFault(this.maxEvents, this.now, this.stack);
    if (typeof ev !== 'object' || ev === null) checkEvent(ev, this.now, this.stack);
    switch (ev.kind) {
      case 'store': {
        if (!okStore(ev)) checkEvent(ev, this.now, this.stack);
        this.write(ev.addr, ev.bytes);
        this.now++;
        return undefined;
      }
      case 'load': {
        if (!okLoad(ev)) checkEvent(ev, this.now, this.stack);
        this.now++;
        return this.read(ev.addr, ev.size);
      }
      case 'call':
        this.enterFrame(ev);
        return undefined;
      case 'ret':
        this.leaveFrame();
        return undefined;
      case 'drain':
      case 'publish':
        if (!okSite(ev)) checkEvent(ev, this.now, this.stack);
        this.now++;
        return undefined;
      default:
        ev satisfies never;
        checkEvent(ev, this.now, this.stack);
        throw new Error('Landed: checkEvent took an event apply() cannot'); // unreachable
    }
  }

  /** A call event from a driver that knows it has one (Transient.enter). */
  enter(ev: CallEvent): void {
    if (++this.events > this.maxEvents) throw budgetFault(this.maxEvents, this.now, this.stack);
    this.enterFrame(ev);
  }

  leave(): void {
    if (++this.events > this.maxEvents) throw budgetFault(this.maxEvents, this.now, this.stack);
    this.leaveFrame();
  }

  /** The state: the memory, the event count and stack; nothing pending, no cost or hazard. */
  snapshot(): MachineState {
    return { ...this.init, lines: this.mem.share(), now: this.now, stack: this.stack };
  }

  private enterFrame(ev: CallEvent): void {
    if (typeof ev.fn !== 'string') checkEvent(ev, this.now, this.stack);
    this.stack = { fn: ev.fn, parent: this.stack };
  }

  private leaveFrame(): void {
    if (this.stack === null) checkEvent({ kind: 'ret' }, this.now, this.stack);
    this.stack = this.stack!.parent;
  }

  private write(addr: number, bytes: Uint8Array): void {
    const n = bytes.length;
    for (let i = 0; i < n; ) {
      const a = addr + i;
      const idx = Math.floor(a / LINE);
      const off = a - idx * LINE;
      const m = Math.min(LINE - off, n - i);
      const chunk = this.mem.writable(idx);
      const at = this.mem.at + off;
      if (i === 0 && m === n) chunk.set(bytes, at);
      else for (let b = 0; b < m; b++) chunk[at + b] = bytes[i + b]!;
      i += m;
    }
  }

  private read(addr: number, size: number): Uint8Array {
    const idx = Math.floor(addr / LINE);
    const off = addr - idx * LINE;
    if (off + size <= LINE) return this.mem.slice(idx, off, size);
    const out = new Uint8Array(size);
    for (let i = 0; i < size; ) {
      const a = addr + i;
      const l = Math.floor(a / LINE);
      const o = a - l * LINE;
      const n = Math.min(LINE - o, size - i);
      this.mem.read(l, o, n, out, i);
      i += n;
    }
    return out;
  }
}
