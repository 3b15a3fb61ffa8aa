// A cost report: exact counts at a real configuration, priced by the model, beside the seeds.
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { lowerBoundBytes } from '../../properties/cost.ts';
import { type ExactCounts, devicePfns, exactCounts } from './extrapolate.ts';
import { type CostParams, type Prediction, predict, reductionPct } from './model.ts';
import { type Namespace, namespaceScenario } from './namespace.ts';
import { type Role, seedFigure } from './seeds.ts';

export const BASE_VARIANT = 'base-v7.1';

export interface Reduction {
  /** Predicted reduction against the predicted base, %. */
  readonly predictedPct: number;
  /** Measured reduction against the measured base, % (when the seeds have both). */
  readonly measuredPct: number | null;
  /** predicted - measured, percentage points. */
  readonly errorPp: number | null;
}

export interface CostRow {
  readonly variant: string;
  readonly exact: ExactCounts;
  readonly prediction: Prediction;
  /** Bytes read plus bytes written. */
  readonly trafficBytes: number;
  readonly lowerBoundBytes: number;
  readonly seed: { readonly ms: number; readonly role: Role; readonly label: string } | null;
  /** (predicted - measured) / measured, %. */
  readonly errorPct: number | null;
  /** Against the base-v7.1 row, when the report has one. */
  readonly reduction: Reduction | null;
}

export interface CostReport {
  readonly namespace: Namespace;
  readonly scenario: Scenario;
  readonly devicePfns: number;
  readonly params: CostParams;
  readonly rows: readonly CostRow[];
}

export type Exact = (v: Variant, s: Scenario) => ExactCounts;

export function costReport(ns: Namespace, variants: readonly Variant[], params: CostParams, o: { exact?: Exact } = {}): CostReport {
  const exact = o.exact ?? ((v, s) => exactCounts(v, s));
  const scenario = namespaceScenario(ns);
  const priced = variants.map((v) => {
    const e = exact(v, scenario);
    const prediction = predict(e.counts, params);
    const seed = seedFigure(ns, v.name);
    return {
      variant: v.name, exact: e, prediction,
      trafficBytes: prediction.readBytes + prediction.writeBytes,
      lowerBoundBytes: lowerBoundBytes(e.counts.pages, e.sizeofPage),
      seed,
      errorPct: seed ? (100 * (prediction.ms - seed.ms)) / seed.ms : null,
    };
  });
  const base = priced.find((r) => r.variant === BASE_VARIANT);
  const rows = priced.map((r): CostRow => {
    if (!base) return { ...r, reduction: null };
    const predictedPct = reductionPct(r.prediction.ms, base.prediction.ms);
    const measuredPct = r.seed && base.seed ? reductionPct(r.seed.ms, base.seed.ms) : null;
    return { ...r, reduction: { predictedPct, measuredPct, errorPp: measuredPct === null ? null : predictedPct - measuredPct } };
  });
  return { namespace: ns, scenario, devicePfns: devicePfns(scenario), params, rows };
}
