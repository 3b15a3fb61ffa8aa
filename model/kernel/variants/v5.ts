// v5: the memcpy_nt() form of the series as applied in SJ's mm-new (sjp38/linux @ 10565da8,
// li-zhe-series.md §2), on the 2026 base: head template seeded from the first real page, every
// template copy streaming, drains #1-#3, pageblock range init after the final drain.
import type { Program } from '../../events.ts';
import { __SetPageHead, compound_nr_pages, pgmap_vmemmap_nr, prep_compound_head } from '../compound.ts';
import { MIGRATE_MOVABLE } from '../constants.ts';
import { type Drains, drain, drainPoint, memcpy_streaming } from '../copy.ts';
import { kernelFn } from '../fn.ts';
import { type DevPagemap, type Zone, zone_device_page_init_slow } from '../init.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../mm.ts';
import { pageblock_migratetype_init_range } from '../pageblock.ts';
import {
  HEAD_TEMPLATE_SLOT, TAIL_TEMPLATE_SLOT, zone_device_page_init_optimization_enabled, zone_device_page_update_template,
  zone_device_tail_page_init, zone_device_template_page_init,
} from '../template.ts';
import { altmapStart } from './base-v7_1.ts';
import type { DrainSite, Variant } from './types.ts';

export const V5_DRAINS = {
  prep: 'before-prep_compound_head',
  compound: 'before-memmap_init_compound',
  ret: 'before-return',
} as const;
export type V5Drain = (typeof V5_DRAINS)[keyof typeof V5_DRAINS];

/** The drain function of v5 (x86: SFENCE). */
export const V5_DRAIN_FN = 'memcpy_nt_drain';

/** Where each v5 drain site sits, in the words of the code. */
export const V5_DRAIN_WHERE: Record<V5Drain, string> = {
  [V5_DRAINS.prep]: 'memmap_init_compound(): after the tail copies, before prep_compound_head()',
  [V5_DRAINS.compound]: 'memmap_init_zone_device(): after the head copy, before memmap_init_compound()',
  [V5_DRAINS.ret]: 'memmap_init_zone_device(): after the loop, before pageblock init and return',
};

/** zone_device_page_init_from_template(page, pfn, template) */
export type InitFromTemplate = (k: Kernel, page: PageRef, pfn: number, template: PageRef) => Program;

/** memmap_init_compound(head, head_pfn, zone_idx, nid, pgmap, nr_pages, use_template), with the drains. */
export type V5MemmapInitCompound = (k: Kernel, d: Drains, head: PageRef, head_pfn: number, zone_idx: number, nid: number,
  pgmap: DevPagemap, nr_pages: number, use_template: boolean) => Program;

/**
 * The choices in which v5, its mutants and user-written variants differ. Every field but the name
 * and summary is optional; left out, it is v5's own code.
 */
export interface V5Options {
  readonly name: string;
  readonly summary: string;
  /** zone_device_page_update_template() before each copy (section bits, page->virtual). */
  readonly refreshTemplate?: boolean;
  /** zone_device_page_init_optimization_enabled(): the gate of the fast path. */
  readonly enabled?: (k: Kernel) => boolean;
  /** zone_device_page_init_slow() of the first page, and of every page when the gate is off. */
  readonly page_init_slow?: typeof zone_device_page_init_slow;
  /** zone_device_page_init_from_template(); replaces refreshTemplate. */
  readonly init_from_template?: InitFromTemplate;
  /** memmap_init_compound(); its own drains are its business (see extraDrainSites). */
  readonly memmap_init_compound?: V5MemmapInitCompound;
  /** compound_nr_pages(pfn, altmap, pgmap). */
  readonly compound_nr_pages?: typeof compound_nr_pages;
  /** The altmap skip at the top of memmap_init_zone_device(): [start_pfn, nr_pages]. */
  readonly altmap_start?: typeof altmapStart;
  /** The v5 drain sites the variant has (default: all three); the others become drain points. */
  readonly drains?: readonly V5Drain[];
  /** Drain sites of overridden functions, listed after v5's. */
  readonly extraDrainSites?: readonly DrainSite[];
  /** Drain points (drainPoint(): empty unless added) of overridden functions. */
  readonly extraDrainPoints?: readonly DrainSite[];
}

/** SFENCE at a v5 site the variant has, or an empty drain point where it has none. */
const sfenceOf = (drains: readonly V5Drain[]) => function* (d: Drains, site: V5Drain): Program {
  if (drains.includes(site)) yield* drain(d, site, V5_DRAIN_FN);
  else yield* drainPoint(d, site, V5_DRAIN_FN);
};

function makeInitFromTemplate(refresh: boolean): InitFromTemplate {
  // mm/mm_init.c zone_device_page_init_from_template() (10565da8: memcpy_nt)
  return kernelFn('zone_device_page_init_from_template',
    function* (k: Kernel, page: PageRef, pfn: number, template: PageRef): Program {
      if (refresh) yield* zone_device_page_update_template(k, template, pfn);
      yield* memcpy_streaming(page, template, k.sizeofPage, 'memcpy_nt');
    });
}

