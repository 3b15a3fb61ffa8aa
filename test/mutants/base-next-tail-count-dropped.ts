// Slow path without the tail set_page_count(page, 0) ("the refcount switch already did it"): GENERIC tails keep refcount 1.
import type { Program } from '../../model/events.ts';
import { __SetPageHead, prep_compound_head, prep_compound_tail } from '../../model/kernel/compound.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import type { DevPagemap } from '../../model/kernel/init.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../../model/kernel/mm.ts';
import { __init_zone_device_page, makeBaseNext } from '../../model/kernel/variants/base-next.ts';

const memmap_init_compound = kernelFn('memmap_init_compound',
  function* (k: Kernel, head: PageRef, head_pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap, nr_pages: number): Program {
    const order = pgmap.vmemmap_shift;
    yield* __SetPageHead(head);
    for (let pfn = head_pfn + 1; pfn < head_pfn + nr_pages; pfn++) {
      const page = pfn_to_page(k, pfn);
      yield* __init_zone_device_page(k, page, pfn, zone_idx, nid, pgmap);
      yield* prep_compound_tail(k, page, head, order);
      // set_page_count(page, 0) dropped
    }
    yield* prep_compound_head(k, head, order);
  });

export default {
  ...makeBaseNext('base-next-tail-count-dropped', 'base-next without set_page_count(page, 0) on tails', memmap_init_compound),
  reference: 'base-next',
};
