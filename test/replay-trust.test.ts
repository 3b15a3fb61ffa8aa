// Replay runs only code it was handed: tokens record a variant file by absolute path and SHA-256,
// saved JSON names it relative to its own folder, and either replays only with --variant FILE.
// Also the help texts: every option of every command, its allowed values and the exit codes.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMAND_DOCS } from '../src/cli/options.ts';
import { COMMANDS, run } from '../src/cli/main.ts';
import { decodeToken } from '../src/report/token.ts';
import { createHash } from 'node:crypto';

const REPO = resolve('.');
const DIR = mkdtempSync(join(tmpdir(), 'memmap-check-trust-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (l) => out.push(...l.split('\n')), err: (l) => err.push(...l.split('\n')) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

// a user's variant file in a folder of its own, with a known bug (identical fails)
mkdirSync(join(DIR, 'patches'));
const FILE = join(DIR, 'patches', 'no-refresh.ts');
writeFileSync(FILE, `import { makeV5Like } from '${REPO}/model/kernel/variants/v5.ts';\n` +
  "export default makeV5Like({ name: 'no-refresh', summary: 'v5 without the template refresh', refreshTemplate: false });\n");
const SHA = createHash('sha256').update(readFileSync(FILE)).digest('hex');

describe('a variant file in tokens and saved files', () => {
  let token = '';
  it('check records the file by absolute path and SHA-256 in the token, and saves it relative to the save folder', async () => {
    const r = await cli('check', '--variant', FILE, '--property', 'identical', '--runs', '100', '--save', join(DIR, 'saved'));
    expect(r.code).toBe(1);
    token = /replay: memmap-check replay (mmc1\S+)/.exec(r.out)![1]!;
    const cx = decodeToken(token);
    expect(cx.variant).toBe(FILE);
    expect(cx.variantSha256).toBe(SHA);
    const [saved] = readdirSync(join(DIR, 'saved'));
    expect(JSON.parse(readFileSync(join(DIR, 'saved', saved!), 'utf8')).variant).toBe('../patches/no-refresh.ts');
  });
  it('replay refuses the token without --variant, and replays it with the file', async () => {
    const refused = await cli('replay', token);
    expect(refused.code).toBe(2);
    expect(refused.err).toBe(`memmap-check: the token names the variant file '${FILE}'; replay runs a file only when you pass it: memmap-check replay TOKEN --variant ${FILE}`);
    const r = await cli('replay', token, '--variant', FILE);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/fails identical/);
  });
  it('a saved file resolves its relative variant path against its own folder, not the current directory', async () => {
    const [saved] = readdirSync(join(DIR, 'saved'));
    const file = join(DIR, 'saved', saved!);
    const refused = await cli('replay', file);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`names the variant file '${FILE}'; replay runs a file only when you pass it: memmap-check replay ${file} --variant ${FILE}`);
    const r = await cli('replay', file, '--variant', FILE);
    expect(r.code).toBe(1);
    expect(r.out).toContain('saved counterexample: reproduced');
  });
  it('a changed file is not the one the token recorded', async () => {
    const changed = join(DIR, 'patches', 'changed.ts');
    writeFileSync(changed, `${readFileSync(FILE, 'utf8')}// edited\n`);
    const r = await cli('replay', token, '--variant', changed);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/is not the file the token was made with/);
  });
  it('tokens of shipped variants are unchanged: no path, no hash', async () => {
    const r = await cli('check', '--variant', 'v1', '--property', 'no-write-after-streaming', '--runs', '100');
    const t = /replay: memmap-check replay (mmc1\S+)/.exec(r.out)![1]!;
    expect(decodeToken(t).variant).toBe('v1');
    expect(decodeToken(t).variantSha256).toBeUndefined();
    const saved = JSON.parse(readFileSync('test/counterexamples/v1-no-write-after-streaming.json', 'utf8')) as { token: string };
    expect((await cli('replay', saved.token)).code).toBe(1);
  });
});

describe('help', () => {
  it.each(['--help', 'help'])('memmap-check %s lists every command and the exit codes', async (arg) => {
    const r = await cli(arg);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.out).toMatch(new RegExp(`^  ${c} `, 'm'));
    for (const code of ['0', '1', '2', '3']) expect(r.out).toMatch(new RegExp(`^  ${code}  `, 'm'));
  });
  const commands = COMMANDS.filter((c) => c !== 'help');
  it.each(commands)('help %s and %s --help list every option with its allowed values and the exit codes', async (c) => {
    const a = await cli('help', c);
    const b = await cli(c, '--help');
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
    for (const [name, o] of Object.entries(COMMAND_DOCS[c]!.options)) {
      expect(a.out).toMatch(new RegExp(`^  --${name}\\b`, 'm'));
      expect(a.out).toContain(`allowed: ${o.values}`);
    }
    expect(a.out).toMatch(/^exit codes:$/m);
    expect(a.out).toMatch(/^ {2}3 {2}the variant under check crashed/m);
  });
  it.each(commands)('%s accepts exactly the options its help lists', async (c) => {
    for (const [name, o] of Object.entries(COMMAND_DOCS[c]!.options)) {
      // an option the table documents is never "unknown" (its value may still be wrong)
      const r = await cli(c, o.type === 'boolean' ? `--${name}` : `--${name}=`, '--no-such-option');
      expect(r.err).toMatch(/unknown option '--no-such-option'|needs|not allowed|required|too large|empty|allowed/);
      expect(r.err).not.toContain(`unknown option '--${name}'`);
    }
  });
});
