// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test input written for memmap-check: the v3 shape of the template series (memcpy_streaming(),
 * seeds 000/001 as model/kernel/variants/v3.ts reconstructs it) on the v7.1 base of
 * kernel-spec.md §1.9. Kernel style; not kernel source.
 */
#ifdef CONFIG_ZONE_DEVICE
/* v7.1: no early_section() test */
static inline unsigned long compound_nr_pages(struct vmem_altmap *altmap,
					      struct dev_pagemap *pgmap)
{
	if (!vmemmap_can_optimize(altmap, pgmap))
		return pgmap_vmemmap_nr(pgmap);
	return VMEMMAP_RESERVE_NR * (PAGE_SIZE / sizeof(struct page));
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

static void __ref __init_zone_device_page(struct page *page, unsigned long pfn,
					  unsigned long zone_idx, int nid,
					  struct dev_pagemap *pgmap)
{
	__zone_device_page_init(page, pfn, zone_idx, nid, pgmap);

	/* v7.1 marks each pageblock as it reaches its first page */
	if (pageblock_aligned(pfn)) {
		init_pageblock_migratetype(page, MIGRATE_MOVABLE, false);
		cond_resched();
	}

	if (!pagemap_resets_refcount(pgmap))
		set_page_count(page, 0);
}

static inline bool zone_device_page_init_optimization_enabled(void)
{
	if (IS_ENABLED(CONFIG_KASAN) || IS_ENABLED(CONFIG_KMSAN))
		return false;
	if (page_ref_tracepoint_active(page_ref_set))
		return false;
	return true;
}

static void zone_device_template_head_page_init(struct page *template,
		unsigned long pfn, unsigned long zone_idx, int nid,
		struct dev_pagemap *pgmap)
{
	zone_device_page_init_slow(template, pfn, zone_idx, nid, pgmap);
}

static void zone_device_template_tail_page_init(struct page *template,
		unsigned long pfn, unsigned long zone_idx, int nid,
		struct dev_pagemap *pgmap, struct page *head, unsigned int order)
{
	zone_device_page_init_slow(template, pfn, zone_idx, nid, pgmap);
	prep_compound_tail(template, head, order);
	set_page_count(template, 0);
}

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
	/* pageblock init reads the page back: keep those copies cached */
	if (pageblock_aligned(pfn))
		memcpy(page, template, sizeof(*page));
	else
		memcpy_streaming(page, template, sizeof(*page));

	if (pageblock_aligned(pfn)) {
		init_pageblock_migratetype(page, MIGRATE_MOVABLE, false);
		cond_resched();
	}
}

static void __ref memmap_init_compound(struct page *head,
				       unsigned long head_pfn,
				       unsigned long zone_idx, int nid,
				       struct dev_pagemap *pgmap,
				       unsigned long nr_pages, bool use_template)
{
	unsigned long pfn, end_pfn = head_pfn + nr_pages;
	unsigned int order = pgmap->vmemmap_shift;
	struct page template;

	__SetPageHead(head);
	if (use_template)
		zone_device_template_tail_page_init(&template, head_pfn + 1,
				zone_idx, nid, pgmap, head, order);

	for (pfn = head_pfn + 1; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (use_template) {
			zone_device_page_init_from_template(page, pfn, &template);
			continue;
		}
		__init_zone_device_page(page, pfn, zone_idx, nid, pgmap);
		prep_compound_tail(page, head, order);
		set_page_count(page, 0);
	}

	if (use_template)
		memcpy_streaming_drain();
	prep_compound_head(head, order);
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
	int nid = pgdat->node_id;
	struct page template;

	if (WARN_ON_ONCE(!pgmap || zone_idx != ZONE_DEVICE))
		return;

	if (altmap) {
		start_pfn = altmap->base_pfn + vmem_altmap_offset(altmap);
		nr_pages = end_pfn - start_pfn;
	}

	if (use_template)
		zone_device_template_head_page_init(&template, start_pfn,
						    zone_idx, nid, pgmap);

	for (pfn = start_pfn; pfn < end_pfn; pfn += pfns_per_compound) {
		struct page *page = pfn_to_page(pfn);

		if (use_template)
			zone_device_page_init_from_template(page, pfn, &template);
		else
			__init_zone_device_page(page, pfn, zone_idx, nid, pgmap);

		if (pfns_per_compound == 1)
			continue;

		if (use_template)
			memcpy_streaming_drain();
		memmap_init_compound(page, pfn, zone_idx, nid, pgmap,
				     compound_nr_pages(altmap, pgmap), use_template);
	}

	if (use_template)
		memcpy_streaming_drain();
}
#endif
