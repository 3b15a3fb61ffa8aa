// Shared by the synthesis tests (synth.test.ts, synth-exact.test.ts): the small test scope, the
// cost models and the syntheses, each computed once per file.
import type { Variant } from '../../model/kernel/variants/types.ts';
import { CostModel, WORKLOADS, type Workload } from '../../src/synth/cost.ts';
import { candidatesOf } from '../../src/synth/placement.ts';
import type { Mode } from '../../src/synth/safety.ts';
import { type Synthesis, boundsScope, synthesize } from '../../src/synth/synthesize.ts';
import v5DrainAfterPrep from '../mutants/v5-drain-after-prep.ts';
import v5NoFinalDrainOrder0 from '../mutants/v5-no-final-drain-order-0.ts';
import v5SetPageHeadBeforeDrain from '../mutants/v5-set-page-head-before-drain.ts';

export const TEST_SCOPE = boundsScope({ maxOrder: 2, maxCompoundPages: 2, configs: 'typical' },
  (s) => (s.pgmap.type === 3 || s.pgmap.type === 4) && s.nid === 0, ', FS_DAX and GENERIC only, node 0');

/**
 * Where a test asserts no cost figure, the workloads are 64 MiB instead of 1 GiB (a quarter of a
 * section, simulated whole): the same code paths and the same order of costs, in a fraction of the time.
 */
export const SMALL: readonly Workload[] = WORKLOADS.map((w) => ({ ...w, name: `${w.name}-64M`, scenario: { ...w.scenario, nrPages: w.scenario.nrPages / 16 } }));
const cheap = new Set<Variant>([v5NoFinalDrainOrder0, v5SetPageHeadBeforeDrain, v5DrainAfterPrep]);

const models = new Map<Variant, CostModel>();
export const modelOf = (v: Variant): CostModel => {
  let m = models.get(v);
  if (!m) models.set(v, (m = new CostModel(v, candidatesOf(v), cheap.has(v) ? SMALL : WORKLOADS)));
  return m;
};
const results = new Map<string, Synthesis>();
export function synth(v: Variant, mode: Mode): Synthesis {
  const key = `${v.name}|${mode}`;
  let s = results.get(key);
  if (!s) {
    const m = modelOf(v);
    s = synthesize(v, { mode, scope: TEST_SCOPE, costModel: m });
    results.set(key, s);
  }
  return s;
}

export const names = (s: Synthesis) => (s.status === 'ok' ? s.placement.map((i) => s.candidates[i]!.name).sort() : null);
export const perGiB = (c: { byWorkload: readonly { workload: string; drains: number; stalls: number }[] }) =>
  Object.fromEntries(c.byWorkload.map((w) => [w.workload, [w.drains, w.stalls]]));
export const THREE = ['before-memmap_init_compound', 'before-prep_compound_head', 'before-return'];

