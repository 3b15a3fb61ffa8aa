// v3 clearing compound_info of the struct page before start_pfn, "so no compound page runs into the range": 8 bytes outside it.
import type { Program } from '../../model/events.ts';
import { u64 } from '../../model/kernel/bytes.ts';
import type { Drains } from '../../model/kernel/copy.ts';
import type { DevPagemap, Zone } from '../../model/kernel/init.ts';
import { OFF } from '../../model/kernel/layout.ts';
import { type Kernel, pfn_to_page, store } from '../../model/kernel/mm.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { v3 } from '../../model/kernel/variants/v3.ts';

function* memmap_init_zone_device(k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
  yield store(pfn_to_page(k, start_pfn - 1).addr + OFF.compound_info, u64(0n), 'memmap_init_zone_device');
  yield* v3.memmap_init_zone_device(k, d, zone, start_pfn, nr_pages, pgmap);
}

const variant: Variant = {
  ...v3, name: 'v3-clears-compound-info-before-start', summary: 'v3 clearing compound_info of the struct page before start_pfn', memmap_init_zone_device,
};
export default variant;
