// The exhaustive sweep: the configurations it enumerates, the verdict per configuration, worker
// threads that do not change the result, and the command on the real binary (bad input in process).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { MEMORY_TYPES } from '../model/kernel/constants.ts';
import { pageLayout } from '../model/kernel/layout.ts';
import { validateScenario } from '../model/kernel/scenario.ts';
import { v1 } from '../model/kernel/variants/v1.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import { buildScenario } from '../properties/arbitraries.ts';
import { DEFAULT_BOUNDS, DEFAULT_KCONFIGS, configurations, countConfigurations } from '../properties/exhaustive-configs.ts';
import { checkConfiguration } from '../properties/exhaustive.ts';
import { UsageError } from '../src/cli/errors.ts';
import { configSetOf, maxOrderOf, workersOf } from '../src/cli/exhaustive.ts';
import { durationText, etaSeconds, lineProgress, timeFraction } from '../src/exhaustive/progress.ts';
import { runExhaustive } from '../src/exhaustive/run.ts';
import { run } from '../src/cli/main.ts';
import { decodeToken } from '../src/report/token.ts';

const MUTANT = 'test/mutants/v3-stream-pageblock-aligned.ts';

describe('configurations', () => {
  const all = [...configurations(DEFAULT_BOUNDS)];
  it('are listed once each, valid, indexed 0..n-1, and counted without listing them', () => {
    expect(all.map((c) => c.index)).toEqual(all.map((_, i) => i));
    expect(new Set(all.map((c) => JSON.stringify(c.scenario))).size).toBe(all.length);
    for (const c of all) validateScenario(c.scenario);
    expect(countConfigurations(DEFAULT_BOUNDS)).toBe(all.length);
    expect(countConfigurations({ maxOrder: 3, maxCompoundPages: 3, configs: 'default' })).toBe([...configurations({ maxOrder: 3, maxCompoundPages: 3, configs: 'default' })].length);
  });
  it('cover every bounded dimension', () => {
    const values = (f: (c: (typeof all)[number]) => unknown) => new Set(all.map((c) => JSON.stringify(f(c))));
    expect(values((c) => c.scenario.pgmap.vmemmapShift).size).toBe(19);
    expect(values((c) => c.scenario.pgmap.type).size).toBe(MEMORY_TYPES.length);
    expect(values((c) => c.scenario.kconfig).size).toBe(DEFAULT_KCONFIGS.length);
    expect(values((c) => c.scenario.pgmap.altmap?.reserve ?? null)).toEqual(new Set(['null', '0', '1']));
    expect(values((c) => c.scenario.earlySection)).toEqual(new Set(['false', 'true']));
    // a range that straddles a section boundary: boot then hot-added, and hot-added then boot
    expect(values((c) => c.scenario.earlySections ?? null)).toEqual(new Set(['null', '[true,false]', '[false,true]']));
    expect(values((c) => c.scenario.nid)).toEqual(new Set(['0', '1']));
    expect(values((c) => (c.scenario.nrPages - (c.scenario.pgmap.altmap ? c.scenario.pgmap.altmap.reserve + c.scenario.pgmap.altmap.free : 0)) / 2 ** c.scenario.pgmap.vmemmapShift))
      .toEqual(new Set(['1', '2']));
    // order 0: start at a section, one page in, a pageblock in, and one page before a pageblock
    // (pageblock_order 9 and 10), and one page before a section
    expect(values((c) => c.scenario.pgmap.vmemmapShift === 0 && c.scenario.pgmap.altmap === null ? c.scenario.startPfn : null))
      .toEqual(new Set(['null', ...[0x100000, 0x100001, 0x100200, 0x1001ff, 0x100400, 0x1003ff, 0x107fff].map(String)]));
  });
  it('above pageblock order only with the vmemmap dedup (64-byte page, no altmap, not an early section)', () => {
    const large = all.filter((c) => c.scenario.pgmap.vmemmapShift > 9);
    expect(large.length).toBeGreaterThan(0);
    for (const c of large) {
      expect(pageLayout(c.scenario.kconfig).size).toBe(64);
      expect(c.scenario.pgmap.altmap).toBe(null);
      expect(c.scenario.earlySection).toBe(false);
    }
  });
  it('"all" is every kernel config of the product', () => {
    expect(countConfigurations({ maxOrder: 0, maxCompoundPages: 1, configs: 'all' })).toBeGreaterThan(1_000_000);
    const first = configurations({ maxOrder: 0, maxCompoundPages: 1, configs: 'all' }).next().value!;
    expect(first.scenario.kconfig).toEqual(X86_64_DEFAULT);
  });
});

describe('checkConfiguration', () => {
  const order1 = buildScenario({ kconfig: X86_64_DEFAULT, vmemmapShift: 1, altmap: null, earlySection: false }, 3, 1, 'section', 0);
  it('v1 order 1 fails with the folio-alias write-after-streaming hazard', () => {
    const r = checkConfiguration(v1, order1);
    expect(r.violated).toContain('no-write-after-streaming');
    expect(r.writeAfterStreaming).toBe(true);
    expect(r.results.find((x) => x.property === 'no-write-after-streaming')!.lines[0]).toBe('write-after-streaming (folio-alias)');
  });
  it('v5 passes it; without before-prep_compound_head it does not', () => {
    expect(checkConfiguration(v5, order1).violated).toEqual([]);
    const s = buildScenario({ kconfig: X86_64_DEFAULT, vmemmapShift: 2, altmap: null, earlySection: false }, 3, 1, 'section', 0);
    expect(checkConfiguration(v5, s, { removed: new Set(['before-prep_compound_head']) }).violated).toContain('no-write-after-streaming');
  });
});

