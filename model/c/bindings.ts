// The one table of kernel helpers that are not defined in the file under check: each name maps to
// the model's TypeScript function (model/kernel/), by arity where trees differ. A helper the file
// defines itself is interpreted instead, so a binding applies only to what the file leaves out.
// `memmap-check bindings` prints this table.
import { VariantFault } from '../faults.ts';
import { U32_1, U32_MINUS_1, u32 } from '../kernel/bytes.ts';
import {
  __SetPageHead, compound_nr_pages, compound_nr_pages_v7_1, pgmap_vmemmap_nr, prep_compound_head, prep_compound_tail,
} from '../kernel/compound.ts';
import {
  MEMORY_DEVICE_COHERENT, MEMORY_DEVICE_FS_DAX, MEMORY_DEVICE_GENERIC, MEMORY_DEVICE_PCI_P2PDMA, MEMORY_DEVICE_PRIVATE,
  MIGRATE_MOVABLE, MIGRATE_UNMOVABLE, PAGES_PER_SECTION, PAGE_OFFSET, PAGE_SHIFT, PAGE_SIZE, VMEMMAP_RESERVE_NR,
  pageblockNrPages,
} from '../kernel/constants.ts';
import { memcpy, streamingCopyStore } from '../kernel/copy.ts';
import type { DevPagemap } from '../kernel/init.ts';
import {
  INIT_LIST_HEAD, __SetPageReserved, __init_single_page, mm_zero_struct_page, page_cpupid_reset_last, page_folio,
  pagemap_resets_refcount, set_page_address, set_page_count, set_page_links,
} from '../kernel/init.ts';
import { OFF } from '../kernel/layout.ts';
import { __vmemmap_can_optimize, load, pfn_to_page, store } from '../kernel/mm.ts';
import { init_pageblock_migratetype, pageblock_align, pageblock_aligned, pageblock_migratetype_init_range } from '../kernel/pageblock.ts';
import { zone_device_page_init_optimization_enabled } from '../kernel/template.ts';
import { arch_optimize_store_backend } from '../kernel/variants/v1.ts';
import type { CRun } from './runtime.ts';
import { FieldAddr, ModelObj, PageRef, type Value, WordPtr, describeValue, encode } from './values.ts';
import type { KernelConfig } from '../kernel/config.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BoundFn = (c: CRun, ...args: any[]) => Value;

export interface Binding {
  readonly name: string;
  /** the model function it runs, for the listing */
  readonly model: string;
  /** one implementation per argument count (the signatures seen across trees) */
  readonly forms: Readonly<Record<number, BoundFn>>;
  /** takes any number of arguments (printk-style): they are evaluated, nothing else happens */
  readonly variadic?: BoundFn;
  /** a drain: the compiler names each call site function#n */
  readonly drain?: boolean;
  /** configs where the generic header replaces the x86 one (the drain is empty) */
  readonly genericUnder?: (c: KernelConfig) => boolean;
  /**
   * A VM_* debug check: with CONFIG_DEBUG_VM its arguments are evaluated (BUG_ON, WARN_ON); without
   * it the macro is BUILD_BUG_ON_INVALID(cond) (include/linux/mmdebug.h), which evaluates nothing.
   */
  readonly debugVmOnly?: boolean;
}

// -- argument checks: a wrong kind of value is the C code's fault, reported in one line ---------

function page(v: unknown, fn: string): PageRef {
  if (v instanceof PageRef) return v;
  throw new VariantFault('threw', `${fn}() needs a struct page *, got ${describeValue(v)}`);
}
function num(v: unknown, fn: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  throw new VariantFault('threw', `${fn}() needs an integer, got ${describeValue(v)}`);
}
function obj(v: unknown, struct: string, fn: string): ModelObj {
  if (v instanceof ModelObj && v.struct === struct) return v;
  throw new VariantFault('threw', `${fn}() needs a struct ${struct} *, got ${describeValue(v)}`);
}
function field(v: unknown, fn: string): FieldAddr {
  if (v instanceof FieldAddr) return v;
  throw new VariantFault('threw', `${fn}() needs the address of a struct page field, got ${describeValue(v)}`);
}
const pgmapOf = (v: unknown, fn: string): DevPagemap => obj(v, 'dev_pagemap', fn).model as DevPagemap;
const altmapOf = (v: unknown, fn: string): ModelObj | null => (v === null || v === 0 ? null : obj(v, 'vmem_altmap', fn));
const bool = (b: boolean): number => (b ? 1 : 0);

