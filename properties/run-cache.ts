// Verdicts of runs already made: fast-check's search, its shrink and the lattice minimization
// evaluate many of the same cases, and a drain analysis or a test checks the same ones again.
import type { Drains } from '../model/kernel/copy.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import type { Schedule } from '../model/schedule.ts';
import { type Evaluation, evaluate } from './evaluate.ts';
import { EXTRA_PROPERTIES } from './extra.ts';
import type { PropertyName } from './properties.ts';

/** Entries kept per variant; the oldest go first. */
const MAX = 50_000;
const cache = new WeakMap<Variant, Map<string, boolean>>();

/** Does `fails` hold for the case? Remembered per variant, property, judge (`tag`) and drains. */
export function cachedFails(
  v: Variant, p: PropertyName, drains: Drains | undefined, tag: string, fails: (e: Evaluation) => boolean,
): (scenario: Scenario, schedule: Schedule) => boolean {
  let m = cache.get(v);
  if (!m) cache.set(v, (m = new Map()));
  const memo = m;
  const d = drains ? `${[...drains.removed].sort().join(',')}+${[...(drains.added ?? [])].sort().join(',')}` : '';
  const prefix = `${p}|${tag}|${d}|`;
  // the store properties read the trace: record it in the one run, not in a second
  const trace = (EXTRA_PROPERTIES as readonly string[]).includes(p);
  return (scenario, schedule) => {
    const key = prefix + JSON.stringify(scenario) + JSON.stringify(schedule);
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const r = fails(evaluate(v, { scenario, schedule }, { drains, trace }));
    if (memo.size >= MAX) memo.delete(memo.keys().next().value!);
    memo.set(key, r);
    return r;
  };
}
