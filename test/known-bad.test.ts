// Every property can fail: each known-bad variant is caught, and its counterexample is exactly the
// smallest scenario that shows the bug: no configuration below it in the lattice fails
// (properties/lattice.ts). When the model changes a minimum, change its `minimal:` line.
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import { v1 } from '../model/kernel/variants/v1.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import type { HazardKind } from '../model/hazards.ts';
import type { Drains } from '../model/kernel/copy.ts';
import { checkProperty } from '../properties/check.ts';
import { failingBelow } from '../properties/minimal.ts';
import type { PropertyName } from '../properties/properties.ts';
import streamPageblockAligned from './mutants/v3-stream-pageblock-aligned.ts';
import noTemplateRefresh from './mutants/v5-no-template-refresh.ts';
import prepHeadFirst from './mutants/base-next-prep-head-first.ts';

const typical = (o: { shift: number; pages: number; kconfig?: Partial<typeof X86_64_DEFAULT> }): Scenario => ({
  kconfig: { ...X86_64_DEFAULT, ...o.kconfig },
  pgmap: { type: 3, vmemmapShift: o.shift, altmap: null },
  startPfn: 0x100000,
  nrPages: o.pages,
  nid: 0,
  earlySection: false,
});

interface KnownBad {
  readonly variant: Variant;
  readonly property: PropertyName;
  readonly drains?: Drains;
  readonly minimal: Scenario;
  readonly hazard?: { kind: HazardKind; cls: string; field: RegExp };
  readonly message: RegExp;
}

const CASES: KnownBad[] = [
  {
    // the folio overlay of tail 1 is the first streamed byte prep_compound_head() touches: order 1
    variant: v1, property: 'no-write-after-streaming', minimal: typical({ shift: 1, pages: 2 }),
    hazard: { kind: 'write-after-streaming', cls: 'folio-alias', field: /tail 1 of head 0x100000\) _flags_1/ },
    message: /prep_compound_head > folio_set_order/,
  },
  {
    // v1 streams every pfn (633e4201): on a DEBUG_VM kernel pageblock init reads the streamed
    // flags of the first, pageblock-aligned pfn; one order-0 page, one build option off typical
    variant: v1, property: 'no-read-after-streaming', minimal: typical({ shift: 0, pages: 1, kconfig: { debugVm: true } }),
    hazard: { kind: 'read-after-streaming', cls: 'plain', field: /pfn 0x100000 flags @\+0/ },
    message: /init_zone_device_page_from_template > init_pageblock_migratetype > page_zone/,
  },
  {
    // the very first pfn of a section is pageblock-aligned: one order-0 page is enough, but only
    // DEBUG_VM reads it back (VM_BUG_ON_PAGE in get_pfnblock_bitmap_bitidx())
    variant: streamPageblockAligned, property: 'no-read-after-streaming', minimal: typical({ shift: 0, pages: 1, kconfig: { debugVm: true } }),
    hazard: { kind: 'read-after-streaming', cls: 'plain', field: /pfn 0x100000 flags @\+0/ },
    message: /init_pageblock_migratetype > page_zone/,
  },
  {
    // the first page takes the slow path in v5: the second one is the first streamed
    variant: v5, property: 'published-clean', drains: { removed: new Set(['before-return']) }, minimal: typical({ shift: 0, pages: 2 }),
    hazard: { kind: 'unpublished', cls: 'plain', field: /pfn 0x100001 flags/ },
    message: /memmap_init_zone_device\(\) returned/,
  },
  {
    // ZONE_DEVICE depends on SPARSEMEM_VMEMMAP, so no ZONE_DEVICE kernel has section bits in
    // page->flags; the only PFN-dependent field is page->virtual, on a 64-bit arch with
    // WANT_PAGE_VIRTUAL (generic64: x86_64 has none)
    variant: noTemplateRefresh, property: 'identical', minimal: typical({ shift: 0, pages: 2, kconfig: { arch: 'generic64', wantPageVirtual: true } }),
    message: /pfn 0x100001 virtual @\+64: expected 0xffff888100001000, got 0xffff888100000000/,
  },
  {
    variant: prepHeadFirst, property: 'invariants', minimal: typical({ shift: 1, pages: 2 }),
    message: /tail 1 of head 0x100000\) _flags_1 @\+0: expected 0x0200000000002001, got 0x0200000000002000/,
  },
];

describe.each(CASES)('$variant.name fails $property', (c) => {
  const r = checkProperty(c.variant, c.property, { numRuns: 300, drains: c.drains });
  it('is caught and shrunk to the exact minimal configuration', () => {
    expect(r.ok).toBe(false);
    expect(r.counterexample!.scenario).toEqual(c.minimal);
    expect(r.verdict!.lines.join('\n')).toMatch(c.message);
  });
  it('names the hazard class and field', () => {
    if (!c.hazard) return expect(c.property === 'identical' || c.property === 'invariants').toBe(true);
    const h = r.evaluation!.hazards(c.hazard.kind)[0]!;
    expect(h.cls).toBe(c.hazard.cls);
    expect(r.verdict!.lines.join('\n')).toMatch(c.hazard.field);
  });
  it('is the smallest: no configuration below it in the lattice fails', () => {
    expect(failingBelow(c.variant, c.property, c.minimal, { drains: c.drains, own: false, schedule: r.counterexample!.schedule })).toBeNull();
  });
});
