// The state of one run of a compiled C file: the machine it emits into, the drains, the budget and
// the C positions of the calls in progress (for reports at C lines).
import { type CallEvent, type DrainEvent, type Event, KernelCall, type Program, RET } from '../events.ts';
import { VariantFault } from '../faults.ts';
import type { Drains } from '../kernel/copy.ts';
import type { Kernel } from '../kernel/mm.ts';
import type { CLoc } from './errors.ts';

/** Where the machine takes events: Transient.apply(), plus the harness's trace and budget. */
export type Emit = (ev: Event) => Uint8Array | undefined;

/** A C frame position: the function and the call or access in progress in it. */
export interface CPos {
  readonly fn: string;
  readonly loc: CLoc;
}

export class CRun {
  /** Loop iterations and calls left: a C file cannot loop forever without events. */
  private steps: number;
  /** Next free stack slot for a `struct page` local (one per declaration, released on return). */
  slotTop = 0;
  /** Depth of interpreted C frames, and the position each one is at. */
  depth = 0;
  readonly pos: CLoc[] = [];
  readonly fns: string[] = [];
  /** The drain points --add-drain fills (Drains.added), or null when there are none. */
  readonly added: ReadonlySet<string> | null;

  /** emit() of a call event and of the ret event (the machine's own entry points when it has them). */
  readonly enter: (ev: CallEvent) => void;
  readonly leave: () => void;

  constructor(
    readonly k: Kernel,
    readonly d: Drains,
    readonly emit: Emit,
    readonly stepBudget: number,
    enter?: (ev: CallEvent) => void,
    leave?: () => void,
  ) {
    this.steps = stepBudget;
    this.enter = enter ?? emit;
    this.leave = leave ?? (() => emit(RET));
    this.added = d.added !== undefined && d.added.size !== 0 ? d.added : null;
  }

  /** One loop iteration or call. */
  tick(): void {
    if (--this.steps < 0) {
      throw new VariantFault('budget', `the C code ran ${this.stepBudget} loop iterations and calls without finishing (at ${this.where()})`);
    }
  }

  /** Innermost C position, file:line:col (for faults). */
  where(): string {
    const l = this.pos[this.depth - 1];
    return l ? `${l.file}:${l.line}:${l.col} in ${this.fns[this.depth - 1]}()` : 'entry';
  }

  /** Innermost C position as file:line:col, or null before the entry runs. */
  at(): string | null {
    const l = this.pos[this.depth - 1];
    return l ? `${l.file}:${l.line}:${l.col}` : null;
  }

  /** The C stack, outermost first. */
  cstack(): CPos[] {
    const out: CPos[] = [];
    for (let i = 0; i < this.depth; i++) if (this.pos[i]) out.push({ fn: this.fns[i]!, loc: this.pos[i]! });
    return out;
  }

  /**
   * Run a model helper that is a generator, synchronously. A trampoline, as execute() (see there):
   * a kernel function's body (KernelCall) is resumed from here, not through the KernelCall that
   * wraps it, and its ret event is emitted when the body returns. Same events, same order.
   */
  drive<R>(g: Program<R>): R {
    const suspended: Program<unknown>[] = [];
    const calls: KernelCall[] = [];
    let top: Program<unknown> = g;
    let sent: unknown = undefined;
    for (;;) {
      const r = top.next(sent as Uint8Array | undefined);
      if (r.done) {
        const c = calls.pop();
        if (c === undefined) return r.value as R;
        KernelCall.finish(c, r.value);
        this.leave();
        top = suspended.pop()!;
        sent = c; // call() returns the body's value
        continue;
      }
      const ev = r.value;
      if (ev instanceof KernelCall) {
        const body = KernelCall.adopt(ev);
        if (body !== null) {
          this.enter(ev);
          suspended.push(top);
          calls.push(ev);
          top = body;
          sent = undefined;
          continue;
        }
      }
      sent = this.emit(ev);
    }
  }

  drain(ev: DrainEvent): void {
    if (!this.d.removed.has(ev.site)) this.emit(ev);
  }
}
