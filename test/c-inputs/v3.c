// memmap-check test input written from the specification (v3 of the template series); project license.
/*
 * v3 shape of the template series: memcpy_streaming() copies, seeds 000/001
 * as model/kernel/variants/v3.ts rebuilds them, on the v7.1 base of
 * kernel-spec.md §1.9. Kernel style, our own wording.
 */
#ifdef CONFIG_ZONE_DEVICE
/* the v7.1 base has no early_section() test here */
static inline unsigned long compound_nr_pages(struct vmem_altmap *am,
		struct dev_pagemap *pm)
{
	return vmemmap_can_optimize(am, pm) ?
		(PAGE_SIZE / sizeof(struct page)) * VMEMMAP_RESERVE_NR :
		pgmap_vmemmap_nr(pm);
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

static void __ref __init_zone_device_page(struct page *pg,
		unsigned long cur_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm)
{
	__zone_device_page_init(pg, cur_pfn, zidx, node, pm);

	/* on v7.1 the first page of each pageblock sets its migratetype */
	if (pageblock_aligned(cur_pfn)) {
		init_pageblock_migratetype(pg, MIGRATE_MOVABLE, false);
		cond_resched();
	}

	if (!pagemap_resets_refcount(pm))
		set_page_count(pg, 0);
}

static inline bool
zone_device_page_init_optimization_enabled(void)
{
	bool sanitized = IS_ENABLED(CONFIG_KASAN) || IS_ENABLED(CONFIG_KMSAN);

	if (sanitized)
		return false;
	return !page_ref_tracepoint_active(page_ref_set);
}

static void zone_device_template_head_page_init(struct page *tpl,
		unsigned long cur_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm)
{
	zone_device_page_init_slow(tpl, cur_pfn, zidx, node, pm);
}

static void zone_device_template_tail_page_init(struct page *tpl,
		unsigned long cur_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm, struct page *hd, unsigned int ord)
{
	zone_device_page_init_slow(tpl, cur_pfn, zidx, node, pm);
	prep_compound_tail(tpl, hd, ord);
	set_page_count(tpl, 0);
}

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
	/* the pageblock init below reads this page: copy it through the cache */
	if (!pageblock_aligned(cur_pfn))
		memcpy_streaming(pg, tpl, sizeof(struct page));
	else
		memcpy(pg, tpl, sizeof(struct page));

	if (pageblock_aligned(cur_pfn)) {
		init_pageblock_migratetype(pg, MIGRATE_MOVABLE, false);
		cond_resched();
	}
}

static void __ref memmap_init_compound(struct page *hd,
		unsigned long hd_pfn, unsigned long zidx, int node,
		struct dev_pagemap *pm, unsigned long count, bool fast)
{
	unsigned long cur_pfn, limit = count + hd_pfn;
	unsigned int ord = pm->vmemmap_shift;
	struct page tail_tpl;

	__SetPageHead(hd);
	if (fast)
		zone_device_template_tail_page_init(&tail_tpl, hd_pfn + 1,
				zidx, node, pm, hd, ord);

	cur_pfn = hd_pfn + 1;
	while (cur_pfn < limit) {
		struct page *pg = pfn_to_page(cur_pfn);

		if (fast) {
			zone_device_page_init_from_template(pg, cur_pfn, &tail_tpl);
		} else {
			__init_zone_device_page(pg, cur_pfn, zidx, node, pm);
			prep_compound_tail(pg, hd, ord);
			set_page_count(pg, 0);
		}
		cur_pfn++;
	}

	/* prep_compound_head() writes into tails: flush the copies first */
	if (fast)
		memcpy_streaming_drain();
	prep_compound_head(hd, ord);
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

	if (fast)
		zone_device_template_head_page_init(&head_tpl, first_pfn,
						    zidx, node, pm);

	for (cur_pfn = first_pfn; cur_pfn < limit; cur_pfn += step) {
		struct page *pg = pfn_to_page(cur_pfn);

		if (!fast)
			__init_zone_device_page(pg, cur_pfn, zidx, node, pm);
		else
			zone_device_page_init_from_template(pg, cur_pfn, &head_tpl);

		if (step == 1)
			continue;

		/* PG_head is set by memmap_init_compound(): the head copy lands first */
		if (fast)
			memcpy_streaming_drain();
		memmap_init_compound(pg, cur_pfn, zidx, node, pm,
				     compound_nr_pages(am, pm), fast);
	}

	/* leave with no streaming store in flight */
	if (fast)
		memcpy_streaming_drain();
}
#endif
