// `memmap-check cost --calibrate [--params FILE]`: measure the cost model's parameters on this
// machine and save them; and which parameters `cost` prices with: a saved calibration when there
// is one, the seed-fitted ones otherwise (docs/cost-model.md §8).
import { nativeUnavailable } from '../bench/native-build.ts';
import {
  CalibrationError, DEFAULT_CALIBRATION_PATH, describeCalibration, loadCalibration, runCalibration, saveCalibration,
} from '../cost/calibrate.ts';
import type { CostParams } from '../cost/model.ts';
import { FITTED_PARAMS } from '../cost/params.ts';
import { UsageError } from './errors.ts';

export interface CostParamsChoice {
  readonly params: CostParams;
  readonly source: 'calibrated' | 'seed-fitted';
  /** One line for the report header. */
  readonly text: string;
}

export function calibrateCommand(file = DEFAULT_CALIBRATION_PATH): void {
  const why = nativeUnavailable();
  if (why) {
    console.log(`cost --calibrate: skipped: ${why}; cost keeps the seed-fitted parameters`);
    return;
  }
  console.log('cost --calibrate: measuring on this machine (bench/native/calibrate.c, about a minute) ...');
  let c;
  try {
    c = runCalibration();
  } catch (e) {
    if (e instanceof CalibrationError) throw new UsageError(`cost --calibrate: ${e.message}`);
    throw e;
  }
  saveCalibration(file, c);
  const p = c.params;
  console.log(`  cached line (RFO + write-back) ${c.raw.cached_line_ns.toFixed(3)} ns, streamed line ${c.raw.stream_line_ns.toFixed(3)} ns, ` +
    `SFENCE after 1 line ${c.raw.fence_1_ns.toFixed(1)} ns (after 510: ${c.raw.fence_510_ns.toFixed(1)} ns), field op in L1 ${c.raw.store_ns.toFixed(4)} ns, ` +
    `a line with k = ${c.raw.fresh_k.join(', ')} field ops ${c.raw.fresh_k_ns.map((x) => x.toFixed(3)).join(', ')} ns`);
  console.log(`  BW_read ${p.bwRead.toFixed(2)} GB/s, BW_write ${p.bwWrite.toFixed(2)} GB/s, t_op ${p.tOp.toFixed(3)} ns, t_drain ${p.tDrain.toFixed(1)} ns, overlap n = ${p.overlap?.toFixed(2)}`);
  console.log(`  saved to ${file}; cost now prices with these`);
}

/** Environment: a calibration file to use instead of the default, or `none` for the seed-fitted parameters. */
export const CALIBRATION_ENV = 'MEMMAP_CHECK_CALIBRATION';

export function costParamsOf(file?: string): CostParamsChoice {
  const env = process.env[CALIBRATION_ENV];
  if (file === undefined && env === 'none') return seedFitted;
  const path = file ?? env ?? DEFAULT_CALIBRATION_PATH;
  let c;
  try {
    c = loadCalibration(path);
  } catch (e) {
    if (e instanceof CalibrationError) throw new UsageError(`--params: ${e.message}`);
    throw e;
  }
  if (c) return { params: c.params, source: 'calibrated', text: describeCalibration(c, path) };
  if (file !== undefined) throw new UsageError(`--params=${file} does not exist; allowed: a file written by memmap-check cost --calibrate`);
  return seedFitted;
}

const seedFitted: CostParamsChoice = {
  params: FITTED_PARAMS, source: 'seed-fitted',
  text: 'seed-fitted (src/cost/params.ts: fitted to the seeds\' three nd_pmem rows; `cost --calibrate` measures this machine\'s)',
};
