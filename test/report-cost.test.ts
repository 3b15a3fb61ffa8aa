// Counterexample reports carry the cost counters of their run (DESIGN.md §6), in text and JSON.
import { expect, it } from 'vitest';
import { v1 } from '../model/kernel/variants/v1.ts';
import { checkProperty } from '../properties/check.ts';
import { counterexampleOf } from '../src/report/counterexample.ts';
import { explain } from '../src/report/explain.ts';
import { counterexampleDoc } from '../src/report/json-report.ts';
import { textReport } from '../src/report/text-report.ts';

it('the v1 counterexample reports its own counters', () => {
  const r = checkProperty(v1, 'no-write-after-streaming', { numRuns: 300 });
  const x = explain(v1, counterexampleOf(r, 'v1'));
  // order 1, 2 struct pages: v1 streams the (pageblock-aligned) head and tail 1, 8 MOVNTI each,
  // two whole lines; two drains run
  expect(x.cost).toMatchObject({ streamingStores: 16, streamingBytes: 128, streamingLinesFull: 2, streamingLinesPartial: 0, drains: 2 });
  expect(textReport(x).join('\n')).toMatch(/^cost: \d+ cached stores \(\d+ B\), 16 streaming \(128 B; 2 whole, 0 partial\s+lines\)/m);
  expect(counterexampleDoc(x).cost).toMatchObject({ streamingStores: 16, drains: 2, writeBytes: expect.any(Number) });
});
