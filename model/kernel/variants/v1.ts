/**
 * v1: the first posting of "mm: speed up ZONE_DEVICE memmap initialization" (seed 002), as applied
 * in linux-mm/linux-mm @ 633e4201e440 (mm/mm_init.c, arch/x86/include/asm/struct_page_init.h,
 * include/asm-generic/struct_page_init.h), on base-v7.1:
 *  - every pfn, pageblock-aligned ones included, is copied from the template with
 *    arch_optimize_store_u64(); the cached memcpy() for pageblock-aligned pfns came in v2 7/7;
 *  - the copy is an open-coded `switch (sizeof(struct page))` that falls through from the last
 *    u64 of the page down to word 0, so the stores are issued in that order;
 *  - arch_optimize_store_u64() is MOVNTI and arch_optimize_store_drain() SFENCE only on X86_64
 *    without KASAN and KMSAN; otherwise the asm-generic fallback is a plain `*dst = val` and an
 *    empty drain. The fast path stays on either way: its only gate is the page_ref_set tracepoint;
 *  - drains before memmap_init_compound() and before return, none before prep_compound_head()
 *    (review added it in v2: seed 000, "v1->v2");
 *  - its own slow path, __init_zone_device_page(), runs the refcount switch before the pageblock
 *    init (base-v7.1 has them the other way round).
 */
import type { Program } from '../../events.ts';
import { U64_0 } from '../bytes.ts';
import { ConfigError, type KernelConfig } from '../config.ts';
import { __SetPageHead, compound_nr_pages_v7_1, pgmap_vmemmap_nr, prep_compound_head, prep_compound_tail } from '../compound.ts';
import { type Drains, drain, drainPoint } from '../copy.ts';
import { kernelFn } from '../fn.ts';
import {
  type DevPagemap, type Zone, __SetPageReserved, __init_single_page, page_folio, pagemap_resets_refcount, pgmapPointer,
  set_page_count,
} from '../init.ts';
import { OFF } from '../layout.ts';
import { type Kernel, type PageRef, load, pfn_to_page, store } from '../mm.ts';
import { zone_device_page_init_pageblock } from '../pageblock.ts';
import { HEAD_TEMPLATE_SLOT, TAIL_TEMPLATE_SLOT, zone_device_page_update_template } from '../template.ts';
import { altmapStart } from './base-v7_1.ts';
import type { CopyBackend, DrainSite, Variant } from './types.ts';

export const V1_DRAINS = {
  compound: 'before-memmap_init_compound',
  prep: 'before-prep_compound_head',
  ret: 'before-return',
} as const;
type V1Drain = (typeof V1_DRAINS)[keyof typeof V1_DRAINS];

const WHERE: Record<V1Drain, string> = {
  [V1_DRAINS.compound]: 'memmap_init_zone_device(): after the head copy, before memmap_init_compound()',
  [V1_DRAINS.prep]: 'memmap_init_compound(): after the tail copies, before prep_compound_head()',
  [V1_DRAINS.ret]: 'memmap_init_zone_device(): after the loop, before return',
};

/** The drains v1 has; the one before prep_compound_head() is a drain point (empty unless added). */
const HAS: readonly V1Drain[] = [V1_DRAINS.compound, V1_DRAINS.ret];

/**
 * arch/x86/include/asm/struct_page_init.h (linux-mm/linux-mm @ 633e4201): which
 * arch_optimize_store_*() a build gets. The MOVNTI/SFENCE override is under
 * `CONFIG_X86_64 && !CONFIG_KASAN && !CONFIG_KMSAN`; every other build, generic64 included, gets
 * include/asm-generic/struct_page_init.h.
 */
