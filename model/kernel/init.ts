// Single struct page initialization: mm/mm_init.c, include/linux/mm.h (kernel-spec.md §1.3, §1.4, §2).
import type { Program } from '../events.ts';
import { U32_0, U32_1, U32_MINUS_1, U64_0, readU64, u32, u64 } from './bytes.ts';
import { type MemoryType, PGMAP_VA } from './constants.ts';
import { PG_reserved, mask } from './flags.ts';
import { kernelFn } from './fn.ts';
import { OFF } from './layout.ts';
import { type Kernel, type PageRef, __va_pfn, load, store } from './mm.ts';

const ZERO8 = U64_0;
const PGMAP_BYTES = u64(PGMAP_VA);

/** The dev_pagemap fields memmap init reads. */
export interface DevPagemap {
  readonly type: MemoryType;
  readonly vmemmap_shift: number;
  readonly altmap: { readonly base_pfn: number; readonly reserve: number; readonly free: number } | null;
}

/** struct zone, as far as memmap init reads it. */
export interface Zone {
  readonly zone_idx: number;
  readonly node_id: number;
}

// include/linux/mm.h mm_zero_struct_page() -> __mm_zero_struct_page(): _pp[N-1] ... _pp[0] = 0
export function* mm_zero_struct_page(k: Kernel, page: PageRef): Program {
  const size = k.sizeofPage;
  if (size > 96) {
    yield store(page.addr, new Uint8Array(size), 'memset');
    return;
  }
  for (let off = size - 8; off >= 0; off -= 8) yield store(page.addr + off, ZERO8, 'mm_zero_struct_page');
}

/** A read-modify-write of page->flags.f (non-atomic helpers such as __set_bit). */
export function* flags_rmw(page: PageRef, fn: string, f: (flags: bigint) => bigint, cls?: 'head-flags' | 'folio'): Program {
  const old = readU64((yield load(page.addr + OFF.flags, 8, fn, cls))!);
  yield store(page.addr + OFF.flags, u64(f(old)), fn, cls);
}

// include/linux/mm.h set_page_zone(), set_page_node(), set_page_links()
export function* set_page_links(k: Kernel, page: PageRef, zone: number, node: number, _pfn: number): Program {
  const z = k.F.zones;
  yield* flags_rmw(page, 'set_page_zone', (f) =>
    (f & ~(mask(z.width) << BigInt(z.shift))) | ((BigInt(zone) & mask(z.width)) << BigInt(z.shift)));
  const n = k.F.nodes;
  if (n.width > 0) {
    yield* flags_rmw(page, 'set_page_node', (f) =>
      (f & ~(mask(n.width) << BigInt(n.shift))) | ((BigInt(node) & mask(n.width)) << BigInt(n.shift)));
  }
  // SECTION_IN_PAGE_FLAGS is undefined on SPARSEMEM_VMEMMAP: no set_page_section()
}

// include/linux/page_ref.h set_page_count(): atomic_set(&page->_refcount, v) (+ tracepoint, no store)
export function set_page_count(page: PageRef, v: number) {
  return store(page.addr + OFF._refcount, v === 0 ? U32_0 : v === 1 ? U32_1 : u32(v), 'set_page_count');
}

// include/linux/mm.h page_cpupid_reset_last()
export function* page_cpupid_reset_last(k: Kernel, page: PageRef): Program {
  if (!k.cfg.numaBalancing) return;
  const m = mask(k.F.lastCpupidShift);
  if (k.L.lastCpupid !== null) {
    yield store(page.addr + k.L.lastCpupid, u32(Number(m)), 'page_cpupid_reset_last');
    return;
  }
  const shift = BigInt(k.F.lastCpupid!.shift);
  yield* flags_rmw(page, 'page_cpupid_reset_last', (f) => f | (m << shift));
}

// include/linux/list.h INIT_LIST_HEAD(): WRITE_ONCE(list->next, list); WRITE_ONCE(list->prev, list);
export function* INIT_LIST_HEAD(addr: number, va: bigint, cls?: 'folio'): Program {
  yield store(addr, u64(va), 'INIT_LIST_HEAD', cls);
  yield store(addr + 8, u64(va), 'INIT_LIST_HEAD', cls);
}

