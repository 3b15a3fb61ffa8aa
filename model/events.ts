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

const RET: RetEvent = { kind: 'ret' };
const calls = new Map<string, CallEvent>();

/** Wrap a body in call/ret events so traces show the kernel call stack. */
export function* call<R>(fn: string, body: Program<R>): Program<R> {
  let c = calls.get(fn);
  if (!c) calls.set(fn, (c = { kind: 'call', fn }));
  yield c;
  const r = yield* body;
  yield RET;
  return r;
}
