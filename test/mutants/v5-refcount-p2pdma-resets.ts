// Refcount policy inverted for one pgmap type: PCI_P2PDMA listed with GENERIC in pagemap_resets_refcount(), its pages keep refcount 1.
import type { Program } from '../../model/events.ts';
import { MEMORY_DEVICE_GENERIC, MEMORY_DEVICE_PCI_P2PDMA } from '../../model/kernel/constants.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import { type DevPagemap, __zone_device_page_init, set_page_count } from '../../model/kernel/init.ts';
import type { Kernel, PageRef } from '../../model/kernel/mm.ts';
import { V5_OPTIONS, makeV5Like } from '../../model/kernel/variants/v5.ts';

const pagemap_resets_refcount = (pgmap: DevPagemap): boolean =>
  pgmap.type === MEMORY_DEVICE_GENERIC || pgmap.type === MEMORY_DEVICE_PCI_P2PDMA;

const zone_device_page_init_slow = kernelFn('zone_device_page_init_slow',
  function* (k: Kernel, page: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* __zone_device_page_init(k, page, pfn, zone_idx, nid, pgmap);
    if (!pagemap_resets_refcount(pgmap)) yield set_page_count(page, 0);
  });

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-refcount-p2pdma-resets', summary: 'v5 whose pagemap_resets_refcount() returns true for PCI_P2PDMA',
  page_init_slow: zone_device_page_init_slow,
});
