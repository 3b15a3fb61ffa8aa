// The main job: every shipped variant against every property, one table, then the counterexamples.
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import { checkProperty, DEFAULT_SEED, type CheckResult } from '../../properties/check.ts';
import { PROPERTIES } from '../../properties/properties.ts';
import { counterexampleText, outcomeOf } from '../report/check-report.ts';
import { positiveInt, seedOf } from './errors.ts';

const SHORT: Record<(typeof PROPERTIES)[number], string> = {
  identical: 'identical',
  'no-read-after-streaming': 'no-read',
  'no-write-after-streaming': 'no-write',
  'published-clean': 'published',
  invariants: 'invariants',
};

export function runMain(a: { runs?: string | undefined; seed?: string | undefined }): number {
  const numRuns = positiveInt('runs', a.runs, 150);
  const seed = seedOf(a.seed, DEFAULT_SEED);
  console.log(`memmap-check: ${VARIANTS.length} variants x ${PROPERTIES.length} properties, ${numRuns} generated scenarios each, seed ${seed}`);
  console.log('(contract semantics: a streaming store may land at any time until a drain)\n');
  const rows: CheckResult[][] = VARIANTS.map((v) => PROPERTIES.map((p) => checkProperty(v, p, { numRuns, seed })));
  const w = [10, 10, 6, ...PROPERTIES.map((p) => Math.max(SHORT[p].length, 13))];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i]!)).join(' ').trimEnd();
  console.log(line(['variant', 'reference', 'drains', ...PROPERTIES.map((p) => SHORT[p])]));
  VARIANTS.forEach((v, i) => {
    console.log(line([v.name, v.reference ?? '-', String(v.drainSites.length), ...rows[i]!.map(outcomeOf)]));
  });
  const failures = rows.flat().filter((r) => !r.ok);
  if (failures.length) console.log('\nCounterexamples (shrunk):');
  for (const r of failures) console.log(['', ...counterexampleText(r)].join('\n'));
  console.log('\nexpected-fail: every violation is a kernel bug the base still has, fixed upstream (named above).');
  return 0;
}
