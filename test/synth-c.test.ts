// drains --synthesize --c (docs/synthesis.md §9): the cheapest safe placement of a C file's drains
// among its drain sites and every statement boundary of its fast path, printed as a diff that
// `git apply` takes. Inputs: our own test/c-inputs/v5.c (li-zhe-series.md §2 shape, not kernel
// source) and v5-drop-prep-drain.patch (review's drain before prep_compound_head() deleted).
// Small bounds keep it to seconds: orders 0..2, 1..2 compound pages, FS_DAX and GENERIC, node 0,
// the typical config; 64 MiB workloads where no cost figure is asserted.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CVariant, variantFromC } from '../model/c/variant.ts';
import { cSourceCandidates, placeableVariant } from '../src/synth/c-candidates.ts';
import { cSpecOf, loadCVariant } from '../src/cli/c-source.ts';
import { type CSynthesis, cSynthesisJson, diffText, synthesizeC } from '../src/synth/cli.ts';
import { WORKLOADS, type Workload } from '../src/synth/cost.ts';
import { synthesisJson } from '../src/synth/format.ts';
import type { Mode } from '../src/synth/safety.ts';
import { type Synthesis, boundsScope } from '../src/synth/synthesize.ts';
import { verdictOf } from '../src/synth/verdict.ts';
import { checkConfiguration } from '../properties/exhaustive.ts';
import { configurations } from '../properties/exhaustive-configs.ts';
import { describeScenario } from '../model/kernel/describe.ts';

const V5 = 'test/c-inputs/v5.c';
const DROP = 'test/c-inputs/v5-drop-prep-drain.patch';
const SCOPE = boundsScope({ maxOrder: 2, maxCompoundPages: 2, configs: 'typical' },
  (s) => (s.pgmap.type === 3 || s.pgmap.type === 4) && s.nid === 0, ', FS_DAX and GENERIC only, node 0');
const SMALL: readonly Workload[] = WORKLOADS.map((w) => ({ ...w, name: `${w.name}-64M`, scenario: { ...w.scenario, nrPages: w.scenario.nrPages / 16 } }));

const cache = new Map<string, Promise<CSynthesis>>();
function synthC(mode: Mode, patch?: string, workloads: readonly Workload[] = SMALL): Promise<CSynthesis> {
  const key = `${mode}|${patch}`;
  let r = cache.get(key);
  if (!r) {
    const spec = cSpecOf({ c: V5, patch: patch ? [patch] : undefined })!;
    r = loadCVariant(spec).then((v) => synthesizeC(spec, v, mode, { scope: SCOPE, workloads }));
    cache.set(key, r);
  }
  return r;
}

const names = (s: Synthesis): string[] | null => (s.status === 'ok' ? s.placement.map((i) => s.candidates[i]!.name).sort() : null);
const SITES = ['memmap_init_compound#1', 'memmap_init_zone_device#1', 'memmap_init_zone_device#2'];
const lines = (path: string) => readFileSync(path, 'utf8').split('\n');
/** The 1-based line of the first line equal to `text` after trimming, from `from` on. */
const lineOfText = (ls: readonly string[], text: string, from = 0): number => ls.findIndex((l, i) => i >= from && l.trim() === text) + 1;

/** A temp git repo holding test/c-inputs/v5.c (after `patches`), with `diff` checked and applied by git apply. */
function applyInRepo(diff: string, patches: readonly string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmc-synth-c-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  mkdirSync(join(dir, dirname(V5)), { recursive: true });
  writeFileSync(join(dir, V5), readFileSync(V5));
  for (const p of patches) execFileSync('git', ['apply', join(process.cwd(), p)], { cwd: dir });
  if (diff === '') return readFileSync(join(dir, V5), 'utf8');
  writeFileSync(join(dir, 'synth.diff'), diff);
  execFileSync('git', ['apply', '--check', 'synth.diff'], { cwd: dir });
  execFileSync('git', ['apply', 'synth.diff'], { cwd: dir });
  return readFileSync(join(dir, V5), 'utf8');
}

