// The C front-end against the TypeScript variants: our C inputs shaped like base-next, v3 and v5
// give the same events (kind, address, bytes, via, granule, class, locked, order, call stack), the
// same hazards and the same verdicts on generated configurations and schedules, drains removed or
// not, and on the corner cases the kernel model's fidelity fixes introduced (early_section() per
// section, CONFIG_DEBUG_VM, pageblock_order 10, the generic64 layout, 80-byte x86_64 pages).
// The cases are a fixed sample shared by every pair (no shrinking: a mismatch names its case).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { hex } from '../../model/kernel/bytes.ts';
import { X86_64_DEFAULT, type KernelConfig } from '../../model/kernel/config.ts';
import { PAGES_PER_SECTION } from '../../model/kernel/constants.ts';
import { runVariant, type RunResult } from '../../model/kernel/harness.ts';
import { Kernel } from '../../model/kernel/mm.ts';
import { type Scenario, earlySectionList, withEarlySections } from '../../model/kernel/scenario.ts';
import { baseNext } from '../../model/kernel/variants/base-next.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { v3 } from '../../model/kernel/variants/v3.ts';
import { v5 } from '../../model/kernel/variants/v5.ts';
import { stackNames } from '../../model/events.ts';
import type { Schedule } from '../../model/schedule.ts';
import { RANGE_BASE_PFN, SMALL, scenarioArb, scheduleArb } from '../../properties/arbitraries.ts';
import { evaluate } from '../../properties/evaluate.ts';
import { PROPERTIES, verdict } from '../../properties/properties.ts';
import type { CVariant } from '../../model/c/variant.ts';
import { loadC } from './load.ts';

interface Pair {
  readonly file: string;
  /** inputs prepended to the file */
  readonly with?: readonly string[];
  readonly ts: Variant;
  /** C drain site -> the TypeScript variant's name for it */
  readonly sites: Readonly<Record<string, string>>;
  /** frames of the TypeScript model that the C has no function for (base-next factors
   *  __zone_device_page_init() out of __init_zone_device_page(); the 2026 C does not) */
  readonly extraFrames?: readonly string[];
}

const V35_SITES = { 'memmap_init_zone_device#1': 'before-memmap_init_compound', 'memmap_init_compound#1': 'before-prep_compound_head', 'memmap_init_zone_device#2': 'before-return' };

const PAIRS: readonly Pair[] = [
  { file: 'base-next.c', ts: baseNext, sites: {}, extraFrames: ['__zone_device_page_init'] },
  // compound_nr_pages(), pageblock_migratetype_init_range() and prep_compound_tail(head, idx) bound
  { file: 'base-next-bound.c', ts: baseNext, sites: {}, extraFrames: ['__zone_device_page_init'] },
  { file: 'v3.c', ts: v3, sites: V35_SITES },
  { file: 'v5.c', ts: v5, sites: V35_SITES },
  // __init_single_page() defined in the file: its header helpers through the bindings
  { file: 'v5.c', with: ['init-single-page.c'], ts: v5, sites: V35_SITES },
];

/** One run to compare: `removeAll` takes out every drain site of the variant. */
interface Case {
  readonly name: string;
  readonly scenario: Scenario;
  readonly schedule: Schedule;
  readonly removeAll: boolean;
}

const UNTIL_DRAIN: Schedule = { base: 'drain', late: [] };
const cfg = (c: Partial<KernelConfig>): KernelConfig => ({ ...X86_64_DEFAULT, ...c });
const scen = (kconfig: KernelConfig, vmemmapShift: number, startPfn: number, nrPages: number, more: Partial<Scenario> = {}): Scenario => ({
  kconfig, pgmap: { type: 3, vmemmapShift, altmap: null }, startPfn, nrPages, nid: 0, earlySection: false, ...more,
});
/** Two order-8 compound pages, the last of one section and the first of the next (64-byte pages: the dedup applies outside boot sections). */
const straddle = (early: boolean[]): Scenario =>
  withEarlySections(scen(cfg({}), 8, RANGE_BASE_PFN + PAGES_PER_SECTION - 256, 512), early);

