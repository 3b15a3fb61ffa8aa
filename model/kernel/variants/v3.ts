// v3: "mm: speed up ZONE_DEVICE memmap initialization" v3 (memcpy_streaming(), seeds 000 and 001),
// on base-v7.1. Reconstructed from the v2 7/7 diff, whose hunks v3 keeps: templates built on the
// stack through the slow-path helpers, pageblock-aligned pfns copied with cached memcpy() because
// pageblock init reads them back, per-page pageblock init, and drains before memmap_init_compound(),
// before prep_compound_head() and before return. The full v3 mm_init.c was not published in a
// readable tree (li-zhe-series.md §1); lines outside the diff follow v5 and base-v7.1.
import type { Program } from '../../events.ts';
import { __SetPageHead, compound_nr_pages_v7_1, pgmap_vmemmap_nr, prep_compound_head, prep_compound_tail } from '../compound.ts';
import { type Drains, drain, drainPoint, memcpy, memcpy_streaming } from '../copy.ts';
import { kernelFn } from '../fn.ts';
import { type DevPagemap, type Zone, set_page_count, zone_device_page_init_slow } from '../init.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../mm.ts';
import { pageblock_aligned, zone_device_page_init_pageblock } from '../pageblock.ts';
import {
  HEAD_TEMPLATE_SLOT, TAIL_TEMPLATE_SLOT, zone_device_page_init_optimization_enabled, zone_device_page_update_template,
} from '../template.ts';
import { __init_zone_device_page, altmapStart } from './base-v7_1.ts';
import type { Variant } from './types.ts';

export const V3_DRAINS = {
  compound: 'before-memmap_init_compound',
  prep: 'before-prep_compound_head',
  ret: 'before-return',
} as const;

/** The choices in which v3 and its mutants differ. */
export interface V3Options {
  readonly name: string;
  readonly summary: string;
  /** Gate of the fast path. */
  readonly enabled: (k: Kernel) => boolean;
  /** The streaming copy primitive. */
  readonly copy: (dst: PageRef, src: PageRef, n: number) => Program;
  /** Copy pageblock-aligned pfns with cached memcpy() (v2 7/7 and later). */
  readonly pageblockAlignedCached: boolean;
  /** Drain sites the variant has. */
  readonly drains: readonly (typeof V3_DRAINS)[keyof typeof V3_DRAINS][];
  readonly drainFn: string;
}

// mm/mm_init.c zone_device_template_head_page_init(): the head template, built on the stack
const zone_device_template_head_page_init = kernelFn('zone_device_template_head_page_init',
  function* (k: Kernel, template: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap): Program {
    yield* zone_device_page_init_slow(k, template, pfn, zone_idx, nid, pgmap);
  });

// mm/mm_init.c zone_device_template_tail_page_init(): the tail template, built on the stack
const zone_device_template_tail_page_init = kernelFn('zone_device_template_tail_page_init',
  function* (k: Kernel, template: PageRef, pfn: number, zone_idx: number, nid: number, pgmap: DevPagemap, head: PageRef, order: number): Program {
    yield* zone_device_page_init_slow(k, template, pfn, zone_idx, nid, pgmap);
    yield* prep_compound_tail(k, template, head, order);
    yield set_page_count(template, 0);
  });

