// The cost properties hold for the streaming variants, and each one fails on a known-bad variant
// (test/mutants/cost-*.ts) with its exact minimal counterexample.
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { v1 } from '../model/kernel/variants/v1.ts';
import { v3 } from '../model/kernel/variants/v3.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import { type CostPropertyName, checkCostProperty, costFailingBelow, costRun, costVerdict } from '../properties/cost.ts';
import { smallerNeighbours } from '../properties/minimal.ts';
import cachedFallback from './mutants/cost-cached-fallback.ts';
import drainPerCopy from './mutants/cost-drain-per-copy.ts';
import partialCopy from './mutants/cost-partial-copy.ts';

const typical = (shift: number, pages: number): Scenario => ({
  kconfig: X86_64_DEFAULT, pgmap: { type: 3, vmemmapShift: shift, altmap: null },
  startPfn: 0x100000, nrPages: pages, nid: 0, earlySection: false,
});

describe.each([v3, v5])('$name', (v) => {
  it('traffic within 1% of the lower bound, order-0 ranges of a section and more', () => {
    const r = checkCostProperty(v, 'traffic-near-lower-bound', { numRuns: 3 });
    expect(r.lines ?? []).toEqual([]);
  });
  it.each(['drains-per-compound-page', 'no-partial-lines-64'] as const)('%s', (p) => {
    const r = checkCostProperty(v, p, { numRuns: 60 });
    expect(r.lines ?? []).toEqual([]);
  });
});

it('v1 (one MOVNTI per u64) drains per compound page and streams whole lines', () => {
  for (const p of ['drains-per-compound-page', 'no-partial-lines-64'] as const) expect(checkCostProperty(v1, p, { numRuns: 30 }).ok).toBe(true);
});

it('a 72-byte struct page does make partial lines: the pageblock-aligned cached copy splits one per pageblock', () => {
  const s = { ...typical(0, 2048), kconfig: { ...X86_64_DEFAULT, arch: 'generic64' as const, wantPageVirtual: true } };
  const r = costRun(v3, s);
  expect([r.sizeofPage, r.cost.streamingLinesPartial]).toEqual([72, 4]); // 4 pageblocks
  expect(costVerdict('no-partial-lines-64', v3, s).ok).toBe(true); // the property is about 64-byte pages
  expect(costVerdict('traffic-near-lower-bound', v3, { ...s, nrPages: 32768 }).ok).toBe(true);
});

const KNOWN_BAD: { variant: typeof v3; property: CostPropertyName; minimal: Scenario; message: RegExp }[] = [
  {
    variant: cachedFallback, property: 'traffic-near-lower-bound', minimal: typical(0, 32768),
    message: /traffic 2\.000x the lower bound .* 32,770 lines read for ownership/s,
  },
  {
    // one order-0 page off a pageblock start is streamed (an aligned one is copied with memcpy()):
    // the drain after its copy and the one before return are two for one page
    variant: drainPerCopy, property: 'drains-per-compound-page', minimal: { ...typical(0, 1), startPfn: 0x100001 },
    message: /2 drains for 0 compound pages and 1 struct pages; at most 2 x 0 \+ 1 = 1 allowed/,
  },
  {
    // one streamed order-0 page is enough; the lattice (start alignments in its order) finds the
    // one just past a pageblock start, below the last one before the next start that the shrink found
    variant: partialCopy, property: 'no-partial-lines-64', minimal: { ...typical(0, 1), startPfn: 0x100001 },
    message: /1 write-combining buffers flushed partly written/,
  },
];

describe.each(KNOWN_BAD)('$variant.name fails $property', (c) => {
  const r = checkCostProperty(c.variant, c.property, { numRuns: 20 });
  it('is caught and shrunk to the exact minimal configuration', () => {
    expect(r.ok).toBe(false);
    expect(r.counterexample).toEqual(c.minimal);
    expect(r.lines!.join('\n')).toMatch(c.message);
  });
  it("is the smallest: every one-step-smaller scenario in the property's domain passes", () => {
    const smaller = smallerNeighbours(c.minimal).filter((s) => c.property !== 'traffic-near-lower-bound' || s.nrPages >= 32768);
    for (const s of smaller) expect(costVerdict(c.property, c.variant, s).ok, JSON.stringify(s)).toBe(true);
  });
  // traffic-near-lower-bound is defined on a section or more: below its case is outside its domain
  if (c.property !== 'traffic-near-lower-bound') {
    it('is the smallest in the lattice: nothing below it fails', () => {
      expect(costFailingBelow(c.variant, c.property, c.minimal)).toBeNull();
    });
  }
});
