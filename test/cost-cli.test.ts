// memmap-check cost: text, JSON and chart output at a small real configuration; one-line errors.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CostArgs, runCost } from '../src/cli/cost.ts';
import { UsageError } from '../src/cli/errors.ts';
import { FITTED_PARAMS } from '../src/cost/params.ts';
import { refit, sameParams } from '../src/cost/refit.ts';
import { costReport } from '../src/cost/report.ts';
import { costVariantByName } from '../src/cost/variants.ts';
import { ZERO_COUNTS } from '../src/cost/counts.ts';

// a calibration saved in the working tree (cost --calibrate) must not change these figures
process.env.MEMMAP_CHECK_CALIBRATION = 'none';

/** Run the command in-process and collect what it prints. */
function cost(a: CostArgs): { code: number; out: string } {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...x: unknown[]) => { lines.push(x.join(' ')); });
  try {
    return { code: runCost(a), out: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

// a 64 MiB devdax namespace with its memmap on the device: 15,872 struct pages, simulated whole
const SMALL: CostArgs = { namespace: '64M', mode: ['devdax'], altmap: true };

describe('memmap-check cost', () => {
  it('prints the table: bytes, RFO, traffic against the lower bound, drains, predicted time', () => {
    const r = cost({ ...SMALL, variant: ['base-v7.1', 'v3'] });
    expect(r.code).toBe(0);
    expect(r.out).toContain('64M devdax (dax_pmem, order-9 compound pages), align 2M, map=dev');
    expect(r.out).toContain('15,872 pfns initialized after the altmap (2 reserved + 510 memmap pfns)');
    expect(r.out).toMatch(/^base-v7\.1 .* 2\.000x +0 \(0\) .* cpu /m);
    expect(r.out).toMatch(/^v3 .* 1\.0\d\dx +63 \(31\) .* memory .* -  +-  +\d+\.\d% *$/m);
    expect(r.out).toContain('the seeds measured --namespace 100G --align 2M --altmap');
  });
  it('--format json carries the counts, the model and the chart is SVG', () => {
    const chart = join(mkdtempSync(join(tmpdir(), 'mmc-')), 'c.svg');
    const r = cost({ ...SMALL, variant: ['v3'], format: 'json', chart });
    const j = JSON.parse(r.out);
    expect(j.model.params).toEqual(FITTED_PARAMS);
    expect(j.model.paramsStale).toBeNull();
    const row = j.configurations[0].rows[0];
    expect(row).toMatchObject({ variant: 'v3', method: 'simulated', sizeofPage: 64, measuredMs: null, bound: 'memory' });
    expect(row.counts).toMatchObject({ pfns: 15872, pages: 15872, drains: 63, drainsAfterStreaming: 31 });
    expect(row.trafficMultiple).toBeLessThan(1.02);
    expect(readFileSync(chart, 'utf8')).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
  });
  it.each<[CostArgs, string]>([
    [{ mode: ['fsdax'] }, '--namespace is required'],
    [{ namespace: '10Q', mode: ['fsdax'] }, '--namespace=10Q is not allowed; allowed: a size such as 512M, 100G or 1T'],
    [{ namespace: '100G' }, '--mode is required; allowed: fsdax, devdax'],
    [{ namespace: '100G', mode: ['foo'] }, "unknown mode 'foo'; allowed: fsdax, devdax"],
    [{ namespace: '100G', mode: ['fsdax'], align: '3M' }, '--align=3M is not allowed; allowed: 2M, 1G'],
    [{ namespace: '3M', mode: ['fsdax'] }, '--namespace=3M is not a multiple of --align 2M'],
    [{ namespace: '2M', mode: ['fsdax'], altmap: true }, '--namespace=2M is too small for --align 2M with --altmap'],
    [{ namespace: '100G', mode: ['fsdax'], variant: ['v9'] }, "unknown variant 'v9'; allowed: base-v7.1, base-next, v1, v3, v5, v3-cached"],
    [{ namespace: '100G', mode: ['fsdax'], chart: 'c.png' }, '--chart=c.png is not allowed; allowed: a file name ending in .svg'],
    [{ namespace: '100G', mode: ['fsdax'], format: 'xml' }, '--format=xml is not allowed; allowed: text, json'],
  ])('rejects %j naming the value and what is allowed', (a, msg) => {
    expect(() => runCost(a)).toThrow(UsageError);
    expect(() => runCost(a)).toThrow(msg);
  });
  it('the real binary: one line on stderr and exit code 2', () => {
    const r = spawnSync(process.execPath, ['bin/memmap-check.js', 'cost', '--namespace', '100G', '--mode', 'fsdax', '--align', '3M'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['memmap-check: --align=3M is not allowed; allowed: 2M, 1G']);
  });
});

describe('params.ts staleness', () => {
  const ns = { bytes: 100 * 2 ** 30, mode: 'fsdax', align: '2M', mapDev: true } as const;
  const variants = ['base-v7.1', 'v3-cached', 'v3'].map((n) => costVariantByName(n)!);
  it('refits only the seeds\' nd_pmem configuration with all three fitted variants', () => {
    const fake = () => ({ counts: { ...ZERO_COUNTS, pfns: 1, pages: 1, rfoLines: 1, fieldOps: 1 }, sizeofPage: 64, method: 'simulated' as const, period: 1, periods: 0, simulatedPfns: 1 });
    expect(refit(costReport({ ...ns, mode: 'devdax' }, variants, FITTED_PARAMS, { exact: fake }), 100)).toBeNull();
    expect(refit(costReport(ns, variants.slice(1), FITTED_PARAMS, { exact: fake }), 100)).toBeNull();
    expect(sameParams(FITTED_PARAMS, { ...FITTED_PARAMS })).toBe(true);
    expect(sameParams(FITTED_PARAMS, { ...FITTED_PARAMS, tOp: FITTED_PARAMS.tOp * 1.001 })).toBe(false);
  });
});
