// base-v7.1: the slow path the seeds measured against (v7.1-rc3): per-page pageblock init inside
// __init_zone_device_page() before the refcount switch, compound_nr_pages(altmap, pgmap) without
// early_section(), and prep_compound_head() after the tail loop. Statement order: linux-mm/linux-mm
// @ 00f68374 mm/mm_init.c, the pre-series code whose compound_nr_pages() and memmap_init_compound()
// the v1 posting (linux-mm @ 633e4201) and the context lines of seed 001 (v2 7/7) build on;
// kernel-spec.md §1.9. (torvalds @ 00c010e1, ~v6.16, still calls prep_compound_head() inside the loop.)
import type { Program } from '../../events.ts';
import { __SetPageHead, compound_nr_pages_v7_1, pgmap_vmemmap_nr, prep_compound_head, prep_compound_tail } from '../compound.ts';
import { __zone_device_page_init, type DevPagemap, type Zone, refcount_switch, set_page_count } from '../init.ts';
import { kernelFn } from '../fn.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../mm.ts';
import { zone_device_page_init_pageblock } from '../pageblock.ts';
import type { Variant } from './types.ts';

// mm/mm_init.c __init_zone_device_page() (linux-mm @ 00f68374: pageblock block before the refcount switch)
export const __init_zone_device_page = kernelFn('__init_zone_device_page',
  function* (k: Kernel, page: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* __zone_device_page_init(k, page, pfn, zone_idx, nid, pgmap);
    yield* zone_device_page_init_pageblock(page, pfn);
    yield* refcount_switch(page, pgmap);
  });

// mm/mm_init.c memmap_init_compound() (linux-mm @ 00f68374)
export const memmap_init_compound = kernelFn('memmap_init_compound',
  function* (k: Kernel, head: PageRef, head_pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap, nr_pages: number): Program {
    const end_pfn = head_pfn + nr_pages;
    const order = pgmap.vmemmap_shift;
    yield* __SetPageHead(head);
    for (let pfn = head_pfn + 1; pfn < end_pfn; pfn++) {
      const page = pfn_to_page(k, pfn);
      yield* __init_zone_device_page(k, page, pfn, zone_idx, nid, pgmap);
      yield* prep_compound_tail(k, page, head, order);
      yield set_page_count(page, 0);
    }
    yield* prep_compound_head(k, head, order);
  });

/** The altmap skip at the top of memmap_init_zone_device(). */
export function altmapStart(start_pfn: number, nr_pages: number, pgmap: DevPagemap): [number, number] {
  const end_pfn = start_pfn + nr_pages;
  if (!pgmap.altmap) return [start_pfn, nr_pages];
  const start = pgmap.altmap.base_pfn + pgmap.altmap.reserve + pgmap.altmap.free; // vmem_altmap_offset()
  return [start, end_pfn - start];
}

// mm/mm_init.c memmap_init_zone_device() (linux-mm @ 00f68374)
export const memmap_init_zone_device = kernelFn('memmap_init_zone_device',
  function* (k: Kernel, _d: unknown, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
    const end_pfn = start_pfn + nr_pages;
    const pfns_per_compound = pgmap_vmemmap_nr(pgmap);
    [start_pfn, nr_pages] = altmapStart(start_pfn, nr_pages, pgmap);
    for (let pfn = start_pfn; pfn < end_pfn; pfn += pfns_per_compound) {
      const page = pfn_to_page(k, pfn);
      yield* __init_zone_device_page(k, page, pfn, zone.zone_idx, zone.node_id, pgmap);
      if (pfns_per_compound === 1) continue;
      yield* memmap_init_compound(k, page, pfn, zone.zone_idx, zone.node_id, pgmap, compound_nr_pages_v7_1(k, pgmap));
    }
  });

export const baseV7_1: Variant = {
  name: 'base-v7.1',
  summary: 'v7.1-rc3 slow path: per-page pageblock init, compound_nr_pages() without early_section()',
  reference: null,
  drainSites: [],
  memmap_init_zone_device,
};
