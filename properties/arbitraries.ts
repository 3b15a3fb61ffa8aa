// fast-check arbitraries for scenarios and schedules, built constructively from independent parts
// (fc.record + map, no filter, no chain) so shrinking walks straight to small, readable cases.
// Booleans and choices shrink towards the typical x86_64 build (X86_64_DEFAULT), so a shrunk
// counterexample deviates from a distro config only where the bug needs it.
import fc from 'fast-check';
import type { KernelConfig } from '../model/kernel/config.ts';
import { type MemoryType, PAGES_PER_SECTION, pageblock_nr_pages, pageblockNrPages } from '../model/kernel/constants.ts';
import { type Scenario, withEarlySections } from '../model/kernel/scenario.ts';
import type { Delay, Schedule } from '../model/schedule.ts';

/** A boolean that is `typical` except one time in `odds`, and shrinks towards `typical`. */
const flag = (typical: boolean, odds = 2): fc.Arbitrary<boolean> =>
  fc.nat(odds - 1).map((n) => (n === odds - 1 ? !typical : typical));

export const kernelConfigArb: fc.Arbitrary<KernelConfig> = fc.record({
  // the generic64 layout (8-byte alignment) one time in four; WANT_PAGE_VIRTUAL implies it
  arch: fc.nat(3).map((n): KernelConfig['arch'] => (n === 3 ? 'generic64' : 'x86_64')),
  // 9 with HUGETLB_PAGE or THP (every distro build), 10 without (one time in four); shrinks towards 9
  pageblockOrder: fc.constantFrom(9 as const, 10 as const),
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
  // each of these turns the fast path off: rare, so the template path gets most of the runs
  kasan: flag(false, 10),
  kmsan: flag(false, 10),
  pageRefTracepoint: flag(false, 10),
  // half the runs: it decides whether pageblock init reads struct pages (shrinks to off)
  debugVm: flag(false),
}).map((c) => (c.wantPageVirtual && c.arch === 'x86_64' ? { ...c, arch: 'generic64' as const } : c));

export const memoryTypeArb: fc.Arbitrary<MemoryType> = fc.constantFrom(3, 1, 2, 4, 5); // FS_DAX first: nd_pmem

/** 'section-end': the last compound page of a section, so a range of two or more straddles sections. */
export type StartAlign = 'section' | 'compound' | 'pageblock' | 'pageblock-end' | 'section-end';

/** Where the range starts, relative to section, pageblock (of `pb` pfns) and compound boundaries. */
export function startOffset(align: StartAlign, cs: number, pb: number = pageblock_nr_pages): number {
  switch (align) {
    case 'section': return 0;
    case 'compound': return cs;
    case 'pageblock': return Math.max(pb, cs);
    case 'pageblock-end': return cs < pb ? pb - cs : cs;
    case 'section-end': return cs < PAGES_PER_SECTION ? PAGES_PER_SECTION - cs : cs;
  }
}

/** Section-aligned (and 1 GiB-aligned) base of the generated ranges: pfn 0x100000 = 4 GiB. */
export const RANGE_BASE_PFN = 0x100000;

interface Geometry {
  readonly kconfig: KernelConfig;
  readonly vmemmapShift: number;
  readonly altmap: { readonly reserve: number; readonly free: number } | null;
  /** early_section() of every section of the range (unless `earlySections` is given) */
  readonly earlySection: boolean;
  /** early_section() per section from the first; the last entry repeats; [] = none early */
  readonly earlySections?: readonly boolean[];
}

/**
 * vmemmap_shift from one integer u, so that shrinking u walks down through every order:
 * u < 40 gives orders 0..9 (four values each), u >= 40 gives orders 10..18. Orders from 10 on
 * are generated only with the vmemmap dedup (64-byte page, no altmap, not an early section),
 * where 128 struct pages per compound page are written; the constraints are derived from the
 * order by `map`, so they relax as soon as a shrink brings the order below 10.
 */
const U_LARGE = 40;
export const shiftOf = (u: number): number => (u < U_LARGE ? Math.floor(u / 4) : 10 + (u - U_LARGE));

function geometryArb(largeOrders: boolean): fc.Arbitrary<Geometry> {
  return fc
    .record({
      kconfig: kernelConfigArb,
      u: fc.integer({ min: 0, max: largeOrders ? U_LARGE + 8 : U_LARGE - 1 }),
      altmap: fc.option(fc.record({ reserve: fc.nat(3), free: fc.nat(3) }), { nil: null, freq: 3 }),
      // early_section() per memory section of the range, from the first (the last entry repeats,
      // so [true] is an all-boot range); shrinks towards [], no section early
      early: fc.array(fc.boolean(), { maxLength: 3 }),
    })
    .map(({ kconfig, u, altmap, early }) => {
      const vmemmapShift = shiftOf(u);
      if (vmemmapShift < 10) return { kconfig, vmemmapShift, altmap, earlySection: early[0] ?? false, earlySections: early };
      return { kconfig: { ...kconfig, memcg: true, wantPageVirtual: false, kmsan: false }, vmemmapShift, altmap: null, earlySection: false };
    });
}

export interface ScenarioBounds {
  /** Compound (or order-0) pages in the range. */
  readonly maxPages: number;
  /** Generate orders 10..18 as well. */
  readonly largeOrders: boolean;
}

export const SMALL: ScenarioBounds = { maxPages: 6, largeOrders: true };
/** The large-size bound: up to 64 compound pages (a whole section of order-9 pages). */
export const LARGE: ScenarioBounds = { maxPages: 64, largeOrders: true };

export function scenarioArb(b: ScenarioBounds = SMALL): fc.Arbitrary<Scenario> {
  return fc
    .record({
      geometry: geometryArb(b.largeOrders),
      type: memoryTypeArb,
      pages: fc.integer({ min: 1, max: b.maxPages }),
      align: fc.constantFrom<StartAlign>('section', 'compound', 'pageblock', 'pageblock-end', 'section-end'),
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
  const s: Scenario = {
    kconfig: g.kconfig,
    pgmap: { type, vmemmapShift: g.vmemmapShift, altmap },
    startPfn: RANGE_BASE_PFN + startOffset(align, cs, pageblockNrPages(g.kconfig)),
    nrPages: off + pages * cs,
    nid: g.kconfig.nodesShift === 0 ? 0 : nid,
    earlySection: g.earlySection,
  };
  return g.earlySections ? withEarlySections(s, g.earlySections) : s;
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
