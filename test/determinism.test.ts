// Same seed, same result: a property run twice with one seed gives the same full report.
import { expect, it } from 'vitest';
import { v1 } from '../model/kernel/variants/v1.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import { checkProperty } from '../properties/check.ts';

const report = (r: ReturnType<typeof checkProperty>) => JSON.stringify({
  ok: r.ok, numRuns: r.numRuns, failedAt: r.failedAt, shrinks: r.shrinks, counterexample: r.counterexample,
  verdict: r.verdict, hazards: r.evaluation?.run.end.hazards, cost: r.evaluation?.run.settled.cost,
  trace: r.evaluation?.run.trace?.map((t) => [t.index, t.event.kind, 'addr' in t.event ? t.event.addr : 0]),
});

it('a failing property reports identically for the same seed', () => {
  const a = report(checkProperty(v1, 'no-write-after-streaming', { numRuns: 200, seed: 42 }));
  const b = report(checkProperty(v1, 'no-write-after-streaming', { numRuns: 200, seed: 42 }));
  expect(a).toBe(b);
  expect(a).toContain('"ok":false');
});

it('a passing property runs the same scenarios for the same seed', () => {
  const a = checkProperty(v5, 'identical', { numRuns: 50, seed: 9 });
  const b = checkProperty(v5, 'identical', { numRuns: 50, seed: 9 });
  expect(report(a)).toBe(report(b));
});