export function makeV3Like(o: V3Options): Variant {
  const has = (site: string) => o.drains.includes(site as never);
  const sfence = function* (d: Drains, site: string): Program {
    if (has(site)) yield* drain(d, site, o.drainFn);
    else yield* drainPoint(d, site, o.drainFn);
  };

  // mm/mm_init.c zone_device_page_init_from_template() (seed 001)
  const zone_device_page_init_from_template = kernelFn('zone_device_page_init_from_template',
    function* (k: Kernel, page: PageRef, pfn: number, template: PageRef): Program {
      yield* zone_device_page_update_template(k, template, pfn);
      if (o.pageblockAlignedCached && pageblock_aligned(pfn, k.cfg.pageblockOrder)) yield* memcpy(page, template, k.sizeofPage);
      else yield* o.copy(page, template, k.sizeofPage);
      yield* zone_device_page_init_pageblock(page, pfn);
    });

  // mm/mm_init.c memmap_init_compound() (seed 001)
  const memmap_init_compound = kernelFn('memmap_init_compound',
    function* (k: Kernel, d: Drains, head: PageRef, head_pfn: number, zone_idx: number, nid: number,
      pgmap: DevPagemap, nr_pages: number, use_template: boolean): Program {
      const end_pfn = head_pfn + nr_pages;
      const order = pgmap.vmemmap_shift;
      const template = k.stackPage(TAIL_TEMPLATE_SLOT);
      yield* __SetPageHead(head);
      if (use_template) yield* zone_device_template_tail_page_init(k, template, head_pfn + 1, zone_idx, nid, pgmap, head, order);
      for (let pfn = head_pfn + 1; pfn < end_pfn; pfn++) {
        const page = pfn_to_page(k, pfn);
        if (use_template) {
          yield* zone_device_page_init_from_template(k, page, pfn, template);
          continue;
        }
        yield* __init_zone_device_page(k, page, pfn, zone_idx, nid, pgmap);
        yield* prep_compound_tail(k, page, head, order);
        yield set_page_count(page, 0);
      }
      if (use_template) yield* sfence(d, V3_DRAINS.prep);
      yield* prep_compound_head(k, head, order);
    });

  // mm/mm_init.c memmap_init_zone_device() (seed 001)
  const memmap_init_zone_device = kernelFn('memmap_init_zone_device',
    function* (k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
      const use_template = o.enabled(k);
      const end_pfn = start_pfn + nr_pages;
      const pfns_per_compound = pgmap_vmemmap_nr(pgmap);
      const { zone_idx, node_id: nid } = zone;
      const template = k.stackPage(HEAD_TEMPLATE_SLOT);
      [start_pfn, nr_pages] = altmapStart(start_pfn, nr_pages, pgmap);
      if (use_template) yield* zone_device_template_head_page_init(k, template, start_pfn, zone_idx, nid, pgmap);
      for (let pfn = start_pfn; pfn < end_pfn; pfn += pfns_per_compound) {
        const page = pfn_to_page(k, pfn);
        if (use_template) yield* zone_device_page_init_from_template(k, page, pfn, template);
        else yield* __init_zone_device_page(k, page, pfn, zone_idx, nid, pgmap);
        if (pfns_per_compound === 1) continue;
        if (use_template) yield* sfence(d, V3_DRAINS.compound);
        yield* memmap_init_compound(k, d, page, pfn, zone_idx, nid, pgmap, compound_nr_pages_v7_1(k, pgmap), use_template);
      }
      if (use_template) yield* sfence(d, V3_DRAINS.ret);
    });

  const where: Record<string, string> = {
    [V3_DRAINS.compound]: 'memmap_init_zone_device(): after the head copy, before memmap_init_compound()',
    [V3_DRAINS.prep]: 'memmap_init_compound(): after the tail copies, before prep_compound_head()',
    [V3_DRAINS.ret]: 'memmap_init_zone_device(): after the loop, before return',
  };
  return {
    name: o.name,
    summary: o.summary,
    reference: 'base-v7.1',
    drainSites: o.drains.map((name) => ({ name, where: where[name]! })),
    drainPoints: Object.values(V3_DRAINS).filter((n) => !has(n)).map((name) => ({ name, where: where[name]! })),
    memmap_init_zone_device,
  };
}

export const V3_OPTIONS: V3Options = {
  name: 'v3',
  summary: 'memcpy_streaming() series v3 (seeds 000/001) on base-v7.1; pageblock-aligned pfns stay cached',
  enabled: zone_device_page_init_optimization_enabled,
  copy: memcpy_streaming,
  pageblockAlignedCached: true,
  drains: [V3_DRAINS.compound, V3_DRAINS.prep, V3_DRAINS.ret],
  drainFn: 'memcpy_streaming_drain',
};

export const v3 = makeV3Like(V3_OPTIONS);

// v1 has its own file (the series' history: v1.ts, v3.ts, v5.ts); re-exported for old importers.
export { v1 } from './v1.ts';
