// Reports of a C variant: the kernel-test-robot line first, the C frames under each step, and
// file/line/column per frame in JSON.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CVariant } from '../../model/c/variant.ts';
import { checkProperty } from '../../properties/check.ts';
import { counterexampleOf } from '../../src/report/counterexample.ts';
import { explain } from '../../src/report/explain.ts';
import { counterexampleDoc } from '../../src/report/json-report.ts';
import { textReport } from '../../src/report/text-report.ts';
import { loadC } from './load.ts';

describe('a C counterexample report', () => {
  let v: CVariant;
  beforeAll(async () => {
    v = await loadC('v5.c');
  });

  it('starts with the 0-day style line and carries C positions in text and JSON', () => {
    const r = checkProperty(v, 'no-write-after-streaming', { numRuns: 60, drains: { removed: new Set(['memmap_init_compound#1']) } });
    expect(r.ok).toBe(false);
    const x = explain(v, counterexampleOf(r, 'test/c-inputs/v5.c'));
    const text = textReport(x);
    expect(text[0]).toBe('test/c-inputs/v5.c:135:2: error: prep_compound_head() stores 8 B into tail 2 _deferred_list.next while the MOVNTI stores of test/c-inputs/v5.c:95 (zone_device_page_init_from_template) are still pending [write-after-streaming, folio-alias]');
    expect(text.join('\n')).toContain('at test/c-inputs/v5.c:187:4 memmap_init_zone_device() > 128:4');
    const doc = JSON.parse(JSON.stringify(counterexampleDoc(x, { failedAt: r.failedAt!, numRuns: 60, seed: r.seed, shrinks: 0, rerun: '' })));
    const first = doc.timeline[0];
    expect(first.src).toEqual([
      { fn: 'memmap_init_zone_device', file: 'test/c-inputs/v5.c', line: 187, column: 4 },
      { fn: 'memmap_init_compound', file: 'test/c-inputs/v5.c', line: 128, column: 4 },
      { fn: 'zone_device_page_init_from_template', file: 'test/c-inputs/v5.c', line: 95, column: 2 },
    ]);
  });
});
