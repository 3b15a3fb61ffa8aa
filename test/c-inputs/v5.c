// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test input written for memmap-check from li-zhe-series.md §2 (the memcpy_nt() form of the
 * template series, v5) on the 2026 base of kernel-spec.md. Kernel style; not kernel source.
 */
#ifdef CONFIG_ZONE_DEVICE
static inline unsigned long compound_nr_pages(unsigned long pfn,
					      struct vmem_altmap *altmap,
					      struct dev_pagemap *pgmap)
{
	if (early_section(__pfn_to_section(pfn)) ||
	    !vmemmap_can_optimize(altmap, pgmap))
		return pgmap_vmemmap_nr(pgmap);
	return VMEMMAP_RESERVE_NR * (PAGE_SIZE / sizeof(struct page));
}

/* true when freeing a page of this pgmap type brings its refcount back to one */
static inline bool pagemap_resets_refcount(const struct dev_pagemap *pgmap)
{
	switch (pgmap->type) {
	case MEMORY_DEVICE_FS_DAX:
	case MEMORY_DEVICE_PRIVATE:
	case MEMORY_DEVICE_COHERENT:
	case MEMORY_DEVICE_PCI_P2PDMA:
		return false;
	case MEMORY_DEVICE_GENERIC:
		return true;
	default:
		WARN_ONCE(1, "Unknown memory type!");
		return true;
	}
}

static void __ref __zone_device_page_init(struct page *page, unsigned long pfn,
					  unsigned long zone_idx, int nid,
					  struct dev_pagemap *pgmap)
{
	__init_single_page(page, pfn, zone_idx, nid);
	__SetPageReserved(page);
	page_folio(page)->pgmap = pgmap;
	page->zone_device_data = NULL;
}

static void __ref zone_device_page_init_slow(struct page *page,
		unsigned long pfn, unsigned long zone_idx, int nid,
		struct dev_pagemap *pgmap)
{
	__zone_device_page_init(page, pfn, zone_idx, nid, pgmap);
	if (!pagemap_resets_refcount(pgmap))
		set_page_count(page, 0);
}

static inline bool zone_device_page_init_optimization_enabled(void)
{
	/* sanitizers instrument every store: keep them on the slow path */
	if (IS_ENABLED(CONFIG_KASAN) || IS_ENABLED(CONFIG_KMSAN))
		return false;
	if (page_ref_tracepoint_active(page_ref_set))
		return false;
	return true;
}

static inline void zone_device_template_page_init(struct page *template,
						  struct page *src)
{
	memcpy(template, src, sizeof(*template));
}

static inline void zone_device_tail_page_init(struct page *page,
		unsigned long pfn, unsigned long zone_idx, int nid,
		struct dev_pagemap *pgmap, const struct page *head,
		unsigned int order)
{
	zone_device_page_init_slow(page, pfn, zone_idx, nid, pgmap);
	prep_compound_tail(page, head, order);
	set_page_count(page, 0);
}

/* the pfn-dependent fields of the template: section bits and page->virtual */
static inline void zone_device_page_update_template(struct page *template,
		unsigned long pfn)
{
	set_page_section_from_pfn(template, pfn);
#ifdef WANT_PAGE_VIRTUAL
	if (!is_highmem_idx(ZONE_DEVICE))
		set_page_address(template, __va(pfn << PAGE_SHIFT));
#endif
}

static void zone_device_page_init_from_template(struct page *page,
		unsigned long pfn, struct page *template)
{
	zone_device_page_update_template(template, pfn);
	memcpy_nt(page, template, sizeof(*page));
}

