// Refit the parameters from a report of the seeds' nd_pmem configuration: `npm run fit` writes the
// result to params.ts, and `memmap-check cost` uses it to tell whether params.ts is stale.
import { type Fit, type FitRow, fitRoofline } from './fitting.ts';
import type { CostParams } from './model.ts';
import type { CostReport } from './report.ts';
import { FIT_ROWS, isSeedNamespace } from './seeds.ts';

/** The fit rows of a report, or null unless it is the seeds' fsdax configuration with every fitted variant. */
export function seedFitRows(r: CostReport): FitRow[] | null {
  if (!isSeedNamespace(r.namespace) || r.namespace.mode !== 'fsdax') return null;
  const rows: FitRow[] = [];
  for (const s of FIT_ROWS) {
    const row = r.rows.find((x) => x.variant === s.variant);
    if (!row) return null;
    rows.push({ label: s.label, counts: row.exact.counts, ms: s.ms.fsdax });
  }
  return rows;
}

export function refit(r: CostReport, tDrain: number): Fit | null {
  const rows = seedFitRows(r);
  return rows ? fitRoofline(rows, tDrain) : null;
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

export const sameParams = (a: CostParams, b: CostParams): boolean =>
  close(a.bwRead, b.bwRead) && close(a.bwWrite, b.bwWrite) && close(a.tOp, b.tOp) && close(a.tDrain, b.tDrain);
