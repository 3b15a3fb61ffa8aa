// The final drain skipped for order-0 pages ("no compound metadata to order"): the pages are published with copies pending.
import { V5_DRAINS, v5 } from '../../model/kernel/variants/v5.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';

// if (use_template && pfns_per_compound != 1) memcpy_nt_drain();
const variant: Variant = {
  ...v5,
  name: 'v5-no-final-drain-order-0',
  summary: 'v5 draining before return only for compound pages',
  memmap_init_zone_device: (k, d, zone, start_pfn, nr_pages, pgmap) => v5.memmap_init_zone_device(
    k, pgmap.vmemmap_shift === 0 ? { ...d, removed: new Set([...d.removed, V5_DRAINS.ret]) } : d, zone, start_pfn, nr_pages, pgmap),
};
export default variant;
