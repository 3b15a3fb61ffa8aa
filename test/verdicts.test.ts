// Issue 11, verdicts: known kernel bugs go by reference, never by name; a variant's own bug is
// searched and shown before the base's; all eight properties are first-class on the command line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.ts';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { v3 } from '../model/kernel/variants/v3.ts';
import { baseOf, knownBugsOf } from '../properties/known-bugs.ts';
import { checkOwnFirst } from '../properties/own-first.ts';
import { PROPERTIES } from '../properties/properties.ts';
import { drainBaseline } from '../properties/drains.ts';
import { anyVerdict } from '../properties/any.ts';
import { evaluate } from '../properties/evaluate.ts';
import { verdict } from '../properties/properties.ts';
import { UNTIL_DRAIN } from '../model/schedule.ts';
import dropsFolioOrder from './mutants/v3-drops-folio-order.ts';

const REPO = resolve('.');
const DIR = mkdtempSync(join(tmpdir(), 'memmap-check-verdicts-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
/** The CLI in process through run(argv, io), the binary's own entry; a variant file named in DIR. */
const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const argv = args.map((a) => (a.endsWith('.ts') ? join(DIR, a) : a));
  const code = await run(argv, { out: (l) => out.push(`${l}\n`), err: (l) => err.push(`${l}\n`) });
  return { code, out: out.join(''), err: err.join('') };
};

// an unchanged copy of v3 under another name, written outside the repository against base-v7.1
writeFileSync(join(DIR, 'my-v3.ts'), `import { v3 } from '${REPO}/model/kernel/variants/v3.ts';\nexport default { ...v3, name: 'my-v3' };\n`);
writeFileSync(join(DIR, 'drops-order.ts'), `export { default } from '${REPO}/test/mutants/v3-drops-folio-order.ts';\n`);
writeFileSync(join(DIR, 'past-end.ts'), `export { default } from '${REPO}/test/mutants/v5-clears-compound-info-past-end.ts';\n`);

const myV3 = { ...v3, name: 'my-v3' };
const typical = { kconfig: X86_64_DEFAULT, nid: 0, startPfn: 0x100000 };

describe('known kernel bugs by reference (issue 11, point 1)', () => {
  it('a renamed copy of v3 carries base-v7.1\'s bugs, as v3 does; a name alone carries none', () => {
    expect(baseOf(myV3)).toBe('base-v7.1');
    expect(knownBugsOf(myV3).map((b) => b.id)).toEqual(knownBugsOf(v3).map((b) => b.id));
    expect(knownBugsOf(myV3).length).toBe(2);
    expect(knownBugsOf({ ...v3, name: 'v3-on-next', reference: 'base-next' })).toEqual([]);
  });
  it('check judges invariants of the renamed copy as expected-fail, with exit code 0', async () => {
    const r = await cli('check', '--variant', 'my-v3.ts', '--property', 'invariants', '--runs', '60');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}invariants +expected-fail$/m);
    expect(r.out).toContain('expected: known kernel bug, fixed upstream by "mm/mm_init: fix uninitialized');
  });
  it('drains judges it the same way: invariants holds with every drain, known bugs set aside', () => {
    const base = drainBaseline(myV3, { numRuns: 60 });
    expect(base.filter((r) => !r.ok).map((r) => r.property)).toEqual([]);
    // on the known bug's own case: a violation for the property, none for the drain judge
    const s = { ...typical, pgmap: { type: 3 as const, vmemmapShift: 8, altmap: null }, nrPages: 256, earlySection: true };
    const e = evaluate(myV3, { scenario: s, schedule: UNTIL_DRAIN });
    expect(verdict('invariants', e).ok).toBe(false);
    expect(anyVerdict('invariants', e).ok).toBe(true);
  });
});

describe('the variant\'s own bug first (issue 11, point 2)', () => {
  const c = checkOwnFirst(dropsFolioOrder, 'invariants', { numRuns: 60 });
  it('searches and shrinks the own violation: order 1, _flags_1 without the order', () => {
    expect(c.own.ok).toBe(false);
    expect(c.own.counterexample!.scenario).toEqual({ ...typical, pgmap: { type: 3, vmemmapShift: 1, altmap: null }, nrPages: 2, earlySection: false });
    expect(c.own.verdict!.lines.join('\n')).toMatch(/tail 1 of head 0x100000\) _flags_1 @\+0: expected 0x\w+01, got 0x\w+00$/m);
  });
  it('lists the known base bug after it, as an expected failure', () => {
    expect(c.known).not.toBeNull();
    expect(c.known!.counterexample!.scenario).toMatchObject({ pgmap: { vmemmapShift: 8 }, earlySection: true });
  });
  it('in a run with both, the own violations are listed before the known ones', () => {
    const vs = c.known!.evaluation!.invariants().violations;
    expect(vs[0]!.field).toMatch(/^_flags_1/);
    expect(vs.at(-1)!.field).not.toMatch(/^_flags_1/);
  });
  it('check prints the own counterexample first, fails with exit code 1, and the known one after', async () => {
    const r = await cli('check', '--variant', 'drops-order.ts', '--property', 'invariants', '--runs', '60');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {2}invariants +FAIL \(and expected-fail: a known kernel bug of the base, listed after\)$/m);
    const own = r.out.indexOf('vmemmap_shift=1 pgmap=FS_DAX altmap=none start_pfn=0x100000 nr_pages=2');
    const known = r.out.indexOf('vmemmap_shift=8 pgmap=FS_DAX altmap=none start_pfn=0x100000 nr_pages=256');
    expect(own).toBeGreaterThan(0);
    expect(known).toBeGreaterThan(own);
  });
});

describe('every property first-class (issue 11, point 3)', () => {
  it('has all eight', () => {
    expect(PROPERTIES).toEqual(['identical', 'no-read-after-streaming', 'no-write-after-streaming', 'published-clean', 'invariants', 'instrumented', 'init-once', 'in-range']);
  });
  it('check --property accepts the store properties; in-range names the field outside the range', async () => {
    const r = await cli('check', '--variant', 'past-end.ts', '--property', 'instrumented', '--property', 'init-once', '--property', 'in-range', '--runs', '50');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    // it writes a struct page whose refcount no traced helper sets: instrumented sees it too
    expect(r.out).toMatch(/^ {2}instrumented +FAIL$/m);
    expect(r.out).toMatch(/^ {2}init-once +pass$/m);
    expect(r.out).toMatch(/^ {2}in-range +FAIL$/m);
    expect(r.out).toContain('pfn 0x100001 compound_info @+8');
    expect(r.out).toMatch(/^minimal within: \d+ smaller configurations/m);
  });
  it('check rejects an unknown property listing all eight', async () => {
    const r = await cli('check', '--variant', 'v5', '--property', 'footprint');
    expect(r.code).toBe(2);
    expect(r.err).toContain('instrumented, init-once, in-range');
  });
});
