// The text report of each known-bad case, from the search to the e-mail: under 40 lines of at
// most 80 columns, naming the kernel functions and fields, with a passing witness, and a replay
// token that reproduces exactly the same report.
import { describe, expect, it } from 'vitest';
import { checkProperty } from '../properties/check.ts';
import { loadVariant } from '../src/cli/load-variant.ts';
import { replayCase } from '../src/cli/replay.ts';
import { counterexampleOf } from '../src/report/counterexample.ts';
import { explain } from '../src/report/explain.ts';
import { textReport } from '../src/report/text-report.ts';
import { decodeToken } from '../src/report/token.ts';
import { wrap, wrapStack } from '../src/report/wrap.ts';
import { REPORT_CASES, handOver, readSaved } from './report-cases.ts';

describe.each(REPORT_CASES)('$spec fails $property', (c) => {
  it('reports for review: short, exact, self-explanatory, replayable', async () => {
    const v = await loadVariant(c.spec);
    const r = checkProperty(v, c.property, { numRuns: 300, drains: { removed: new Set(c.removed) } });
    expect(r.ok).toBe(false);
    const x = explain(v, counterexampleOf(r, c.spec));
    const lines = textReport(x);
    const text = lines.join('\n');
    expect(lines.length).toBeLessThan(40);
    for (const l of lines.filter((l) => !l.startsWith('replay: '))) expect(l.length, l).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(new RegExp(`fails ${c.property} \\(reference `));
    expect(text).toContain('vmemmap_shift=');
    expect(text).toMatch(/^schedule: /m);
    for (const n of c.names) expect(text).toMatch(n);
    expect(text).toMatch(c.witness);
    // the token is one line without whitespace, and replays to the identical report
    const token = lines[lines.length - 1]!.replace('replay: memmap-check replay ', '');
    expect(token).toMatch(/^mmc1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/);
    // a variant file's token also records the file's SHA-256; replay then needs the file handed over
    expect(decodeToken(token)).toMatchObject(x.cx);
    expect(textReport(await replayCase(decodeToken(token), handOver(c.spec)))).toEqual(lines);
    // the saved regression is this very case
    expect((readSaved(c.file) as { token: string }).token).toBe(token);
  });
});

describe('minimized schedule', () => {
  it('keeps only the conflicting store late when that still fails', async () => {
    const v = await loadVariant('v1');
    const r = checkProperty(v, 'no-write-after-streaming', { numRuns: 300 });
    expect(r.counterexample!.schedule).toEqual({ base: 'drain', late: [] });
    const x = explain(v, counterexampleOf(r, 'v1'));
    // hardware order (633e4201): the head's 8 MOVNTI are #0..#7, then tail 1's from its last u64
    // down, so its word 0 (_flags_1, which prep_compound_head() rewrites) is #15
    expect(x.cx.schedule).toEqual({ base: 0, late: [[15, 'drain']] });
    expect(x.scheduleText).toBe('streaming store #15 lands at the next drain; all others land at once');
  });
  it('keeps the given schedule when nothing simpler fails', async () => {
    const v = await loadVariant('v5');
    // v5 passes: the schedule is reported as given
    const cx = { ...decodeToken((readSaved('v5-without-before-return-published-clean.json') as { token: string }).token), removed: [] };
    const x = explain(v, cx);
    expect(x.outcome).toBe('pass');
    expect(x.cx.schedule).toEqual(cx.schedule);
    expect(textReport(x)[0]).toMatch(/^v5 passes published-clean on this case/);
  });
});

describe('wrap', () => {
  it('breaks at spaces within 80 columns and never splits a word', () => {
    const long = 'x'.repeat(100);
    expect(wrap('a: ', `one two ${long} three`, '  ')).toEqual(['a: one two', `  ${long}`, '  three']);
    expect(wrapStack('    ', ['memmap_init_zone_device', 'memmap_init_compound', 'zone_device_page_init_from_template', 'arch_optimize_store_u64'], '      '))
      .toEqual(['    memmap_init_zone_device > memmap_init_compound >', '      zone_device_page_init_from_template > arch_optimize_store_u64']);
  });
});
