// memmap-check test input written from the specification; project license.
/*
 * Test input for memmap-check: one C construct per result. Result i is stored into
 * page->private of pfn start_pfn + i, where the test reads it back.
 */
#define NR_RESULTS 16
#define MAGIC 0x40

static unsigned long sum_to(unsigned long n)
{
	unsigned long i, s = 0;

	for (i = 1; i <= n; i++)
		s += i;
	return s;
}

static int classify(int type)
{
	switch (type) {
	case MEMORY_DEVICE_FS_DAX:	/* own value */
		return 30;
	case MEMORY_DEVICE_PRIVATE:	/* shares with the next */
	case MEMORY_DEVICE_COHERENT:	/* same value */
		return 12;
	default:
		break;
	}
	return 99;
}

static inline unsigned long config_bits(void)
{
	unsigned long bits = 0;

#ifdef CONFIG_MEMCG
	bits |= 1;
#else
	bits |= 2;
#endif
#if defined(CONFIG_NUMA_BALANCING) && BITS_PER_LONG == 64
	bits |= 4;
#elif IS_ENABLED(CONFIG_KASAN)
	bits |= 8;
#endif
	if (IS_ENABLED(CONFIG_MM_ID))
		bits |= 16;
	return bits;
}

#ifdef WANT_PAGE_VIRTUAL
static int page_virtual_size(void) { return 8; }
#else
static int page_virtual_size(void) { return 0; }
#endif

static void result(struct page *first, int i, unsigned long v)
{
	struct page *p = first + i;

	p->private = v;
}

void __ref memmap_init_zone_device(struct zone *zone, unsigned long start_pfn,
				   unsigned long nr_pages, struct dev_pagemap *pgmap)
{
	struct page *first = pfn_to_page(start_pfn);
	struct page template;
	unsigned long x = 7, y;
	int i = 0, n = 0;

	result(first, 0, (3 * 4 - 10) / 2 + 17 % 5 - (1 << 3) + (0x100 >> 4));	/* 1 + 2 - 8 + 16 = 11 */
	result(first, 1, sum_to(10));						/* 55 */
	result(first, 2, classify(pgmap->type));
	result(first, 3, config_bits());
	y = x > 5 ? x * 2 : x;							/* 14 */
	result(first, 4, y);
	while (n < 100) {
		n += 7;
		if (n % 2)
			continue;
		if (n > 40)
			break;
	}
	result(first, 5, n);							/* 42 */
	do {
		i++;
	} while (i < 5);
	result(first, 6, i++ + ++i);						/* 5 + 7 = 12 */
	result(first, 7, sizeof(struct page) + sizeof(*first) + sizeof(template)); /* 3 * sizeof */
	result(first, 8, page_to_pfn(first + 3) - start_pfn);			/* 3 */
	result(first, 9, (first + 5) - first);					/* 5 */
	result(first, 10, !x + !!x + (x && 0) + (0 || x) + (x != 7) + (x == 7)); /* 0+1+0+1+0+1 = 3 */
	result(first, 11, (MAGIC | 3) & ~1 ^ 4);				/* (0x43 & ~1) ^ 4 = 0x46 */
	result(first, 12, page_virtual_size());
	result(first, 13, zone_idx(zone) == ZONE_DEVICE && zone->zone_pgdat->node_id == 1);
	first[0].index = likely(x) + unlikely(0);
	result(first, 14, first->index);					/* a load: 1 */
	memcpy(&template, first, sizeof(template));
	result(first, 15, NR_RESULTS);
}