const list: Binding[] = [];
const bind = (name: string, model: string, forms: Record<number, BoundFn>, extra: Partial<Binding> = {}): void => {
  list.push({ name, model, forms, ...extra });
};
const noop = (name: string, model: string, arity: number, value: (c: CRun, ...a: Value[]) => Value = () => 0): void =>
  bind(name, model, { [arity]: value });

// -- memory map ---------------------------------------------------------------------------------
bind('pfn_to_page', 'pfn_to_page()', { 1: (c, pfn) => pfn_to_page(c.k, num(pfn, 'pfn_to_page')) });
bind('page_to_pfn', 'PageRef.pfn', { 1: (_c, p) => page(p, 'page_to_pfn').pfn });
bind('pgmap_altmap', 'dev_pagemap.altmap', { 1: (_c, p) => obj(p, 'dev_pagemap', 'pgmap_altmap').fields.altmap as Value });
bind('pgmap_vmemmap_nr', 'pgmap_vmemmap_nr()', { 1: (_c, p) => pgmap_vmemmap_nr(pgmapOf(p, 'pgmap_vmemmap_nr')) });
bind('zone_idx', 'Zone.zone_idx', { 1: (_c, z) => obj(z, 'zone', 'zone_idx').fields.zone_idx as number });
bind('vmem_altmap_offset', 'reserve + free', { 1: (_c, a) => {
  const m = obj(a, 'vmem_altmap', 'vmem_altmap_offset').fields;
  return (m.reserve as number) + (m.free as number);
} });
// per memory section (Scenario.earlySections): __pfn_to_section() hands early_section() the pfn,
// which names its section
bind('early_section', 'early_section() of the section, per section (Scenario.earlySections)', { 1: (c, sec) => bool(c.k.early_section(num(sec, 'early_section'))) });
bind('__pfn_to_section', 'the pfn, naming its section for early_section()', { 1: (_c, pfn) => num(pfn, '__pfn_to_section') });
bind('vmemmap_can_optimize', '__vmemmap_can_optimize()', { 2: (c, a) => bool(__vmemmap_can_optimize(c.k, altmapOf(a, 'vmemmap_can_optimize') !== null)) });
bind('compound_nr_pages', 'compound_nr_pages() / compound_nr_pages_v7_1()', {
  3: (c, pfn, _a, p) => compound_nr_pages(c.k, num(pfn, 'compound_nr_pages'), pgmapOf(p, 'compound_nr_pages')),
  2: (c, _a, p) => compound_nr_pages_v7_1(c.k, pgmapOf(p, 'compound_nr_pages')),
});

// -- single page init (__init_single_page() and its header helpers) ----------------------------
bind('__init_single_page', '__init_single_page()', { 4: (c, p, pfn, zone, nid) =>
  (c.drive(__init_single_page(c.k, page(p, '__init_single_page'), num(pfn, '__init_single_page'), num(zone, '__init_single_page'), num(nid, '__init_single_page'))), 0) });
bind('mm_zero_struct_page', 'mm_zero_struct_page()', { 1: (c, p) => (c.drive(mm_zero_struct_page(c.k, page(p, 'mm_zero_struct_page'))), 0) });
bind('set_page_links', 'set_page_links()', { 4: (c, p, zone, node, pfn) =>
  (c.drive(set_page_links(c.k, page(p, 'set_page_links'), num(zone, 'set_page_links'), num(node, 'set_page_links'), num(pfn, 'set_page_links'))), 0) });
