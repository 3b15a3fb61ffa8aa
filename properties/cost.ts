// Cost properties (issue 5): what a streaming variant must buy with its drains, over generated
// scenarios. They read the machine's counters (model/cost.ts) of one execution; the schedule does
// not matter (write-combining, read-for-ownership and drain counts do not depend on when a pending
// store lands), so every run uses LAND_AT_ONCE.
import fc from 'fast-check';
import { match } from 'ts-pattern';
import type { Cost } from '../model/cost.ts';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { PAGES_PER_SECTION, pageblockNrPages } from '../model/kernel/constants.ts';
import { describeScenario } from '../model/kernel/describe.ts';
import { runVariant } from '../model/kernel/harness.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { LINE } from '../model/machine.ts';
import { LAND_AT_ONCE } from '../model/schedule.ts';
import { RANGE_BASE_PFN, type StartAlign, memoryTypeArb, scenarioArb, startOffset } from './arbitraries.ts';
import { latticeBelow } from './lattice.ts';

export const COST_PROPERTIES = ['traffic-near-lower-bound', 'drains-per-compound-page', 'no-partial-lines-64'] as const;
export type CostPropertyName = (typeof COST_PROPERTIES)[number];

export const COST_PROPERTY_TEXT: Record<CostPropertyName, string> = {
  'traffic-near-lower-bound': 'order-0 ranges of at least one section: memory traffic within 1% of every struct page written once, with no read-for-ownership',
  'drains-per-compound-page': 'at most two drains per compound page plus one before return: drains never grow with the struct pages',
  'no-partial-lines-64': 'a 64-byte struct page never leaves a write-combining buffer partly written',
};

/** Allowed traffic over the lower bound for `traffic-near-lower-bound`. */
export const TRAFFIC_SLACK = 0.01;

/**
 * Memory traffic of an execution, in bytes. A line a cached store brings in is read (RFO) and,
 * being dirty, written back once. A streaming line is written once; one its write-combining
 * buffer flushed partly written also costs the memory a read (read-modify-write of the line).
 */
export function lineTraffic(c: Cost): { readonly readBytes: number; readonly writeBytes: number } {
  return {
    readBytes: LINE * (c.rfoLines + c.streamingLinesPartial),
    writeBytes: LINE * (c.rfoLines + c.streamingLinesFull + c.streamingLinesPartial),
  };
}

/** The least traffic any variant can have: every distinct struct page written once, no RFO. */
export const lowerBoundBytes = (pages: number, sizeofPage: number): number => pages * sizeofPage;

export interface CostRun {
  readonly cost: Cost;
  /** Struct pages with their own memory (vmemmap dedup aliases left out). */
  readonly pages: number;
  readonly sizeofPage: number;
}

export function costRun(v: Variant, s: Scenario): CostRun {
  const r = runVariant(v, s, { schedule: LAND_AT_ONCE });
  return { cost: r.settled.cost, pages: r.image.pfns.length, sizeofPage: r.image.sizeofPage };
}

/** Compound pages in a scenario's device range (0 for order-0 pages). */
export function compoundPages(s: Scenario): number {
  if (s.pgmap.vmemmapShift === 0) return 0;
  const off = s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0;
  return (s.nrPages - off) / 2 ** s.pgmap.vmemmapShift;
}

export interface CostVerdict {
  readonly ok: boolean;
  readonly lines: readonly string[];
}

const n = (x: number): string => x.toLocaleString('en-US');

export function costVerdict(p: CostPropertyName, v: Variant, s: Scenario): CostVerdict {
  const r = costRun(v, s);
  return match(p)
    .with('traffic-near-lower-bound', () => {
      const { readBytes, writeBytes } = lineTraffic(r.cost);
      const lb = lowerBoundBytes(r.pages, r.sizeofPage);
      const x = (readBytes + writeBytes) / lb;
      if (x <= 1 + TRAFFIC_SLACK) return { ok: true, lines: [] };
      return { ok: false, lines: [
        `traffic ${x.toFixed(3)}x the lower bound (at most ${(1 + TRAFFIC_SLACK).toFixed(2)}x allowed): ${n(writeBytes)} B written + ${n(readBytes)} B read for ${n(r.pages)} struct pages of ${r.sizeofPage} B (${n(lb)} B)`,
        `  ${n(r.cost.rfoLines)} lines read for ownership by ${n(r.cost.cachedStores)} cached stores; ${n(r.cost.streamingLinesFull)} full and ${n(r.cost.streamingLinesPartial)} partial streaming lines`,
      ] };
    })
    .with('drains-per-compound-page', () => {
      const cp = compoundPages(s);
      const budget = 2 * cp + 1;
      if (r.cost.drains <= budget) return { ok: true, lines: [] };
      return { ok: false, lines: [
        `${n(r.cost.drains)} drains for ${n(cp)} compound pages and ${n(r.pages)} struct pages; at most 2 x ${n(cp)} + 1 = ${n(budget)} allowed`,
      ] };
    })
    .with('no-partial-lines-64', () => {
      if (r.sizeofPage !== 64 || r.cost.streamingLinesPartial === 0) return { ok: true, lines: [] };
      return { ok: false, lines: [
        `${n(r.cost.streamingLinesPartial)} write-combining buffers flushed partly written (and ${n(r.cost.streamingLinesFull)} whole) with a 64-byte struct page`,
      ] };
    })
    .exhaustive();
}