/** The fidelity corners, each small. */
const CORNERS: readonly Case[] = [
  { name: 'boot section then hot-added (early_section() per section)', scenario: straddle([true, false]), schedule: UNTIL_DRAIN, removeAll: false },
  { name: 'hot-added section then boot, drains removed', scenario: straddle([false, true]), schedule: { base: 3, late: [[1, 'drain']] }, removeAll: true },
  { name: 'DEBUG_VM: pageblock init reads a pageblock-aligned page', scenario: scen(cfg({ debugVm: true }), 0, RANGE_BASE_PFN + 510, 4), schedule: UNTIL_DRAIN, removeAll: false },
  { name: 'DEBUG_VM, drains removed', scenario: scen(cfg({ debugVm: true }), 1, RANGE_BASE_PFN + 508, 8), schedule: UNTIL_DRAIN, removeAll: true },
  { name: 'pageblock_order 10: pfn 512 starts no pageblock', scenario: scen(cfg({ pageblockOrder: 10, debugVm: true }), 0, RANGE_BASE_PFN + 510, 4), schedule: UNTIL_DRAIN, removeAll: true },
  { name: 'pageblock_order 10 with an altmap', scenario: scen(cfg({ pageblockOrder: 10 }), 2, RANGE_BASE_PFN + 1020, 12, { pgmap: { type: 1, vmemmapShift: 2, altmap: { reserve: 1, free: 3 } } }), schedule: { base: 0, late: [[2, 'drain']] }, removeAll: false },
  { name: 'generic64 with WANT_PAGE_VIRTUAL (page->virtual per pfn)', scenario: scen(cfg({ arch: 'generic64', wantPageVirtual: true, memcg: false, debugVm: true }), 2, RANGE_BASE_PFN, 12, { nid: 1, pgmap: { type: 4, vmemmapShift: 2, altmap: null } }), schedule: UNTIL_DRAIN, removeAll: true },
  { name: 'x86_64 KMSAN: an 80-byte struct page, slow path', scenario: scen(cfg({ kmsan: true }), 1, RANGE_BASE_PFN, 6), schedule: UNTIL_DRAIN, removeAll: false },
  { name: 'page_ref_set tracepoint: slow path, PRIVATE', scenario: scen(cfg({ pageRefTracepoint: true }), 3, RANGE_BASE_PFN, 16, { pgmap: { type: 1, vmemmapShift: 3, altmap: null } }), schedule: UNTIL_DRAIN, removeAll: false },
];

/**
 * Generated cases: orders 0..9 (the large ones are in the verdict check), up to two compound
 * pages, schedules with exceptions, drains removed one time in three. A fixed sample (about 1,900
 * pfns in all, one order-9 range among them); the test above checks what it and the corners cover.
 */
const GENERATED: readonly Case[] = fc.sample(
  fc.tuple(scenarioArb({ maxPages: 2, largeOrders: false }), scheduleArb, fc.nat(2)),
  { seed: 1, numRuns: 12 },
).map(([scenario, schedule, r], i) => ({ name: `generated #${i}`, scenario, schedule, removeAll: r === 0 }));

const CASES: readonly Case[] = [...CORNERS, ...GENERATED];

const describeCase = (c: Case): string => `${c.name}: ${JSON.stringify(c.scenario)} ${JSON.stringify(c.schedule)}${c.removeAll ? ' drains removed' : ''}`;

/** Each event as one comparable line. */
function events(r: RunResult, extra: readonly string[], siteMap: (s: string) => string): string[] {
  return r.trace!.map(({ event: e, stack }) => {
    const frames = stackNames(stack).filter((f) => !extra.includes(f)).join('>');
    switch (e.kind) {
      case 'store': return `store ${e.addr} ${hex(e.bytes)} ${e.via} ${e.granule ?? 0} ${e.cls ?? ''} ${e.locked ? 'locked' : ''} ${frames}`;
      case 'load': return `load ${e.addr} ${e.size} ${e.cls ?? ''} ${frames}`;
      case 'drain': return `drain ${siteMap(e.site)} ${e.fn ?? ''} ${frames}`;
      default: return `${e.kind} ${frames}`;
    }
  });
}

interface Observed {
  readonly crash: unknown;
  readonly events: readonly string[];
  readonly hazards: readonly (readonly [string, number])[];
  readonly image: string;
}

function observe(r: RunResult, extra: readonly string[], siteMap: (s: string) => string): Observed {
  return { crash: r.crash, events: events(r, extra, siteMap), hazards: r.end.hazards.map((h) => [h.kind, h.eventIndex] as const), image: hex(r.image.bytes) };
}

