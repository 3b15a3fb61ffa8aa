// Every ordering rule of the x86 mode is load-bearing: switching any one off flips the verdict of
// at least one catalogued litmus test, so the catalogue would catch a regression in that rule.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Rules, X86_RULES, explore } from '../model/x86/machine.ts';
import { parseLitmus } from '../src/x86/parse.ts';

const DIR = join(import.meta.dirname, 'litmus');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<string, { expected: string }>;
const tests = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).map((f) => parseLitmus(readFileSync(join(DIR, f), 'utf8'), f));

describe.each(Object.keys(X86_RULES) as (keyof Rules)[])('without the %s rule', (rule) => {
  it('some catalogued litmus test gets the wrong verdict', () => {
    const broken: Rules = { ...X86_RULES, [rule]: false };
    const wrong = tests.filter((t) => explore(t, 1_000_000, broken).verdict !== expected[t.name]?.expected);
    expect(wrong.map((t) => t.name).length, `no litmus test depends on ${rule}`).toBeGreaterThan(0);
  });
});

it('with every rule, every catalogued test gets its expected verdict', () => {
  for (const t of tests) expect(explore(t).verdict, t.name).toBe(expected[t.name]?.expected);
});