/** Order-0 ranges of one section and up to 32 pageblocks more, the fast path enabled. */
export const trafficScenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    wantPageVirtual: fc.boolean(), // a 72-byte struct page (generic64) straddles lines
    type: memoryTypeArb,
    align: fc.constantFrom<StartAlign>('section', 'compound', 'pageblock', 'pageblock-end'),
    altmap: fc.option(fc.record({ reserve: fc.nat(3), free: fc.nat(3) }), { nil: null, freq: 3 }),
    extraPageblocks: fc.nat(32),
  })
  .map(({ wantPageVirtual, type, align, altmap, extraPageblocks }) => {
    const off = altmap ? altmap.reserve + altmap.free : 0;
    return {
      kconfig: { ...X86_64_DEFAULT, wantPageVirtual, arch: wantPageVirtual ? 'generic64' as const : 'x86_64' as const },
      pgmap: { type, vmemmapShift: 0, altmap },
      startPfn: RANGE_BASE_PFN + startOffset(align, 1),
      nrPages: off + PAGES_PER_SECTION + extraPageblocks * pageblockNrPages(X86_64_DEFAULT),
      nid: 0,
      earlySection: false,
    };
  });

/** The property's scenarios: small ones from the main suite, and 64-byte pages for partial lines. */
export function costScenarioArb(p: CostPropertyName): fc.Arbitrary<Scenario> {
  return match(p)
    .with('traffic-near-lower-bound', () => trafficScenarioArb)
    .with('drains-per-compound-page', () => scenarioArb())
    .with('no-partial-lines-64', () => scenarioArb().map((s) => ({ ...s, kconfig: { ...s.kconfig, wantPageVirtual: false, kmsan: false } })))
    .exhaustive();
}

export interface CostCheckResult {
  readonly variant: string;
  readonly property: CostPropertyName;
  readonly ok: boolean;
  readonly numRuns: number;
  readonly seed: number;
  readonly counterexample?: Scenario;
  readonly lines?: readonly string[];
}

/** Check one cost property of one variant; a failure is shrunk to a minimal scenario. */
export function checkCostProperty(v: Variant, p: CostPropertyName, o: { numRuns?: number; seed?: number } = {}): CostCheckResult {
  const seed = o.seed ?? 0x636f7374; // "cost"
  const numRuns = o.numRuns ?? 20;
  const d = fc.check(fc.property(costScenarioArb(p), (s) => costVerdict(p, v, s).ok), { seed, numRuns });
  if (!d.failed) return { variant: v.name, property: p, ok: true, numRuns: d.numRuns, seed };
  if (!d.counterexample) throw d.errorInstance ?? new Error(`${v.name}/${p}: property threw`);
  // fast-check's shrink stops at local minima: walk the lattice down from its case
  let s = d.counterexample[0];
  for (let below = costFailingBelow(v, p, s); below !== null; below = costFailingBelow(v, p, s)) s = below;
  const lines = [`${v.name} fails ${p}: ${describeScenario(s)}`, ...costVerdict(p, v, s).lines];
  return { variant: v.name, property: p, ok: false, numRuns: d.numRuns, seed, counterexample: s, lines };
}

/**
 * Global minimality in the lattice (properties/lattice.ts) for a cost property: the first
 * configuration below `minimal` that fails `p`, or null. The schedule does not matter (see above).
 * traffic-near-lower-bound is defined on a section or more of order-0 pages: below its case the
 * lattice holds only smaller ranges, outside its domain, so nothing there counts.
 */
export function costFailingBelow(v: Variant, p: CostPropertyName, minimal: Scenario): Scenario | null {
  if (p === 'traffic-near-lower-bound') return null;
  for (const s of latticeBelow(minimal)) if (!costVerdict(p, v, s).ok) return s;
  return null;
}
