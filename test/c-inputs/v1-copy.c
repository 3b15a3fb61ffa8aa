// memmap-check test input written from the specification; project license.
/*
 * Test input for memmap-check: v1's way of copying a template struct page (linux-mm/linux-mm
 * @ 633e4201, as the model's variants/v1.ts describes it): u64 words through
 * arch_optimize_store_u64(), issued by a switch on sizeof(struct page) that falls through from the
 * last word down to word 0, then arch_optimize_store_drain(); for order-0 pages. Kernel style,
 * our own wording.
 */
static void copy_from_template(struct page *page, const struct page *template)
{
	const u64 *src = (const u64 *)template;
	u64 *dst = (u64 *)page;

	switch (sizeof(struct page)) {
	case 96:
		arch_optimize_store_u64(&dst[11], src[11]);
		/* fall through */
	case 88:
		arch_optimize_store_u64(&dst[10], src[10]);
		/* fall through */
	case 80:
		arch_optimize_store_u64(&dst[9], src[9]);
		/* fall through */
	case 72:
		arch_optimize_store_u64(&dst[8], src[8]);
		/* fall through */
	case 64:
		arch_optimize_store_u64(&dst[7], src[7]);
		/* fall through */
	case 56:
		arch_optimize_store_u64(&dst[6], src[6]);
		arch_optimize_store_u64(&dst[5], src[5]);
		arch_optimize_store_u64(&dst[4], src[4]);
		arch_optimize_store_u64(&dst[3], src[3]);
		arch_optimize_store_u64(&dst[2], src[2]);
		arch_optimize_store_u64(&dst[1], src[1]);
		arch_optimize_store_u64(&dst[0], src[0]);
	}
}

void __ref memmap_init_zone_device(struct zone *zone, unsigned long start_pfn,
				   unsigned long nr_pages, struct dev_pagemap *pgmap)
{
	unsigned long cur_pfn, limit = nr_pages + start_pfn;
	struct page tpl;

	__init_single_page(&tpl, start_pfn, zone_idx(zone), zone->zone_pgdat->node_id);
	for (cur_pfn = start_pfn; cur_pfn < limit; cur_pfn++)
		copy_from_template(pfn_to_page(cur_pfn), &tpl);
	arch_optimize_store_drain();
}
