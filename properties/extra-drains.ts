// A variant with extra drains inserted anywhere: before chosen memory events of its run. Extra
// drains only make pending stores land earlier, so every property that holds must still hold;
// the drain guard checks that the properties never flag such a variant (no false positives).
import { type Event, KernelCall, type Program, RET } from '../model/events.ts';
import type { Variant } from '../model/kernel/variants/types.ts';

export const EXTRA_DRAIN_SITE = 'extra';

/**
 * Run `p`, yielding a drain before the i-th memory event when `at(i)`. Kernel function bodies that
 * a trampolining driver would take over (KernelCall) are run here instead, as plain call/ret
 * events, so that the events of every nested function pass through.
 */
function* inject<R>(p: Program<R>, at: (i: number) => boolean, count: { n: number }): Program<R> {
  let sent: unknown;
  for (;;) {
    const r = p.next(sent as Uint8Array | undefined);
    if (r.done) return r.value;
    const ev: Event = r.value;
    if (ev.kind === 'call' && ev instanceof KernelCall) {
      const body = KernelCall.adopt(ev);
      if (body !== null) {
        yield { kind: 'call', fn: ev.fn };
        const result = yield* inject(body, at, count);
        yield RET;
        KernelCall.finish(ev, result);
        sent = ev;
        continue;
      }
    }
    if (ev.kind !== 'call' && ev.kind !== 'ret' && at(count.n++)) yield { kind: 'drain', site: EXTRA_DRAIN_SITE, fn: 'memcpy_streaming_drain' };
    sent = yield ev;
  }
}

/** `v` with a drain before its i-th memory event whenever `at(i)` (counted from 0 per run). */
export function withExtraDrains(v: Variant, at: (i: number) => boolean): Variant {
  return {
    ...v,
    memmap_init_zone_device: (k, d, zone, start_pfn, nr_pages, pgmap) =>
      inject(v.memmap_init_zone_device(k, d, zone, start_pfn, nr_pages, pgmap), at, { n: 0 }),
  };
}