/** v5's zone_device_page_init_from_template(): refresh the template, then memcpy_nt() it. */
export const zone_device_page_init_from_template = makeInitFromTemplate(true);

function makeMemmapInitCompound(init_from_template: InitFromTemplate, drains: readonly V5Drain[]): V5MemmapInitCompound {
  const sfence = sfenceOf(drains);
  // mm/mm_init.c memmap_init_compound() (10565da8)
  return kernelFn('memmap_init_compound',
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
        if (use_template) yield* init_from_template(k, page, pfn, template);
        else yield* zone_device_tail_page_init(k, page, pfn, zone_idx, nid, pgmap, head, order);
      }
      if (use_template) yield* sfence(d, V5_DRAINS.prep); // DRAIN #1
      yield* prep_compound_head(k, head, order);
    });
}

/** v5's memmap_init_compound(), with DRAIN #1 (`before-prep_compound_head`). */
export const memmap_init_compound = makeMemmapInitCompound(zone_device_page_init_from_template, Object.values(V5_DRAINS));

export function makeV5Like(o: V5Options): Variant {
  const drains = o.drains ?? Object.values(V5_DRAINS);
  const sfence = sfenceOf(drains);
  const enabled = o.enabled ?? zone_device_page_init_optimization_enabled;
  const page_init_slow = o.page_init_slow ?? zone_device_page_init_slow;
  const init_from_template = o.init_from_template ?? (o.refreshTemplate === false ? makeInitFromTemplate(false) : zone_device_page_init_from_template);
  const init_compound = o.memmap_init_compound ?? makeMemmapInitCompound(init_from_template, drains);
  const nr_pages_of = o.compound_nr_pages ?? compound_nr_pages;
  const altmap_start = o.altmap_start ?? altmapStart;

  // mm/mm_init.c memmap_init_zone_device() (10565da8)
  const memmap_init_zone_device = kernelFn('memmap_init_zone_device',
    function* (k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
      const use_template = enabled(k);
      const end_pfn = start_pfn + nr_pages;
      const pfns_per_compound = pgmap_vmemmap_nr(pgmap);
      const { zone_idx, node_id: nid } = zone;
      const template = k.stackPage(HEAD_TEMPLATE_SLOT);
      [start_pfn, nr_pages] = altmap_start(start_pfn, nr_pages, pgmap);
      if (!nr_pages) return;
      let pfn = start_pfn;
      if (use_template) {
        const page = pfn_to_page(k, start_pfn);
        yield* page_init_slow(k, page, pfn, zone_idx, nid, pgmap);
        yield* zone_device_template_page_init(k, template, page);
        if (pfns_per_compound !== 1) {
          yield* init_compound(k, d, page, pfn, zone_idx, nid, pgmap, nr_pages_of(k, start_pfn, pgmap), use_template);
        }
        pfn += pfns_per_compound;
      }
      for (; pfn < end_pfn; pfn += pfns_per_compound) {
        const page = pfn_to_page(k, pfn);
        if (use_template) yield* init_from_template(k, page, pfn, template);
        else yield* page_init_slow(k, page, pfn, zone_idx, nid, pgmap);
        // cond_resched() on section-aligned pfns: no memory effect
        if (pfns_per_compound === 1) continue;
        if (use_template) yield* sfence(d, V5_DRAINS.compound); // DRAIN #2
        yield* init_compound(k, d, page, pfn, zone_idx, nid, pgmap, nr_pages_of(k, pfn, pgmap), use_template);
      }
      if (use_template) yield* sfence(d, V5_DRAINS.ret); // DRAIN #3
      yield* pageblock_migratetype_init_range(k, start_pfn, nr_pages, MIGRATE_MOVABLE, false);
    });

  const site = (name: V5Drain): DrainSite => ({ name, where: V5_DRAIN_WHERE[name] });
  // v5's own memmap_init_compound() has DRAIN #1; an override declares its drains in extraDrainSites
  const own = Object.values(V5_DRAINS).filter((n) => !(o.memmap_init_compound && n === V5_DRAINS.prep));
  const points = [...own.filter((n) => !drains.includes(n)).map(site), ...(o.extraDrainPoints ?? [])];
  return {
    name: o.name,
    summary: o.summary,
    reference: 'base-next',
    drainSites: [...own.filter((n) => drains.includes(n)).map(site), ...(o.extraDrainSites ?? [])],
    ...(points.length ? { drainPoints: points } : {}),
    memmap_init_zone_device,
  };
}

/** The shipped v5: spread it to write a variant that differs in one choice. */
export const V5_OPTIONS: V5Options = {
  name: 'v5',
  summary: 'memcpy_nt() series in mm-new (sjp38 @ 10565da8) on base-next: every template copy streaming',
  refreshTemplate: true,
};

export const v5 = makeV5Like(V5_OPTIONS);
