// Physical parameters of the cost model measured on this machine (`memmap-check cost
// --calibrate`, bench/native/calibrate.c), not fitted to any rebind time: docs/cost-model.md §8.
//
//   streaming line:  64 B written                     -> BW_write = 64 B / stream_line_ns
//   cached line:     64 B read (RFO) + 64 B written   -> BW_read  = 64 B / (cached_line_ns - stream_line_ns)
//   t_op:            one 8-byte store to a line in L1 (store_ns)
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
  if (!(r.store_ns > 0) || !(r.fence_1_ns >= 0)) throw new CalibrationError(`store ${r.store_ns} ns, fence ${r.fence_1_ns} ns: not a usable measurement`);
  return { bwRead: 64 / readNs, bwWrite: 64 / r.stream_line_ns, tOp: r.store_ns, tDrain: r.fence_1_ns };
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
  if (c?.version !== 1 || !p || ![p.bwRead, p.bwWrite, p.tOp, p.tDrain].every(isNum)) {
    throw new CalibrationError(`${file} is not a calibration; allowed: a file written by memmap-check cost --calibrate (version 1)`);
  }
  return c;
}

export function describeCalibration(c: Calibration, file: string): string {
  return `calibrated on this machine (${file}, ${c.date.slice(0, 16).replace('T', ' ')} UTC, ${c.machine})`;
}
