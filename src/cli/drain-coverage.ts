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

/**
 * Where the sites are looked for: orders through the pageblock order and past the vmemmap dedup
 * threshold (larger orders take the same code paths, only longer), one or two compound pages (a
 * drain between compound pages needs two), every pgmap type, altmap, alignment and early_section,
 * the typical build. A drain under an undeclared name is a misspelling: then the spread sample is
 * enough to say so; otherwise every configuration is tried before a site is called dead.
 */
export const COVERAGE_BOUNDS = { maxOrder: 11, maxCompoundPages: 2, configs: 'typical' } as const;
const COVERAGE_TEXT = 'orders 0..11, 1..2 compound pages, every pgmap type, altmap, alignment and early_section, the typical x86_64 build';

export interface DrainCoverage {
  /** declared sites or points that never drained */
  readonly never: readonly string[];
  /** drain events under names the variant does not declare */
  readonly undeclared: readonly string[];
  /** configurations run before the answer was certain */
  readonly configurations: number;
}

/** A set that remembers every name it was asked about: drain() asks `removed`, drainPoint() `added`. */
class Recording extends Set<string> {
  constructor(readonly asked: Set<string>, names: Iterable<string> = []) {
    super(names);
  }
  override has(name: string): boolean {
    this.asked.add(name);
    return super.has(name);
  }
}

export function drainCoverage(v: Variant): DrainCoverage {
  const declared = [...v.drainSites, ...(v.drainPoints ?? [])].map((d) => d.name);
  const seen = new Set<string>();
  const drains = { removed: new Recording(seen), added: new Recording(seen, (v.drainPoints ?? []).map((d) => d.name)) };
  // a spread of orders first (most sites show in the first few), then the rest
  const all = [...configurations(COVERAGE_BOUNDS)];
  const STRIDE = 97;
  const sample = all.filter((_, i) => i % STRIDE === 0);
  const order = [...sample, ...all.filter((_, i) => i % STRIDE !== 0)];
  let n = 0;
  for (const c of order) {
    if (declared.every((d) => seen.has(d))) break;
    if (n >= sample.length && [...seen].some((x) => !declared.includes(x))) break;
    n++;
    runVariant(v, c.scenario, { schedule: LAND_AT_ONCE, drains });
  }
  return { never: declared.filter((d) => !seen.has(d)), undeclared: [...seen].filter((s) => !declared.includes(s)), configurations: n };
}

/** Coverage of the variant files checked in this process, by SHA-256 of the file. */
const cache = new Map<string, DrainCoverage>();

/** Throw (exit 2) if a declared drain never runs; `removed` are the sites --remove-drain names. */
export function requireDrainsExecuted(v: Variant, label: string, removed: Iterable<string> = [], sha256?: string): void {
  if (v.drainSites.length === 0 && (v.drainPoints ?? []).length === 0) return;
  const c = (sha256 !== undefined ? cache.get(sha256) : undefined) ?? drainCoverage(v);
  if (sha256 !== undefined) cache.set(sha256, c);
  if (c.never.length === 0 && c.undeclared.length === 0) return;
  if (c.never.length === 0) {
    throw new UsageError(`${label} drains at undeclared site${c.undeclared.length > 1 ? 's' : ''} ${c.undeclared.map((u) => `'${u}'`).join(', ')}; allowed: declare every drain site its code runs in drainSites (or drainPoints)`);
  }
  const odd = c.undeclared.length ? `; its code drains at undeclared ${c.undeclared.map((u) => `'${u}'`).join(', ')} (a misspelling?)` : '';
  const gone = [...removed].find((r) => c.never.includes(r));
  if (gone !== undefined) {
    throw new UsageError(`--remove-drain ${gone}: ${label} never executes drain site '${gone}' (in ${c.configurations} configurations of ${COVERAGE_TEXT}), so removing it would change nothing${odd}`);
  }
  throw new UsageError(`${label} declares drain ${c.never.length > 1 ? 'sites' : 'site'} ${c.never.map((s) => `'${s}'`).join(', ')} but never executes ${c.never.length > 1 ? 'them' : 'it'} (in ${c.configurations} configurations of ${COVERAGE_TEXT})${odd}; allowed: declare only the drains its code runs`);
}
