// Saved counterexamples are regressions: every file in test/counterexamples/ is replayed against
// the variant it names and must still fail the same way (property, hazard and field).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadVariant } from '../src/cli/load-variant.ts';
import { replayCase } from '../src/cli/replay.ts';
import { type Schema, validate } from '../src/report/json-schema.ts';
import { caseOfDocument, differenceFrom, documentsIn, signatureOf, signatureOfExplanation } from '../src/report/saved.ts';
import type { CounterexampleDoc } from '../src/report/json-report.ts';
import { decodeToken } from '../src/report/token.ts';
import { REPORT_CASES, handOverSaved, readSaved, savedFiles, specOfSaved } from './report-cases.ts';

const schema = JSON.parse(readFileSync('docs/counterexample.schema.json', 'utf8')) as Schema;

describe.each(savedFiles())('test/counterexamples/%s', (file) => {
  const doc = readSaved(file) as CounterexampleDoc;
  it('follows the documented schema', () => {
    expect(validate(doc, schema)).toEqual([]);
  });
  it('still fails the same way', async () => {
    const [only] = documentsIn(doc, file);
    const x = await replayCase(caseOfDocument(only, file), handOverSaved(doc));
    expect(x.outcome).not.toBe('pass');
    expect(differenceFrom(signatureOf(doc), signatureOfExplanation(x))).toBeNull();
    // the same case; a variant file's token names it by path, which depends on where it is read from
    const { variant: _a, ...now } = decodeToken(x.token);
    const { variant: _b, ...then } = decodeToken(doc.token);
    expect(now).toEqual(then);
    if (!/[\\/]/.test(doc.variant)) expect(x.token).toBe(doc.token);
  });
});

describe('saved regressions', () => {
  it('ship the minimal counterexample of every known-bad case', () => {
    expect(savedFiles()).toEqual(expect.arrayContaining(REPORT_CASES.map((c) => c.file)));
    for (const c of REPORT_CASES) {
      const doc = readSaved(c.file) as CounterexampleDoc;
      expect([specOfSaved(doc), doc.property, doc.drains.removed]).toEqual([c.spec, c.property, c.removed]);
    }
  });

  // the comparison itself must catch a case that no longer fails the way it was saved
  const v1 = readSaved('v1-no-write-after-streaming.json') as CounterexampleDoc;
  it('notices a different field', async () => {
    const x = await replayCase(caseOfDocument(v1, 'v1'));
    const moved = { ...v1, hazard: { ...v1.hazard!, field: 'pfn 0x100001 (tail 1 of head 0x100000) _nr_pages @+56' } };
    expect(differenceFrom(signatureOf(moved), signatureOfExplanation(x))).toMatch(/^hazard was write-after-streaming \(folio-alias\) at .*_nr_pages/);
  });
  it('notices a case that now passes', async () => {
    // the witness: v1 with the drain before prep_compound_head() added
    const fixed = caseOfDocument({ ...v1, drains: { removed: [], added: ['before-prep_compound_head'] } }, 'v1');
    const x = await replayCase(fixed);
    expect(differenceFrom(signatureOf(v1), signatureOfExplanation(x))).toBe('it now passes no-write-after-streaming');
  });
  it('notices a different first differing field', () => {
    const doc = readSaved('v5-no-template-refresh-identical.json') as CounterexampleDoc;
    const other = { ...doc, diff: { ...doc.diff, lines: [{ where: 'pfn 0x100001 flags @+0', expected: '0x1', actual: '0x2' }] } };
    expect(differenceFrom(signatureOf(doc), signatureOf(other))).toMatch(/^first differing field was pfn 0x100001 virtual @\+64; now pfn 0x100001 flags/);
  });
  it.each([
    ['not a counterexample', { hello: 1 }, /is not a memmap-check counterexample/],
    ['a newer version', { ...v1, version: 2 }, /counterexample version 2 is not supported; allowed: 1/],
    ['an unknown property', { ...v1, property: 'fast' }, /invalid property/],
    ['a broken schedule', { ...v1, schedule: { base: 'later', late: [] } }, /invalid schedule/],
    ['an unknown config option', { ...v1, scenario: { ...v1.scenario, kconfig: { ...v1.scenario.kconfig, smp: true } } }, /invalid scenario.kconfig.smp/],
  ])('rejects %s in one line', (_, doc, message) => {
    expect(() => caseOfDocument(documentsIn(doc, 'x.json')[0], 'x.json')).toThrow(message);
  });
});

describe('the variant and drains a counterexample names', () => {
  const v1 = readSaved('v1-no-write-after-streaming.json') as CounterexampleDoc;
  it.each([
    ['an unknown name', 'v9', /^unknown variant 'v9'; allowed: base-v7\.1, base-next, v1, v3, v5, or the path of a \.ts file$/],
    ['a missing file', 'test/mutants/nope.ts', /^variant file 'test\/mutants\/nope\.ts' does not exist/],
    ['a module without a Variant', 'test/report-cases.ts', /^variant file 'test\/report-cases\.ts' has no Variant as its default export/],
  ])('rejects %s', async (_, variant, message) => {
    await expect(loadVariant(variant)).rejects.toThrow(message);
  });
  it.each([
    ['a drain site the variant lacks', { removed: ['before-prep_compound_head'], added: [] }, /^unknown drain site 'before-prep_compound_head' for variant v1; allowed: before-memmap_init_compound, before-return$/],
    ['a drain point the variant lacks', { removed: [], added: ['before-return'] }, /^unknown drain point 'before-return' for variant v1; allowed: before-prep_compound_head$/],
  ])('rejects %s', async (_, drains, message) => {
    await expect(replayCase(caseOfDocument({ ...v1, drains }, 'x.json'))).rejects.toThrow(message);
  });
});
