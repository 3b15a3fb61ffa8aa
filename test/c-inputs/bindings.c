// memmap-check test input written from the specification; project license.
/*
 * Test input for memmap-check: the bindings no other input calls. One value goes to
 * page->private of start_pfn; the rest are stores and copies the test reads from the trace.
 */
void __ref memmap_init_zone_device(struct zone *zone, unsigned long start_pfn,
				   unsigned long nr_pages, struct dev_pagemap *pgmap)
{
	struct page *first = pfn_to_page(start_pfn);
	struct page *p = first + 1;

	VM_BUG_ON(!first);
	BUG_ON(0);
	VM_BUG_ON_PAGE(0, first);
	VM_BUG_ON_FOLIO(0, first);
	VM_WARN_ON_ONCE_PAGE(0, first);
	VM_WARN_ON(0);
	VM_WARN_ON_ONCE(0);
	WARN(0, "unused %d", 1);
	pr_info("info\n");
	pr_warn("warn %d\n", 2);
	pr_err("err\n");
	mminit_dprintk(0, "memmap_init", "%lu\n", nr_pages);

	/* 3 + 7 + 8 + 0, then the predicates by decimal digit */
	first->private = min(3, 7) + max(3, 7) + ALIGN(5, 4) + WARN_ON(0) +
			 pagemap_resets_refcount(pgmap) * 100 +
			 zone_device_page_init_optimization_enabled() * 1000 +
			 compound_nr_pages(NULL, pgmap) * 10000;

	page_mapcount_reset(p);
	memcpy_flushcache(p + 1, first, sizeof(*p));
	memcpy_nontemporal(p + 2, first, sizeof(*p));
	memcpy_streaming_drain();
}
