// The configurations of the exhaustive sweep: every scenario within the bounds, in one fixed order,
// each with its index. Pure; the order never depends on where or how the sweep runs, so a shard or
// a worker can name a configuration by its index alone.
import { match } from 'ts-pattern';
import { ConfigError, type KernelConfig, X86_64_DEFAULT } from '../model/kernel/config.ts';
import { MEMORY_TYPES, PAGE_SIZE, VMEMMAP_RESERVE_NR } from '../model/kernel/constants.ts';
import { pageLayout } from '../model/kernel/layout.ts';
import { type Scenario, earlySectionOf, validateScenario } from '../model/kernel/scenario.ts';
import { type StartAlign, buildScenario } from './arbitraries.ts';

/** Kernel configs swept: the typical build alone, a representative handful, or every combination. */
export type ConfigSet = 'typical' | 'default' | 'all';
export const CONFIG_SETS: readonly ConfigSet[] = ['typical', 'default', 'all'];

export interface Bounds {
  /** vmemmap_shift 0..maxOrder; orders above pageblock_order only with the vmemmap dedup. */
  readonly maxOrder: number;
  /** Compound (or order-0) pages in the range: 1..maxCompoundPages. */
  readonly maxCompoundPages: number;
  /** Kernel configs: the typical build, a representative handful, or the product of every flag. */
  readonly configs: ConfigSet;
}

/** The default bounds (docs/exhaustive.md, "Bounds"). */
export const DEFAULT_BOUNDS: Bounds = { maxOrder: 18, maxCompoundPages: 2, configs: 'default' };

/**
 * Orders above this are enumerated only where the memmap is deduplicated (see `orderAllowed`): a
 * sweep bound on struct pages written (the typical pageblock_order), not the config's pageblock_order.
 */
export const LAST_PLAIN_ORDER = 9;

/** A named kernel config of the default set: each one exercises a different code or layout path. */
export interface NamedConfig {
  readonly name: string;
  readonly kconfig: KernelConfig;
}

const d = X86_64_DEFAULT;
export const DEFAULT_KCONFIGS: readonly NamedConfig[] = [
  { name: 'typical x86_64', kconfig: d },
  { name: 'pointer encoding of compound_info', kconfig: { ...d, compoundInfoMask: false } },
  { name: 'generic64 WANT_PAGE_VIRTUAL (72-byte page, 8-byte aligned)', kconfig: { ...d, arch: 'generic64', wantPageVirtual: true } },
  { name: '!MEMCG (56 bytes of fields, 64-byte page with padding)', kconfig: { ...d, memcg: false } },
  { name: 'NUMA_BALANCING, NODES_SHIFT=10', kconfig: { ...d, numaBalancing: true, nodesShift: 10 } },
  { name: '!ZONE_DMA, !NUMA', kconfig: { ...d, zoneDma: false, nodesShift: 0 } },
  { name: 'minimal: !PAGE_MAPCOUNT !MM_ID !LRU_GEN NR_PAGEFLAGS=22', kconfig: { ...d, pageMapcount: false, mmId: false, lruGen: false, nrPageflags: 22 } },
  { name: 'KASAN (fast path off; v1 keeps it with plain stores)', kconfig: { ...d, kasan: true } },
  { name: 'pageblock_order 10 (!HUGETLB_PAGE !TRANSPARENT_HUGEPAGE)', kconfig: { ...d, pageblockOrder: 10 } },
  { name: 'page_ref_set tracepoint (fast path off)', kconfig: { ...d, pageRefTracepoint: true } },
  { name: 'DEBUG_VM (pageblock init reads page->flags)', kconfig: { ...d, debugVm: true } },
];

/** Values of each flag, the typical build's first (so index 0 of "all" is the typical build). */
export const FLAG_VALUES: { readonly [K in keyof KernelConfig]: readonly KernelConfig[K][] } = {
  arch: ['x86_64', 'generic64'],
  pageblockOrder: [9, 10],
  memcg: [true, false],
  pageMapcount: [true, false],
  mmId: [true, false],
  wantPageVirtual: [false, true],
  compoundInfoMask: [true, false],
  numaBalancing: [false, true],
  nrCpusBits: [13, 6, 10],
  nodesShift: [6, 0, 1, 10],
  zoneDma: [true, false],
  lruGen: [true, false],
  nrPageflags: [24, 22],
  kasan: [false, true],
  kmsan: [false, true],
  pageRefTracepoint: [false, true],
  debugVm: [false, true],
};

/** Every kernel config of the product, in mixed-radix order, without duplicates or impossible layouts. */
export function* allKernelConfigs(): Generator<KernelConfig> {
  const keys = Object.keys(FLAG_VALUES) as (keyof KernelConfig)[];
  const radix = keys.map((k) => FLAG_VALUES[k].length);
  const digits = keys.map(() => 0);
  for (;;) {
    const c = Object.fromEntries(keys.map((k, i) => [k, FLAG_VALUES[k][digits[i]!]])) as unknown as KernelConfig;
    // NR_CPUS_BITS only matters with NUMA_BALANCING: keep its typical value otherwise
    if ((c.numaBalancing || c.nrCpusBits === d.nrCpusBits) && layoutPossible(c)) yield c;
    let i = keys.length - 1;
    while (i >= 0 && ++digits[i]! === radix[i]!) digits[i--] = 0;
    if (i < 0) return;
  }
}

