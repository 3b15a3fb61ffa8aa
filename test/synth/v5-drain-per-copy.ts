// v5 draining after every template copy, inside the per-page loops, and nowhere else: correct, but one SFENCE per struct page.
import type { Program } from '../../model/events.ts';
import { type Drains, drain, memcpy_streaming } from '../../model/kernel/copy.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import type { Kernel, PageRef } from '../../model/kernel/mm.ts';
import { zone_device_page_update_template } from '../../model/kernel/template.ts';
import { V5_DRAIN_FN, V5_OPTIONS, type V5Options, makeV5Like } from '../../model/kernel/variants/v5.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';

export const AFTER_EACH_COPY = 'after-each-copy';

// zone_device_page_init_from_template() with memcpy_nt_drain() after the copy: a drain per struct page
const initFromTemplate = (d: Drains) => kernelFn('zone_device_page_init_from_template',
  function* (k: Kernel, page: PageRef, pfn: number, template: PageRef): Program {
    yield* zone_device_page_update_template(k, template, pfn);
    yield* memcpy_streaming(page, template, k.sizeofPage, 'memcpy_nt');
    yield* drain(d, AFTER_EACH_COPY, V5_DRAIN_FN);
  });

// v5's three drains become empty drain points; the per-copy drain is the variant's only drain site
const options = (d: Drains): V5Options => ({
  ...V5_OPTIONS, name: 'v5-drain-per-copy', summary: 'v5 with a drain after every template copy instead of its three drains',
  init_from_template: initFromTemplate(d), drains: [],
  extraDrainSites: [{ name: AFTER_EACH_COPY, where: 'zone_device_page_init_from_template(): after memcpy_nt(), for every struct page' }],
});

const shape = makeV5Like(options({ removed: new Set() }));

const variant: Variant = {
  ...shape,
  // the helper takes no Drains argument: bind this run's Drains into it
  memmap_init_zone_device: (k, d, zone, start_pfn, nr_pages, pgmap) =>
    makeV5Like(options(d)).memmap_init_zone_device(k, d, zone, start_pfn, nr_pages, pgmap),
};
export default variant;
