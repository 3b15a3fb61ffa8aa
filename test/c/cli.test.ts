// --c: a v5-shaped file passes (the real binary, once), the same file with a drain call deleted by
// --patch fails with the hazard, the 0-day-style line and the C lines; replay reruns the case.
// The rest in process through run(argv, io), the binary's own entry (each spawn of the binary
// costs a second of start-up).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.ts';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/memmap-check.js', ...args], { encoding: 'utf8', timeout: 90_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** run(argv, io) in process, with the binary's stdout and stderr as text. */
async function inProcess(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  const text = (xs: string[]) => xs.map((l) => `${l}\n`).join('');
  return { code, out: text(out), err: text(err) };
}

const V5 = 'test/c-inputs/v5.c';

describe('memmap-check --c', () => {
  it('check: the v5-shaped file passes every property; with one drain call deleted by --patch it fails at C lines', async () => {
    const ok = cli('check', '--c', V5, '--runs', '15');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^test\/c-inputs\/v5\.c \(reference base-next\)/);
    expect(ok.out).not.toMatch(/FAIL/);

    const bad = await inProcess('check', '--c', V5, '--patch', 'test/c-inputs/v5-drop-prep-drain.patch', '--property', 'no-write-after-streaming', '--runs', '100');
    expect(bad.code).toBe(1);
    const lines = bad.out.split('\n');
    const robot = lines.findIndex((l) => l.includes(': error: '));
    expect(lines[robot]).toMatch(/^test\/c-inputs\/v5\.c:132:2: error: prep_compound_head\(\) stores 8 B into tail 2 _deferred_list\.next while the MOVNTI stores of test\/c-inputs\/v5\.c:95 \(zone_device_page_init_from_template\) are still pending \[write-after-streaming, folio-alias\]$/);
    expect(lines.slice(robot + 1, robot + 3).join(' ')).toMatch(/fails\s+no-write-after-streaming/);
    expect(bad.out).toContain('vmemmap_shift=2'); // the smallest configuration
    expect(bad.out).toMatch(/at test\/c-inputs\/v5\.c:\d+:\d+ memmap_init_zone_device\(\) > 128:4\s+memmap_init_compound\(\) > 95:2 zone_device_page_init_from_template\(\)/);
  });

  it('replay: the token reruns the C case handed over with --variant, and refuses a file that changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmc-c-'));
    const file = join(dir, 'mm_init.c');
    copyFileSync(V5, file);
    const r = await inProcess('check', '--c', file, '--remove-drain', 'memmap_init_compound#1', '--property', 'identical', '--runs', '40');
    expect(r.code).toBe(1);
    const token = /replay: memmap-check replay (mmc1\.\S+)/.exec(r.out)![1]!;
    // replay reads no file a token names unless the user passes it (docs/cli-trust.md)
    const unasked = await inProcess('replay', token);
    expect(unasked.code).toBe(2);
    expect(unasked.err).toBe(`memmap-check: the token names the variant file '${file}'; replay runs a file only when you pass it: memmap-check replay TOKEN --variant ${file}\n`);
    expect((await inProcess('replay', token, '--variant', V5)).err).toBe(`memmap-check: --variant ${V5} is not the C file the token was made with ('${file}'); allowed: that file\n`);
    const again = await inProcess('replay', token, '--variant', file);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/: error: prep_compound_head\(\) stores 8 B/);
    expect(again.out).toMatch(/fails\s+identical/);
    writeFileSync(file, `/* edited */\n${r.out.length ? '' : ''}`, { flag: 'a' });
    // a new process, as a user's next run is: the file is read afresh
    const refused = cli('replay', token, '--variant', file);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^memmap-check: C file '.*mm_init\.c' changed since this was recorded \(sha256 [0-9a-f]{12}\.\.\., now [0-9a-f]{12}\.\.\.\); check it again to get a new token\n$/);
  });

  it('bad input: a missing binding, a syntax error, a patch that does not apply: one line, exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmc-c-'));
    const unbound = join(dir, 'unbound.c');
    writeFileSync(unbound, 'void memmap_init_zone_device(struct zone *zone, unsigned long s, unsigned long n, struct dev_pagemap *pgmap)\n{\n\tfrobnicate(s);\n}\n');
    const a = await inProcess('check', '--c', unbound);
    expect([a.code, a.out]).toEqual([2, '']);
    expect(a.err).toMatch(/^memmap-check: .*unbound\.c:3: memmap-check has no model of 'frobnicate\(\)' \(called from memmap_init_zone_device\(\)\); models exist for: [^\n]*\n$/);
    const broken = join(dir, 'broken.c');
    writeFileSync(broken, 'void memmap_init_zone_device(struct zone *zone, unsigned long s, unsigned long n, struct dev_pagemap *pgmap)\n{\n\tif (s {\n}\n');
    const b = await inProcess('check', '--c', broken);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/^memmap-check: .*broken\.c:3:\d+: syntax error[^\n]*\n$/);
    const c = await inProcess('check', '--c', V5, '--patch', 'test/c-inputs/v5-stale.patch');
    expect(c.code).toBe(2);
    expect(c.err).toBe("memmap-check: test/c-inputs/v5-stale.patch:3: hunk #1 (@@ -129,9 +129,6 @@) does not apply to test/c-inputs/v5.c: expected line 133 to be 'if (fast) {'\n");
  });

  it('bindings: the table, one helper per line', async () => {
    const r = await inProcess('bindings');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ {2}prep_compound_tail +\(2\|3\) +prep_compound_tail\(\)$/m);
    expect(r.out).toMatch(/^ {2}memcpy_nt_drain +\(0\) +SFENCE/m);
  });
});
