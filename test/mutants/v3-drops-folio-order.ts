// v3 clearing the order byte of _flags_1 after init, as if folio_set_order() were left out: every compound page decodes as order 0.
import type { Program } from '../../model/events.ts';
import type { Drains } from '../../model/kernel/copy.ts';
import type { DevPagemap, Zone } from '../../model/kernel/init.ts';
import { OFF } from '../../model/kernel/layout.ts';
import { type Kernel, pfn_to_page, store } from '../../model/kernel/mm.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { v3 } from '../../model/kernel/variants/v3.ts';

function* memmap_init_zone_device(k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
  yield* v3.memmap_init_zone_device(k, d, zone, start_pfn, nr_pages, pgmap);
  if (pgmap.vmemmap_shift === 0) return;
  const cs = 2 ** pgmap.vmemmap_shift;
  const off = pgmap.altmap ? pgmap.altmap.reserve + pgmap.altmap.free : 0;
  for (let pfn = start_pfn + off; pfn < start_pfn + nr_pages; pfn += cs) {
    yield store(pfn_to_page(k, pfn + 1).addr + OFF.flags, new Uint8Array(1), 'folio_set_order');
  }
}

const variant: Variant = {
  ...v3, name: 'v3-drops-folio-order', summary: 'v3 with the folio order in _flags_1 cleared', memmap_init_zone_device,
};
export default variant;
