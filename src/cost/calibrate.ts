// Physical parameters of the cost model measured on this machine (`memmap-check cost
// --calibrate`, bench/native/calibrate.c), not fitted to any rebind time: docs/cost-model.md §8.
//
//   streaming line:  64 B written                     -> BW_write = 64 B / stream_line_ns
//   cached line:     64 B read (RFO) + 64 B written   -> BW_read  = 64 B / (cached_line_ns - stream_line_ns)
//   t_op, overlap n: lines of the large buffer receiving k = 16..48 field operations take
//                    T(k) = (cached_line^n + (k t_op)^n)^(1/n): t_op and n fitted to that curve
//                    (least squares in log time); store_ns (the same operations on lines in L1)
//                    is kept beside it
//   t_drain:         an SFENCE right after one streamed line (fence_1_ns): the write latency it exposes
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compile, runBinary, scratchDir } from '../bench/native-build.ts';
import type { CostParams } from './model.ts';

/** The microbenchmarks' figures, as calibrate.c prints them. */
export interface CalibrationRaw {
  readonly cached_line_ns: number;
  readonly stream_line_ns: number;
  readonly fence_1_ns: number;
  readonly fence_510_ns: number;
  readonly store_ns: number;
  readonly fresh_k: readonly number[];
  readonly fresh_k_ns: readonly number[];
}

export interface Calibration {
  readonly version: 1;
  readonly date: string;
  readonly machine: string;
  /** Buffer size and runs of the microbenchmarks. */
  readonly mib: number;
  readonly runs: number;
  readonly raw: CalibrationRaw;
  readonly params: CostParams;
}

/** Where `cost --calibrate` saves, and `cost` looks, unless given --params. */
export const DEFAULT_CALIBRATION_PATH = path.join('.memmap-check', 'calibration.json');

export class CalibrationError extends Error {
  override readonly name = 'CalibrationError';
}

export function paramsFromRaw(r: CalibrationRaw): CostParams {
  const readNs = r.cached_line_ns - r.stream_line_ns;
  if (!(r.stream_line_ns > 0) || !(readNs > 0)) {
    throw new CalibrationError(`a cached line took ${r.cached_line_ns} ns and a streamed one ${r.stream_line_ns} ns: the read for ownership must cost more than nothing; run the calibration again on a quieter machine`);
  }
  if (!(r.fence_1_ns >= 0)) throw new CalibrationError(`an SFENCE after one streamed line took ${r.fence_1_ns} ns: not a usable measurement`);
  const { tOp, overlap } = fitOverlap(r.cached_line_ns, r.fresh_k, r.fresh_k_ns);
  return { bwRead: 64 / readNs, bwWrite: 64 / r.stream_line_ns, tOp, tDrain: r.fence_1_ns, overlap };
}

/**
 * t_op and n such that (mem^n + (k t_op)^n)^(1/n) follows the measured line times (least squares
 * of log time over a grid: n in 1..12 by 0.05, t_op in 0.01..1 ns by 0.001).
 */
export function fitOverlap(mem: number, ks: readonly number[], ns: readonly number[]): { tOp: number; overlap: number } {
  if (ks.length !== ns.length || ks.length < 2 || !ns.every((x) => x > 0) || !(mem > 0)) {
    throw new CalibrationError(`field-operation line times ${JSON.stringify(ns)} for k = ${JSON.stringify(ks)}: not a usable measurement`);
  }
  let best = { tOp: NaN, overlap: NaN, err: Infinity };
  for (let n = 1; n <= 12.0001; n += 0.05) {
    for (let t = 0.01; t <= 1.0001; t += 0.001) {
      let err = 0;
      for (let i = 0; i < ks.length; i++) err += Math.log((mem ** n + (ks[i]! * t) ** n) ** (1 / n) / ns[i]!) ** 2;
      if (err < best.err) best = { tOp: t, overlap: n, err };
    }
  }
  return { tOp: best.tOp, overlap: best.overlap };
}

const machineName = (): string => `${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${os.cpus().length} cpus, ${Math.round(os.totalmem() / 2 ** 30)} GiB`;

/** Build and run the microbenchmarks (needs `cc`: check nativeUnavailable() first). */
export function runCalibration(o: { mib?: number; runs?: number } = {}): Calibration {
  const mib = o.mib ?? 1024;
  const runs = o.runs ?? 5;
  const { dir, done } = scratchDir();
  try {
    const bin = compile('calibrate.c', dir, 'calibrate');
    const raw = JSON.parse(runBinary(bin, ['--mib', String(mib), '--runs', String(runs)])) as CalibrationRaw;
    return { version: 1, date: new Date().toISOString(), machine: machineName(), mib, runs, raw, params: paramsFromRaw(raw) };
  } finally {
    done();
  }
}

export function saveCalibration(file: string, c: Calibration): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, `${JSON.stringify(c, null, 2)}\n`);
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A saved calibration, or null when the file does not exist (CalibrationError when it is not one). */
export function loadCalibration(file: string): Calibration | null {
  if (!existsSync(file)) return null;
  let c: Calibration;
  try {
    c = JSON.parse(readFileSync(file, 'utf8')) as Calibration;
  } catch (e) {
    throw new CalibrationError(`${file} is not JSON (${(e as Error).message}); allowed: a file written by memmap-check cost --calibrate`);
  }
  const p = c?.params;
  if (c?.version !== 1 || !p || ![p.bwRead, p.bwWrite, p.tOp, p.tDrain].every(isNum) || (p.overlap !== undefined && !isNum(p.overlap))) {
    throw new CalibrationError(`${file} is not a calibration; allowed: a file written by memmap-check cost --calibrate (version 1)`);
  }
  return c;
}

export function describeCalibration(c: Calibration, file: string): string {
  return `calibrated on this machine (${file}, ${c.date.slice(0, 16).replace('T', ' ')} UTC, ${c.machine})`;
}