/** The TypeScript side of each case, computed once for the pairs that share a variant. */
const tsRuns = new Map<string, Observed>();
function tsObserved(p: Pair, c: Case, i: number): Observed {
  const key = `${p.ts.name}|${i}|${(p.extraFrames ?? []).join(',')}`;
  let o = tsRuns.get(key);
  if (!o) {
    const removed = new Set(c.removeAll ? p.ts.drainSites.map((d) => d.name) : []);
    o = observe(runVariant(p.ts, c.scenario, { schedule: c.schedule, trace: true, drains: { removed } }), p.extraFrames ?? [], (s) => s);
    tsRuns.set(key, o);
  }
  return o;
}

describe('the compared cases', () => {
  it('cover every dimension the kernel model was corrected in', () => {
    const ss = CASES.map((c) => c.scenario);
    const has = (f: (s: Scenario) => boolean) => ss.some(f);
    const straddles = (from: boolean) => has((s) => { const l = earlySectionList(s); return l.length > 1 && l[0] === from && l.includes(!from); });
    expect({
      debugVm: [has((s) => s.kconfig.debugVm), has((s) => !s.kconfig.debugVm)],
      pageblockOrder10: has((s) => s.kconfig.pageblockOrder === 10),
      wantPageVirtual: has((s) => s.kconfig.arch === 'generic64' && s.kconfig.wantPageVirtual),
      sizes: [...new Set(ss.map((s) => new Kernel(s).sizeofPage))].sort(),
      straddles: [straddles(true), straddles(false)],
      dedupOutsideBoot: has((s) => new Kernel(s).dedupBacking && earlySectionList(s).includes(true)),
      slowPath: has((s) => s.kconfig.kasan || s.kconfig.kmsan || s.kconfig.pageRefTracepoint),
      removed: [CASES.some((c) => c.removeAll), CASES.some((c) => !c.removeAll)],
    }).toEqual({
      debugVm: [true, true], pageblockOrder10: true, wantPageVirtual: true, sizes: expect.arrayContaining([64, 80]),
      straddles: [true, true], dedupOutsideBoot: true, slowPath: true, removed: [true, true],
    });
  });
});

describe.each(PAIRS)('C $with $file and the TypeScript variant', (p) => {
  let c: CVariant;
  beforeAll(async () => {
    c = await loadC([...(p.with ?? []), p.file], p.ts.reference ?? null);
  });

  it('has the same drain sites, named function#n with file:line', () => {
    expect(c.drainSites.map((d) => p.sites[d.name])).toEqual(expect.arrayContaining(p.ts.drainSites.map((d) => d.name)));
    expect(c.drainSites).toHaveLength(p.ts.drainSites.length);
    for (const d of c.drainSites) expect(d.where).toMatch(new RegExp(`^test/c-inputs/${p.file}:\\d+: \\w+_drain\\(\\) in \\w+\\(\\)$`));
  });

  it('emits the same events, hazards and image on the fidelity corners and generated cases, drains removed or not', () => {
    CASES.forEach((k, i) => {
      const removed = new Set(k.removeAll ? c.drainSites.map((d) => d.name) : []);
      const r = runVariant(c, k.scenario, { schedule: k.schedule, trace: true, drains: { removed } });
      const a = observe(r, [], (s) => p.sites[s] ?? s);
      const b = tsObserved(p, k, i);
      const what = describeCase(k);
      expect(a.crash, what).toEqual(b.crash);
      // the first differing event and two after it, rather than a diff of thousands
      const at = a.events.findIndex((e, j) => e !== b.events[j]);
      const first = at < 0 ? Math.min(a.events.length, b.events.length) : at;
      expect({ at: first, c: a.events.slice(first, first + 3) }, what).toEqual({ at: first, c: b.events.slice(first, first + 3) });
      expect(a.events.length, what).toBe(b.events.length);
      expect(a.hazards, what).toEqual(b.hazards);
      expect(a.image, what).toBe(b.image);
      // every memory event has its C stack, innermost frame in the file
      expect(r.sourceStacks, what).toHaveLength(r.trace!.length);
    });
  });

  it('gives the same verdict on every property', () => {
    // endOnFailure: a mismatch is reported as found; shrinking it would rerun both sides for minutes
    fc.assert(fc.property(scenarioArb(SMALL), scheduleArb, (scenario, schedule) => {
      const ea = evaluate(c, { scenario, schedule });
      const eb = evaluate(p.ts, { scenario, schedule });
      for (const prop of PROPERTIES) expect([prop, verdict(prop, ea).ok]).toEqual([prop, verdict(prop, eb).ok]);
    }), { numRuns: 10, seed: 13, endOnFailure: true });
  });
});
