// A head __SetPageHead() before its streamed copy is drained: the read-modify-write of head->flags meets the pending copy.
import type { Program } from '../../model/events.ts';
import { __SetPageHead } from '../../model/kernel/compound.ts';
import { type Drains, drain } from '../../model/kernel/copy.ts';
import type { DevPagemap } from '../../model/kernel/init.ts';
import type { Kernel, PageRef } from '../../model/kernel/mm.ts';
import {
  V5_DRAINS, V5_DRAIN_FN, V5_DRAIN_WHERE, V5_OPTIONS, makeV5Like, memmap_init_compound,
} from '../../model/kernel/variants/v5.ts';

const AFTER_SET_HEAD = 'after-__SetPageHead';

// in memmap_init_zone_device(): __SetPageHead(page); memcpy_nt_drain(); memmap_init_compound(...);
function* set_head_then_compound(k: Kernel, d: Drains, head: PageRef, head_pfn: number, zone_idx: number, nid: number,
  pgmap: DevPagemap, nr_pages: number, use_template: boolean): Program {
  yield* __SetPageHead(head);
  if (use_template) yield* drain(d, AFTER_SET_HEAD, V5_DRAIN_FN);
  yield* memmap_init_compound(k, d, head, head_pfn, zone_idx, nid, pgmap, nr_pages, use_template);
}

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-set-page-head-before-drain', summary: 'v5 setting PG_head on the copied head before DRAIN #2',
  drains: [V5_DRAINS.ret], memmap_init_compound: set_head_then_compound,
  extraDrainSites: [
    { name: AFTER_SET_HEAD, where: 'memmap_init_zone_device(): after the head copy and __SetPageHead(), before memmap_init_compound()' },
    { name: V5_DRAINS.prep, where: V5_DRAIN_WHERE[V5_DRAINS.prep] },
  ],
});