bind('init_page_count', 'store of 1 to _refcount', { 1: (c, p) => (c.emit(store(page(p, 'init_page_count').addr + OFF._refcount, U32_1, 'init_page_count')), 0) });
bind('page_mapcount_reset', 'store of -1 to _mapcount', { 1: (c, p) => (c.emit(store(page(p, 'page_mapcount_reset').addr + OFF._mapcount, U32_MINUS_1, 'page_mapcount_reset')), 0) });
bind('atomic_set', 'a 4-byte store to the field', { 2: (c, f, v) => {
  const a = field(f, 'atomic_set');
  c.emit(store(a.page.addr + a.field.offset, v === -1 ? U32_MINUS_1 : u32(num(v, 'atomic_set')), 'atomic_set'));
  return 0;
} });
bind('page_cpupid_reset_last', 'page_cpupid_reset_last()', { 1: (c, p) => (c.drive(page_cpupid_reset_last(c.k, page(p, 'page_cpupid_reset_last'))), 0) });
noop('page_kasan_tag_reset', 'no-op: no tag-based KASAN on x86_64', 1);
bind('INIT_LIST_HEAD', 'INIT_LIST_HEAD()', { 1: (c, f) => {
  const a = field(f, 'INIT_LIST_HEAD');
  c.drive(INIT_LIST_HEAD(a.page.addr + a.field.offset, a.page.vaBytes(a.field.offset)));
  return 0;
} });
noop('is_highmem_idx', 'false: ZONE_DEVICE is not a highmem zone', 1);
bind('__va', 'PAGE_OFFSET + x', { 1: (_c, x) => PAGE_OFFSET + BigInt(num(x, '__va')) });
bind('set_page_address', 'set_page_address()', { 2: (c, p, va) => {
  const pg = page(p, 'set_page_address');
  if (c.k.L.virtual === null) throw new VariantFault('threw', 'set_page_address(): struct page has no field \'virtual\' in this configuration');
  c.emit(set_page_address(c.k, pg, typeof va === 'bigint' ? va : BigInt(num(va, 'set_page_address'))));
  return 0;
} });
noop('set_page_section_from_pfn', 'no-op: no SECTION_IN_PAGE_FLAGS on SPARSEMEM_VMEMMAP', 2);
bind('__SetPageReserved', '__SetPageReserved()', { 1: (c, p) => (c.drive(__SetPageReserved(page(p, '__SetPageReserved'))), 0) });
bind('__SetPageHead', '__SetPageHead()', { 1: (c, p) => (c.drive(__SetPageHead(page(p, '__SetPageHead'))), 0) });
bind('page_folio', 'page_folio()', { 1: (c, p) => c.drive(page_folio(c.k, page(p, 'page_folio'))) });
bind('set_page_count', 'set_page_count()', { 2: (c, p, v) => (c.emit(set_page_count(page(p, 'set_page_count'), num(v, 'set_page_count'))), 0) });
bind('pagemap_resets_refcount', 'pagemap_resets_refcount()', { 1: (_c, p) => bool(pagemap_resets_refcount(pgmapOf(p, 'pagemap_resets_refcount'))) });

// -- compound pages ----------------------------------------------------------------------------
bind('prep_compound_tail', 'prep_compound_tail()', {
  // 2026: prep_compound_tail(page, head, order)
  3: (c, p, h, order) => (c.drive(prep_compound_tail(c.k, page(p, 'prep_compound_tail'), page(h, 'prep_compound_tail'), num(order, 'prep_compound_tail'))), 0),
  // ~v6.16: prep_compound_tail(head, tail_idx); the order is the pgmap's
  2: (c, h, idx) => {
    const head = page(h, 'prep_compound_tail');
    const tail = pfn_to_page(c.k, head.pfn + num(idx, 'prep_compound_tail'));
    c.drive(prep_compound_tail(c.k, tail, head, c.k.compoundShift));
    return 0;
  },
});
bind('prep_compound_head', 'prep_compound_head()', { 2: (c, h, order) => (c.drive(prep_compound_head(c.k, page(h, 'prep_compound_head'), num(order, 'prep_compound_head'))), 0) });

// -- pageblocks --------------------------------------------------------------------------------
bind('init_pageblock_migratetype', 'init_pageblock_migratetype()', { 3: (c, p, mt) =>
  (c.drive(init_pageblock_migratetype(page(p, 'init_pageblock_migratetype'), num(mt, 'init_pageblock_migratetype'), false)), 0) });
bind('pageblock_migratetype_init_range', 'pageblock_migratetype_init_range()', { 4: (c, pfn, nr, mt) =>
  (c.drive(pageblock_migratetype_init_range(c.k, num(pfn, 'pageblock_migratetype_init_range'), num(nr, 'pageblock_migratetype_init_range'), num(mt, 'pageblock_migratetype_init_range'), false)), 0) });
