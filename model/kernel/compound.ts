// Compound ZONE_DEVICE pages: mm/internal.h prep_compound_head()/prep_compound_tail(),
// include/linux/page-flags.h set_compound_head(), mm/mm_init.c compound_nr_pages() (kernel-spec.md §1.5, §3).
import type { Program } from '../events.ts';
import { U32_0, U32_MINUS_1, U64_0, andOr64, readU64, u32, u64 } from './bytes.ts';
import { PAGE_SIZE, TAIL_MAPPING, VMEMMAP_RESERVE_NR } from './constants.ts';
import { PG_head } from './flags.ts';
import { kernelFn } from './fn.ts';
import { type DevPagemap, INIT_LIST_HEAD, compound_info_has_mask, setBitMasks } from './init.ts';
import { OFF } from './layout.ts';
import { type Kernel, type PageRef, __vmemmap_can_optimize, load, pfn_to_page, store } from './mm.ts';

const ZERO8 = U64_0;
const TAIL_MAPPING_BYTES = u64(TAIL_MAPPING);

/** The value set_compound_head() stores in tail->compound_info. */
export function compound_info_value(k: Kernel, head: PageRef, order: number): bigint {
  if (!compound_info_has_mask(k)) return head.va | 1n;
  const shift = order + Math.log2(k.sizeofPage);
  return BigInt.asUintN(64, ~((1n << BigInt(shift)) - 1n)) | 1n; // GENMASK(63, shift) | 1
}

/** compound_info_value() with the mask encoding, encoded, by order + log2(sizeof(struct page)). */
const maskInfoBytes = new Map<number, Uint8Array>();

/** The bytes of compound_info_value() (shared per mask: stored values are never mutated). */
function compound_info_bytes(k: Kernel, head: PageRef, order: number): Uint8Array {
  if (!compound_info_has_mask(k)) {
    if (head.isTemplate) return u64(compound_info_value(k, head, order));
    const b = head.vaBytes(0);
    b[0]! |= 1; // head.va | 1
    return b;
  }
  const shift = order + Math.log2(k.sizeofPage);
  let b = maskInfoBytes.get(shift);
  if (!b) maskInfoBytes.set(shift, (b = u64(compound_info_value(k, head, order))));
  return b;
}

// include/linux/page-flags.h set_compound_head()
export function set_compound_head(k: Kernel, tail: PageRef, head: PageRef, order: number) {
  return store(tail.addr + OFF.compound_info, compound_info_bytes(k, head, order), 'set_compound_head');
}

// mm/internal.h prep_compound_tail()
export const prep_compound_tail = kernelFn('prep_compound_tail',
  function* (k: Kernel, tail: PageRef, head: PageRef, order: number): Program {
    yield store(tail.addr + OFF.mapping, TAIL_MAPPING_BYTES, 'prep_compound_tail');
    yield set_compound_head(k, tail, head, order);
    yield store(tail.addr + OFF.private, ZERO8, 'set_page_private');
  });

const HEAD_MASKS = setBitMasks(PG_head);

// include/linux/page-flags.h __SetPageHead(): __set_bit(PG_head, &page->flags.f)
export function* __SetPageHead(head: PageRef): Program {
  const flags = head.addr + OFF.flags;
  const old = (yield load(flags, 8, '__SetPageHead', 'head-flags'))!;
  yield store(flags, andOr64(old, HEAD_MASKS[0], HEAD_MASKS[1]), '__SetPageHead', 'head-flags');
}

/** Address of byte `off` of struct page `head + i` (the folio overlay of page[i]). */
const folioAddr = (k: Kernel, head: PageRef, i: number, off: number): number =>
  (head.pfn < 0 ? head.addr + i * k.sizeofPage : pfn_to_page(k, head.pfn + i).addr) + off;

// mm/internal.h folio_set_order()
export const folio_set_order = kernelFn('folio_set_order',
  function* (k: Kernel, head: PageRef, order: number): Program {
    // WARN_ON_ONCE(!order || !folio_test_large(folio)): folio_test_large() tests PG_head
    const flags = readU64((yield load(head.addr + OFF.flags, 8, 'folio_test_large', 'head-flags'))!);
    if (order === 0 || !(flags & (1n << BigInt(PG_head)))) return;
    const a = folioAddr(k, head, 1, 0);
    const old = readU64((yield load(a, 8, 'folio_set_order', 'folio'))!);
    yield store(a, u64((old & ~0xffn) | BigInt(order)), 'folio_set_order', 'folio'); // _flags_1
    if (k.cfg.memcg) yield store(folioAddr(k, head, 1, 56), u32(2 ** order), 'folio_set_order', 'folio'); // _nr_pages
  });

// mm/internal.h prep_compound_head()
export const prep_compound_head = kernelFn('prep_compound_head',
  function* (k: Kernel, head: PageRef, order: number): Program {
    const f1 = (off: number) => folioAddr(k, head, 1, off);
    yield* folio_set_order(k, head, order);
    yield store(f1(16), U32_MINUS_1, 'prep_compound_head', 'folio'); // _large_mapcount
    if (k.cfg.pageMapcount) yield store(f1(20), U32_0, 'prep_compound_head', 'folio'); // _nr_pages_mapped
    if (k.cfg.mmId) {
      yield store(f1(40), ZERO8, 'prep_compound_head', 'folio'); // _mm_ids
      yield store(f1(32), U32_MINUS_1, 'prep_compound_head', 'folio'); // _mm_id_mapcount[0]
      yield store(f1(36), U32_MINUS_1, 'prep_compound_head', 'folio'); // _mm_id_mapcount[1]
    }
    // IS_ENABLED(CONFIG_64BIT) || order > 1: always on x86_64
    yield store(f1(28), U32_0, 'prep_compound_head', 'folio'); // _pincount
    yield store(f1(24), U32_MINUS_1, 'prep_compound_head', 'folio'); // _entire_mapcount
    if (order > 1) {
      const list = folioAddr(k, head, 2, 16);
      yield* INIT_LIST_HEAD(list, head.vaBytes(2 * k.sizeofPage + 16), 'folio'); // _deferred_list
    }
  });

/** pgmap_vmemmap_nr() */
export const pgmap_vmemmap_nr = (pgmap: DevPagemap): number => 2 ** pgmap.vmemmap_shift;

// mm/mm_init.c compound_nr_pages(pfn, altmap, pgmap) (2026: with early_section())
export function compound_nr_pages(k: Kernel, pfn: number, pgmap: DevPagemap): number {
  if (k.early_section(pfn) || !__vmemmap_can_optimize(k, pgmap.altmap !== null)) return pgmap_vmemmap_nr(pgmap);
  return VMEMMAP_RESERVE_NR * (PAGE_SIZE / k.sizeofPage);
}

// mm/mm_init.c compound_nr_pages(altmap, pgmap) (v7.1 and older: no early_section() test)
export function compound_nr_pages_v7_1(k: Kernel, pgmap: DevPagemap): number {
  if (!__vmemmap_can_optimize(k, pgmap.altmap !== null)) return pgmap_vmemmap_nr(pgmap);
  return VMEMMAP_RESERVE_NR * (PAGE_SIZE / k.sizeofPage);
}
