// A user-written variant: v5 with the drain before prep_compound_head() moved after it.
// Run it with:  memmap-check check --variant docs/examples/v5-drain-after-prep.ts
//               memmap-check drains --variant docs/examples/v5-drain-after-prep.ts
// This file imports the building blocks by relative path; a file outside the repository imports
// the same modules by absolute path (see docs/variant-api.md).
import type { Program } from '../../model/events.ts';
import { __SetPageHead, prep_compound_head } from '../../model/kernel/compound.ts';
import { type Drains, drain, drainPoint } from '../../model/kernel/copy.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import type { DevPagemap } from '../../model/kernel/init.ts';
import { type Kernel, type PageRef, pfn_to_page } from '../../model/kernel/mm.ts';
import { TAIL_TEMPLATE_SLOT, zone_device_tail_page_init, zone_device_template_page_init } from '../../model/kernel/template.ts';
import {
  V5_DRAINS, V5_DRAIN_FN, V5_DRAIN_WHERE, V5_OPTIONS, makeV5Like, zone_device_page_init_from_template,
} from '../../model/kernel/variants/v5.ts';

/** The moved drain's stable name: `--remove-drain` and `drains` use it. */
const AFTER_PREP = 'after-prep_compound_head';

// mm/mm_init.c memmap_init_compound() as in v5 (sjp38 @ 10565da8), DRAIN #1 moved below prep_compound_head()
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
    if (use_template) yield* drainPoint(d, V5_DRAINS.prep, V5_DRAIN_FN); // where v5 drains: empty here
    yield* prep_compound_head(k, head, order);
    if (use_template) yield* drain(d, AFTER_PREP, V5_DRAIN_FN); // the moved drain
  });

export default makeV5Like({
  ...V5_OPTIONS,
  name: 'v5-drain-after-prep',
  summary: 'v5 with the drain before prep_compound_head() moved after it',
  memmap_init_compound,
  extraDrainSites: [{ name: AFTER_PREP, where: 'memmap_init_compound(): after prep_compound_head()' }],
  extraDrainPoints: [{ name: V5_DRAINS.prep, where: V5_DRAIN_WHERE[V5_DRAINS.prep] }],
});