// pageblock_order is the config's (9 with HUGETLB_PAGE or THP, 10 without)
bind('pageblock_align', 'round up to pageblock_nr_pages (the config\'s pageblock_order)', { 1: (c, pfn) => pageblock_align(num(pfn, 'pageblock_align'), c.k.cfg.pageblockOrder) });
bind('pageblock_aligned', 'pfn % pageblock_nr_pages == 0 (the config\'s pageblock_order)', { 1: (c, pfn) => bool(pageblock_aligned(num(pfn, 'pageblock_aligned'), c.k.cfg.pageblockOrder)) });

// -- the template fast path --------------------------------------------------------------------
bind('zone_device_page_init_optimization_enabled', 'zone_device_page_init_optimization_enabled()', { 0: (c) => bool(zone_device_page_init_optimization_enabled(c.k)) });
bind('page_ref_tracepoint_active', 'the page_ref_set tracepoint of the config', { 1: (c) => bool(c.k.cfg.pageRefTracepoint) });

// -- copies and drains (x86 backends: MOVNTI qwords ascending, SFENCE) ---------------------------
/** The size of a struct page copy (only whole struct pages are modeled). */
const copySize = (c: CRun, fn: string, n: unknown): number => {
  const size = num(n, fn);
  if (size !== c.k.sizeofPage) throw new VariantFault('threw', `${fn}() of ${size} bytes: the model copies whole struct pages (sizeof(struct page) = ${c.k.sizeofPage})`);
  return size;
};
const copyArgs = (c: CRun, fn: string, d: unknown, s: unknown, n: unknown): [PageRef, PageRef, number] => {
  const dst = page(d, fn);
  const src = page(s, fn);
  return [dst, src, copySize(c, fn, n)];
};
bind('memcpy', 'memcpy(): cached load and store', { 3: (c, d, s, n) => (c.drive(memcpy(...copyArgs(c, 'memcpy', d, s, n))), 0) });
for (const name of ['memcpy_nt', 'memcpy_streaming', 'memcpy_flushcache', 'memcpy_nontemporal']) {
  // memcpy_streaming()'s two events, emitted without driving its generator (once per page on the template path)
  bind(name, 'memcpy_streaming(): MOVNTI qwords, ascending, no fence', { 3: (c, d, s, n) => {
    const dst = page(d, name);
    const src = page(s, name);
    c.emit(streamingCopyStore(dst, c.emit(load(src.addr, copySize(c, name, n), name))!, name));
    return 0;
  } });
}
for (const name of ['memcpy_nt_drain', 'memcpy_streaming_drain']) {
  bind(name, 'SFENCE (a drain site name#n)', { 0: () => 0 }, { drain: true });
}

// v1: arch/x86/include/asm/struct_page_init.h (linux-mm/linux-mm @ 633e4201) has MOVNTI and SFENCE
// only without KASAN and KMSAN; otherwise asm-generic: a plain store and an empty drain. The choice
// is v1's model's (arch_optimize_store_backend()), so the C and TypeScript v1 cannot disagree.
const sanitized = (c: KernelConfig): boolean => !arch_optimize_store_backend(c).streaming;
bind('arch_optimize_store_drain', 'SFENCE; empty under KASAN/KMSAN (a drain site name#n)', { 0: () => 0 }, { drain: true, genericUnder: sanitized });
bind('arch_optimize_store_u64', 'one MOVNTI of 8 bytes; a cached store under KASAN/KMSAN', { 2: (c, p, v) => {
  if (!(p instanceof WordPtr)) throw new VariantFault('threw', `arch_optimize_store_u64() needs a u64 * into a struct page, got ${describeValue(p)}`);
  const addr = p.page.addr + p.off;
  const bytes = encode(v as Value, 8);
  if (sanitized(c.k.cfg)) c.emit(store(addr, bytes, 'arch_optimize_store_u64'));
  else c.emit({ kind: 'store', via: 'streaming', addr, bytes, granule: 8, fn: 'arch_optimize_store_u64' });
  return 0;
} });

