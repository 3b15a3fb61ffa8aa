// fast-check arbitraries for scenarios and schedules, built constructively from independent parts
// (fc.record + map, no filter, no chain) so shrinking walks straight to small, readable cases.
// Booleans and choices shrink towards the typical x86_64 build (X86_64_DEFAULT), so a shrunk
// counterexample deviates from a distro config only where the bug needs it.
import fc from 'fast-check';
import type { KernelConfig } from '../model/kernel/config.ts';
import { type MemoryType, pageblock_nr_pages } from '../model/kernel/constants.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Delay, Schedule } from '../model/schedule.ts';

/** A boolean that shrinks towards `typical`. */
const flag = (typical: boolean): fc.Arbitrary<boolean> => fc.boolean().map((b) => (typical ? !b : b));

export const kernelConfigArb: fc.Arbitrary<KernelConfig> = fc.record({
  memcg: flag(true),
  pageMapcount: flag(true),
  mmId: flag(true),
  wantPageVirtual: flag(false),
  compoundInfoMask: flag(true),
  numaBalancing: flag(false),
  nrCpusBits: fc.constantFrom(13, 6, 10),
  nodesShift: fc.constantFrom(6, 0, 1, 10),
  zoneDma: flag(true),
  lruGen: flag(true),
  nrPageflags: fc.constantFrom(24 as const, 22 as const),
  kasan: flag(false),
  kmsan: flag(false),
  pageRefTracepoint: flag(false),
});

/** A configuration whose struct page is 64 bytes, so the vmemmap dedup can apply. */
const dedupCapableConfigArb = kernelConfigArb.map((c) => ({ ...c, memcg: true, wantPageVirtual: false, kmsan: false }));

export const memoryTypeArb: fc.Arbitrary<MemoryType> = fc.constantFrom(3, 1, 2, 4, 5); // FS_DAX first: nd_pmem

export type StartAlign = 'section' | 'compound' | 'pageblock' | 'pageblock-end';

/** Where the range starts, relative to section, pageblock and compound boundaries. */
export function startOffset(align: StartAlign, cs: number): number {
  switch (align) {
    case 'section': return 0;
    case 'compound': return cs;
    case 'pageblock': return Math.max(pageblock_nr_pages, cs);
    case 'pageblock-end': return cs < pageblock_nr_pages ? pageblock_nr_pages - cs : cs;
  }
}

/** Section-aligned (and 1 GiB-aligned) base of the generated ranges: pfn 0x100000 = 4 GiB. */
export const RANGE_BASE_PFN = 0x100000;

interface Geometry {
  readonly kconfig: KernelConfig;
  readonly vmemmapShift: number;
  readonly altmap: { readonly reserve: number; readonly free: number } | null;
  readonly earlySection: boolean;
}

/** Orders 0..9 with or without an altmap and in early sections or not. */
const smallGeometry: fc.Arbitrary<Geometry> = fc.record({
  kconfig: kernelConfigArb,
  vmemmapShift: fc.integer({ min: 0, max: 9 }),
  altmap: fc.option(fc.record({ reserve: fc.nat(3), free: fc.nat(3) }), { nil: null, freq: 3 }),
  earlySection: fc.boolean(),
});

/** Orders 10..18 (1 GiB): only with the vmemmap dedup, where 128 struct pages per compound are written. */
const largeGeometry: fc.Arbitrary<Geometry> = fc.record({
  kconfig: dedupCapableConfigArb,
  vmemmapShift: fc.integer({ min: 10, max: 18 }),
  altmap: fc.constant(null),
  earlySection: fc.constant(false),
});

export interface ScenarioBounds {
  /** Compound (or order-0) pages in the range. */
  readonly maxPages: number;
  /** Relative weight of orders 10..18. */
  readonly largeWeight: number;
}

export const SMALL: ScenarioBounds = { maxPages: 6, largeWeight: 1 };
export const LARGE: ScenarioBounds = { maxPages: 600, largeWeight: 1 };

export function scenarioArb(b: ScenarioBounds = SMALL): fc.Arbitrary<Scenario> {
  return fc
    .record({
      geometry: fc.oneof({ arbitrary: smallGeometry, weight: 4 }, { arbitrary: largeGeometry, weight: b.largeWeight }),
      type: memoryTypeArb,
      pages: fc.integer({ min: 1, max: b.maxPages }),
      align: fc.constantFrom<StartAlign>('section', 'compound', 'pageblock', 'pageblock-end'),
      nid: fc.constantFrom(0, 1),
    })
    .map(({ geometry: g, type, pages, align, nid }) => buildScenario(g, type, pages, align, nid));
}

/** Assemble a valid scenario: heads compound-aligned, the altmap offset a multiple of the compound size. */
export function buildScenario(g: Geometry, type: MemoryType, pages: number, align: StartAlign, nid: number): Scenario {
  const cs = 2 ** g.vmemmapShift;
  const altmap = g.altmap
    ? { reserve: g.altmap.reserve, free: Math.ceil((g.altmap.reserve + g.altmap.free) / cs) * cs - g.altmap.reserve }
    : null;
  const off = altmap ? altmap.reserve + altmap.free : 0;
  return {
    kconfig: g.kconfig,
    pgmap: { type, vmemmapShift: g.vmemmapShift, altmap },
    startPfn: RANGE_BASE_PFN + startOffset(align, cs),
    nrPages: off + pages * cs,
    nid: g.kconfig.nodesShift === 0 ? 0 : nid,
    earlySection: g.earlySection,
  };
}

const delayArb: fc.Arbitrary<Delay> = fc.oneof(
  { arbitrary: fc.constant<Delay>('drain'), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 24 }), weight: 1 },
);

/** When each streaming store lands; shrinks towards "as late as the next drain" with no exceptions. */
export const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  base: delayArb,
  late: fc.array(fc.tuple(fc.nat(300), delayArb), { maxLength: 4 }),
});
