// pageblock_order follows the kernel config (include/linux/pageblock-flags.h): 9 with HUGETLB_PAGE
// or THP, 10 (MAX_PAGE_ORDER) without. Every user of pageblock_nr_pages and the usemap follows it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT, describeKernelConfig } from '../model/kernel/config.ts';
import { describeAddr } from '../model/kernel/describe.ts';
import { runVariant } from '../model/kernel/harness.ts';
import { usemapAddr } from '../model/kernel/mm.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { baseNext } from '../model/kernel/variants/base-next.ts';
import { v3 } from '../model/kernel/variants/v3.ts';
import { LAND_AT_ONCE } from '../model/schedule.ts';
import { kernelConfigArb, scenarioArb } from '../properties/arbitraries.ts';
import { DEFAULT_KCONFIGS } from '../properties/exhaustive-configs.ts';

const s = (pageblockOrder: 9 | 10, startPfn = 0x100200, nrPages = 1024): Scenario => ({
  kconfig: { ...X86_64_DEFAULT, pageblockOrder }, pgmap: { type: 3, vmemmapShift: 0, altmap: null },
  startPfn, nrPages, nid: 0, earlySection: false,
});

describe('pageblock_order', () => {
  it('decides which pageblocks a range marks: 0x100200 starts one only with order 9', () => {
    expect([...runVariant(baseNext, s(9), { schedule: LAND_AT_ONCE }).image.pageblocks.keys()]).toEqual([0x100200, 0x100400]);
    expect([...runVariant(baseNext, s(10), { schedule: LAND_AT_ONCE }).image.pageblocks.keys()]).toEqual([0x100400]);
  });
  it("decides where v3 runs init_pageblock_migratetype() (pageblock_aligned()) and where it writes", () => {
    const pageblockWrites = (o: 9 | 10) => {
      const r = runVariant(v3, s(o), { schedule: LAND_AT_ONCE, trace: true });
      const cmpxchg = r.trace!.filter((t) => t.event.kind === 'store' && t.event.fn === 'try_cmpxchg').map((t) => (t.event as { addr: number }).addr);
      return cmpxchg.map((a) => describeAddr(r.kernel, a));
    };
    expect(pageblockWrites(9)).toEqual(['pageblock bits of pfn 0x100200', 'pageblock bits of pfn 0x100400']);
    expect(pageblockWrites(10)).toEqual(['pageblock bits of pfn 0x100400']);
    expect(usemapAddr(0x100400, 10) - usemapAddr(0x100000, 10)).toBe(1);
    expect(usemapAddr(0x100400, 9) - usemapAddr(0x100000, 9)).toBe(2);
  });
  it('is generated, both values, shrinking towards 9, and named in the config line when 10', () => {
    const seen = new Set(fc.sample(kernelConfigArb, { numRuns: 200, seed: 1 }).map((c) => c.pageblockOrder));
    expect([...seen].sort()).toEqual([10, 9]);
    const r = fc.check(fc.property(kernelConfigArb, () => false), { seed: 1 });
    expect((r.counterexample![0] as { pageblockOrder: number }).pageblockOrder).toBe(9);
    expect(describeKernelConfig({ ...X86_64_DEFAULT, pageblockOrder: 10 })).toContain('pageblock_order=10');
    expect(describeKernelConfig(X86_64_DEFAULT)).not.toContain('pageblock_order');
    expect(DEFAULT_KCONFIGS.some((n) => n.kconfig.pageblockOrder === 10)).toBe(true);
  });
  it("places the 'pageblock' start alignment on the config's pageblock", () => {
    const starts = fc.sample(scenarioArb(), { numRuns: 300, seed: 2 })
      .filter((x) => x.pgmap.vmemmapShift === 0 && ![0x100000, 0x100001, 0x107fff].includes(x.startPfn))
      .map((x) => [x.kconfig.pageblockOrder, x.startPfn - 0x100000]);
    expect(starts.some(([o, d]) => o === 10 && d === 1024)).toBe(true);
    expect(starts.every(([o, d]) => d === 2 ** o! || d === 2 ** o! - 1)).toBe(true);
  });
});
