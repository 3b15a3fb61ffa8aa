// Calibration without a compiler: parameters from microbenchmark figures, the overlap fit, the
// saved file, and which parameters `cost` prices with (no timing: the figures are synthetic).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCost } from '../src/cli/cost.ts';
import { costParamsOf } from '../src/cli/cost-calibrate.ts';
import { UsageError } from '../src/cli/errors.ts';
import { type Calibration, type CalibrationRaw, CalibrationError, fitOverlap, paramsFromRaw, saveCalibration } from '../src/cost/calibrate.ts';
import { overlapped } from '../src/cost/model.ts';
import { FITTED_PARAMS } from '../src/cost/params.ts';

const RAW: CalibrationRaw = {
  cached_line_ns: 2.4, stream_line_ns: 1.6, fence_1_ns: 100, fence_510_ns: 3, store_ns: 0.11,
  fresh_k: [16, 24, 32, 48],
  // (2.4^3 + (k * 0.1)^3)^(1/3)
  fresh_k_ns: [16, 24, 32, 48].map((k) => (2.4 ** 3 + (k * 0.1) ** 3) ** (1 / 3)),
};

const tmp = () => mkdtempSync(join(tmpdir(), 'mmc-cal-'));

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.MEMMAP_CHECK_CALIBRATION;
});

describe('calibrated parameters', () => {
  it('bandwidths from the streamed and cached line, t_drain from the SFENCE after one line', () => {
    const p = paramsFromRaw(RAW);
    expect(p.bwWrite).toBeCloseTo(64 / 1.6, 9);
    expect(p.bwRead).toBeCloseTo(64 / 0.8, 9);
    expect(p.tDrain).toBe(100);
  });
  it('the overlap fit recovers t_op and n from a curve made with them', () => {
    const { tOp, overlap } = fitOverlap(2.4, RAW.fresh_k, RAW.fresh_k_ns);
    expect(tOp).toBeCloseTo(0.1, 3);
    expect(overlap).toBeCloseTo(3, 1);
  });
  it('refuses a cached line no dearer than a streamed one', () => {
    expect(() => paramsFromRaw({ ...RAW, cached_line_ns: 1.5 })).toThrow(CalibrationError);
  });
  it('the n-norm lies between the max and the sum', () => {
    expect(overlapped(3, 4)).toBe(4);
    expect(overlapped(3, 4, 1)).toBeCloseTo(7, 12);
    expect(overlapped(3, 4, 2)).toBeCloseTo(5, 12);
    expect(overlapped(0, 0, 2)).toBe(0);
  });
});

describe('cost: which parameters', () => {
  const cal: Calibration = { version: 1, date: '2026-12-01T22:00:00.000Z', machine: 'test CPU', mib: 64, runs: 1, raw: RAW, params: paramsFromRaw(RAW) };

  it('a saved calibration is used and named; without one, the seed-fitted parameters', () => {
    const file = join(tmp(), 'c.json');
    saveCalibration(file, cal);
    const c = costParamsOf(file);
    expect(c.source).toBe('calibrated');
    expect(c.params).toEqual(cal.params);
    expect(c.text).toContain('calibrated on this machine');
    process.env.MEMMAP_CHECK_CALIBRATION = 'none';
    expect(costParamsOf()).toMatchObject({ source: 'seed-fitted', params: FITTED_PARAMS });
    process.env.MEMMAP_CHECK_CALIBRATION = file;
    expect(costParamsOf().source).toBe('calibrated');
  });

  it('the report says which, in its first line and in JSON', () => {
    const file = join(tmp(), 'c.json');
    saveCalibration(file, cal);
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((...x: unknown[]) => { lines.push(x.join(' ')); });
    expect(runCost({ namespace: '64M', mode: ['devdax'], altmap: true, variant: ['v5'], params: file })).toBe(0);
    expect(lines[0]).toMatch(/^parameters: calibrated on this machine \(.*c\.json, 2026-12-01 22:00 UTC, test CPU\)$/);
    expect(lines.join('\n')).toMatch(/time = \(\(read .*\)\^(\d\.\d\d) \+ \(ops x 0\.100 ns\)\^\1\)\^\(1\/\1\) \+ drains after streaming x 100 ns/);
    lines.length = 0;
    runCost({ namespace: '64M', mode: ['devdax'], altmap: true, variant: ['v5'], params: file, format: 'json' });
    const j = JSON.parse(lines.join('\n'));
    expect(j.model.source).toBe('calibrated');
    expect(j.model.params).toEqual(cal.params);
    expect(j.model.paramsStale).toBeNull();
  });

  it('a missing or malformed --params file: one line naming it, exit 2', () => {
    const dir = tmp();
    expect(() => costParamsOf(join(dir, 'none.json'))).toThrow(UsageError);
    expect(() => costParamsOf(join(dir, 'none.json'))).toThrow('does not exist; allowed: a file written by memmap-check cost --calibrate');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"version": 1, "params": {"bwRead": "fast"}}');
    expect(() => costParamsOf(bad)).toThrow('is not a calibration');
    writeFileSync(bad, 'not json');
    expect(() => costParamsOf(bad)).toThrow('is not JSON');
  });
});
