// memmap-check test input written from the specification; project license.
/*
 * base-next.c minus compound_nr_pages() and pageblock_migratetype_init_range(),
 * which the binding table then supplies, and with the older two-argument
 * prep_compound_tail(head, tail_idx). Kernel style, our own wording.
 */
#ifdef CONFIG_ZONE_DEVICE
static void __ref __init_zone_device_page(struct page *pg,
		unsigned long cur_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm)
{
	__init_single_page(pg, cur_pfn, zidx, node);
	__SetPageReserved(pg);

	/* device pages keep their pgmap where the lru would be */
	page_folio(pg)->pgmap = pm;
	pg->zone_device_data = NULL;

	/* only the generic type goes back to a count of one when freed */
	switch (pm->type) {
	case MEMORY_DEVICE_GENERIC:	/* count stays at one */
		break;
	case MEMORY_DEVICE_FS_DAX: case MEMORY_DEVICE_PRIVATE:
	case MEMORY_DEVICE_COHERENT: case MEMORY_DEVICE_PCI_P2PDMA:
		set_page_count(pg, 0);
		break;
	}
}

static void __ref memmap_init_compound(struct page *hd,
		unsigned long hd_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm, unsigned long count)
{
	unsigned long cur_pfn, limit = count + hd_pfn;
	unsigned int ord = pm->vmemmap_shift;

	__SetPageHead(hd);
	cur_pfn = hd_pfn + 1;
	while (cur_pfn < limit) {
		struct page *pg = pfn_to_page(cur_pfn);

		__init_zone_device_page(pg, cur_pfn, zidx, node, pm);
		prep_compound_tail(hd, cur_pfn - hd_pfn);
		set_page_count(pg, 0);
		cur_pfn++;
	}
	prep_compound_head(hd, ord);
}

void __ref memmap_init_zone_device(struct zone *zn,
		unsigned long first_pfn, unsigned long count,
		struct dev_pagemap *pm)
{
	unsigned long cur_pfn, limit = count + first_pfn;
	struct pglist_data *pgd = zn->zone_pgdat;
	struct vmem_altmap *am = pgmap_altmap(pm);
	unsigned int step = pgmap_vmemmap_nr(pm);
	unsigned long zidx = zone_idx(zn);
	unsigned long t0 = jiffies;
	int node = pgd->node_id;

	/* only ZONE_DEVICE zones are initialised here */
	if (WARN_ON_ONCE(!pm || zidx != ZONE_DEVICE))
		return;

	/* with an altmap, the first pfns hold the memmap itself: skip them */
	if (am) {
		first_pfn = am->base_pfn + vmem_altmap_offset(am);
		count = limit - first_pfn;
	}

	for (cur_pfn = first_pfn; cur_pfn < limit; cur_pfn += step) {
		struct page *pg = pfn_to_page(cur_pfn);

		__init_zone_device_page(pg, cur_pfn, zidx, node, pm);

		if (IS_ALIGNED(cur_pfn, PAGES_PER_SECTION))
			cond_resched();

		if (step != 1)
			memmap_init_compound(pg, cur_pfn, zidx, node, pm,
				compound_nr_pages(cur_pfn, am, pm));
	}

	pageblock_migratetype_init_range(first_pfn, count, MIGRATE_MOVABLE, false);

	pr_debug("%s: %lu pages set up in %ums\n", __func__,
		 count, jiffies_to_msecs(jiffies - t0));
}
#endif
