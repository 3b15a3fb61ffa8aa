// check --save and replay of the printed token on the real binary; replay of a saved file and
// one-line errors for a mangled token or an unknown variant in process through run(argv, io).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { encodeToken } from '../src/report/token.ts';
import { run } from '../src/cli/main.ts';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/memmap-check.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
/** The same in process through run(argv, io), the binary's own entry. */
const inProcess = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(`${l}\n`), err: (l) => err.push(`${l}\n`) });
  return { code, out: out.join(''), err: err.join('') };
};

describe('memmap-check check --save and replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'memmap-check-'));
  const check = cli('check', '--variant', 'v1', '--property', 'no-write-after-streaming', '--runs', '20', '--save', dir);
  const report = check.out.split('\n');
  const token = report.find((l) => l.startsWith('replay: '))!.split(' ')[3]!;

  it('check prints the report with its token, and saves the counterexample', () => {
    expect(check.code).toBe(1);
    expect(check.out).toContain('MISSING DRAIN before-prep_compound_head');
    const saved = join(dir, 'v1-no-write-after-streaming.json');
    expect(check.out).toContain(`saved: ${saved}`);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toMatchObject({ schema: 'memmap-check/counterexample', version: 1, token });
  });
  it('replay TOKEN reproduces the same report', () => {
    const r = cli('replay', token);
    expect(r.code).toBe(1);
    // the check's report less the table above it and its search provenance ("minimal within:", "found:")
    const start = report.findIndex((l) => l.startsWith('v1 fails'));
    const found = report.findIndex((l) => l.startsWith('minimal within: ') || l.startsWith('found: '));
    const body = [...report.slice(start, found), `replay: memmap-check replay ${token}`];
    expect(r.out.trimEnd().split('\n')).toEqual(body);
    expect(body.length).toBeLessThan(40);
  });
  it('replay FILE replays a saved regression of a mutant variant handed over with --variant', async () => {
    const file = 'test/counterexamples/v3-stream-pageblock-aligned-no-read-after-streaming.json';
    expect((await inProcess('replay', file)).code).toBe(2);
    const r = await inProcess('replay', file, '--variant', 'test/mutants/v3-stream-pageblock-aligned.ts', '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ variantName: 'v3-stream-pageblock-aligned', hazard: { kind: 'read-after-streaming' } });
    expect(r.err).toBe('saved counterexample: reproduced (same property, hazard and field)\n');
  });
  it.each([
    ['a mangled token', () => [token.replace(/.{4}(\.[0-9a-f]{8})$/, 'AAAA$1')], 'replay token checksum does not match; the token was altered or cut in transit: copy it again'],
    ['a token naming an unknown variant', () => [encodeToken({
      variant: 'v9', property: 'identical', removed: [], added: [], schedule: { base: 0, late: [] },
      scenario: { kconfig: X86_64_DEFAULT, pgmap: { type: 3, vmemmapShift: 0, altmap: null }, startPfn: 0x100000, nrPages: 1, nid: 0, earlySection: false },
    })], "unknown variant 'v9'; allowed: base-v7.1, base-next, v1, v3, v5, or a variant file passed with --variant FILE"],
    ['a bad format', () => [token, '--format', 'xml'], '--format=xml is not allowed; allowed: text, json, dot'],
  ])('rejects %s in one line with exit code 2', async (_, args, message) => {
    const r = await inProcess('replay', ...args());
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`memmap-check: ${message}\n`);
  });
});
