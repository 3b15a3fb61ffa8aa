// The CLI: check, variants, and one-line errors for bad input (the main job: cli-main.test.ts). In process through
// run(argv, io), the binary's own entry; the real binary once (variants), where starting it is the point.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.ts';

const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(`${l}\n`), err: (l) => err.push(`${l}\n`) });
  return { code, out: out.join(''), err: err.join('') };
};
const binary = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/memmap-check.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('memmap-check', () => {
  it('check: a removed drain is caught with the folio-alias hazard and exit code 1', async () => {
    const r = await cli('check', '--variant', 'v5', '--remove-drain', 'before-prep_compound_head', '--property', 'no-write-after-streaming', '--runs', '200');
    expect(r.code).toBe(1);
    expect(r.out).toContain('write-after-streaming (folio-alias)');
    expect(r.out).toContain('(tail 2 of head 0x100000) _deferred_list.next @+16');
    expect(r.out).toContain('--remove-drain before-prep_compound_head');
  });
  it('check: a passing variant exits 0; json is parseable', async () => {
    const r = await cli('check', '--variant', 'v5', '--property', 'identical', '--runs', '20', '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)[0]).toMatchObject({ variant: 'v5', property: 'identical', outcome: 'pass' });
  });
  it('variants lists names, references and drain sites (the real binary)', () => {
    const r = binary('variants');
    expect(r.code).toBe(0);
    expect(r.out).toContain('drain before-prep_compound_head');
  });
  it.each([
    [['check', '--variant', 'v9'], "unknown variant 'v9'; allowed: base-v7.1, base-next, v1, v3, v5"],
    [['check', '--variant', 'v5', '--runs', '0'], '--runs=0 is not allowed; allowed: a positive integer'],
    [['check', '--variant', 'v5', '--property', 'fast'], "unknown property 'fast'; allowed: identical"],
    [['check', '--variant', 'v5', '--remove-drain', 'nope'], "unknown drain site 'nope' for variant v5; allowed: before-prep_compound_head"],
    [['check', '--variant', 'v5', '--seed', 'x'], '--seed=x is not allowed'],
    [['check', '--variant', 'v5', '--format', 'xml'], '--format=xml is not allowed; allowed: text, json'],
    [['frob'], "unknown command 'frob'"],
    [['check', '--frob'], "unknown option '--frob'"],
  ])('rejects %j in one line with exit code 2', async (args, msg) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`memmap-check: ${msg}`);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });
});
