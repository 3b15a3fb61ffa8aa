// Minimality made global: after fast-check's shrink (which stops at local minima), enumerate every
// configuration below the found one in a bounded lattice, in a total order, and keep the first that
// fails the same property. The order on configurations:
//   1. vmemmap order (vmemmap_shift),
//   2. struct pages written (device pfns, counting a deduplicated tail page once),
//   3. the number of fields off the typical config: altmap, early_section, pgmap type, nid, start
//      alignment, each kernel config option off X86_64_DEFAULT,
//   then ties broken by start_pfn, nr_pages, type, nid and the config (so the order is total).
// The lattice below a configuration F: every order 0..F's; at F's order 1..F's compound pages, at a
// lower order as many as F's device pfns make, at most PFNS_CAP pfns (and at least one compound
// page: a large lower order keeps one, so the sweep stays small); every start alignment the
// arbitraries generate; altmap off or F's; early_section, type and nid at the default or F's; each
// kernel config option at its default or F's. Each configuration is run under the until-drain
// schedule, which decides every hazard property (docs/exhaustive.md), and for the others also under
// the at-once and F's schedule.
import { produce } from 'immer';
import { X86_64_DEFAULT, type KernelConfig } from '../model/kernel/config.ts';
import { PAGE_SIZE, VMEMMAP_RESERVE_NR } from '../model/kernel/constants.ts';
import { Kernel } from '../model/kernel/mm.ts';
import { type Scenario, validateScenario, withEarlySections } from '../model/kernel/scenario.ts';
import { LAND_AT_ONCE, type Schedule, UNTIL_DRAIN } from '../model/schedule.ts';
import { RANGE_BASE_PFN, type StartAlign, startOffset } from './arbitraries.ts';

/** Lower orders enumerate as many compound pages as the found case has pfns, up to this many pfns. */
export const PFNS_CAP = 16;

const ALIGNS: readonly StartAlign[] = ['section', 'compound', 'pageblock', 'pageblock-end'];
const CONFIG_KEYS = Object.keys(X86_64_DEFAULT) as (keyof KernelConfig)[];

const altmapOffset = (s: Scenario): number => (s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0);
const compoundPages = (s: Scenario): number => (s.nrPages - altmapOffset(s)) / 2 ** s.pgmap.vmemmapShift;

/** Struct pages memmap_init_zone_device() has to write: a deduplicated compound page has 128 of its own. */
export function structPagesWritten(s: Scenario): number {
  const k = new Kernel(s);
  const cs = 2 ** s.pgmap.vmemmapShift;
  const own = k.dedupBacking ? Math.min(cs, VMEMMAP_RESERVE_NR * (PAGE_SIZE / k.sizeofPage)) : cs;
  return compoundPages(s) * own;
}

/** early_section() of any section of the range (a range may straddle boot and hot-added sections). */
const anyEarly = (s: Scenario): boolean => s.earlySection || (s.earlySections ?? []).some(Boolean);

/** Fields off the typical config (the third key of the order). */
export function deviations(s: Scenario): number {
  return (s.pgmap.altmap ? 1 : 0) + (anyEarly(s) ? 1 : 0) + (s.pgmap.type !== 3 ? 1 : 0) + (s.nid !== 0 ? 1 : 0) +
    (s.startPfn !== RANGE_BASE_PFN ? 1 : 0) + CONFIG_KEYS.filter((k) => s.kconfig[k] !== X86_64_DEFAULT[k]).length;
}

function key(s: Scenario): (number | string)[] {
  return [
    s.pgmap.vmemmapShift, structPagesWritten(s), deviations(s), s.startPfn, s.nrPages, s.pgmap.type, s.nid,
    s.earlySection ? 1 : 0, JSON.stringify(s.earlySections ?? null), JSON.stringify(s.pgmap.altmap), JSON.stringify(CONFIG_KEYS.map((k) => s.kconfig[k])),
  ];
}

function compareKeys(x: readonly (number | string)[], y: readonly (number | string)[]): number {
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  }
  return 0;
}

/** The total order on configurations: negative when a is smaller. */
export function compareConfigs(a: Scenario, b: Scenario): number {
  return compareKeys(key(a), key(b));
}

export interface LatticeBounds {
  readonly maxShift: number;
  /** compound pages enumerated per order (index = vmemmap_shift) */
  readonly pages: readonly number[];
  readonly altmap: readonly (Scenario['pgmap']['altmap'])[];
  readonly earlySection: readonly boolean[];
  readonly types: readonly Scenario['pgmap']['type'][];
  readonly nids: readonly number[];
  /** the kernel config options tried at both the default and the found value */
  readonly options: readonly (keyof KernelConfig)[];
}

export function latticeBounds(f: Scenario): LatticeBounds {
  const pfns = f.nrPages - altmapOffset(f);
  const own = compoundPages(f);
  const pages: number[] = [];
  for (let s = 0; s < f.pgmap.vmemmapShift; s++) pages.push(Math.max(1, Math.floor(Math.min(pfns, PFNS_CAP) / 2 ** s)));
  pages.push(own);
  return {
    maxShift: f.pgmap.vmemmapShift,
    pages,
    altmap: f.pgmap.altmap ? [null, f.pgmap.altmap] : [null],
    earlySection: anyEarly(f) ? [false, true] : [false],
    types: f.pgmap.type !== 3 ? [3, f.pgmap.type] : [3],
    nids: f.nid !== 0 ? [0, f.nid] : [0],
    options: CONFIG_KEYS.filter((k) => f.kconfig[k] !== X86_64_DEFAULT[k]),
  };
}

function valid(s: Scenario): boolean {
  try {
    validateScenario(s);
    return true;
  } catch {
    return false;
  }
}