// -- no memory effect: arguments evaluated, then nothing (or the identity) ----------------------
noop('cond_resched', 'no memory effect', 0);
noop('jiffies_to_msecs', '0: time is not modeled', 1);
for (const n of ['WARN_ON_ONCE', 'WARN_ON']) bind(n, 'its condition', { 1: (_c, x) => x });
for (const n of ['VM_WARN_ON_ONCE', 'VM_WARN_ON']) bind(n, 'its condition with CONFIG_DEBUG_VM; not evaluated without', { 1: (_c, x) => x }, { debugVmOnly: true });
for (const n of ['likely', 'unlikely']) bind(n, '!!x (compiled inline)', { 1: (_c, x) => (x !== 0 && x !== null ? 1 : 0) });
for (const n of ['pr_debug', 'pr_info', 'pr_warn', 'pr_err', 'mminit_dprintk']) bind(n, 'no-op (arguments evaluated)', {}, { variadic: () => 0 });
for (const n of ['WARN_ONCE', 'WARN']) bind(n, 'its condition', {}, { variadic: (_c, x) => x });
noop('BUG_ON', 'no-op: the model has no debug checks', 1);
bind('VM_BUG_ON', 'condition evaluated with CONFIG_DEBUG_VM only; no BUG modeled', { 1: () => 0 }, { debugVmOnly: true });
for (const n of ['VM_BUG_ON_PAGE', 'VM_BUG_ON_FOLIO', 'VM_WARN_ON_ONCE_PAGE']) {
  bind(n, 'condition evaluated with CONFIG_DEBUG_VM only; no BUG modeled', { 2: () => 0 }, { debugVmOnly: true });
}
bind('IS_ALIGNED', 'x % a == 0', { 2: (_c, x, a) => bool(num(x, 'IS_ALIGNED') % num(a, 'IS_ALIGNED') === 0) });
bind('ALIGN', 'round x up to a', { 2: (_c, x, a) => Math.ceil(num(x, 'ALIGN') / num(a, 'ALIGN')) * num(a, 'ALIGN') });
bind('min', 'the smaller', { 2: (_c, a, b) => Math.min(num(a, 'min'), num(b, 'min')) });
bind('max', 'the larger', { 2: (_c, a, b) => Math.max(num(a, 'max'), num(b, 'max')) });

/** The bindings by name. */
export const BINDINGS: ReadonlyMap<string, Binding> = new Map(list.map((b) => [b.name, b]));

/** Constants and globals a file may name without defining them. */
export const CONSTANTS: ReadonlyMap<string, (c: CRun) => Value> = new Map<string, (c: CRun) => Value>([
  ['NULL', () => null], ['true', () => 1], ['false', () => 0],
  ['ZONE_DEVICE', (c) => c.k.F.zoneDevice],
  ['MIGRATE_MOVABLE', () => MIGRATE_MOVABLE], ['MIGRATE_UNMOVABLE', () => MIGRATE_UNMOVABLE],
  ['MEMORY_DEVICE_PRIVATE', () => MEMORY_DEVICE_PRIVATE], ['MEMORY_DEVICE_COHERENT', () => MEMORY_DEVICE_COHERENT],
  ['MEMORY_DEVICE_FS_DAX', () => MEMORY_DEVICE_FS_DAX], ['MEMORY_DEVICE_GENERIC', () => MEMORY_DEVICE_GENERIC],
  ['MEMORY_DEVICE_PCI_P2PDMA', () => MEMORY_DEVICE_PCI_P2PDMA],
  ['PAGES_PER_SECTION', () => PAGES_PER_SECTION], ['PAGE_SHIFT', () => PAGE_SHIFT], ['PAGE_SIZE', () => PAGE_SIZE],
  ['VMEMMAP_RESERVE_NR', () => VMEMMAP_RESERVE_NR],
  ['pageblock_nr_pages', (c) => pageblockNrPages(c.k.cfg)], ['pageblock_order', (c) => c.k.cfg.pageblockOrder],
  ['jiffies', () => 0], ['page_ref_set', () => 'page_ref_set'],
]);

/** The list for `memmap-check bindings`: name, arities, model. */
export function bindingRows(): { name: string; arity: string; model: string }[] {
  return [...BINDINGS.values()].map((b) => ({
    name: b.name,
    arity: b.variadic ? 'any' : Object.keys(b.forms).join('|'),
    model: b.model,
  }));
}
