// Memory events yielded by kernel programs; the machine consumes them (DESIGN.md §3).

export type Via = 'cached' | 'streaming';

/** A hint from the kernel model so a hazard can be named in kernel terms (DESIGN.md §4). */
export type AccessClass = 'folio' | 'head-flags';

export interface StoreEvent {
  readonly kind: 'store';
  readonly addr: number;
  readonly bytes: Uint8Array;
  readonly via: Via;
  /** Streaming stores only: the size of one store instruction (MOVNTI is 8 or 4 bytes). */
  readonly granule?: number;
  readonly cls?: AccessClass;
  /** Leaf kernel helper that issued it, shown as the innermost frame. */
  readonly fn?: string;
  /**
   * The store of a locked read-modify-write (LOCK CMPXCHG: try_cmpxchg() on x86). The contract
   * machine treats it as a plain cached store (the memcpy_streaming() contract orders nothing
   * with it); the x86 mode (model/x86/kernel-trace.ts) honours it: every earlier NT store is
   * visible before it (Intel SDM vol. 3 §8.2.2, §11.3.1).
   */
  readonly locked?: boolean;
}

export interface LoadEvent {
  readonly kind: 'load';
  readonly addr: number;
  readonly size: number;
  readonly cls?: AccessClass;
  readonly fn?: string;
}

export interface DrainEvent {
  readonly kind: 'drain';
  readonly site: string;
  readonly fn?: string;
}

export interface PublishEvent {
  readonly kind: 'publish';
  readonly site: string;
}

export interface CallEvent {
  readonly kind: 'call';
  readonly fn: string;
}

export interface RetEvent {
  readonly kind: 'ret';
}

export type MemoryEvent = StoreEvent | LoadEvent | DrainEvent | PublishEvent;
export type Event = MemoryEvent | CallEvent | RetEvent;

/** A kernel function: yields events, receives the bytes of each load. */
export type Program<R = void> = Generator<Event, R, Uint8Array | undefined>;

/** Kernel call stack as an immutable linked list (innermost first). */
export interface Frame {
  readonly fn: string;
  readonly parent: Frame | null;
}

export function stackNames(frame: Frame | null, leaf?: string): string[] {
  const out: string[] = [];
  for (let f = frame; f; f = f.parent) out.push(f.fn);
  out.reverse();
  if (leaf !== undefined && leaf !== out[out.length - 1]) out.push(leaf);
  return out;
}

/** The ret event (one shared object: it carries nothing). */
export const RET: RetEvent = { kind: 'ret' };

/**
 * One kernel function invocation: the Program that `call()` returns. It yields itself as the call
 * event, then the body's events, then the ret event, and returns the body's value: exactly what
 *
 *     function* call(fn, body) { yield { kind: 'call', fn }; const r = yield* body; yield RET; return r; }
 *
 * does (next/return/throw included), without a generator of its own. It also lets a driver run the
 * body directly instead of resuming it through every enclosing generator's `yield*` (a
 * trampoline, see `execute`): the events, their order and the call stack stay the same.
 * Only `kind` and `fn` are own properties, so as an event it prints and compares like any other
 * CallEvent.
 */
export class KernelCall<R = unknown> implements CallEvent, Program<R> {
  readonly kind = 'call' as const;
  readonly fn: string;
  #body: Program<R> | null;
  /** 0 not started, 1 call yielded, 2 in the body, 3 ret yielded, 4 done; 5 body adopted by a driver */
  #state = 0;
  #result: R | undefined = undefined;

  constructor(fn: string, body: Program<R>) {
    this.fn = fn;
    this.#body = body;
  }

  /**
   * For a driver, when this call event comes up: take the body to run it. The driver then applies
   * the ret event itself when the body returns, calls `finish()` with its value, and resumes the
   * generator that yielded this event with this event as the sent value, which completes it with
   * that value. Null if the body was already started or taken.
   */
  static adopt(c: KernelCall<unknown>): Program<unknown> | null {
    if (c.#state !== 1) return null;
    c.#state = 5;
    return c.#body;
  }

  static finish(c: KernelCall<unknown>, result: unknown): void {
    c.#result = result;
  }

  next(sent?: Uint8Array | undefined): IteratorResult<Event, R> {
    switch (this.#state) {
      case 0:
        this.#state = 1;
        return { value: this, done: false };
      case 1:
        this.#state = 2;
        return this.step(undefined); // the value sent for the call event is dropped, as yield* body starts
      case 2:
        return this.step(sent);
      case 3:
        this.#state = 4;
        return { value: this.#result as R, done: true };
      case 5:
        if ((sent as unknown) !== this) throw new Error(`${this.fn}: body adopted by a driver, resumed without it`);
        this.#state = 4;
        return { value: this.#result as R, done: true };
      default:
        return { value: undefined as R, done: true };
    }
  }

  /** Resume the body; after its return, yield the ret event. */
  private step(sent: Uint8Array | undefined): IteratorResult<Event, R> {
    let r: IteratorResult<Event, R>;
    try {
      r = this.#body!.next(sent);
    } catch (e) {
      this.#state = 4;
      throw e;
    }
    return this.after(r);
  }

  private after(r: IteratorResult<Event, R>): IteratorResult<Event, R> {
    if (!r.done) return r;
    this.#result = r.value;
    this.#state = 3;
    return { value: RET, done: false };
  }

  return(value: R): IteratorResult<Event, R> {
    if (this.#state !== 2) {
      this.#state = 4;
      return { value, done: true };
    }
    let r: IteratorResult<Event, R>;
    try {
      r = this.#body!.return(value);
    } catch (e) {
      this.#state = 4;
      throw e;
    }
    if (r.done) this.#state = 4;
    return r;
  }

  throw(e: unknown): IteratorResult<Event, R> {
    if (this.#state !== 2) {
      this.#state = 4;
      throw e;
    }
    let r: IteratorResult<Event, R>;
    try {
      r = this.#body!.throw(e);
    } catch (x) {
      this.#state = 4;
      throw x;
    }
    return this.after(r);
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** Wrap a body in call/ret events so traces show the kernel call stack. */
export function call<R>(fn: string, body: Program<R>): Program<R> {
  return new KernelCall(fn, body);
}
