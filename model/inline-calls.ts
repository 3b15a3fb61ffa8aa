// Wrappers that rewrite a variant's event stream (extra drains, a drain placement) see only the
// top-level events of its Program: a trampolining driver takes kernel function bodies over
// (KernelCall.adopt). inlineCalls() runs those bodies itself, as plain call/ret events, so every
// nested event reaches `rewrite`, which may put an event before it or drop it.
import { type Event, KernelCall, type Program, RET } from './events.ts';

/** What to do with one event: yield `before` first; `drop` it (its sender gets undefined back). */
export interface EventRewrite {
  readonly before?: Event;
  readonly drop?: boolean;
}

export function* inlineCalls<R>(p: Program<R>, rewrite: (ev: Event) => EventRewrite | undefined): Program<R> {
  let sent: unknown;
  for (;;) {
    const r = p.next(sent as Uint8Array | undefined);
    if (r.done) return r.value;
    const ev: Event = r.value;
    if (ev.kind === 'call' && ev instanceof KernelCall) {
      const body = KernelCall.adopt(ev);
      if (body !== null) {
        yield { kind: 'call', fn: ev.fn };
        const result = yield* inlineCalls(body, rewrite);
        yield RET;
        KernelCall.finish(ev, result);
        sent = ev;
        continue;
      }
    }
    const w = rewrite(ev);
    if (w?.before) yield w.before;
    sent = w?.drop ? undefined : yield ev;
  }
}
