// v5: the memcpy_nt() form of the series as applied in SJ's mm-new (sjp38/linux @ 10565da8,
// li-zhe-series.md §2), on the 2026 base: head template seeded from the first real page, every
// template copy streaming, drains #1-#3, pageblock range init after the final drain.
import type { Program } from '../../events.ts';
import { __SetPageHead, compound_nr_pages, pgmap_vmemmap_nr, prep_compound_head } from '../compound.ts';
import { MIGRATE_MOVABLE } from '../constants.ts';
import { type Drains, drain, memcpy_streaming } from '../copy.ts';
import { kernelFn } from '../fn.ts';
import { type DevPagemap, type Zone, zone_device_page_init_slow } from '../init.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../mm.ts';
import { pageblock_migratetype_init_range } from '../pageblock.ts';
import {
  HEAD_TEMPLATE_SLOT, TAIL_TEMPLATE_SLOT, zone_device_page_init_optimization_enabled, zone_device_page_update_template,
  zone_device_tail_page_init, zone_device_template_page_init,
} from '../template.ts';
import { altmapStart } from './base-v7_1.ts';
import type { Variant } from './types.ts';

export const V5_DRAINS = {
  prep: 'before-prep_compound_head',
  compound: 'before-memmap_init_compound',
  ret: 'before-return',
} as const;

/** The choices in which v5 and its mutants differ. */
export interface V5Options {
  readonly name: string;
  readonly summary: string;
  /** zone_device_page_update_template() before each copy (section bits, page->virtual). */
  readonly refreshTemplate: boolean;
}

export function makeV5Like(o: V5Options): Variant {
  // mm/mm_init.c zone_device_page_init_from_template() (10565da8: memcpy_nt)
  const zone_device_page_init_from_template = kernelFn('zone_device_page_init_from_template',
    function* (k: Kernel, page: PageRef, pfn: number, template: PageRef): Program {
      if (o.refreshTemplate) yield* zone_device_page_update_template(k, template, pfn);
      yield* memcpy_streaming(page, template, k.sizeofPage, 'memcpy_nt');
    });

  // mm/mm_init.c memmap_init_compound() (10565da8)
  const memmap_init_compound = kernelFn('memmap_init_compound',
    function* (k: Kernel, d: Drains, head: PageRef, head_pfn: number, zone_idx: number, nid: number,
      pgmap: DevPagemap, nr_pages: number, use_template: boolean): Program {
      const end_pfn = head_pfn + nr_pages;
      const order = pgmap.vmemmap_shift;
      const template = k.stackPage(TAIL_TEMPLATE_SLOT);
      yield* __SetPageHead(head);
      let pfn = head_pfn + 1;
      if (use_template) {
        const page = pfn_to_page(k, pfn);
        yield* zone_device_tail_page_init(k, page, pfn, zone_idx, nid, pgmap, head, order);
        yield* zone_device_template_page_init(k, template, page);
        pfn++;
      }
      for (; pfn < end_pfn; pfn++) {
        const page = pfn_to_page(k, pfn);
        if (use_template) yield* zone_device_page_init_from_template(k, page, pfn, template);
        else yield* zone_device_tail_page_init(k, page, pfn, zone_idx, nid, pgmap, head, order);
      }
      if (use_template) yield* drain(d, V5_DRAINS.prep, 'memcpy_nt_drain'); // DRAIN #1
      yield* prep_compound_head(k, head, order);
    });

  // mm/mm_init.c memmap_init_zone_device() (10565da8)
  const memmap_init_zone_device = kernelFn('memmap_init_zone_device',
    function* (k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
      const use_template = zone_device_page_init_optimization_enabled(k);
      const end_pfn = start_pfn + nr_pages;
      const pfns_per_compound = pgmap_vmemmap_nr(pgmap);
      const { zone_idx, node_id: nid } = zone;
      const template = k.stackPage(HEAD_TEMPLATE_SLOT);
      [start_pfn, nr_pages] = altmapStart(start_pfn, nr_pages, pgmap);
      if (!nr_pages) return;
      let pfn = start_pfn;
      if (use_template) {
        const page = pfn_to_page(k, start_pfn);
        yield* zone_device_page_init_slow(k, page, pfn, zone_idx, nid, pgmap);
        yield* zone_device_template_page_init(k, template, page);
        if (pfns_per_compound !== 1) {
          yield* memmap_init_compound(k, d, page, pfn, zone_idx, nid, pgmap, compound_nr_pages(k, start_pfn, pgmap), use_template);
        }
        pfn += pfns_per_compound;
      }
      for (; pfn < end_pfn; pfn += pfns_per_compound) {
        const page = pfn_to_page(k, pfn);
        if (use_template) yield* zone_device_page_init_from_template(k, page, pfn, template);
        else yield* zone_device_page_init_slow(k, page, pfn, zone_idx, nid, pgmap);
        // cond_resched() on section-aligned pfns: no memory effect
        if (pfns_per_compound === 1) continue;
        if (use_template) yield* drain(d, V5_DRAINS.compound, 'memcpy_nt_drain'); // DRAIN #2
        yield* memmap_init_compound(k, d, page, pfn, zone_idx, nid, pgmap, compound_nr_pages(k, pfn, pgmap), use_template);
      }
      if (use_template) yield* drain(d, V5_DRAINS.ret, 'memcpy_nt_drain'); // DRAIN #3
      yield* pageblock_migratetype_init_range(k, start_pfn, nr_pages, MIGRATE_MOVABLE, false);
    });

  return {
    name: o.name,
    summary: o.summary,
    reference: 'base-next',
    drainSites: [
      { name: V5_DRAINS.prep, where: 'memmap_init_compound(): after the tail copies, before prep_compound_head()' },
      { name: V5_DRAINS.compound, where: 'memmap_init_zone_device(): after the head copy, before memmap_init_compound()' },
      { name: V5_DRAINS.ret, where: 'memmap_init_zone_device(): after the loop, before pageblock init and return' },
    ],
    memmap_init_zone_device,
  };
}

export const v5 = makeV5Like({
  name: 'v5',
  summary: 'memcpy_nt() series in mm-new (sjp38 @ 10565da8) on base-next: every template copy streaming',
  refreshTemplate: true,
});
