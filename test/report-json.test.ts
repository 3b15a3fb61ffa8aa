// --format json follows the documented, versioned schemas in docs/, and the schema check itself
// rejects documents that break them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { baseV7_1 } from '../model/kernel/variants/base-v7_1.ts';
import { v1 } from '../model/kernel/variants/v1.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import { checkProperty } from '../properties/check.ts';
import { outcomeOf } from '../src/report/check-report.ts';
import { counterexampleOf } from '../src/report/counterexample.ts';
import { explain } from '../src/report/explain.ts';
import { type CounterexampleDoc, checkResultDoc, counterexampleDoc, REPORT_SCHEMA_VERSION } from '../src/report/json-report.ts';
import { type Schema, validate } from '../src/report/json-schema.ts';
import { readSaved } from './report-cases.ts';

const counterexampleSchema = JSON.parse(readFileSync('docs/counterexample.schema.json', 'utf8')) as Schema & { $id: string };
const checkSchema = JSON.parse(readFileSync('docs/check-results.schema.json', 'utf8')) as Schema;
const registry = new Map([[counterexampleSchema.$id, counterexampleSchema as Schema]]);

describe('JSON report', () => {
  it('check results, failing and passing, follow docs/check-results.schema.json', () => {
    // v1's own folio-alias bug fails invariants; base-v7.1 fails it only through known kernel bugs
    const results = [
      ...(['identical', 'no-read-after-streaming', 'invariants'] as const).map((p) => [v1, checkProperty(v1, p, { numRuns: 60 })] as const),
      [baseV7_1, checkProperty(baseV7_1, 'invariants', { numRuns: 60 })] as const,
      [v5, checkProperty(v5, 'published-clean', { numRuns: 20 })] as const,
    ];
    const docs = results.map(([v, r]) => checkResultDoc(r, outcomeOf(r), r.ok ? null : counterexampleDoc(explain(v, counterexampleOf(r, v.name)), {
      failedAt: r.failedAt!, numRuns: 60, seed: r.seed, shrinks: r.shrinks!, ...(r.lateral ? { lateral: true } : {}), rerun: 'memmap-check check ...',
    })));
    expect(docs.map((d) => d.outcome)).toEqual(['FAIL', 'FAIL', 'FAIL', 'expected-fail', 'pass']);
    expect(validate(JSON.parse(JSON.stringify(docs)), checkSchema, registry)).toEqual([]);
  });
  it('states its schema and version', () => {
    const doc = readSaved('v1-no-write-after-streaming.json') as CounterexampleDoc;
    expect([doc.schema, doc.version]).toEqual(['memmap-check/counterexample', REPORT_SCHEMA_VERSION]);
    expect(counterexampleSchema).toMatchObject({ properties: { version: { const: REPORT_SCHEMA_VERSION } } });
  });
  it('is documented field by field in docs/report-schema.md', () => {
    const md = readFileSync('docs/report-schema.md', 'utf8');
    const props = Object.keys((counterexampleSchema as unknown as { properties: object }).properties);
    for (const p of props) expect(md, p).toContain(`\`${p}\``);
    expect(md).toContain(`version ${REPORT_SCHEMA_VERSION}`);
  });
});

describe('schema check', () => {
  const good = readSaved('v1-no-write-after-streaming.json') as Record<string, unknown>;
  it.each([
    ['a missing field', { ...good, token: undefined }, /missing required 'token'/],
    ['an extra field', { ...good, colour: 'red' }, /\$\.colour: not allowed/],
    ['a wrong version', { ...good, version: 2 }, /\$\.version: expected 1/],
    ['an unknown property', { ...good, property: 'fast' }, /\$\.property: "fast" is not one of/],
    ['a mangled token', { ...good, token: 'mmc1.abc' }, /\$\.token: does not match/],
    ['a step of no known kind', { ...good, timeline: [{ step: 1, kind: 'guess', event: 3 }] }, /\$\.timeline\[0\]: matches 0 of the oneOf/],
    ['a bad schedule', { ...good, schedule: { base: 'later', late: [] } }, /\$\.schedule\.base: matches 0 of the oneOf/],
    ['a non-integer pfn', { ...good, scenario: { ...(good.scenario as object), startPfn: 1.5 } }, /\$\.scenario\.startPfn: expected integer/],
  ])('rejects %s', (_, doc, message) => {
    const errors = validate(JSON.parse(JSON.stringify(doc)), counterexampleSchema, registry);
    expect(errors.join('\n')).toMatch(message);
  });
  it('refuses a schema keyword it does not implement', () => {
    expect(() => validate(1, { type: 'integer', multipleOf: 2 })).toThrow(/unsupported keyword 'multipleOf'/);
  });
});
