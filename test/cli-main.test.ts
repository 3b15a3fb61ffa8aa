// The CLI's main job in process through run(argv, io): every shipped variant against every property,
// one table, then the shrunk counterexamples. Alone in its file: it is the suite's longest test.
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.ts';
import { FULL } from './budget.ts';

const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(`${l}\n`), err: (l) => err.push(`${l}\n`) });
  return { code, out: out.join(''), err: err.join('') };
};

describe('memmap-check', () => {
  it('main job: one row per shipped variant and the shrunk counterexamples', async () => {
    // npm test: 10 scenarios per cell; test:full: the real default (150), as `memmap-check` runs it
    const r = await cli(...(FULL ? [] : ['--runs', '10']));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^variant +reference +drains +identical +no-read +no-write +published +invariants +instrumented +init-once +in-range +traffic$/m);
    for (const v of ['base-v7.1', 'base-next', 'v1', 'v3', 'v5']) expect(r.out).toMatch(new RegExp(`^${v.replace('.', '\\.')} `, 'm'));
    expect(r.out).toMatch(/^v1 +base-v7\.1 +1\/2 needed +FAIL/m);
    expect(r.out).toMatch(/^v5 +base-next +3\/3 needed( +pass){8} +1\.000x$/m);
    expect(r.out).toMatch(/^base-next +- +- ( +pass){8} +2\.000x$/m);
    // v3's invariants fail only through base-v7.1's known bugs; v1 fails invariants through its own
    // folio-alias bug, and keeps instrumented: under KASAN/KMSAN its arch_optimize_store_u64() is the
    // asm-generic plain store (linux-mm @ 633e4201), and its fast path honours the page_ref tracepoint
    expect(r.out).toMatch(/^v3 +base-v7\.1 +3\/3 needed( +pass){4} +expected-fail( +pass){3} /m);
    expect(r.out).toMatch(/^v1 +base-v7\.1 +1\/2 needed( +\S+){4} +FAIL +pass /m);
    expect(r.out).toContain('v1 fails no-write-after-streaming');
    expect(r.out).toContain('prep_compound_head > folio_set_order');
  });
});