export function arch_optimize_store_backend(c: KernelConfig): CopyBackend {
  if (c.arch === 'x86_64' && !c.kasan && !c.kmsan) {
    return {
      name: 'x86 MOVNTI/SFENCE', streaming: true,
      detail: 'arch_optimize_store_u64() is one MOVNTI, arch_optimize_store_drain() an SFENCE (X86_64 without KASAN and KMSAN)',
    };
  }
  const why = [c.arch !== 'x86_64' ? 'not CONFIG_X86_64' : null, c.kasan ? 'CONFIG_KASAN' : null, c.kmsan ? 'CONFIG_KMSAN' : null]
    .filter((x) => x !== null).join(' and ');
  return {
    name: 'asm-generic fallback', streaming: false,
    detail: `arch_optimize_store_u64() is a plain cached store, arch_optimize_store_drain() is empty (${why}: ` +
      'include/asm-generic/struct_page_init.h)',
  };
}

// arch/x86/include/asm/struct_page_init.h arch_optimize_store_u64() (or the asm-generic `*dst = val`)
function arch_optimize_store_u64(k: Kernel, addr: number, val: Uint8Array) {
  if (!arch_optimize_store_backend(k.cfg).streaming) return store(addr, val, 'arch_optimize_store_u64');
  return { kind: 'store', via: 'streaming', addr, bytes: val, granule: 8, fn: 'arch_optimize_store_u64' } as const;
}

// arch_optimize_store_drain(): SFENCE, or empty in the asm-generic fallback
function* arch_optimize_store_drain(k: Kernel, d: Drains, site: V1Drain): Program {
  if (!arch_optimize_store_backend(k.cfg).streaming) return;
  if (HAS.includes(site)) yield* drain(d, site, 'arch_optimize_store_drain');
  else yield* drainPoint(d, site, 'arch_optimize_store_drain');
}

// mm/mm_init.c generic_init_zone_device_page_slow() (633e4201)
const generic_init_zone_device_page_slow = kernelFn('generic_init_zone_device_page_slow',
  function* (k: Kernel, page: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* __init_single_page(k, page, pfn, zone_idx, nid);
    yield* __SetPageReserved(page);
    const folio = yield* page_folio(k, page);
    yield store(folio.addr + OFF.compound_info, pgmapPointer(pgmap), 'folio->pgmap');
    yield store(page.addr + OFF.zone_device_data, U64_0, 'zone_device_data');
  });

// mm/mm_init.c zone_device_page_init_refcount() (633e4201): the base's refcount switch as a value
const zone_device_page_init_refcount = (pgmap: DevPagemap): number => (pagemap_resets_refcount(pgmap) ? 1 : 0);

// mm/mm_init.c __init_zone_device_page() (633e4201): refcount before the pageblock init
export const __init_zone_device_page = kernelFn('__init_zone_device_page',
  function* (k: Kernel, page: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* generic_init_zone_device_page_slow(k, page, pfn, zone_idx, nid, pgmap);
    if (!zone_device_page_init_refcount(pgmap)) yield set_page_count(page, 0);
    yield* zone_device_page_init_pageblock(page, pfn);
  });

// mm/mm_init.c zone_device_page_init_optimization_enabled() (633e4201, BITS_PER_LONG == 64)
export const zone_device_page_init_optimization_enabled = (k: Kernel): boolean => !k.cfg.pageRefTracepoint;

// mm/mm_init.c struct_page_layout_check(): BUILD_BUG_ON()s, so another size does not build
function struct_page_layout_check(k: Kernel): void {
  const s = k.sizeofPage;
  if (s % 8 !== 0 || s < 56 || s > 96) {
    throw new ConfigError(`v1 does not build with sizeof(struct page)=${s}; struct_page_layout_check() allows 56..96, a multiple of 8`);
  }
}

// mm/mm_init.c init_template_head_page() (633e4201)
const init_template_head_page = kernelFn('init_template_head_page',
  function* (k: Kernel, template: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* generic_init_zone_device_page_slow(k, template, pfn, zone_idx, nid, pgmap);
    if (!zone_device_page_init_refcount(pgmap)) yield set_page_count(template, 0);
  });

// mm/mm_init.c init_template_tail_page() (633e4201)
const init_template_tail_page = kernelFn('init_template_tail_page',
  function* (k: Kernel, template: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap, head: PageRef, order: number): Program {
    yield* generic_init_zone_device_page_slow(k, template, pfn, zone_idx, nid, pgmap);
    yield* prep_compound_tail(k, template, head, order);
    yield set_page_count(template, 0);
  });

