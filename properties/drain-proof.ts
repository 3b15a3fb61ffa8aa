// "Not shown necessary" made exact within bounds: remove the drains and check every configuration
// the exhaustive mode enumerates, each for every schedule (one run under the deciding schedule,
// docs/exhaustive.md). The removal is proven unneeded there when no configuration violates a
// property that it satisfies with every drain in place.
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { type Bounds, DEFAULT_BOUNDS, configurations } from './exhaustive-configs.ts';
import { checkConfiguration } from './exhaustive.ts';
import type { PropertyName } from './properties.ts';

/** The exhaustive mode's orders and pages, with the typical kernel config: seconds per removal. */
export const PROOF_BOUNDS: Bounds = { ...DEFAULT_BOUNDS, configs: 'typical' };

export interface Proof {
  readonly bounds: Bounds;
  /** Configurations checked (all of them when `holds`). */
  readonly configurations: number;
  readonly holds: boolean;
  /** The first configuration where the removal breaks a property, when it does not hold. */
  readonly failing?: { readonly scenario: Scenario; readonly property: PropertyName };
}

export function proveUnneeded(v: Variant, removed: readonly string[], added: ReadonlySet<string>,
  judged: readonly PropertyName[], bounds: Bounds = PROOF_BOUNDS): Proof {
  let n = 0;
  for (const { scenario } of configurations(bounds)) {
    n++;
    const without = checkConfiguration(v, scenario, { removed: new Set(removed), added });
    const candidates = without.violated.filter((p) => judged.includes(p));
    if (candidates.length === 0) continue;
    const all = checkConfiguration(v, scenario, { removed: new Set(), added });
    const property = candidates.find((p) => !all.violated.includes(p));
    if (property) return { bounds, configurations: n, holds: false, failing: { scenario, property } };
  }
  return { bounds, configurations: n, holds: true };
}

/** "orders 0..18, 1..2 compound pages, the typical kernel config" */
export function boundsText(b: Bounds): string {
  const configs = b.configs === 'typical' ? 'the typical kernel config' : b.configs === 'default' ? 'the default kernel configs' : 'every kernel config';
  return `orders 0..${b.maxOrder}, 1..${b.maxCompoundPages} compound pages, ${configs}`;
}