describe('runExhaustive', () => {
  it('the result does not depend on the number of worker threads', async () => {
    // the mutant's read-after-streaming needs DEBUG_VM, one of the default configs
    const bounds = { maxOrder: 0, maxCompoundPages: 1, configs: 'default' as const };
    const one = await runExhaustive({ variant: MUTANT, bounds, workers: 1 });
    const two = await runExhaustive({ variant: MUTANT, bounds, workers: 2 });
    expect(two.workers).toBe(2);
    expect(two.tally).toEqual(one.tally);
    expect(one.tally.configurations).toBe(one.total);
    expect(one.tally.byProperty['no-read-after-streaming']).toBe(one.tally.violations);
    const [first] = one.tally.first;
    expect(first!.failures[0]!.lines[0]).toBe('read-after-streaming (plain)');
    expect(decodeToken(first!.token)).toMatchObject({ variant: MUTANT, property: 'no-read-after-streaming', scenario: first!.scenario, schedule: { base: 'drain', late: [] } });
  });
});

describe('progress without a terminal', () => {
  it('writes plain lines at every tenth of the configurations, with their percentage', () => {
    const lines: string[] = [];
    let t = 0;
    const p = lineProgress((l) => lines.push(l), () => t);
    p.start({ configurations: 100, work: 1000 });
    for (let i = 1; i <= 100; i++) {
      t += 100;
      p.update({ configurations: i, work: 10 * i, violations: 0 });
    }
    expect(lines[0]).toBe('exhaustive: 100 configurations to check');
    expect(lines.slice(1)).toHaveLength(9);
    expect(lines[1]).toBe('exhaustive: 10/100 configurations (10%), 0 violations, 1 s, ETA estimating');
    expect(lines[5]).toBe('exhaustive: 50/100 configurations (50%), 0 violations, 5 s, ETA 5 s');
    expect(lines.join('\n')).not.toMatch(/\x1b/);
  });
  it('counts configurations, not struct pages, when the two differ; the ETA weighs both', () => {
    const lines: string[] = [];
    let t = 0;
    const p = lineProgress((l) => lines.push(l), () => t);
    // small configurations first: half of them done is a tenth of the struct pages
    p.start({ configurations: 100, work: 1000 });
    t = 10_000;
    p.update({ configurations: 50, work: 100, violations: 2 });
    expect(lines[1]).toMatch(/^exhaustive: 50\/100 configurations \(50%\), 2 violations, 10 s, ETA /);
    // time ~ 0.3 x configurations + 0.7 x struct pages: 22% done after 10 s leaves about 35 s
    expect(timeFraction({ configurations: 100, work: 1000 }, { configurations: 50, work: 100, violations: 0 })).toBeCloseTo(0.22);
    expect(lines[1]).toMatch(/ETA 35 s$/);
    expect(etaSeconds(1000, 0.5)).toBeNull();
    expect(durationText(etaSeconds(120_000, 0.01))).toBe('3.3 h');
  });
});

describe('options', () => {
  it.each<[() => unknown, string]>([
    [() => maxOrderOf('19'), '--max-order=19 is not allowed; allowed: 0..18'],
    [() => maxOrderOf('x'), '--max-order=x is not allowed; allowed: 0..18'],
    [() => configSetOf('some'), '--configs=some is not allowed; allowed: typical, default, all'],
    [() => workersOf('0'), '--workers=0 is not allowed; allowed: a positive integer'],
  ])('rejects bad values in one line (%#)', (f, msg) => {
    expect(f).toThrow(UsageError);
    expect(f).toThrow(msg);
  });
});

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/memmap-check.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('memmap-check exhaustive', () => {
  it('finds v1\'s violation within tiny bounds, says what it covered, and prints a replay token', () => {
    // 680: five start alignments (section-end added), and early_section per section where an
    // altmap makes the range straddle a section boundary (was 480 with one flag and four alignments)
    const r = cli('exhaustive', '--variant', 'v1', '--max-order', '1', '--max-compound-pages', '1', '--configs', 'typical', '--workers', '1');
    expect(r.code).toBe(1);
    expect(r.out).toContain('exhaustive: v1 (reference base-v7.1), orders 0..1, 1..1 compound pages, the typical x86_64 kernel config');
    expect(r.out).toMatch(/^680 configurations, all schedules up to reduction, 340 violations, [0-9.]+ s$/m);
    expect(r.out).toContain('fails no-write-after-streaming: write-after-streaming (folio-alias)');
    expect(r.out).toContain('(tail 1 of head 0x100000) _flags_1 @+0');
    expect(r.out).toMatch(/^ {2}replay: memmap-check replay mmc1\.[A-Za-z0-9_-]+\.[0-9a-f]{8}$/m);
    expect(r.err).toContain('exhaustive: 680 configurations to check');
    expect(r.err).not.toMatch(/\x1b/);
  });
  it('bad input is one line and exit code 2', async () => {
    const err: string[] = [];
    const r = { code: await run(['exhaustive', '--variant', 'v5', '--shard', '5/4'], { out: () => {}, err: (l) => err.push(`${l}\n`) }), err: err.join('') };
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual(['memmap-check: --shard=5/4 is not allowed; allowed: i/n with 1 <= i <= n, like vitest --shard (for example 2/4)']);
  });
});
