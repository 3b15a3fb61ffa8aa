// v5 clearing compound_info of the struct page after the range, "to end the last compound page": 8 bytes outside the range.
import type { Program } from '../../model/events.ts';
import { u64 } from '../../model/kernel/bytes.ts';
import type { Drains } from '../../model/kernel/copy.ts';
import type { DevPagemap, Zone } from '../../model/kernel/init.ts';
import { OFF } from '../../model/kernel/layout.ts';
import { type Kernel, pfn_to_page, store } from '../../model/kernel/mm.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { v5 } from '../../model/kernel/variants/v5.ts';

function* memmap_init_zone_device(k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
  yield* v5.memmap_init_zone_device(k, d, zone, start_pfn, nr_pages, pgmap);
  yield store(pfn_to_page(k, start_pfn + nr_pages).addr + OFF.compound_info, u64(0n), 'memmap_init_zone_device');
}

const variant: Variant = {
  ...v5, name: 'v5-clears-compound-info-past-end', summary: 'v5 clearing compound_info of the struct page at end_pfn', memmap_init_zone_device,
};
export default variant;
