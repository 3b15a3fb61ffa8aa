// memmap-check test input written from the specification (li-zhe-series.md §2); project license.
/*
 * v5 of the template series (streaming memcpy_nt() copies) on the 2026 base,
 * in kernel style for the C front-end. Our own wording throughout.
 */
#ifdef CONFIG_ZONE_DEVICE
static inline unsigned long compound_nr_pages(unsigned long first,
		struct vmem_altmap *am, struct dev_pagemap *pm)
{
	/* whole compound unless the vmemmap of this range is deduplicated */
	bool whole = early_section(__pfn_to_section(first)) ||
		     !vmemmap_can_optimize(am, pm);

	return whole ? pgmap_vmemmap_nr(pm) :
		(PAGE_SIZE / sizeof(struct page)) * VMEMMAP_RESERVE_NR;
}

/* does a freed page of this kind go back to a count of one? */
static inline bool pagemap_resets_refcount(const struct dev_pagemap *pm)
{
	switch (pm->type) {
	case MEMORY_DEVICE_GENERIC:	/* refcount returns to one */
		return true;
	case MEMORY_DEVICE_FS_DAX: case MEMORY_DEVICE_PRIVATE:
	case MEMORY_DEVICE_COHERENT: case MEMORY_DEVICE_PCI_P2PDMA:
		return false;
	default:
		break;
	}
	WARN_ONCE(1, "unexpected pgmap type");
	return true;
}

static void __ref __zone_device_page_init(struct page *pg,
		unsigned long cur_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm)
{
	__init_single_page(pg, cur_pfn, zidx, node);
	__SetPageReserved(pg);
	page_folio(pg)->pgmap = pm;
	pg->zone_device_data = NULL;
}

static void __ref zone_device_page_init_slow(struct page *pg,
		unsigned long cur_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm)
{
	__zone_device_page_init(pg, cur_pfn, zidx, node, pm);
	if (!pagemap_resets_refcount(pm))
		set_page_count(pg, 0);
}

static inline bool
zone_device_page_init_optimization_enabled(void)
{
	/* KASAN/KMSAN check each store one by one: no fast path for them */
	bool sanitized = IS_ENABLED(CONFIG_KASAN) || IS_ENABLED(CONFIG_KMSAN);

	if (sanitized)
		return false;
	return !page_ref_tracepoint_active(page_ref_set);
}

static inline void zone_device_template_page_init(struct page *tpl,
		struct page *from)
{
	memcpy(tpl, from, sizeof(struct page));
}

static inline void zone_device_tail_page_init(struct page *pg,
		unsigned long cur_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm, const struct page *hd,
		unsigned int ord)
{
	zone_device_page_init_slow(pg, cur_pfn, zidx, node, pm);
	prep_compound_tail(pg, hd, ord);
	set_page_count(pg, 0);
}

/* refresh what differs from pfn to pfn: the section and the linear address */
static inline void zone_device_page_update_template(struct page *tpl,
		unsigned long cur_pfn)
{
	set_page_section_from_pfn(tpl, cur_pfn);
#ifdef WANT_PAGE_VIRTUAL
	if (!is_highmem_idx(ZONE_DEVICE))	/* lowmem: a linear address */
		set_page_address(tpl, __va(cur_pfn << PAGE_SHIFT));
#endif
}

static void zone_device_page_init_from_template(struct page *pg,
		unsigned long cur_pfn, struct page *tpl)
{
	zone_device_page_update_template(tpl, cur_pfn);
	memcpy_nt(pg, tpl, sizeof(struct page));
}

