// "Smallest" made checkable: the scenarios one step smaller than a given one, in every dimension
// the arbitraries shrink along. A shrunk counterexample is minimal when all of them pass.
import { produce } from 'immer';
import { X86_64_DEFAULT, type KernelConfig } from '../model/kernel/config.ts';
import { type Scenario, earlySectionList, validateScenario, withEarlySections } from '../model/kernel/scenario.ts';
import type { Drains } from '../model/kernel/copy.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { type Schedule, UNTIL_DRAIN } from '../model/schedule.ts';
import { anyVerdict } from './any.ts';
import { RANGE_BASE_PFN, type StartAlign, startOffset } from './arbitraries.ts';
import { pageblockNrPages } from '../model/kernel/constants.ts';
import { FLAG_VALUES } from './exhaustive-configs.ts';
import { latticeBelow, latticeSchedules } from './lattice.ts';
import { type PropertyName, verdict } from './properties.ts';
import { cachedFails } from './run-cache.ts';

export function smallerNeighbours(s: Scenario): Scenario[] {
  const cs = 2 ** s.pgmap.vmemmapShift;
  const off = s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0;
  const pages = (s.nrPages - off) / cs;
  const out: Scenario[] = [];
  if (pages > 1) out.push(produce(s, (d) => { d.nrPages = off + (pages - 1) * cs; }));
  if (s.pgmap.vmemmapShift > 0) {
    const shift = s.pgmap.vmemmapShift - 1;
    out.push(produce(s, (d) => {
      d.pgmap.vmemmapShift = shift;
      d.nrPages = off + pages * 2 ** shift;
    }));
  }
  if (s.pgmap.altmap) out.push(produce(s, (d) => { d.pgmap.altmap = null; d.nrPages = pages * cs; d.startPfn = s.startPfn; }));
  // each early section in turn made hot-added (the arbitraries shrink towards no early section)
  const early = earlySectionList(s);
  early.forEach((e, i) => { if (e) out.push(withEarlySections(s, early.map((x, j) => (j === i ? false : x)))); });
  if (s.nid !== 0) out.push(produce(s, (d) => { d.nid = 0; }));
  if (s.startPfn !== RANGE_BASE_PFN) out.push(produce(s, (d) => { d.startPfn = RANGE_BASE_PFN; }));
  if (s.pgmap.type !== 3) out.push(produce(s, (d) => { d.pgmap.type = 3; }));
  for (const key of Object.keys(X86_64_DEFAULT) as (keyof KernelConfig)[]) {
    if (s.kconfig[key] !== X86_64_DEFAULT[key]) out.push(produce(s, (d) => { (d.kconfig as Record<string, unknown>)[key] = X86_64_DEFAULT[key]; }));
  }
  return out.filter((n) => {
    try {
      validateScenario(n);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The smallest geometry (one order-0 FS_DAX page at a section start, no altmap, nid 0) with the
 * typical build, then with each single build option changed from it. fast-check shrinks build
 * options only towards the typical build, so from a failure without an option it cannot reach a
 * smaller one that needs the option (v1 reads a streamed page in pageblock init at order 0, but
 * only with DEBUG_VM): these are the lateral candidates, smallest first.
 */
export function oneOptionScenarios(): Scenario[] {
  const base: Scenario = {
    kconfig: X86_64_DEFAULT, pgmap: { type: 3, vmemmapShift: 0, altmap: null }, startPfn: RANGE_BASE_PFN, nrPages: 1, nid: 0, earlySection: false,
  };
  const out: Scenario[] = [base];
  for (const key of Object.keys(FLAG_VALUES) as (keyof KernelConfig)[]) {
    for (const value of FLAG_VALUES[key]) {
      if (value !== X86_64_DEFAULT[key]) out.push({ ...base, kconfig: { ...X86_64_DEFAULT, [key]: value } });
    }
  }
  return out.filter((n) => {
    try {
      validateScenario(n);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Global minimality in the lattice (properties/lattice.ts): the first configuration below
 * `minimal` that fails `p` under one of the lattice's schedules, or null when none does. `own`
 * judges as checkAnyProperty() does (known kernel bugs of the base set aside); otherwise as
 * checkProperty(). Runs are shared with the checks through the run cache.
 */
export function failingBelow(
  v: Variant, p: PropertyName, minimal: Scenario, o: { drains?: Drains; own?: boolean; schedule?: Schedule } = {},
): { scenario: Scenario; schedule: Schedule } | null {
  const judge = o.own === false ? verdict : anyVerdict;
  const fails = cachedFails(v, p, o.drains, o.own === false ? 'raw' : 'own', (e) => !judge(p, e).ok);
  for (const s of latticeBelow(minimal)) {
    const schedule = latticeSchedules(o.schedule ?? UNTIL_DRAIN, p).find((x) => fails(s, x));
    if (schedule) return { scenario: s, schedule };
  }
  return null;
}

/**
 * The small scope around oneOptionScenarios(): each of its builds at every start alignment, with one
 * and with two order-0 pages. A variant's first page often takes the slow path, and a pageblock
 * start inside the range is what pageblock init reads (with DEBUG_VM): one page at a section start
 * misses both. A few hundred tiny runs, for searches that must not miss a small case (drains).
 */
export function smallScopeScenarios(pin?: Partial<KernelConfig>): Scenario[] {
  const out: Scenario[] = [];
  const seen = new Set<string>();
  for (const b of oneOptionScenarios()) {
    const base: Scenario = pin ? { ...b, kconfig: { ...b.kconfig, ...pin } } : b;
    for (const align of SMALL_SCOPE_ALIGNS) {
      for (const nrPages of [1, 2]) {
        const s: Scenario = { ...base, startPfn: RANGE_BASE_PFN + startOffset(align, 1, pageblockNrPages(base.kconfig)), nrPages };
        const id = JSON.stringify(s);
        if (seen.has(id)) continue;
        seen.add(id);
        try {
          validateScenario(s);
          out.push(s);
        } catch {
          // an alignment this build cannot have
        }
      }
    }
  }
  return out;
}

const SMALL_SCOPE_ALIGNS: readonly StartAlign[] = ['section', 'compound', 'pageblock', 'pageblock-end', 'section-end'];

/**
 * The first small-scope scenario (smallScopeScenarios()) on which `p` fails, judged as
 * checkAnyProperty() does, under the lattice's schedules; null when none does.
 */
export function failingInSmallScope(
  v: Variant, p: PropertyName, drains: Drains | undefined, pin?: Partial<KernelConfig>,
): Scenario | null {
  const fails = cachedFails(v, p, drains, 'own', (e) => !anyVerdict(p, e).ok);
  for (const s of smallScopeScenarios(pin)) if (latticeSchedules(UNTIL_DRAIN, p).some((x) => fails(s, x))) return s;
  return null;
}
