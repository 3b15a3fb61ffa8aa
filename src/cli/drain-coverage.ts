// Drain sites a variant declares must be drains its code executes: a misspelled name in drain()
// would otherwise make `--remove-drain NAME` a no-op that "proves" the drain unnecessary. Run the
// variant over the typical kernel config's small configurations, every drain point filled, until
// every declared site has drained once; what never drains (or drains under an undeclared name) is
// bad input.
import { runVariant } from '../../model/kernel/harness.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { configurations } from '../../properties/exhaustive-configs.ts';
import { UsageError } from './errors.ts';

/** Where the sites are looked for: every order, one or two compound pages, the typical build. */
export const COVERAGE_BOUNDS = { maxOrder: 18, maxCompoundPages: 2, configs: 'typical' } as const;
const COVERAGE_TEXT = 'orders 0..18, 1..2 compound pages, every pgmap type, altmap and alignment, the typical x86_64 build';

export interface DrainCoverage {
  /** declared sites or points that never drained */
  readonly never: readonly string[];
  /** drain events under names the variant does not declare */
  readonly undeclared: readonly string[];
  readonly configurations: number;
}

export function drainCoverage(v: Variant): DrainCoverage {
  const declared = [...v.drainSites, ...(v.drainPoints ?? [])].map((d) => d.name);
  const drains = { removed: new Set<string>(), added: new Set((v.drainPoints ?? []).map((d) => d.name)) };
  const seen = new Set<string>();
  const undeclared = new Set<string>();
  let n = 0;
  // a spread of orders first (most sites show in the first few), then the rest
  const all = [...configurations(COVERAGE_BOUNDS)];
  const STRIDE = 97;
  const order = [...all.filter((_, i) => i % STRIDE === 0), ...all.filter((_, i) => i % STRIDE !== 0)];
  for (const c of order) {
    if (declared.every((d) => seen.has(d))) break;
    n++;
    const r = runVariant(v, c.scenario, { schedule: LAND_AT_ONCE, drains, trace: true });
    for (const e of r.trace ?? []) {
      if (e.event.kind !== 'drain') continue;
      seen.add(e.event.site);
      if (!declared.includes(e.event.site)) undeclared.add(e.event.site);
    }
  }
  return { never: declared.filter((d) => !seen.has(d)), undeclared: [...undeclared], configurations: n };
}

/** Throw (exit 2) if a declared drain never runs; `removed` are the sites --remove-drain names. */
export function requireDrainsExecuted(v: Variant, label: string, removed: Iterable<string> = []): void {
  if (v.drainSites.length === 0 && (v.drainPoints ?? []).length === 0) return;
  const c = drainCoverage(v);
  if (c.never.length === 0) return;
  const odd = c.undeclared.length ? `; its code drains at undeclared ${c.undeclared.map((u) => `'${u}'`).join(', ')} (a misspelling?)` : '';
  const gone = [...removed].find((r) => c.never.includes(r));
  if (gone !== undefined) {
    throw new UsageError(`--remove-drain ${gone}: ${label} never executes drain site '${gone}' (${c.configurations} configurations: ${COVERAGE_TEXT}), so removing it would change nothing${odd}`);
  }
  throw new UsageError(`${label} declares drain ${c.never.length > 1 ? 'sites' : 'site'} ${c.never.map((s) => `'${s}'`).join(', ')} but never executes ${c.never.length > 1 ? 'them' : 'it'} (${c.configurations} configurations: ${COVERAGE_TEXT})${odd}; allowed: declare only the drains its code runs`);
}
