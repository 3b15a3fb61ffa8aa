// Single struct page initialization: mm/mm_init.c, include/linux/mm.h (kernel-spec.md §1.3, §1.4, §2).
import type { Program } from '../events.ts';
import { U32_0, U32_1, U32_MINUS_1, U64_0, andOr64, readU64, u32, u64 } from './bytes.ts';
import { type MemoryType, PGMAP_VA } from './constants.ts';
import { type BitField, type FlagsLayout, PG_reserved, mask } from './flags.ts';
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

// The flags updates below are all `flags = (flags & and) | or` with masks fixed by the config, so
// they are applied to the loaded bytes with masks encoded once (no BigInt per page). The masks are
// the u64 encodings of the BigInt expressions in the comments (u64() wraps modulo 2^64, as the
// store of a BigInt result does).

/** [and, or] byte masks of a u64 read-modify-write. */
export type FlagsMasks = readonly [and: Uint8Array, or: Uint8Array];

export const ALL_ONES_64 = u64(-1n);

/** Masks of `__set_bit(nr, &page->flags.f)`: f | (1 << nr). */
export const setBitMasks = (nr: number): FlagsMasks => [ALL_ONES_64, u64(1n << BigInt(nr))];

const fieldMasks = new WeakMap<BitField, Map<number, FlagsMasks>>();
/** Masks of setting a flags field: (f & ~(mask(w) << shift)) | ((value & mask(w)) << shift). */
export function setFieldMasks(field: BitField, value: number): FlagsMasks {
  let byValue = fieldMasks.get(field);
  if (!byValue) fieldMasks.set(field, (byValue = new Map()));
  let m = byValue.get(value);
  if (!m) {
    const w = mask(field.width);
    const shift = BigInt(field.shift);
    m = [u64(~(w << shift)), u64((BigInt(value) & w) << shift)];
    byValue.set(value, m);
  }
  return m;
}

// include/linux/mm.h set_page_zone(), set_page_node(), set_page_links()
export function* set_page_links(k: Kernel, page: PageRef, zone: number, node: number, _pfn: number): Program {
  const flags = page.addr + OFF.flags;
  // set_page_zone(): flags_rmw(f => (f & ~(ZONES_MASK << ZONES_PGSHIFT)) | ((zone & ZONES_MASK) << ZONES_PGSHIFT))
  const oldZ = (yield load(flags, 8, 'set_page_zone'))!;
  const [zAnd, zOr] = setFieldMasks(k.F.zones, zone);
  yield store(flags, andOr64(oldZ, zAnd, zOr), 'set_page_zone');
  const n = k.F.nodes;
  if (n.width > 0) {
    // set_page_node(): the same for NODES_MASK, NODES_PGSHIFT
    const oldN = (yield load(flags, 8, 'set_page_node'))!;
    const [nAnd, nOr] = setFieldMasks(n, node);
    yield store(flags, andOr64(oldN, nAnd, nOr), 'set_page_node');
  }
  // SECTION_IN_PAGE_FLAGS is undefined on SPARSEMEM_VMEMMAP: no set_page_section()
}

// include/linux/page_ref.h set_page_count(): atomic_set(&page->_refcount, v) (+ tracepoint, no store)
export function set_page_count(page: PageRef, v: number) {
  return store(page.addr + OFF._refcount, v === 0 ? U32_0 : v === 1 ? U32_1 : u32(v), 'set_page_count');
}

const cpupidMasks = new WeakMap<FlagsLayout, FlagsMasks>();

// include/linux/mm.h page_cpupid_reset_last()
export function* page_cpupid_reset_last(k: Kernel, page: PageRef): Program {
  if (!k.cfg.numaBalancing) return;
  const m = mask(k.F.lastCpupidShift);
  if (k.L.lastCpupid !== null) {
    yield store(page.addr + k.L.lastCpupid, u32(Number(m)), 'page_cpupid_reset_last');
    return;
  }
  // flags_rmw(f => f | (LAST_CPUPID_MASK << LAST_CPUPID_PGSHIFT))
  const flags = page.addr + OFF.flags;
  const old = (yield load(flags, 8, 'page_cpupid_reset_last'))!;
  let masks = cpupidMasks.get(k.F);
  if (!masks) cpupidMasks.set(k.F, (masks = [ALL_ONES_64, u64(m << BigInt(k.F.lastCpupid!.shift))]));
  yield store(flags, andOr64(old, masks[0], masks[1]), 'page_cpupid_reset_last');
}

// include/linux/list.h INIT_LIST_HEAD(): WRITE_ONCE(list->next, list); WRITE_ONCE(list->prev, list);
/** `va`: the list's address, as a value or already encoded (PageRef.vaBytes). */
export function* INIT_LIST_HEAD(addr: number, va: bigint | Uint8Array, cls?: 'folio'): Program {
  const bytes = typeof va === 'bigint' ? u64(va) : va; // stored values are never mutated: share them
  yield store(addr, bytes, 'INIT_LIST_HEAD', cls);
  yield store(addr + 8, bytes, 'INIT_LIST_HEAD', cls);
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
    if (k.cfg.numaBalancing) yield* page_cpupid_reset_last(k, page); // (a no-op without NUMA_BALANCING)
    // page_kasan_tag_reset(): no tag-based KASAN on x86_64
    yield* INIT_LIST_HEAD(page.addr + OFF.compound_info, page.vaBytes(OFF.compound_info)); // &page->lru
    // ZONE_DEVICE is not a highmem zone
    if (k.L.virtual !== null) yield set_page_address(k, page, __va_pfn(pfn));
  });

const RESERVED_MASKS = setBitMasks(PG_reserved);

// include/linux/page-flags.h __SetPageReserved(): __set_bit(PG_reserved, &page->flags.f)
export function* __SetPageReserved(page: PageRef): Program {
  const flags = page.addr + OFF.flags;
  const old = (yield load(flags, 8, '__SetPageReserved'))!;
  yield store(flags, andOr64(old, RESERVED_MASKS[0], RESERVED_MASKS[1]), '__SetPageReserved');
}

/** compound_info_has_mask(): HVO and a power-of-2 struct page. */
export function compound_info_has_mask(k: Kernel): boolean {
  const s = k.sizeofPage;
  return k.cfg.compoundInfoMask && (s & (s - 1)) === 0;
}

// include/linux/page-flags.h _compound_head(), via page_folio(): reads page->compound_info
export function* page_folio(k: Kernel, page: PageRef): Program<PageRef> {
  const bytes = (yield load(page.addr + OFF.compound_info, 8, 'page_folio'))!;
  // bit 0 clear: not a tail in either encoding, the page is its own folio (below, the mask is
  // all ones and head === page.va; or there is no head pointer)
  if ((bytes[0]! & 1) === 0) return page;
  const info = readU64(bytes);
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
