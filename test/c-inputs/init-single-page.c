// memmap-check test input written from the specification (kernel-spec.md §1.4); project license.
/*
 * Our own __init_single_page() in C, so that the helpers it calls go through
 * the binding table (mm_zero_struct_page, set_page_links, init_page_count,
 * atomic_set, page_cpupid_reset_last, page_kasan_tag_reset, INIT_LIST_HEAD,
 * is_highmem_idx, set_page_address, __va). The tests put it in front of v5.c.
 */
void __meminit __init_single_page(struct page *pg, unsigned long cur_pfn,
		unsigned long zidx, int node)
{
	mm_zero_struct_page(pg);
	set_page_links(pg, zidx, node, cur_pfn);
	init_page_count(pg);
	atomic_set(&pg->_mapcount, -1);	/* not mapped */
	page_cpupid_reset_last(pg);
	page_kasan_tag_reset(pg);

	INIT_LIST_HEAD(&pg->lru);
#ifdef WANT_PAGE_VIRTUAL
	/* no highmem boundary lies under ZONE_DEVICE on 64-bit */
	if (!is_highmem_idx(zidx))	/* lowmem: a linear address */
		set_page_address(pg, __va(cur_pfn << PAGE_SHIFT));
#endif
}
