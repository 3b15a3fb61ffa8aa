// One call of memmap_init_zone_device() and the machine it runs on: kernel config, dev_pagemap,
// the pfn range pagemap_range() passes, and the state of the sections it lands in.
import { ARCHES, ConfigError, type KernelConfig } from './config.ts';
import { type MemoryType, MEMORY_TYPES, PAGES_PER_SECTION } from './constants.ts';
import { flagsLayout } from './flags.ts';
import { pageLayout } from './layout.ts';

export interface Altmap {
  /** vmem_altmap.reserve: pfns reserved for the driver */
  readonly reserve: number;
  /** vmem_altmap.free: pfns holding the memmap itself */
  readonly free: number;
}

export interface Pgmap {
  readonly type: MemoryType;
  readonly vmemmapShift: number;
  /** PGMAP_ALTMAP_VALID with this altmap (base_pfn is the range start), or none */
  readonly altmap: Altmap | null;
}

export interface Scenario {
  readonly kconfig: KernelConfig;
  readonly pgmap: Pgmap;
  /** PHYS_PFN(range->start) and PHYS_PFN(range_len(range)) as pagemap_range() passes them */
  readonly startPfn: number;
  readonly nrPages: number;
  readonly nid: number;
  /**
   * early_section() of the memory section holding startPfn: a section present at boot keeps its
   * unoptimized boot memmap (no vmemmap dedup). Without `earlySections`, of every section of the range.
   */
  readonly earlySection: boolean;
  /**
   * early_section() per memory section (PAGES_PER_SECTION pfns) of the range, from the one holding
   * startPfn; sections past the end of the list repeat its last entry. Present only when the range
   * straddles sections that differ (canonical form: at least two entries, entry 0 equal to
   * `earlySection`, the last two different, no more entries than sections): see `withEarlySections`.
   */
  readonly earlySections?: readonly boolean[];
}

/** __pfn_to_section_nr() */
export const pfn_to_section_nr = (pfn: number): number => Math.floor(pfn / PAGES_PER_SECTION);

/** Memory sections the scenario's range [startPfn, startPfn + nrPages) touches. */
export const sectionsSpanned = (s: Pick<Scenario, 'startPfn' | 'nrPages'>): number =>
  pfn_to_section_nr(s.startPfn + Math.max(s.nrPages, 1) - 1) - pfn_to_section_nr(s.startPfn) + 1;

/** early_section(__pfn_to_section(pfn)) for a pfn of the scenario's range. */
export function earlySectionOf(s: Scenario, pfn: number): boolean {
  const list = s.earlySections;
  if (!list) return s.earlySection;
  const i = pfn_to_section_nr(pfn) - pfn_to_section_nr(s.startPfn);
  return list[Math.max(0, Math.min(i, list.length - 1))]!;
}

/** early_section() of every section of the range, in order. */
export function earlySectionList(s: Scenario): boolean[] {
  const first = pfn_to_section_nr(s.startPfn);
  return Array.from({ length: sectionsSpanned(s) }, (_, i) => earlySectionOf(s, (first + i) * PAGES_PER_SECTION));
}

/**
 * The scenario with early_section() per section given as `list` (from the section of startPfn;
 * past its end the last entry repeats; empty: no section is early), in canonical form: one
 * scenario, one encoding (a uniform range keeps the single `earlySection` flag).
 */
export function withEarlySections<S extends Scenario>(s: S, list: readonly boolean[]): S {
  const n = sectionsSpanned(s);
  const full = Array.from({ length: n }, (_, i) => list.length ? list[Math.min(i, list.length - 1)]! : false);
  let len = full.length;
  while (len > 1 && full[len - 1] === full[len - 2]) len--;
  const { earlySections: _drop, ...rest } = s;
  return (len > 1
    ? { ...rest, earlySection: full[0]!, earlySections: full.slice(0, len) }
    : { ...rest, earlySection: full[0] ?? false }) as S;
}

