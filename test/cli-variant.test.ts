// User-written variants outside the repository, and `drains`: the real binary once, run from that
// directory (starting it there is the point); the rest in process through run(argv, io).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/main.ts';

const REPO = resolve('.');
const BIN = join(REPO, 'bin/memmap-check.js');
/** A directory outside the repository, with no package.json: where a kernel developer keeps patches. */
const DIR = mkdtempSync(join(tmpdir(), 'memmap-check-variant-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: DIR, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
/** The same in process through run(argv, io), the binary's own entry (paths absolute: no cwd). */
const inProcess = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(`${l}\n`), err: (l) => err.push(`${l}\n`) });
  return { code, out: out.join(''), err: err.join('') };
};

// the documented example, importing the building blocks by absolute path as docs/variant-api.md says
writeFileSync(join(DIR, 'my-patch.ts'),
  readFileSync('docs/examples/v5-drain-after-prep.ts', 'utf8').replace(/from '\.\.\/\.\.\//g, `from '${REPO}/`));
writeFileSync(join(DIR, 'named.ts'), `export { default as variant } from '${REPO}/test/mutants/v5-no-template-refresh.ts';\n`);
writeFileSync(join(DIR, 'no-variant.ts'), 'export const template = 1;\n');
writeFileSync(join(DIR, 'half.ts'), "export default { name: 'half', summary: 'no code', reference: 'base-next', drainSites: [] };\n");
writeFileSync(join(DIR, 'bad-ref.ts'), `import { v5 } from '${REPO}/model/kernel/variants/v5.ts';\nexport default { ...v5, name: 'mine', reference: 'v5' };\n`);

describe('memmap-check with a variant file outside the repository', () => {
  it('check: runs the file, and fails the property the moved drain breaks', () => {
    const r = cli('check', '--variant', './my-patch.ts', '--property', 'no-write-after-streaming', '--property', 'published-clean', '--runs', '50');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^v5-drain-after-prep \(reference base-next\)/);
    expect(r.out).toMatch(/^ {2}no-write-after-streaming +FAIL$/m);
    expect(r.out).toMatch(/^ {2}published-clean +pass$/m);
    expect(r.out).toContain('write-after-streaming (folio-alias)');
    expect(r.out).toContain('(tail 2 of head 0x100000) _deferred_list.next @+16');
  });
  it('check: a named export `variant` works too', async () => {
    const r = await inProcess('check', '--variant', join(DIR, 'named.ts'), '--property', 'identical', '--runs', '20');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {2}identical +FAIL$/m);
  });
  it('drains: the moved drain is not shown necessary, the others are', async () => {
    const r = await inProcess('drains', '--variant', join(DIR, 'my-patch.ts'), '--runs', '20', '--exhaustive', 'off');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/itself fails identical, no-write-after-streaming, invariants/);
    // the DEBUG_VM column: which failures of a necessary drain need CONFIG_DEBUG_VM
    expect(r.out).toMatch(/^before-memmap_init_compound +necessary +not needed +read-after-streaming \(head-flags\) +vmemmap_shift=1 nr_pages=4$/m);
    expect(r.out).toMatch(/^before-return +necessary +needed for no-read +.*unpublished +vmemmap_shift=0 nr_pages=2$/m);
    expect(r.out).toMatch(/^after-prep_compound_head +not shown necessary +- +nothing in 20 scenarios x 2 properties +-$/m);
    expect(r.out).toContain('  proven:   not attempted (--exhaustive off)');
    // reruns name the file by absolute path: they work from any directory
    expect(r.out).toContain(`rerun:    memmap-check check --variant ${join(DIR, 'my-patch.ts')} --remove-drain before-memmap_init_compound`);
  });
  it.each([
    ['no-variant.ts', "variant file 'no-variant.ts' has no Variant as its default export or as `export const variant` (its exports: template)"],
    ['half.ts', "variant file 'half.ts': its default export is not a valid Variant: missing or invalid memmap_init_zone_device"],
    ['bad-ref.ts', "variant file 'bad-ref.ts': reference 'v5' is not a shipped base; allowed: base-v7.1, base-next"],
    ['./nope.ts', "variant file './nope.ts' does not exist"],
  ])('rejects %s in one line naming what is missing, exit code 2', async (file, msg) => {
    // absolute paths in process (no cwd): the message names the file as given
    const path = file.startsWith('./') ? file : join(DIR, file);
    const r = await inProcess('drains', '--variant', path);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(`memmap-check: ${msg.replace(`'${file}'`, `'${path}'`)}`);
    expect(r.out).toBe('');
  });
});

describe('memmap-check drains on the shipped variants', () => {
  it('v5: every drain the series documents is necessary, with its hazard, minimal configuration and token', async () => {
    const r = await inProcess('drains', '--variant', 'v5', '--runs', '20');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^before-prep_compound_head +necessary +not needed +write-after-streaming \(folio-alias\) +vmemmap_shift=2 nr_pages=4$/m);
    expect(r.out).toMatch(/^before-memmap_init_compound +necessary +not needed +read-after-streaming \(head-flags\), write-after-streaming \(head-flags\) +vmemmap_shift=1 nr_pages=4$/m);
    // unpublished on every kernel; the read-after-streaming of pageblock init only with DEBUG_VM
    expect(r.out).toMatch(/^before-return +necessary +needed for no-read +read-after-streaming \(plain\), unpublished +vmemmap_shift=0 nr_pages=2$/m);
    expect(r.out).toContain('  DEBUG_VM: no-read-after-streaming fails only with CONFIG_DEBUG_VM');
    expect(r.out.match(/^ {2}token: {4}mmc1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/gm)).toHaveLength(3);
    expect(r.out).toMatch(/^all drains +1 +1024$/m);
  });
  it('v3, as JSON: three necessary drains, their hazard classes and costs', async () => {
    const r = await inProcess('drains', '--variant', 'v3', '--runs', '20', '--format', 'json');
    expect(r.code).toBe(0);
    const [doc] = JSON.parse(r.out);
    expect(doc.sites.map((s: { site: string; verdict: string; opens: string[] }) => [s.site, s.verdict, s.opens[0]])).toEqual([
      ['before-memmap_init_compound', 'necessary', 'read-after-streaming (head-flags)'],
      ['before-prep_compound_head', 'necessary', 'read-after-streaming (folio-alias)'],
      ['before-return', 'necessary', 'unpublished'],
    ]);
    // one streamed page: one past a pageblock start (aligned pfns are copied cached)
    expect(doc.sites[2].minimal.scenario).toMatchObject({ startPfn: 0x100001, nrPages: 1 });
    expect(doc.sites.map((s: { debugVmOnly: string[] }) => s.debugVmOnly)).toEqual([[], [], []]);
    expect(doc.cost.at(-1)).toMatchObject({ site: null, byOrder: [{ perGiB: 1, affine: true }, { perGiB: 1025, affine: true }] });
  });
});
