// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test input written for memmap-check: base-next.c without compound_nr_pages() and
 * pageblock_migratetype_init_range(), which then come from the binding table, and with the
 * older prep_compound_tail(head, tail_idx) form. Kernel style; not kernel source.
 */
#ifdef CONFIG_ZONE_DEVICE
static void __ref __init_zone_device_page(struct page *page, unsigned long pfn,
					  unsigned long zone_idx, int nid,
					  struct dev_pagemap *pgmap)
{
	__init_single_page(page, pfn, zone_idx, nid);
	__SetPageReserved(page);

	/* ->lru of a device page holds the pgmap back pointer */
	page_folio(page)->pgmap = pgmap;
	page->zone_device_data = NULL;

	switch (pgmap->type) {
	case MEMORY_DEVICE_FS_DAX:
	case MEMORY_DEVICE_PRIVATE:
	case MEMORY_DEVICE_COHERENT:
	case MEMORY_DEVICE_PCI_P2PDMA:
		set_page_count(page, 0);
		break;
	case MEMORY_DEVICE_GENERIC:
		break;
	}
}

static void __ref memmap_init_compound(struct page *head,
				       unsigned long head_pfn,
				       unsigned long zone_idx, int nid,
				       struct dev_pagemap *pgmap,
				       unsigned long nr_pages)
{
	unsigned long pfn, end_pfn = head_pfn + nr_pages;
	unsigned int order = pgmap->vmemmap_shift;

	__SetPageHead(head);
	for (pfn = head_pfn + 1; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		__init_zone_device_page(page, pfn, zone_idx, nid, pgmap);
		prep_compound_tail(head, pfn - head_pfn);
		set_page_count(page, 0);
	}
	prep_compound_head(head, order);
}

void __ref memmap_init_zone_device(struct zone *zone,
				   unsigned long start_pfn,
				   unsigned long nr_pages,
				   struct dev_pagemap *pgmap)
{
	unsigned long pfn, end_pfn = start_pfn + nr_pages;
	struct pglist_data *pgdat = zone->zone_pgdat;
	struct vmem_altmap *altmap = pgmap_altmap(pgmap);
	unsigned int pfns_per_compound = pgmap_vmemmap_nr(pgmap);
	unsigned long zone_idx = zone_idx(zone);
	unsigned long start = jiffies;
	int nid = pgdat->node_id;

	if (WARN_ON_ONCE(!pgmap || zone_idx != ZONE_DEVICE))
		return;

	/* skip the pfns whose memmap the altmap itself holds */
	if (altmap) {
		start_pfn = altmap->base_pfn + vmem_altmap_offset(altmap);
		nr_pages = end_pfn - start_pfn;
	}

	for (pfn = start_pfn; pfn < end_pfn; pfn += pfns_per_compound) {
		struct page *page = pfn_to_page(pfn);

		__init_zone_device_page(page, pfn, zone_idx, nid, pgmap);

		if (IS_ALIGNED(pfn, PAGES_PER_SECTION))
			cond_resched();

		if (pfns_per_compound == 1)
			continue;

		memmap_init_compound(page, pfn, zone_idx, nid, pgmap,
				     compound_nr_pages(pfn, altmap, pgmap));
	}

	pageblock_migratetype_init_range(start_pfn, nr_pages, MIGRATE_MOVABLE, false);

	pr_debug("%s initialised %lu pages in %ums\n", __func__,
		 nr_pages, jiffies_to_msecs(jiffies - start));
}
#endif