// include/linux/mm.h set_page_address() (WANT_PAGE_VIRTUAL only)
export function set_page_address(k: Kernel, page: PageRef, va: bigint) {
  return store(page.addr + k.L.virtual!, u64(va), 'set_page_address');
}

// mm/mm_init.c __init_single_page()
export const __init_single_page = kernelFn('__init_single_page',
  function* (k: Kernel, page: PageRef, pfn: number, zone: number, nid: number): Program {
    yield* mm_zero_struct_page(k, page);
    yield* set_page_links(k, page, zone, nid, pfn);
    yield store(page.addr + OFF._refcount, U32_1, 'init_page_count');
    yield store(page.addr + OFF._mapcount, U32_MINUS_1, 'atomic_set');
    yield* page_cpupid_reset_last(k, page);
    // page_kasan_tag_reset(): no tag-based KASAN on x86_64
    yield* INIT_LIST_HEAD(page.addr + OFF.compound_info, page.va + 8n);
    // ZONE_DEVICE is not a highmem zone
    if (k.L.virtual !== null) yield set_page_address(k, page, __va_pfn(pfn));
  });

// include/linux/page-flags.h __SetPageReserved(): __set_bit(PG_reserved, &page->flags.f)
export function* __SetPageReserved(page: PageRef): Program {
  yield* flags_rmw(page, '__SetPageReserved', (f) => f | (1n << BigInt(PG_reserved)));
}

/** compound_info_has_mask(): HVO and a power-of-2 struct page. */
export function compound_info_has_mask(k: Kernel): boolean {
  const s = k.sizeofPage;
  return k.cfg.compoundInfoMask && (s & (s - 1)) === 0;
}

// include/linux/page-flags.h _compound_head(), via page_folio(): reads page->compound_info
export function* page_folio(k: Kernel, page: PageRef): Program<PageRef> {
  const info = readU64((yield load(page.addr + OFF.compound_info, 8, 'page_folio'))!);
  if (!compound_info_has_mask(k)) return info & 1n ? k.pageAt(info - 1n) : page;
  let m = BigInt.asUintN(64, (info & 1n) - 1n);
  m |= info;
  const head = page.va & m;
  return head === page.va ? page : k.pageAt(head);
}

// mm/mm_init.c pagemap_resets_refcount() (the Li Zhe series; the same rule as the base switch)
export function pagemap_resets_refcount(pgmap: DevPagemap): boolean {
  switch (pgmap.type) {
    case 3: // MEMORY_DEVICE_FS_DAX
    case 1: // MEMORY_DEVICE_PRIVATE
    case 2: // MEMORY_DEVICE_COHERENT
    case 5: // MEMORY_DEVICE_PCI_P2PDMA
      return false;
    case 4: // MEMORY_DEVICE_GENERIC
      return true;
  }
}

/** The pgmap pointer value stored at @8 of heads and order-0 pages. */
export const pgmapPointer = (_pgmap: DevPagemap): Uint8Array => PGMAP_BYTES;

// mm/mm_init.c __zone_device_page_init() (series) = the common head of __init_zone_device_page()
export const __zone_device_page_init = kernelFn('__zone_device_page_init',
  function* (k: Kernel, page: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* __init_single_page(k, page, pfn, zone_idx, nid);
    yield* __SetPageReserved(page);
    const folio = yield* page_folio(k, page);
    yield store(folio.addr + OFF.compound_info, pgmapPointer(pgmap), 'folio->pgmap');
    yield store(page.addr + OFF.zone_device_data, ZERO8, 'zone_device_data');
  });

// mm/mm_init.c zone_device_page_init_slow() (series): __zone_device_page_init() + refcount rule
export const zone_device_page_init_slow = kernelFn('zone_device_page_init_slow',
  function* (k: Kernel, page: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* __zone_device_page_init(k, page, pfn, zone_idx, nid, pgmap);
    if (!pagemap_resets_refcount(pgmap)) yield set_page_count(page, 0);
  });

/** The refcount switch of __init_zone_device_page() in the bases. */
export function* refcount_switch(page: PageRef, pgmap: DevPagemap): Program {
  if (!pagemap_resets_refcount(pgmap)) yield set_page_count(page, 0);
}
