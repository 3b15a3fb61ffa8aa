// The C front-end against the TypeScript variants: our C inputs shaped like base-next, v3 and v5
// give the same events (kind, address, bytes, via, granule, class, order, call stack), the same
// hazards and the same verdicts on generated configurations and schedules, drains removed or not.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { hex } from '../../model/kernel/bytes.ts';
import { runVariant, type RunResult } from '../../model/kernel/harness.ts';
import { baseNext } from '../../model/kernel/variants/base-next.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { v3 } from '../../model/kernel/variants/v3.ts';
import { v5 } from '../../model/kernel/variants/v5.ts';
import { stackNames } from '../../model/events.ts';
import { SMALL, scenarioArb, scheduleArb } from '../../properties/arbitraries.ts';
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

/** Orders up to 9 (the large ones are covered by the verdict check): a few seconds per file. */
const FAST = { ...SMALL, largeOrders: false };

const PAIRS: readonly Pair[] = [
  { file: 'base-next.c', ts: baseNext, sites: {}, extraFrames: ['__zone_device_page_init'] },
  // compound_nr_pages(), pageblock_migratetype_init_range() and prep_compound_tail(head, idx) bound
  { file: 'base-next-bound.c', ts: baseNext, sites: {}, extraFrames: ['__zone_device_page_init'] },
  { file: 'v3.c', ts: v3, sites: { 'memmap_init_zone_device#1': 'before-memmap_init_compound', 'memmap_init_compound#1': 'before-prep_compound_head', 'memmap_init_zone_device#2': 'before-return' } },
  { file: 'v5.c', ts: v5, sites: { 'memmap_init_zone_device#1': 'before-memmap_init_compound', 'memmap_init_compound#1': 'before-prep_compound_head', 'memmap_init_zone_device#2': 'before-return' } },
  // __init_single_page() defined in the file: its header helpers through the bindings
  { file: 'v5.c', with: ['init-single-page.c'], ts: v5, sites: { 'memmap_init_zone_device#1': 'before-memmap_init_compound', 'memmap_init_compound#1': 'before-prep_compound_head', 'memmap_init_zone_device#2': 'before-return' } },
];

function events(r: RunResult, extra: readonly string[], siteMap: (s: string) => string) {
  return r.trace!.map(({ event: e, stack }) => {
    const frames = stackNames(stack).filter((f) => !extra.includes(f));
    switch (e.kind) {
      case 'store': return ['store', e.addr, hex(e.bytes), e.via, e.granule ?? 0, e.cls ?? '', frames.join('>')];
      case 'load': return ['load', e.addr, e.size, e.cls ?? '', frames.join('>')];
      case 'drain': return ['drain', siteMap(e.site), e.fn ?? '', frames.join('>')];
      default: return [e.kind, frames.join('>')];
    }
  });
}

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

  it('emits the same events, hazards and image on generated scenarios, schedules and removed drains', () => {
    const cSites = c.drainSites.map((d) => d.name);
    fc.assert(fc.property(scenarioArb(FAST), scheduleArb, fc.subarray(cSites), (scenario, schedule, removed) => {
      const a = runVariant(c, scenario, { schedule, trace: true, drains: { removed: new Set(removed) } });
      const b = runVariant(p.ts, scenario, { schedule, trace: true, drains: { removed: new Set(removed.map((s) => p.sites[s]!)) } });
      expect(a.crash).toEqual(b.crash);
      expect(events(a, [], (s) => p.sites[s] ?? s)).toEqual(events(b, p.extraFrames ?? [], (s) => s));
      expect(a.end.hazards.map((h) => [h.kind, h.eventIndex])).toEqual(b.end.hazards.map((h) => [h.kind, h.eventIndex]));
      expect(hex(a.image.bytes)).toEqual(hex(b.image.bytes));
      // every memory event has its C stack, innermost frame in the file
      expect(a.sourceStacks).toHaveLength(a.trace!.length);
    }), { numRuns: 10, seed: 12 });
  });

  it('gives the same verdict on every property', () => {
    fc.assert(fc.property(scenarioArb(SMALL), scheduleArb, (scenario, schedule) => {
      const ea = evaluate(c, { scenario, schedule });
      const eb = evaluate(p.ts, { scenario, schedule });
      for (const prop of PROPERTIES) expect([prop, verdict(prop, ea).ok]).toEqual([prop, verdict(prop, eb).ok]);
    }), { numRuns: 10, seed: 13 });
  });
});
