// Fitting the cost model to measured rows: the read and write bandwidths and the per-operation
// cost, with the per-drain cost fixed (model.ts). Pure arithmetic; `npm run fit` (fit.ts) feeds it
// the seeds' nd_pmem rows.
//
// For each row the roofline is either memory-bound or cpu-bound. Once that is chosen for every
// row, the model is linear in x = (1/BW_read, 1/BW_write, t_op):
//   memory-bound row:  readBytes / BW_read + writeBytes / BW_write = t - drains * t_drain
//   cpu-bound row:     fieldOps * t_op                             = t - drains * t_drain
// so every assignment is a least-squares problem; the fit is the best assignment whose solution is
// positive and consistent (each row really is bound the way it was assumed).
import type { Counts } from './counts.ts';
import { type Bound, type CostParams, predict, predictAdditive } from './model.ts';
import { lineTraffic } from '../../properties/cost.ts';

export interface FitRow {
  readonly label: string;
  readonly counts: Counts;
  readonly ms: number;
}

export interface Fit {
  readonly params: CostParams;
  readonly bounds: readonly Bound[];
  /** predicted - measured, ms, per row */
  readonly residualMs: readonly number[];
}

export class FitError extends Error {
  override readonly name = 'FitError';
}

const NS_PER_MS = 1e6;

/** Least squares for A x = y (columns scaled, normal equations, partial pivoting); null if singular. */
export function leastSquares(A: readonly (readonly number[])[], y: readonly number[]): number[] | null {
  const n = A[0]!.length;
  const scale = Array.from({ length: n }, (_, j) => Math.max(...A.map((r) => Math.abs(r[j]!))) || 1);
  const M = Array.from({ length: n }, (_, i) => Array.from({ length: n + 1 }, (_, j) => {
    if (j === n) return A.reduce((s, r, k) => s + (r[i]! / scale[i]!) * y[k]!, 0);
    return A.reduce((s, r) => s + (r[i]! / scale[i]!) * (r[j]! / scale[j]!), 0);
  }));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    if (Math.abs(M[p]![c]!) < 1e-12 * A.length) return null;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let j = c; j <= n; j++) M[r]![j]! -= f * M[c]![j]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]! / scale[i]!);
}

const paramsOf = (x: readonly number[], tDrain: number): CostParams => ({ bwRead: 1 / x[0]!, bwWrite: 1 / x[1]!, tOp: x[2]!, tDrain });

/** Fit the roofline model; throws FitError when no assignment of bounds is consistent. */
export function fitRoofline(rows: readonly FitRow[], tDrain: number): Fit {
  let best: Fit | null = null;
  let bestSq = Infinity;
  for (let mask = 0; mask < 2 ** rows.length; mask++) {
    const bounds: Bound[] = rows.map((_, i) => ((mask >> i) & 1 ? 'cpu' : 'memory'));
    const A = rows.map((r, i) => {
      const { readBytes, writeBytes } = lineTraffic(r.counts);
      return bounds[i] === 'memory' ? [readBytes, writeBytes, 0] : [0, 0, r.counts.fieldOps];
    });
    const y = rows.map((r) => r.ms * NS_PER_MS - r.counts.drainsAfterStreaming * tDrain);
    const x = leastSquares(A, y);
    if (!x || x.some((v) => !(v > 0))) continue;
    const params = paramsOf(x, tDrain);
    const preds = rows.map((r) => predict(r.counts, params));
    if (preds.some((p, i) => p.bound !== bounds[i])) continue;
    const residualMs = preds.map((p, i) => p.ms - rows[i]!.ms);
    const sq = residualMs.reduce((s, e) => s + e * e, 0);
    if (sq < bestSq) {
      bestSq = sq;
      best = { params, bounds, residualMs };
    }
  }
  if (!best) throw new FitError('no consistent roofline fit: every assignment of memory- and cpu-bound rows contradicts itself');
  return best;
}

/** Fit the additive model (memory + cpu + drains), for comparison; null if it needs a non-positive parameter. */
export function fitAdditive(rows: readonly FitRow[], tDrain: number): { params: CostParams; residualMs: number[] } | null {
  const A = rows.map((r) => {
    const { readBytes, writeBytes } = lineTraffic(r.counts);
    return [readBytes, writeBytes, r.counts.fieldOps];
  });
  const x = leastSquares(A, rows.map((r) => r.ms * NS_PER_MS - r.counts.drainsAfterStreaming * tDrain));
  if (!x || x.some((v) => !(v > 0))) return null;
  const params = paramsOf(x, tDrain);
  return { params, residualMs: rows.map((r) => predictAdditive(r.counts, params) - r.ms) };
}
