// The main job: every shipped variant against every property, one table, then the counterexamples.
import { pageLayout } from '../../model/kernel/layout.ts';
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { lineTraffic, lowerBoundBytes } from '../../properties/cost.ts';
import { analyzeDrains } from '../../properties/drains.ts';
import { TYPICAL_COST_SCENARIO, typicalCost } from '../cost/format.ts';
import { DEFAULT_SEED } from '../../properties/check.ts';
import { type OwnFirst, checkOwnFirst, reportOrder } from '../../properties/own-first.ts';
import { PROPERTIES } from '../../properties/properties.ts';
import { counterexampleText, rowOutcome } from '../report/check-report.ts';
import { runsOf, seedOf } from './errors.ts';
import { loadVariant } from './load-variant.ts';

const SHORT: Record<(typeof PROPERTIES)[number], string> = {
  identical: 'identical',
  'no-read-after-streaming': 'no-read',
  'no-write-after-streaming': 'no-write',
  'published-clean': 'published',
  invariants: 'invariants',
  instrumented: 'instrumented',
  'init-once': 'init-once',
  'in-range': 'in-range',
};

/** How many of the variant's drains are necessary (contract semantics). */
function drainColumn(v: Variant, seed: number): string {
  if (v.drainSites.length === 0) return '-';
  // only the count of necessary drains is shown: no counterexample needs minimizing
  const a = analyzeDrains(v, { numRuns: 100, seed, prove: null, minimize: false, necessityOnly: true });
  return `${a.singles.filter((d) => d.necessary).length}/${v.drainSites.length} needed`;
}

/** Traffic as a multiple of the lower bound, for one section of order-0 FS_DAX pages. */
function trafficColumn(v: Variant): string {
  const t = lineTraffic(typicalCost(v));
  const bound = lowerBoundBytes(TYPICAL_COST_SCENARIO.nrPages, pageLayout(TYPICAL_COST_SCENARIO.kconfig).size);
  return `${((t.readBytes + t.writeBytes) / bound).toFixed(3)}x`;
}

export async function runMain(a: { runs?: string | undefined; seed?: string | undefined; variant?: string | undefined }): Promise<number> {
  // --c FILE adds its row after the shipped variants
  const variants = a.variant === undefined ? VARIANTS : [...VARIANTS, await loadVariant(a.variant)];
  const numRuns = runsOf(a.runs, 150);
  const seed = seedOf(a.seed, DEFAULT_SEED);
  console.log(`memmap-check: ${variants.length} variants x ${PROPERTIES.length} properties, ${numRuns} generated scenarios each, seed ${seed}`);
  console.log('(contract semantics: a streaming store may land at any time until a drain)\n');
  const rows: OwnFirst[][] = variants.map((v) => PROPERTIES.map((p) => checkOwnFirst(v, p, { numRuns, seed })));
  const w = [Math.max(10, ...variants.map((v) => v.name.length)), 10, 13, ...PROPERTIES.map((p) => Math.max(SHORT[p].length, 13)), 8];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i]!)).join(' ').trimEnd();
  console.log(line(['variant', 'reference', 'drains', ...PROPERTIES.map((p) => SHORT[p]), 'traffic']));
  variants.forEach((v, i) => {
    console.log(line([v.name, v.reference ?? '-', drainColumn(v, seed), ...rows[i]!.map(rowOutcome), trafficColumn(v)]));
  });
  console.log('drains: necessary / drain sites (each removed in turn, 100 scenarios per property; details:');
  console.log('  memmap-check drains). traffic: memory traffic per struct page, as a multiple of writing each');
  console.log('  once with no read-for-ownership, on one section of order-0 pages (details: memmap-check cost).');
  // each variant's own failures first, then those its base's known kernel bugs explain
  const failures = rows.flatMap(reportOrder).filter((r) => !r.ok);
  if (failures.length) console.log('\nCounterexamples (shrunk, then minimal in the lattice below them):');
  for (const r of failures) console.log(['', ...counterexampleText(r)].join('\n'));
  console.log('\nexpected-fail: every violation is a kernel bug the base still has, fixed upstream (named above).');
  return 0;
}
