// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test input written for memmap-check from kernel-spec.md §1.4: __init_single_page() as mm_init.c
 * defines it, so its header helpers run through the binding table (mm_zero_struct_page,
 * set_page_links, init_page_count, atomic_set, page_cpupid_reset_last, page_kasan_tag_reset,
 * INIT_LIST_HEAD, is_highmem_idx, set_page_address, __va). Prepended to v5.c by the tests.
 */
void __meminit __init_single_page(struct page *page, unsigned long pfn,
				  unsigned long zone, int nid)
{
	mm_zero_struct_page(page);
	set_page_links(page, zone, nid, pfn);
	init_page_count(page);
	atomic_set(&page->_mapcount, -1);
	page_cpupid_reset_last(page);
	page_kasan_tag_reset(page);

	INIT_LIST_HEAD(&page->lru);
#ifdef WANT_PAGE_VIRTUAL
	/* ZONE_DEVICE is below no highmem boundary on 64-bit */
	if (!is_highmem_idx(zone))
		set_page_address(page, __va(pfn << PAGE_SHIFT));
#endif
}

