// A variant with extra drains inserted anywhere: before chosen memory events of its run. Extra
// drains only make pending stores land earlier, so every property that holds must still hold;
// the drain guard checks that the properties never flag such a variant (no false positives).
import type { Event } from '../model/events.ts';
import { type EventRewrite, inlineCalls } from '../model/inline-calls.ts';
import type { Variant } from '../model/kernel/variants/types.ts';

export const EXTRA_DRAIN_SITE = 'extra';

const EXTRA_DRAIN: Event = { kind: 'drain', site: EXTRA_DRAIN_SITE, fn: 'memcpy_streaming_drain' };
const BEFORE_IT = { before: EXTRA_DRAIN };

/** A rewrite that puts a drain before the i-th memory event of one run whenever `at(i)`. */
function countingFrom0(at: (i: number) => boolean): (ev: Event) => EventRewrite | undefined {
  let n = 0;
  return (ev) => (ev.kind !== 'call' && ev.kind !== 'ret' && at(n++) ? BEFORE_IT : undefined);
}

/** `v` with a drain before its i-th memory event whenever `at(i)` (counted from 0 per run). */
export function withExtraDrains(v: Variant, at: (i: number) => boolean): Variant {
  return {
    ...v,
    memmap_init_zone_device: (k, d, zone, start_pfn, nr_pages, pgmap) =>
      inlineCalls(v.memmap_init_zone_device(k, d, zone, start_pfn, nr_pages, pgmap), countingFrom0(at)),
  };
}