static void __ref memmap_init_compound(struct page *hd,
		unsigned long hd_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm, unsigned long count,
		bool fast)
{
	unsigned long cur_pfn, limit = count + hd_pfn;
	unsigned int ord = pm->vmemmap_shift;
	struct page tail_tpl;

	__SetPageHead(hd);

	cur_pfn = hd_pfn + 1;
	/* fast path: build the first tail by hand, then copy it */
	if (fast) {
		struct page *first_tail = pfn_to_page(cur_pfn);

		zone_device_tail_page_init(first_tail, cur_pfn, zidx, node,
					   pm, hd, ord);
		zone_device_template_page_init(&tail_tpl, first_tail);
		cur_pfn++;
	}

	for (; cur_pfn < limit; cur_pfn++) {
		struct page *pg = pfn_to_page(cur_pfn);

		/* by hand on the slow path, else a copy of the template */
		if (!fast)
			zone_device_tail_page_init(pg, cur_pfn, zidx, node,
						   pm, hd, ord);
		else
			zone_device_page_init_from_template(pg, cur_pfn,
							    &tail_tpl);
	}

	/* prep_compound_head() writes into tails: flush the copies first */
	if (fast)
		memcpy_nt_drain();
	prep_compound_head(hd, ord);
}

static __meminit void pageblock_migratetype_init_range(unsigned long first,
		unsigned long count, int mt, bool atomic)
{
	unsigned long stop = first + count;
	unsigned long blk = pageblock_align(first);

	while (blk < stop) {
		init_pageblock_migratetype(pfn_to_page(blk), mt, false);
		if (!atomic && IS_ALIGNED(blk, PAGES_PER_SECTION))
			cond_resched();
		blk += pageblock_nr_pages;
	}
}

void __ref memmap_init_zone_device(struct zone *zn,
		unsigned long first_pfn, unsigned long count,
		struct dev_pagemap *pm)
{
	bool fast = zone_device_page_init_optimization_enabled();
	unsigned long cur_pfn, limit = count + first_pfn;
	struct pglist_data *pgd = zn->zone_pgdat;
	struct vmem_altmap *am = pgmap_altmap(pm);
	unsigned int step = pgmap_vmemmap_nr(pm);
	unsigned long zidx = zone_idx(zn);
	unsigned long t0 = jiffies;
	int node = pgd->node_id;
	struct page head_tpl;

	/* only ZONE_DEVICE zones are initialised here */
	if (WARN_ON_ONCE(!pm || zidx != ZONE_DEVICE))
		return;

	/* with an altmap, the first pfns hold the memmap itself: skip them */
	if (am) {
		first_pfn = am->base_pfn + vmem_altmap_offset(am);
		count = limit - first_pfn;
	}

	if (count == 0)
		return;

	cur_pfn = first_pfn;
	/* fast path: build the first head by hand, then copy it */
	if (fast) {
		struct page *first = pfn_to_page(first_pfn);

		zone_device_page_init_slow(first, cur_pfn, zidx, node, pm);
		zone_device_template_page_init(&head_tpl, first);
		if (step != 1)
			memmap_init_compound(first, cur_pfn, zidx, node, pm,
				compound_nr_pages(first_pfn, am, pm),
				fast);
		cur_pfn += step;
	}

	for (; cur_pfn < limit; cur_pfn += step) {
		struct page *pg = pfn_to_page(cur_pfn);

		if (!fast)
			zone_device_page_init_slow(pg, cur_pfn, zidx, node, pm);
		else
			zone_device_page_init_from_template(pg, cur_pfn, &head_tpl);

		if (IS_ALIGNED(cur_pfn, PAGES_PER_SECTION))
			cond_resched();

		if (step == 1)
			continue;

		/* PG_head is set by memmap_init_compound(): the head copy lands first */
		if (fast)
			memcpy_nt_drain();

		memmap_init_compound(pg, cur_pfn, zidx, node, pm,
				     compound_nr_pages(cur_pfn, am, pm), fast);
	}

	/* leave with no streaming store in flight */
	if (fast)
		memcpy_nt_drain();

	pageblock_migratetype_init_range(first_pfn, count, MIGRATE_MOVABLE, false);

	pr_debug("%s: %lu pages set up in %ums\n", __func__,
		 count, jiffies_to_msecs(jiffies - t0));
}
#endif
