// The lattice minimization (properties/lattice.ts): its order, its bounds, and the two published
// claims issue 11 found not minimal, each now replaced by the lattice's minimum.
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { type Scenario, withEarlySections } from '../model/kernel/scenario.ts';
import { PAGES_PER_SECTION } from '../model/kernel/constants.ts';
import { v3 } from '../model/kernel/variants/v3.ts';
import drainAfterPrep from '../docs/examples/v5-drain-after-prep.ts';
import { checkAnyProperty } from '../properties/any.ts';
import { compareConfigs, lattice, latticeBelow, structPagesWritten } from '../properties/lattice.ts';
import { failingBelow, smallerNeighbours } from '../properties/minimal.ts';

const typical = (o: { shift: number; pages: number; startPfn?: number; kconfig?: Partial<typeof X86_64_DEFAULT>; earlySection?: boolean }): Scenario => ({
  kconfig: { ...X86_64_DEFAULT, ...o.kconfig },
  pgmap: { type: 3, vmemmapShift: o.shift, altmap: null },
  startPfn: o.startPfn ?? 0x100000,
  nrPages: o.pages,
  nid: 0,
  earlySection: o.earlySection ?? false,
});

describe('the order on configurations', () => {
  it('order first, then struct pages written, then fields off the typical config', () => {
    expect(compareConfigs(typical({ shift: 0, pages: 16 }), typical({ shift: 1, pages: 2 }))).toBeLessThan(0);
    expect(compareConfigs(typical({ shift: 1, pages: 2, startPfn: 0x100002 }), typical({ shift: 1, pages: 4 }))).toBeLessThan(0);
    expect(compareConfigs(typical({ shift: 0, pages: 2 }), typical({ shift: 0, pages: 2, kconfig: { kasan: true } }))).toBeLessThan(0);
    expect(compareConfigs(typical({ shift: 0, pages: 1, startPfn: 0x100001 }), typical({ shift: 0, pages: 1, startPfn: 0x1001ff }))).toBeLessThan(0);
  });
  it('counts a deduplicated compound page as its 128 own struct pages', () => {
    expect(structPagesWritten(typical({ shift: 9, pages: 1024 }))).toBe(256);
    expect(structPagesWritten(typical({ shift: 9, pages: 512, earlySection: true }))).toBe(512);
  });
  it('enumerates every smaller order, page count and alignment, and each deviation at its default', () => {
    const f = typical({ shift: 1, pages: 4, kconfig: { kasan: true } });
    const all = lattice(f);
    // orders 0..1; order 1: 1..2 pages, order 0: 1..4; 4 alignments (fewer distinct starts at
    // order 0); KASAN on or off
    expect(new Set(all.map((s) => s.pgmap.vmemmapShift))).toEqual(new Set([0, 1]));
    expect(all.filter((s) => s.pgmap.vmemmapShift === 0).map((s) => s.nrPages).sort()).toContain(4);
    expect(new Set(all.map((s) => s.kconfig.kasan))).toEqual(new Set([false, true]));
    const below = latticeBelow(f);
    expect(below.every((s) => compareConfigs(s, f) < 0)).toBe(true);
    for (let i = 1; i < below.length; i++) expect(compareConfigs(below[i - 1]!, below[i]!)).toBeLessThan(0);
    // more than the one-step neighbours the tests used to check
    expect(below.length).toBeGreaterThan(smallerNeighbours(f).length);
  });
});

describe('published claims that were local minima (issue 11)', () => {
  it('README, v3 without before-memmap_init_compound: order 1 with 4 pages was not minimal', () => {
    const drains = { removed: new Set(['before-memmap_init_compound']) };
    const old = typical({ shift: 1, pages: 4 });
    expect(failingBelow(v3, 'no-read-after-streaming', old, { drains })?.scenario).toEqual(typical({ shift: 1, pages: 2, startPfn: 0x100002 }));
    expect(failingBelow(v3, 'no-write-after-streaming', old, { drains })?.scenario).toEqual(typical({ shift: 1, pages: 2, startPfn: 0x100002 }));
  });
  it('docs/variant-api.md, before-return + after-prep_compound_head removed: order 0 with 2 pages, not order 2 with 4', () => {
    const drains = { removed: new Set(['before-return', 'after-prep_compound_head']) };
    expect(failingBelow(drainAfterPrep, 'published-clean', typical({ shift: 2, pages: 4 }), { drains })?.scenario).toEqual(typical({ shift: 0, pages: 2 }));
    const r = checkAnyProperty(drainAfterPrep, 'published-clean', { numRuns: 150, drains });
    expect(r.counterexample!.scenario).toEqual(typical({ shift: 0, pages: 2 }));
    expect(failingBelow(drainAfterPrep, 'published-clean', r.counterexample!.scenario, { drains })).toBeNull();
    expect(r.minimalWithin).toMatch(/^\d+ smaller configurations \(vmemmap_shift 0\.\.0, 1\.\.2 compound pages, 4 start alignments, altmap off/);
  });
});

describe('early_section per section in the lattice', () => {
  // a range of two order-0 pages straddling a hot-added section and a boot one
  const straddling = withEarlySections(typical({ shift: 0, pages: 2, startPfn: 0x100000 + PAGES_PER_SECTION - 1 }), [false, true]);
  it('a range with an early section deviates from the typical config, and is ordered apart from the uniform one', () => {
    expect(straddling.earlySections).toEqual([false, true]);
    const uniform = { ...straddling, earlySections: undefined };
    delete (uniform as { earlySections?: unknown }).earlySections;
    expect(compareConfigs(uniform, straddling)).toBeLessThan(0);
  });
  it('enumerates the found per-section list, not only uniform ranges', () => {
    expect(lattice(straddling).some((s) => JSON.stringify(s.earlySections) === JSON.stringify([false, true]))).toBe(true);
    expect(latticeBelow(straddling).every((s) => compareConfigs(s, straddling) < 0)).toBe(true);
  });
});