static void __ref memmap_init_compound(struct page *head,
				       unsigned long head_pfn,
				       unsigned long zone_idx, int nid,
				       struct dev_pagemap *pgmap,
				       unsigned long nr_pages,
				       bool use_template)
{
	unsigned long pfn, end_pfn = head_pfn + nr_pages;
	unsigned int order = pgmap->vmemmap_shift;
	struct page template;

	__SetPageHead(head);

	pfn = head_pfn + 1;
	/* the first tail seeds the tail template */
	if (use_template) {
		struct page *page = pfn_to_page(pfn);

		zone_device_tail_page_init(page, pfn, zone_idx, nid,
					   pgmap, head, order);
		zone_device_template_page_init(&template, page);
		pfn++;
	}

	for (; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (use_template)
			zone_device_page_init_from_template(page, pfn,
							    &template);
		else
			zone_device_tail_page_init(page, pfn, zone_idx, nid,
						   pgmap, head, order);
	}

	/* the tail copies must land before the folio fields are written */
	if (use_template)
		memcpy_nt_drain();
	prep_compound_head(head, order);
}

static __meminit void pageblock_migratetype_init_range(unsigned long pfn,
		unsigned long nr_pages, int migratetype, bool atomic)
{
	const unsigned long end = pfn + nr_pages;

	for (pfn = pageblock_align(pfn); pfn < end; pfn += pageblock_nr_pages) {
		init_pageblock_migratetype(pfn_to_page(pfn), migratetype, false);
		if (!atomic && IS_ALIGNED(pfn, PAGES_PER_SECTION))
			cond_resched();
	}
}

void __ref memmap_init_zone_device(struct zone *zone,
				   unsigned long start_pfn,
				   unsigned long nr_pages,
				   struct dev_pagemap *pgmap)
{
	bool use_template = zone_device_page_init_optimization_enabled();
	unsigned long pfn, end_pfn = start_pfn + nr_pages;
	struct pglist_data *pgdat = zone->zone_pgdat;
	struct vmem_altmap *altmap = pgmap_altmap(pgmap);
	unsigned int pfns_per_compound = pgmap_vmemmap_nr(pgmap);
	unsigned long zone_idx = zone_idx(zone);
	unsigned long start = jiffies;
	int nid = pgdat->node_id;
	struct page template;

	if (WARN_ON_ONCE(!pgmap || zone_idx != ZONE_DEVICE))
		return;

	if (altmap) {
		start_pfn = altmap->base_pfn + vmem_altmap_offset(altmap);
		nr_pages = end_pfn - start_pfn;
	}

	if (!nr_pages)
		return;

	pfn = start_pfn;
	/* the first real page seeds the head template */
	if (use_template) {
		struct page *page = pfn_to_page(start_pfn);

		zone_device_page_init_slow(page, pfn, zone_idx, nid, pgmap);
		zone_device_template_page_init(&template, page);
		if (pfns_per_compound != 1)
			memmap_init_compound(page, pfn, zone_idx, nid, pgmap,
				compound_nr_pages(start_pfn, altmap, pgmap),
				use_template);
		pfn += pfns_per_compound;
	}

	for (; pfn < end_pfn; pfn += pfns_per_compound) {
		struct page *page = pfn_to_page(pfn);

		if (use_template)
			zone_device_page_init_from_template(page, pfn,
							    &template);
		else
			zone_device_page_init_slow(page, pfn, zone_idx,
						   nid, pgmap);

		if (IS_ALIGNED(pfn, PAGES_PER_SECTION))
			cond_resched();

		if (pfns_per_compound == 1)
			continue;

		/* the head copy must land before memmap_init_compound() sets PG_head */
		if (use_template)
			memcpy_nt_drain();

		memmap_init_compound(page, pfn, zone_idx, nid, pgmap,
				     compound_nr_pages(pfn, altmap, pgmap),
				     use_template);
	}

	/* nothing streamed may stay pending past the return */
	if (use_template)
		memcpy_nt_drain();

	pageblock_migratetype_init_range(start_pfn, nr_pages, MIGRATE_MOVABLE, false);

	pr_debug("%s initialised %lu pages in %ums\n", __func__,
		 nr_pages, jiffies_to_msecs(jiffies - start));
}
#endif
