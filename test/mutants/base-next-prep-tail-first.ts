// Slow path with prep_compound_tail() before the tail's init: __init_single_page() wipes compound_info, the tail decodes to itself.
import type { Program } from '../../model/events.ts';
import { __SetPageHead, prep_compound_head, prep_compound_tail } from '../../model/kernel/compound.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import { type DevPagemap, set_page_count } from '../../model/kernel/init.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../../model/kernel/mm.ts';
import { __init_zone_device_page, makeBaseNext } from '../../model/kernel/variants/base-next.ts';

const memmap_init_compound = kernelFn('memmap_init_compound',
  function* (k: Kernel, head: PageRef, head_pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap, nr_pages: number): Program {
    const order = pgmap.vmemmap_shift;
    yield* __SetPageHead(head);
    for (let pfn = head_pfn + 1; pfn < head_pfn + nr_pages; pfn++) {
      const page = pfn_to_page(k, pfn);
      yield* prep_compound_tail(k, page, head, order); // moved above the init
      yield* __init_zone_device_page(k, page, pfn, zone_idx, nid, pgmap);
      yield set_page_count(page, 0);
    }
    yield* prep_compound_head(k, head, order);
  });

export default {
  ...makeBaseNext('base-next-prep-tail-first', 'base-next with prep_compound_tail() before the tail init', memmap_init_compound),
  reference: 'base-next',
};
