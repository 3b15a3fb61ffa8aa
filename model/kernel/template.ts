// Template helpers of the Li Zhe series (li-zhe-series.md §2; seed 001).
import type { Program } from '../events.ts';
import { prep_compound_tail } from './compound.ts';
import { memcpy } from './copy.ts';
import { kernelFn } from './fn.ts';
import { type DevPagemap, set_page_address, set_page_count, zone_device_page_init_slow } from './init.ts';
import { type Kernel, type PageRef, __va_pfn } from './mm.ts';

// mm/mm_init.c zone_device_page_init_optimization_enabled() (v2 7/7 and later)
export function zone_device_page_init_optimization_enabled(k: Kernel): boolean {
  if (k.cfg.kasan || k.cfg.kmsan) return false; // keep sanitized builds on the slow path
  if (k.cfg.pageRefTracepoint) return false; // page_ref_tracepoint_active(page_ref_set)
  return k.sizeofPage % 8 === 0; // IS_ALIGNED(sizeof(struct page), sizeof(u64))
}

// mm/mm_init.c zone_device_template_page_init(): memcpy(template, src, sizeof(*template))
export const zone_device_template_page_init = kernelFn('zone_device_template_page_init',
  function* (k: Kernel, template: PageRef, src: PageRef): Program {
    yield* memcpy(template, src, k.sizeofPage);
  });

// mm/mm_init.c zone_device_page_update_template(): refresh the PFN-dependent fields
export const zone_device_page_update_template = kernelFn('zone_device_page_update_template',
  function* (k: Kernel, template: PageRef, pfn: number): Program {
    // set_page_section_from_pfn(): empty without SECTION_IN_PAGE_FLAGS (SPARSEMEM_VMEMMAP)
    if (k.L.virtual !== null) yield set_page_address(k, template, __va_pfn(pfn));
  });

// mm/mm_init.c zone_device_tail_page_init() (v5): slow path + prep_compound_tail + refcount 0
export const zone_device_tail_page_init = kernelFn('zone_device_tail_page_init',
  function* (k: Kernel, page: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap, head: PageRef, order: number): Program {
    yield* zone_device_page_init_slow(k, page, pfn, zone_idx, nid, pgmap);
    yield* prep_compound_tail(k, page, head, order);
    yield set_page_count(page, 0);
  });

/** Stack slots of the template struct pages (one per C function frame). */
export const HEAD_TEMPLATE_SLOT = 0;
export const TAIL_TEMPLATE_SLOT = 1;