// mm/mm_init.c init_zone_device_page_from_template() (633e4201): refresh the template, then the
// `switch (sizeof(struct page))` fallthrough: dst[N-1] = src[N-1], ..., dst[0] = src[0]
export const init_zone_device_page_from_template = kernelFn('init_zone_device_page_from_template',
  function* (k: Kernel, page: PageRef, pfn: number, template: PageRef): Program {
    yield* zone_device_page_update_template(k, template, pfn);
    for (let off = k.sizeofPage - 8; off >= 0; off -= 8) {
      const val = (yield load(template.addr + off, 8, 'arch_optimize_store_u64'))!;
      yield arch_optimize_store_u64(k, page.addr + off, val);
    }
    yield* zone_device_page_init_pageblock(page, pfn);
  });

// mm/mm_init.c memmap_init_compound() (633e4201)
export const memmap_init_compound = kernelFn('memmap_init_compound',
  function* (k: Kernel, d: Drains, head: PageRef, head_pfn: number, zone_idx: number, nid: number,
    pgmap: DevPagemap, nr_pages: number, use_template: boolean): Program {
    const end_pfn = head_pfn + nr_pages;
    const order = pgmap.vmemmap_shift;
    const template = k.stackPage(TAIL_TEMPLATE_SLOT);
    yield* __SetPageHead(head);
    if (use_template) yield* init_template_tail_page(k, template, head_pfn + 1, zone_idx, nid, pgmap, head, order);
    for (let pfn = head_pfn + 1; pfn < end_pfn; pfn++) {
      const page = pfn_to_page(k, pfn);
      if (use_template) {
        yield* init_zone_device_page_from_template(k, page, pfn, template);
      } else {
        yield* __init_zone_device_page(k, page, pfn, zone_idx, nid, pgmap);
        yield* prep_compound_tail(k, page, head, order);
        yield set_page_count(page, 0);
      }
    }
    if (use_template) yield* arch_optimize_store_drain(k, d, V1_DRAINS.prep); // v1 has none: a drain point
    yield* prep_compound_head(k, head, order);
  });

// mm/mm_init.c memmap_init_zone_device() (633e4201)
const memmap_init_zone_device = kernelFn('memmap_init_zone_device',
  function* (k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
    const use_template = zone_device_page_init_optimization_enabled(k);
    const end_pfn = start_pfn + nr_pages;
    const pfns_per_compound = pgmap_vmemmap_nr(pgmap);
    const { zone_idx, node_id: nid } = zone;
    const template = k.stackPage(HEAD_TEMPLATE_SLOT);
    [start_pfn, nr_pages] = altmapStart(start_pfn, nr_pages, pgmap);
    if (use_template) {
      struct_page_layout_check(k);
      yield* init_template_head_page(k, template, start_pfn, zone_idx, nid, pgmap);
    }
    for (let pfn = start_pfn; pfn < end_pfn; pfn += pfns_per_compound) {
      const page = pfn_to_page(k, pfn);
      if (use_template) yield* init_zone_device_page_from_template(k, page, pfn, template);
      else yield* __init_zone_device_page(k, page, pfn, zone_idx, nid, pgmap);
      if (pfns_per_compound === 1) continue;
      if (use_template) yield* arch_optimize_store_drain(k, d, V1_DRAINS.compound);
      yield* memmap_init_compound(k, d, page, pfn, zone_idx, nid, pgmap, compound_nr_pages_v7_1(k, pgmap), use_template);
    }
    if (use_template) yield* arch_optimize_store_drain(k, d, V1_DRAINS.ret);
  });

const site = (name: V1Drain): DrainSite => ({ name, where: WHERE[name] });

export const v1: Variant = {
  name: 'v1',
  summary: 'first posting (linux-mm @ 633e4201): arch_optimize_store_u64() on every pfn, last u64 first, no drain before prep_compound_head()',
  reference: 'base-v7.1',
  drainSites: HAS.map(site),
  drainPoints: [site(V1_DRAINS.prep)],
  copyBackend: arch_optimize_store_backend,
  memmap_init_zone_device,
};
