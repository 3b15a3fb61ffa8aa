// Pageblock migratetype init: mm/page_alloc.c init_pageblock_migratetype(), mm/mm_init.c
// pageblock_migratetype_init_range() (kernel-spec.md §1.7).
import type { Program } from '../events.ts';
import { MIGRATE_MOVABLE, pageblock_order } from './constants.ts';
import { kernelFn } from './fn.ts';
import { OFF } from './layout.ts';
import { type Kernel, type PageRef, load, pfn_to_page, store, usemapAddr } from './mm.ts';

/** pageblock_aligned(pfn) for the config's pageblock_order. */
export const pageblock_aligned = (pfn: number, order: number = pageblock_order): boolean => pfn % 2 ** order === 0;
/** pageblock_align(): round up */
export const pageblock_align = (pfn: number, order: number = pageblock_order): number => Math.ceil(pfn / 2 ** order) * 2 ** order;

// mm/page_alloc.c init_pageblock_migratetype() -> __set_pfnblock_flags_mask()
export const init_pageblock_migratetype = kernelFn('init_pageblock_migratetype',
  function* (page: PageRef, migratetype: number, _isolate: boolean): Program {
    // get_pfnblock_bitmap_bitidx(): the bitmap word is found from the pfn alone (SPARSEMEM); the
    // struct page is read only by VM_BUG_ON_PAGE(!zone_spans_pfn(page_zone(page), pfn)), which
    // exists only with CONFIG_DEBUG_VM (linux-mm/linux-mm @ 00cb34b0 mm/page_alloc.c)
    if (page.k.cfg.debugVm) yield load(page.addr + OFF.flags, 8, 'page_zone');
    const word = usemapAddr(page.pfn, page.k.cfg.pageblockOrder);
    yield load(word, 1, 'READ_ONCE(*bitmap_word)');
    // try_cmpxchg(): LOCK CMPXCHG on x86, a locked read-modify-write (linux-mm mm/page_alloc.c)
    yield { ...store(word, Uint8Array.of(migratetype & 7), 'try_cmpxchg'), locked: true };
  });

// mm/mm_init.c pageblock_migratetype_init_range() (2026 base, after the init loop)
export const pageblock_migratetype_init_range = kernelFn('pageblock_migratetype_init_range',
  function* (k: Kernel, start: number, nr_pages: number, migratetype: number, _atomic: boolean): Program {
    const end = start + nr_pages;
    const order = k.cfg.pageblockOrder;
    for (let pfn = pageblock_align(start, order); pfn < end; pfn += 2 ** order) {
      yield* init_pageblock_migratetype(pfn_to_page(k, pfn), migratetype, false);
      // cond_resched() on section-aligned pfns: no memory effect
    }
  });

// mm/mm_init.c (v7.1) the per-page block in __init_zone_device_page(), factored by the series as
// zone_device_page_init_pageblock()
export function* zone_device_page_init_pageblock(page: PageRef, pfn: number): Program {
  if (pageblock_aligned(pfn, page.k.cfg.pageblockOrder)) {
    yield* init_pageblock_migratetype(page, MIGRATE_MOVABLE, false);
    // cond_resched(): no memory effect
  }
}