/** Every valid configuration of the lattice around f (f itself included), unsorted. */
export function lattice(f: Scenario): Scenario[] {
  const b = latticeBounds(f);
  const configs: KernelConfig[] = [];
  for (let m = 0; m < 2 ** b.options.length; m++) {
    configs.push(produce(X86_64_DEFAULT, (d) => {
      b.options.forEach((k, i) => { if (m & (1 << i)) (d as Record<string, unknown>)[k] = f.kconfig[k]; });
    }));
  }
  const out: Scenario[] = [];
  const seen = new Set<string>();
  for (let shift = 0; shift <= b.maxShift; shift++) {
    const cs = 2 ** shift;
    for (const am of b.altmap) {
      // the altmap offset rounded up to whole compound pages, as the arbitraries build it
      const altmap = am ? { reserve: am.reserve, free: Math.ceil((am.reserve + am.free) / cs) * cs - am.reserve } : null;
      const off = altmap ? altmap.reserve + altmap.free : 0;
      const starts = new Set(ALIGNS.map((a) => RANGE_BASE_PFN + startOffset(a, cs)));
      if (f.startPfn % cs === 0) starts.add(f.startPfn);
      for (let pages = 1; pages <= b.pages[shift]!; pages++) {
        for (const startPfn of starts) {
          for (const earlySection of b.earlySection) {
            for (const type of b.types) {
              for (const nid of b.nids) {
                for (const kconfig of configs) {
                  const plain: Scenario = { kconfig, pgmap: { type, vmemmapShift: shift, altmap }, startPfn, nrPages: off + pages * cs, nid, earlySection };
                  // early "as found": the found range's per-section list, from its first section
                  const s = earlySection && f.earlySections ? withEarlySections(plain, f.earlySections) : plain;
                  const id = JSON.stringify(s);
                  if (!seen.has(id) && valid(s)) {
                    seen.add(id);
                    out.push(s);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/** The configurations of f's lattice below f, smallest first. */
export function latticeBelow(f: Scenario): Scenario[] {
  const top = key(f);
  return lattice(f).map((s) => ({ s, k: key(s) })).filter((x) => compareKeys(x.k, top) < 0)
    .sort((a, b) => compareKeys(a.k, b.k)).map((x) => x.s);
}

/** The hazard properties, which the until-drain schedule decides alone (docs/exhaustive.md). */
const DECIDED_BY_UNTIL_DRAIN: readonly string[] = ['no-read-after-streaming', 'no-write-after-streaming', 'published-clean'];

/**
 * The schedules each configuration is run under: until-drain alone for a hazard property (a byte
 * pending under any schedule is pending under it); else until-drain, at-once and the found one.
 */
export function latticeSchedules(found: Schedule, property?: string): Schedule[] {
  if (property !== undefined && DECIDED_BY_UNTIL_DRAIN.includes(property)) return [UNTIL_DRAIN];
  const all = [UNTIL_DRAIN, LAND_AT_ONCE, found];
  return all.filter((s, i) => all.findIndex((t) => JSON.stringify(t) === JSON.stringify(s)) === i);
}

const schedulesText = (property?: string): string =>
  property !== undefined && DECIDED_BY_UNTIL_DRAIN.includes(property) ? 'the until-drain schedule (it decides every hazard)' : 'the until-drain, at-once and found schedules';

/** "minimal within: ..." in words: what was enumerated. */
export function withinText(f: Scenario, checked: number, property?: string): string {
  const b = latticeBounds(f);
  const top = b.pages[b.maxShift]!;
  const pages = b.pages.every((n) => n === top) ? `1..${top} compound pages`
    : `1..${top} compound pages, as many pfns (at most ${PFNS_CAP}) at lower orders`;
  const either = (name: string, typical: string, n: number) => (n > 1 ? `${name} ${typical} or as found` : `${name} ${typical}`);
  const parts = [
    `vmemmap_shift 0..${b.maxShift}`,
    pages,
    `${ALIGNS.length} start alignments`,
    either('altmap', 'off', b.altmap.length),
    either('early_section', 'off', b.earlySection.length),
    either('type', 'FS_DAX', b.types.length),
    either('nid', '0', b.nids.length),
    b.options.length ? `config typical but ${b.options.join(', ')} either way` : 'typical config',
  ];
  return `${checked} smaller configurations (${parts.join(', ')}) pass under ${schedulesText(property)}`;
}

export interface LatticeResult {
  /** The smallest failing case (the found one when nothing below fails). */
  readonly case: { readonly scenario: Scenario; readonly schedule: Schedule };
  /** Configurations checked below the found one, in total. */
  readonly checked: number;
  /** Steps to a smaller failing configuration the lattice took (0: fast-check's was minimal). */
  readonly steps: number;
  /** withinText() of the final case's lattice. */
  readonly within: string;
}

/**
 * The first configuration, in the order above, below `found` in its lattice that `fails` (under one
 * of the schedules); repeated from there until nothing below fails. `fails` should cache.
 */
export function minimizeInLattice(
  found: { readonly scenario: Scenario; readonly schedule: Schedule },
  fails: (scenario: Scenario, schedule: Schedule) => boolean,
  property?: string,
): LatticeResult {
  let cur = found;
  let steps = 0;
  for (;;) {
    const below = latticeBelow(cur.scenario);
    let next: typeof cur | null = null;
    for (const s of below) {
      const schedule = latticeSchedules(cur.schedule, property).find((sch) => fails(s, sch));
      if (schedule) {
        next = { scenario: s, schedule };
        break;
      }
    }
    if (!next) return { case: cur, checked: below.length, steps, within: withinText(cur.scenario, below.length, property) };
    cur = next;
    steps++;
  }
}
