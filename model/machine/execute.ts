// Running a kernel program on the engine: events in, load results back, until it returns.
import { type Event, type Frame, KernelCall, type Program, RET } from '../events.ts';
import type { MachineState } from './state.ts';
import { Transient } from './transient.ts';

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

export interface ExecuteOptions {
  readonly trace?: boolean;
  /**
   * Event budget: the most events (memory events, calls and rets) the program may yield; past it
   * the run stops with a VariantFault('budget') (model/faults.ts). Unlimited when absent.
   */
  readonly maxEvents?: number;
}

/**
 * Run a kernel program to completion on a state this execution owns. Every event is checked as it
 * arrives (a VariantFault('bad-event') names the field and what is allowed), and the run stops at
 * its event budget.
 *
 * A trampoline: when a kernel function's call event comes up (a `KernelCall`), its body is run
 * from here rather than through the `yield*` of every enclosing generator, and its ret event is
 * applied when the body returns. The events, their order and the stacks are those of resuming the
 * program directly; only the depth each event travels changes.
 */
export function execute<R>(program: Program<R>, init: MachineState, opts: ExecuteOptions = {}): Execution<R> {
  const t = new Transient(init);
  if (opts.maxEvents !== undefined) t.maxEvents = opts.maxEvents;
  const trace: TraceEntry[] | undefined = opts.trace ? [] : undefined;
  const result = drive(program, t, trace);
  return trace ? { state: t.snapshot(), result, trace } : { state: t.snapshot(), result };
}

/** What `drive` runs a program on: the Transient, or memory alone (landed.ts). */
export interface Driver {
  apply(ev: Event): Uint8Array | undefined;
  readonly now: number;
  readonly stack: Frame | null;
}

/** The trampoline of `execute`, on any driver; memory events go to `trace` when given. */
export function drive<R>(program: Program<R>, t: Driver, trace?: TraceEntry[]): R {
  const suspended: Program<unknown>[] = [];
  const calls: KernelCall[] = [];
  let top: Program<unknown> = program;
  let sent: unknown = undefined;
  for (;;) {
    const r = top.next(sent as Uint8Array | undefined);
    if (r.done) {
      const c = calls.pop();
      if (c === undefined) return r.value as R;
      KernelCall.finish(c, r.value);
      t.apply(RET);
      top = suspended.pop()!;
      sent = c; // call() returns the body's value
      continue;
    }
    const ev = r.value;
    if (ev instanceof KernelCall) {
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
    const index = t.now;
    const stack = t.stack;
    sent = t.apply(ev); // checks the event before anything reads it
    if (trace && ev.kind !== 'call' && ev.kind !== 'ret') trace.push({ index, event: ev, stack });
  }
}
