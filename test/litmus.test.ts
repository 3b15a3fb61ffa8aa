// The x86 mode against the catalogue of non-temporal litmus tests (test/litmus/expected.json).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explore } from '../model/x86/machine.ts';
import { parseLitmus } from '../src/x86/parse.ts';

const DIR = join(import.meta.dirname, 'litmus');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { expected: string; source: string }>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();

describe('litmus catalogue', () => {
  it('has at least 15 tests, each with an expectation and a source', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const f of files) {
      const e = expected[f.replace(/\.litmus$/, '')];
      expect(e, f).toBeDefined();
      expect(e!.source.length).toBeGreaterThan(0);
    }
  });
  for (const f of files) {
    it(f, () => {
      const t = parseLitmus(readFileSync(join(DIR, f), 'utf8'), f);
      expect(`${t.name}.litmus`).toBe(f);
      expect(explore(t).verdict).toBe(expected[t.name]!.expected);
    });
  }
});
