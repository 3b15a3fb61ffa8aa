// x86_64 constants the model uses for pointer values and geometry (kernel-spec.md §1, §3, §6).

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** vmemmap_base (no KASLR): struct page of pfn p is at VMEMMAP_BASE + p * sizeof(struct page). */
export const VMEMMAP_BASE = 0xffffea0000000000n;
/** __va(): the direct map. */
export const PAGE_OFFSET = 0xffff888000000000n;
/** A kernel stack area holding the on-stack template struct pages. */
export const STACK_VA = 0xffffc90000000000n;
/** The dev_pagemap pointer stored at @8 of every head and order-0 page (a kmalloc address). */
export const PGMAP_VA = 0xffff888100a00000n;
/** ((void *)0x400 + POISON_POINTER_DELTA), CONFIG_ILLEGAL_POINTER_VALUE = 0xdead000000000000 */
export const TAIL_MAPPING = 0xdead000000000400n;

export const PAGES_PER_SECTION = 1 << 15; // SECTION_SIZE_BITS 27
/** The typical build's pageblock_order (HUGETLB_PAGE/THP); a scenario's is KernelConfig.pageblockOrder. */
export const pageblock_order = 9;
export const pageblock_nr_pages = 1 << pageblock_order;
/** pageblock_nr_pages of a kernel config's pageblock_order. */
export const pageblockNrPages = (c: { readonly pageblockOrder: number }): number => 2 ** c.pageblockOrder;
/** vmemmap dedup: VMEMMAP_RESERVE_NR * (PAGE_SIZE / sizeof(struct page)) with a 64-byte page */
export const VMEMMAP_RESERVE_NR = 2;

export const MIGRATE_UNMOVABLE = 0;
export const MIGRATE_MOVABLE = 1;

/** enum memory_type (include/linux/memremap.h) */
export const MEMORY_DEVICE_PRIVATE = 1;
export const MEMORY_DEVICE_COHERENT = 2;
export const MEMORY_DEVICE_FS_DAX = 3;
export const MEMORY_DEVICE_GENERIC = 4;
export const MEMORY_DEVICE_PCI_P2PDMA = 5;
export type MemoryType = 1 | 2 | 3 | 4 | 5;
export const MEMORY_TYPES: readonly MemoryType[] = [1, 2, 3, 4, 5];
export const MEMORY_TYPE_NAMES: Record<MemoryType, string> = {
  1: 'PRIVATE', 2: 'COHERENT', 3: 'FS_DAX', 4: 'GENERIC', 5: 'PCI_P2PDMA',
};

// Model (physical) address regions: the machine only sees numbers.
/** The usemap: one byte of pageblock bits per pageblock (migratetype in bits 0..2). */
export const USEMAP_BASE = 2 ** 50;
/** The kernel stack holding template struct pages. */
export const STACK_BASE = 2 ** 51;
