// base-next: the 2026 mm base (linux-next / mm-new, without the Li Zhe series), with Muchun Song's
// fixes: pageblock migratetypes set by one range walk after the loop, compound_nr_pages() with
// early_section(). Source: kernel-spec.md §1.2, §1.3, §1.6, §1.7 (analogdevicesinc/linux @ 0afd34fb).
import type { Program } from '../../events.ts';
import { __SetPageHead, compound_nr_pages, pgmap_vmemmap_nr, prep_compound_head, prep_compound_tail } from '../compound.ts';
import { MIGRATE_MOVABLE } from '../constants.ts';
import { __zone_device_page_init, type DevPagemap, type Zone, refcount_switch, set_page_count } from '../init.ts';
import { kernelFn } from '../fn.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../mm.ts';
import { pageblock_migratetype_init_range } from '../pageblock.ts';
import { altmapStart } from './base-v7_1.ts';
import type { Variant } from './types.ts';

// mm/mm_init.c __init_zone_device_page() (2026)
export const __init_zone_device_page = kernelFn('__init_zone_device_page',
  function* (k: Kernel, page: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* __zone_device_page_init(k, page, pfn, zone_idx, nid, pgmap);
    yield* refcount_switch(page, pgmap);
  });

// mm/mm_init.c memmap_init_compound() (2026)
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

type MemmapInitCompound = typeof memmap_init_compound;

/** base-next with a different memmap_init_compound(), for mutants of the slow path. */
export function makeBaseNext(name: string, summary: string, init_compound: MemmapInitCompound = memmap_init_compound): Variant {
  // mm/mm_init.c memmap_init_zone_device() (2026)
  const memmap_init_zone_device = kernelFn('memmap_init_zone_device',
    function* (k: Kernel, _d: unknown, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
      const end_pfn = start_pfn + nr_pages;
      const pfns_per_compound = pgmap_vmemmap_nr(pgmap);
      [start_pfn, nr_pages] = altmapStart(start_pfn, nr_pages, pgmap);
      for (let pfn = start_pfn; pfn < end_pfn; pfn += pfns_per_compound) {
        const page = pfn_to_page(k, pfn);
        yield* __init_zone_device_page(k, page, pfn, zone.zone_idx, zone.node_id, pgmap);
        // cond_resched() on section-aligned pfns: no memory effect
        if (pfns_per_compound === 1) continue;
        yield* init_compound(k, page, pfn, zone.zone_idx, zone.node_id, pgmap, compound_nr_pages(k, pfn, pgmap));
      }
      yield* pageblock_migratetype_init_range(k, start_pfn, nr_pages, MIGRATE_MOVABLE, false);
    });
  return { name, summary, reference: null, drainSites: [], memmap_init_zone_device };
}

export const baseNext = makeBaseNext('base-next',
  '2026 mm base: pageblock range init after the loop, compound_nr_pages() with early_section()');