/** The largest vmemmap_shift the model accepts (PUD order, 1 GiB pages). */
export const MAX_VMEMMAP_SHIFT = 18;
/** Upper bound on pfns so model addresses stay exact doubles. */
export const MAX_PFN = 2 ** 36;

/** Reject a scenario the kernel could not be called with, naming the value and what is allowed. */
export function validateScenario(s: Scenario): void {
  const c = s.kconfig;
  if (!ARCHES.includes(c.arch)) throw new ConfigError(`arch=${String(c.arch)} is not allowed; allowed: ${ARCHES.join(', ')}`);
  if (c.pageblockOrder !== 9 && c.pageblockOrder !== 10) throw new ConfigError(`pageblock_order=${String(c.pageblockOrder)} is not allowed; allowed: 9 (HUGETLB_PAGE or THP), 10 (MAX_PAGE_ORDER)`);
  flagsLayout(c); // throws on an impossible flags layout
  pageLayout(c); // throws on WANT_PAGE_VIRTUAL with x86_64
  const shift = s.pgmap.vmemmapShift;
  if (!Number.isInteger(shift) || shift < 0 || shift > MAX_VMEMMAP_SHIFT) {
    throw new ConfigError(`vmemmap_shift=${shift} is not allowed; allowed 0..${MAX_VMEMMAP_SHIFT}`);
  }
  if (!MEMORY_TYPES.includes(s.pgmap.type)) throw new ConfigError(`pgmap type ${s.pgmap.type} is not allowed; allowed 1..5`);
  const cs = 2 ** shift;
  const int = (n: number) => Number.isInteger(n) && n >= 0;
  if (!int(s.startPfn) || s.startPfn + s.nrPages > MAX_PFN) throw new ConfigError(`start_pfn=${s.startPfn} is not allowed; allowed 0..2^36`);
  if (!int(s.nrPages) || s.nrPages === 0) throw new ConfigError(`nr_pages=${s.nrPages} is not allowed; allowed a positive integer`);
  if (s.startPfn % cs !== 0) throw new ConfigError(`start_pfn=0x${s.startPfn.toString(16)} is not aligned to the compound size ${cs} (vmemmap_shift=${shift})`);
  const off = s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0;
  if (s.pgmap.altmap && (!int(s.pgmap.altmap.reserve) || !int(s.pgmap.altmap.free))) throw new ConfigError('altmap reserve and free must be non-negative integers');
  if (off >= s.nrPages) throw new ConfigError(`altmap reserve+free=${off} leaves no device pages in nr_pages=${s.nrPages}; allowed reserve+free < nr_pages`);
  if (off % cs !== 0) throw new ConfigError(`altmap reserve+free=${off} is not a multiple of the compound size ${cs}; heads would be misaligned`);
  if ((s.nrPages - off) % cs !== 0) throw new ConfigError(`nr_pages=${s.nrPages} minus the altmap offset is not a multiple of the compound size ${cs}`);
  const maxNid = c.nodesShift === 0 ? 0 : 2 ** c.nodesShift - 1;
  if (!int(s.nid) || s.nid > maxNid) throw new ConfigError(`nid=${s.nid} is not allowed with NODES_SHIFT=${c.nodesShift}; allowed 0..${maxNid}`);
  const es = s.earlySections;
  if (es !== undefined) {
    const canonical = Array.isArray(es) && es.length >= 2 && es.length <= sectionsSpanned(s) && es.every((x) => typeof x === 'boolean') &&
      es[0] === s.earlySection && es[es.length - 1] !== es[es.length - 2];
    if (!canonical) {
      throw new ConfigError(`earlySections=${JSON.stringify(es)} is not allowed; allowed: 2..${sectionsSpanned(s)} booleans (one per section of the range), the first equal to earlySection, the last two different`);
    }
  }
  if ((s.earlySection || es?.includes(true)) && shift > 15) throw new ConfigError(`early_section with vmemmap_shift=${shift}: a compound page larger than a section cannot sit in a boot section`);
}