function layoutPossible(c: KernelConfig): boolean {
  try {
    pageLayout(c);
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}

export function kernelConfigsOf(set: ConfigSet): Iterable<KernelConfig> {
  return match(set)
    .with('typical', () => [X86_64_DEFAULT])
    .with('default', () => DEFAULT_KCONFIGS.map((n) => n.kconfig))
    .with('all', () => allKernelConfigs())
    .exhaustive();
}

/** vmem_altmap (reserve, free) before rounding the offset up to whole compound pages; null = none. */
export const ALTMAPS: readonly ({ readonly reserve: number; readonly free: number } | null)[] = [
  null,
  { reserve: 0, free: 1 },
  { reserve: 1, free: 2 },
];

export const ALIGNS: readonly StartAlign[] = ['section', 'compound', 'pageblock', 'pageblock-end', 'section-end'];

/**
 * early_section() per section of the range, from the first (the last entry repeats): none, all,
 * and for a range that straddles a section boundary, boot then hot-added and hot-added then boot.
 */
export const EARLY_PATTERNS: readonly (readonly boolean[])[] = [[false], [true], [true, false], [false, true]];

/** Is `order` enumerated for this geometry? Above pageblock_order only with the vmemmap dedup. */
export function orderAllowed(order: number, kconfig: KernelConfig, altmap: boolean, earlySection: boolean): boolean {
  if (order <= LAST_PLAIN_ORDER) return true;
  return dedupWith(order, kconfig) && !altmap && !earlySection;
}

/** 64-byte struct page (a power of 2) and more vmemmap pages than the dedup keeps. */
function dedupWith(order: number, kconfig: KernelConfig): boolean {
  const size = pageLayout(kconfig).size;
  return (size & (size - 1)) === 0 && (2 ** order * size) / PAGE_SIZE > VMEMMAP_RESERVE_NR;
}

/** One configuration of the sweep. */
export interface Configuration {
  readonly index: number;
  readonly scenario: Scenario;
}

/**
 * Every configuration within the bounds, in a fixed order: order, then compound pages, kernel
 * config, pgmap type, altmap, start alignment, early_section, nid. Combinations that denote the
 * same scenario (alignment classes that coincide for large orders, nid 1 without NUMA) are listed
 * once; combinations the kernel cannot be called with are left out. Index i is the i-th listed.
 */
export function* configurations(b: Bounds): Generator<Configuration> {
  let index = 0;
  for (let order = 0; order <= b.maxOrder; order++) {
    for (let pages = 1; pages <= b.maxCompoundPages; pages++) {
      for (const kconfig of kernelConfigsOf(b.configs)) {
        for (const scenario of scenariosOf(order, pages, kconfig)) yield { index: index++, scenario };
      }
    }
  }
}

/** How many configurations `configurations(b)` lists (without building all of them). */
export function countConfigurations(b: Bounds): number {
  // the scenarios of one kernel config depend on it only through the struct page size (the
  // dedup, the layout) and whether it has NUMA (nid): count each such class once
  const memo = new Map<string, number>();
  let n = 0;
  for (let order = 0; order <= b.maxOrder; order++) {
    for (let pages = 1; pages <= b.maxCompoundPages; pages++) {
      for (const kconfig of kernelConfigsOf(b.configs)) {
        const key = `${order}|${pages}|${pageLayout(kconfig).size}|${kconfig.nodesShift === 0}|${kconfig.pageblockOrder}`;
        let c = memo.get(key);
        if (c === undefined) {
          c = 0;
          for (const _ of scenariosOf(order, pages, kconfig)) c++;
          memo.set(key, c);
        }
        n += c;
      }
    }
  }
  return n;
}

/** The scenarios of one order, page count and kernel config, in sweep order. */
function* scenariosOf(order: number, pages: number, kconfig: KernelConfig): Generator<Scenario> {
  for (const type of MEMORY_TYPES) {
    for (const altmap of ALTMAPS) {
      for (const align of distinctAligns(order, pages, kconfig, altmap)) {
        const seen = new Set<string>(); // a one-section range has only the first two patterns
        for (const early of EARLY_PATTERNS) {
          if (!orderAllowed(order, kconfig, altmap !== null, early.includes(true))) continue;
          for (const nid of kconfig.nodesShift === 0 ? [0] : [0, 1]) {
            const s = buildScenario({ kconfig, vmemmapShift: order, altmap, earlySection: early[0]!, earlySections: early }, type, pages, align, nid);
            const key = `${nid}|${s.earlySections?.join() ?? s.earlySection}`;
            if (seen.has(key)) continue;
            seen.add(key);
            if (valid(s)) yield s;
          }
        }
      }
    }
  }
}

/** The alignment classes that give distinct start pfns (for large orders several coincide). */
function distinctAligns(order: number, pages: number, kconfig: KernelConfig, altmap: (typeof ALTMAPS)[number]): StartAlign[] {
  const seen = new Set<number>();
  return ALIGNS.filter((align) => {
    const start = buildScenario({ kconfig, vmemmapShift: order, altmap, earlySection: false }, 3, pages, align, 0).startPfn;
    if (seen.has(start)) return false;
    seen.add(start);
    return true;
  });
}

function valid(s: Scenario): boolean {
  try {
    validateScenario(s);
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
}

/** Struct pages the variant initializes for a scenario (its cost, for balancing and progress). */
export function structPagesOf(s: Scenario): number {
  const cs = 2 ** s.pgmap.vmemmapShift;
  const off = s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0;
  const compound = (s.nrPages - off) / cs;
  if (s.pgmap.altmap || !dedupWith(s.pgmap.vmemmapShift, s.kconfig)) return compound * cs;
  // compound_nr_pages() asks early_section() per compound page
  const dedup = (VMEMMAP_RESERVE_NR * PAGE_SIZE) / pageLayout(s.kconfig).size;
  let n = 0;
  for (let i = 0; i < compound; i++) n += earlySectionOf(s, s.startPfn + off + i * cs) ? cs : dedup;
  return n;
}