describe('drains --synthesize --c: candidates', () => {
  it('are the three drain sites and every statement boundary of the fast path; the constraints name only points between store and access', async () => {
    const { main, source } = await synthC('contract');
    expect(main.candidates.filter((c) => c.own).map((c) => c.name)).toEqual(SITES);
    expect(main.candidates).toHaveLength(49); // 3 sites + 46 statement boundaries of the three fast-path functions
    expect(source.unplaceable).toEqual([]);
    expect(source.drainCall).toBe('memcpy_nt_drain();');
    // dropping a site deletes its `if (fast)` statement and the comment above it
    const ls = lines(V5);
    const site = source.candidates.find((c) => c.name === 'memmap_init_compound#1')!;
    expect(ls.slice(site.lines![0] - 1, site.lines![1]).map((l) => l.trim())).toEqual([
      '/* prep_compound_head() writes into tails: flush the copies first */', 'if (fast)', 'memcpy_nt_drain();']);
    // the publish's constraint: only candidates after the last streaming store (none of the prologue)
    const publish = main.constraints.find((k) => k.what.startsWith('unpublished'))!;
    const prologue = lineOfText(ls, 'if (WARN_ON_ONCE(!pm || zidx != ZONE_DEVICE))');
    expect(publish.hits.map((i) => main.candidates[i]!.name)).toContain('memmap_init_zone_device#2');
    expect(publish.hits.map((i) => main.candidates[i]!.name)).not.toContain(`memmap_init_zone_device:${prologue}`);
  });
});

describe('drains --synthesize --c test/c-inputs/v5.c', () => {
  it('contract: the variant\'s drains are a cheapest safe placement, at the series\' cost; no diff', async () => {
    const c = await synthC('contract');
    const s = c.main;
    expect(names(s)).toEqual(SITES);
    expect(verdictOf(s).kind).toBe('optimal');
    expect(verdictOf(s).text).toBe("the variant's drains are a cheapest safe placement");
    // 64 MiB: fsdax one final drain; devdax 32 compound pages, each with the drain before
    // prep_compound_head(), all but the first (slow path) with the head drain, and the final one
    // finding nothing in flight (at 1 GiB: 1 (1) and 1,024 (1,023), the series' figures)
    expect(s.status === 'ok' && s.cost.byWorkload.map((w) => [w.workload, w.drains, w.stalls])).toEqual([['fsdax-4k-64M', 1, 1], ['devdax-2m-64M', 64, 63]]);
    expect(s.status === 'ok' && s.removals.every((r) => r.witness !== null)).toBe(true);
    expect(c.diff(s)).toBe('');
    expect(synthesisJson(s).status).toBe('ok');
  });

  it('x86: only the final drain; the diff removes the other two and git apply takes it', async () => {
    const c = await synthC('x86');
    expect(names(c.main)).toEqual(['memmap_init_zone_device#2']);
    expect(names(c.contract!)).toEqual(SITES);
    expect(verdictOf(c.main).kind).toBe('cheaper');
    expect(verdictOf(c.main).remove).toEqual(['memmap_init_compound#1', 'memmap_init_zone_device#1']);
    const out = applyInRepo(c.diff(c.main)!);
    expect(out.match(/memcpy_nt_drain\(\);/g)).toHaveLength(1);
    expect(out).toContain('\tif (fast)\n\t\tmemcpy_nt_drain();\n\n\tpageblock_migratetype_init_range(');
    expect(out).toContain('\t}\n\n\tprep_compound_head(hd, ord);');
    // the text output's diff, as a user copies it from the terminal, applies too
    const json = JSON.parse(JSON.stringify(cSynthesisJson(c)));
    expect(json.schema).toBe('memmap-check/synthesis/1');
    expect(json.placement.drains).toEqual(['memmap_init_zone_device#2']);
    expect(json.diff).toBe(c.diff(c.main));
    expect(json.contract.diff).toBe('');
    const text = diffText(c, c.main);
    const from = text.findIndex((l) => l.startsWith('--- a/'));
    expect(text[from - 1]).toContain('diff against test/c-inputs/v5.c, x86 placement');
    expect(applyInRepo(`${text.slice(from).join('\n')}\n`)).toBe(out);
  });
});

describe('drains --synthesize --c test/c-inputs/v5.c --patch v5-drop-prep-drain.patch', () => {
  it('adds the drain review added, before prep_compound_head(); the diff applies after the patch and the result is safe', async () => {
    const c = await synthC('contract', DROP);
    const s = c.main;
    const patched = applyInRepo('', [DROP]).split('\n');
    const prep = lineOfText(patched, 'prep_compound_head(hd, ord);');
    expect(names(s)).toEqual([`memmap_init_compound:${prep}`, 'memmap_init_zone_device#1', 'memmap_init_zone_device#2'].sort());
    const v = verdictOf(s);
    expect(v.kind).toBe('unsafe');
    expect(v.add).toEqual([`memmap_init_compound:${prep}`]);
    expect(v.remove).toEqual([]);
    expect(v.text).toMatch(/^unsafe: write-after-streaming \(folio-alias\): store of pfn 0x100002 \(tail 2 of head 0x100000\)/);
    const diff = c.diff(s)!;
    expect(diff).toContain('+\tmemcpy_nt_drain();\n \tprep_compound_head(hd, ord);');
    const out = applyInRepo(diff, [DROP]);
    expect(out).toContain('\t}\n\n\tmemcpy_nt_drain();\n\tprep_compound_head(hd, ord);\n}');
    // the applied file drains where the synthesis placed it: the witness of the drain now passes
    const fixed = await variantFromC(out, { file: V5, reference: 'base-next' });
    const witness = s.status === 'ok' ? s.removals.find((r) => r.candidate === s.placement.find((i) => !s.candidates[i]!.own))!.witness! : null;
    expect(checkConfiguration(fixed, witness!, { removed: new Set() }).violated).toEqual([]);
    expect(checkConfiguration(await loadCVariant(cSpecOf({ c: V5, patch: [DROP] })!), witness!, { removed: new Set() }).violated).not.toEqual([]);
  });
});

