// One tail template for every compound page: later tails copy compound_info pointing at the first head (pointer encoding).
import type { Program } from '../../model/events.ts';
import { __SetPageHead, prep_compound_head } from '../../model/kernel/compound.ts';
import { type Drains, drain } from '../../model/kernel/copy.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import type { DevPagemap } from '../../model/kernel/init.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../../model/kernel/mm.ts';
import { TAIL_TEMPLATE_SLOT, zone_device_tail_page_init, zone_device_template_page_init } from '../../model/kernel/template.ts';
import {
  V5_DRAINS, V5_DRAIN_FN, V5_DRAIN_WHERE, V5_OPTIONS, makeV5Like, zone_device_page_init_from_template,
} from '../../model/kernel/variants/v5.ts';

/** Runs (one Kernel each) whose tail template is already built: a `static bool ready` in C. */
const built = new WeakSet<Kernel>();

const memmap_init_compound = kernelFn('memmap_init_compound',
  function* (k: Kernel, d: Drains, head: PageRef, head_pfn: number, zone_idx: number, nid: number,
    pgmap: DevPagemap, nr_pages: number, use_template: boolean): Program {
    const order = pgmap.vmemmap_shift;
    const template = k.stackPage(TAIL_TEMPLATE_SLOT);
    yield* __SetPageHead(head);
    let pfn = head_pfn + 1;
    if (use_template && !built.has(k)) { // built for the first compound page only
      built.add(k);
      const page = pfn_to_page(k, pfn);
      yield* zone_device_tail_page_init(k, page, pfn, zone_idx, nid, pgmap, head, order);
      yield* zone_device_template_page_init(k, template, page);
      pfn++;
    }
    for (; pfn < head_pfn + nr_pages; pfn++) {
      const page = pfn_to_page(k, pfn);
      if (use_template) yield* zone_device_page_init_from_template(k, page, pfn, template);
      else yield* zone_device_tail_page_init(k, page, pfn, zone_idx, nid, pgmap, head, order);
    }
    if (use_template) yield* drain(d, V5_DRAINS.prep, V5_DRAIN_FN);
    yield* prep_compound_head(k, head, order);
  });

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-tail-template-reused', summary: 'v5 building the tail template once, for the first compound page',
  memmap_init_compound, extraDrainSites: [{ name: V5_DRAINS.prep, where: V5_DRAIN_WHERE[V5_DRAINS.prep] }],
});
