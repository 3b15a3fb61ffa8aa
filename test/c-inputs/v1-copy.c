// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test input for memmap-check: the v1 way of copying a template struct page (seed 001's removed
 * lines: u64 words through arch_optimize_store_u64(), then arch_optimize_store_drain()), for
 * order-0 pages. Kernel style; not kernel source.
 */
static void copy_from_template(struct page *page, const struct page *template)
{
	const u64 *src = (const u64 *)template;
	u64 *dst = (u64 *)page;
	unsigned int i;

	for (i = 0; i < sizeof(struct page) / sizeof(u64); i++)
		arch_optimize_store_u64(&dst[i], src[i]);
}

void __ref memmap_init_zone_device(struct zone *zone, unsigned long start_pfn,
				   unsigned long nr_pages, struct dev_pagemap *pgmap)
{
	unsigned long pfn, end_pfn = start_pfn + nr_pages;
	struct page template;

	__init_single_page(&template, start_pfn, zone_idx(zone), zone->zone_pgdat->node_id);
	for (pfn = start_pfn; pfn < end_pfn; pfn++)
		copy_from_template(pfn_to_page(pfn), &template);
	arch_optimize_store_drain();
}