describe('drains --synthesize --c test/c-inputs/v1-copy.c (v1\'s copy loop only, not a whole v1)', () => {
  it('no placement is safe: identical fails with no hazard (the loop never sets the ZONE_DEVICE fields: pgmap, refcount, PG_reserved); no diff', async () => {
    const spec = cSpecOf({ c: 'test/c-inputs/v1-copy.c' })!;
    const scope = boundsScope({ maxOrder: 0, maxCompoundPages: 2, configs: 'typical' }, (s) => s.nid === 0, ', node 0');
    const c = await synthesizeC(spec, await loadCVariant(spec), 'contract', { scope, workloads: SMALL });
    expect(c.main.candidates.filter((x) => x.own).map((x) => x.name)).toEqual(['memmap_init_zone_device#1']);
    expect(c.source.drainCall).toBe('arch_optimize_store_drain();');
    expect(c.main.status).toBe('no-safe-placement');
    expect(verdictOf(c.main).text).toMatch(/^no placement of the candidate drains is safe: identical(, invariants)? fails? with no hazard/);
    expect(c.diff(c.main)).toBeNull();
    expect(cSynthesisJson(c).diff).toBeNull();
  });
});

describe('early_section() in C decides per section (what the CLI bounds need)', () => {
  it('v5.c does not write the vmemmap aliases of a compound page in the late section after an early one', async () => {
    const s = [...configurations({ maxOrder: 8, maxCompoundPages: 2, configs: 'typical' })].map((c) => c.scenario)
      .find((x) => describeScenario(x).startsWith('vmemmap_shift=8 pgmap=PRIVATE altmap=none start_pfn=0x107f00 nr_pages=512 nid=0 early_section=1,0'))!;
    expect(s).toBeDefined();
    // the binding read the scenario's early_section list as one flag: init-once failed here
    expect(checkConfiguration(await loadCVariant(cSpecOf({ c: V5 })!), s, { removed: new Set() }).violated).toEqual([]);
  });
});

describe('cSourceCandidates: what a diff can place', () => {
  const C = ['void f(void)', '{', '\t/* drain */', '\tif (x)', '\t\tmemcpy_nt_drain();', '\ta(); b();',
    '\t(void)(memcpy_nt_drain(), 0);', '#ifdef CONFIG_X', '\tc();', '#endif', '}', ''].join('\n');
  const site = (n: number, line: number) => ({ name: `f#${n}`, where: `f.c:${line}: memcpy_nt_drain() in f()` });
  const point = (line: number) => ({ name: `f:${line}`, where: `f.c:${line}: before the statement, in f()` });
  it('a site in an `if` of its own goes with its comment; one inside an expression is kept; a point must begin its line', async () => {
    const v = { drainSites: [site(1, 5), site(2, 7)], drainPoints: [point(4), point(6), point(9), point(11)] } as unknown as CVariant;
    const c = await cSourceCandidates(v, C);
    expect(c.candidates).toEqual([
      { name: 'f#1', line: 5, site: true, lines: [3, 5] },
      { name: 'f:4', line: 4, site: false }, { name: 'f:6', line: 6, site: false }, { name: 'f:9', line: 9, site: false },
    ]);
    expect(c.fixed).toEqual(['f#2']);
    expect(c.unplaceable).toEqual(['f:11']);
    expect(c.drainCall).toBe('memcpy_nt_drain();');
    const pv = placeableVariant({ ...v, name: 'f' } as unknown as CVariant, c);
    expect(pv.drainSites.map((d) => d.name)).toEqual(['f#1']);
    expect(pv.drainPoints!.map((d) => d.name)).toEqual(['f:4', 'f:6', 'f:9']);
  });
});

describe('drains --synthesize --c: bad input', () => {
  it('a missing file is one line, exit 2', () => {
    const r = spawnSync(process.execPath, ['bin/memmap-check.js', 'drains', '--synthesize', '--c', 'test/c-inputs/none.c'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("'test/c-inputs/none.c' does not exist");
  });
});
