// `memmap-check cost --format json`: the schema is documented in docs/cost-model.md.
import type { CostParams } from './model.ts';
import type { CostReport } from './report.ts';

export const FORMULA = 'ms = max(readBytes / bwRead + writeBytes / bwWrite, fieldOps * tOp) / 1e6 + drainsAfterStreaming * tDrain / 1e6 (bandwidths in GB/s = bytes/ns, times in ns; with params.overlap = n, max(a, b) is (a^n + b^n)^(1/n))';

export function costJson(reports: readonly CostReport[], params: CostParams, paramsStale: boolean | null) {
  return {
    model: { formula: FORMULA, params, paramsStale },
    configurations: reports.map((r) => ({
      namespace: r.namespace,
      scenario: r.scenario,
      devicePfns: r.devicePfns,
      rows: r.rows.map((row) => ({
        variant: row.variant,
        counts: row.exact.counts,
        sizeofPage: row.exact.sizeofPage,
        method: row.exact.method,
        period: row.exact.period,
        periods: row.exact.periods,
        simulatedPfns: row.exact.simulatedPfns,
        readBytes: row.prediction.readBytes,
        writeBytes: row.prediction.writeBytes,
        rfoBytes: row.exact.counts.rfoLines * 64,
        trafficBytes: row.trafficBytes,
        lowerBoundBytes: row.lowerBoundBytes,
        trafficMultiple: row.trafficBytes / row.lowerBoundBytes,
        memoryMs: row.prediction.memoryMs,
        cpuMs: row.prediction.cpuMs,
        drainMs: row.prediction.drainMs,
        bound: row.prediction.bound,
        predictedMs: row.prediction.ms,
        measuredMs: row.seed?.ms ?? null,
        role: row.seed?.role ?? null,
        errorPct: row.errorPct,
        reduction: row.reduction,
      })),
    })),
  };
}
