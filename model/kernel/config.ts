// The kernel build configuration the model is compiled for (kernel-spec.md §4, §5).

/**
 * The architecture the layout follows. x86_64 selects HAVE_ALIGNED_STRUCT_PAGE (arch/x86/Kconfig,
 * linux-mm @ 06644636),
 * so struct page is aligned to 2 * sizeof(long) = 16 bytes (include/linux/mm_types.h
 * _struct_page_alignment), and has no WANT_PAGE_VIRTUAL. generic64 is a 64-bit architecture
 * without HAVE_ALIGNED_STRUCT_PAGE (sizeof(long) alignment) that may define WANT_PAGE_VIRTUAL in its
 * asm/page.h (sparc64 does); it is the only layout with a PFN-dependent struct page field.
 */
export type Arch = 'x86_64' | 'generic64';
export const ARCHES: readonly Arch[] = ['x86_64', 'generic64'];

export interface KernelConfig {
  /** The architecture of the layout (see Arch). */
  readonly arch: Arch;
  /**
   * pageblock_order (include/linux/pageblock-flags.h): 9 with HUGETLB_PAGE or TRANSPARENT_HUGEPAGE
   * (HUGETLB_PAGE_ORDER / HPAGE_PMD_ORDER on x86_64), 10 = PAGE_BLOCK_MAX_ORDER (MAX_PAGE_ORDER)
   * without them.
   */
  readonly pageblockOrder: 9 | 10;
  /** CONFIG_MEMCG: memcg_data at @56; with it NR_PAGES_IN_LARGE_FOLIO (folio->_nr_pages). */
  readonly memcg: boolean;
  /** CONFIG_PAGE_MAPCOUNT: prep_compound_head() writes _nr_pages_mapped. */
  readonly pageMapcount: boolean;
  /** CONFIG_MM_ID: prep_compound_head() writes _mm_ids and _mm_id_mapcount[2]. */
  readonly mmId: boolean;
  /** WANT_PAGE_VIRTUAL (generic64 only): page->virtual after memcg_data (a 72-byte struct page). */
  readonly wantPageVirtual: boolean;
  /** CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP: compound_info holds a mask (needs a power-of-2 struct page). */
  readonly compoundInfoMask: boolean;
  /** CONFIG_NUMA_BALANCING: last_cpupid reset to all ones (in flags, or in _last_cpupid). */
  readonly numaBalancing: boolean;
  /** NR_CPUS_BITS: LAST_CPUPID_SHIFT = 8 + NR_CPUS_BITS. */
  readonly nrCpusBits: number;
  /** CONFIG_NODES_SHIFT (0 = !NUMA). */
  readonly nodesShift: number;
  /** CONFIG_ZONE_DMA: ZONE_DEVICE is zone 4 of 5 (else 3 of 4). */
  readonly zoneDma: boolean;
  /** CONFIG_LRU_GEN: LRU_GEN and LRU_REFS fields in flags. */
  readonly lruGen: boolean;
  /** NR_PAGEFLAGS: 22, or 24 with PAGE_IDLE_FLAG. */
  readonly nrPageflags: 22 | 24;
  /** CONFIG_KASAN, CONFIG_KMSAN (KMSAN adds kmsan_shadow/kmsan_origin), page_ref_set tracepoint. */
  readonly kasan: boolean;
  readonly kmsan: boolean;
  readonly pageRefTracepoint: boolean;
  /**
   * CONFIG_DEBUG_VM: VM_BUG_ON_PAGE() is compiled in, so pageblock init reads page->flags through
   * page_zone() (get_pfnblock_bitmap_bitidx(), mm/page_alloc.c); without it no struct page is read
   * there (include/linux/mmdebug.h: BUILD_BUG_ON_INVALID() does not evaluate its argument).
   */
  readonly debugVm: boolean;
}

/** A typical x86_64 distro build (kernel-spec.md "typical config"); arbitraries shrink towards it. */
export const X86_64_DEFAULT: KernelConfig = {
  arch: 'x86_64',
  pageblockOrder: 9,
  memcg: true,
  pageMapcount: true,
  mmId: true,
  wantPageVirtual: false,
  compoundInfoMask: true,
  numaBalancing: false,
  nrCpusBits: 13,
  nodesShift: 6,
  zoneDma: true,
  lruGen: true,
  nrPageflags: 24,
  kasan: false,
  kmsan: false,
  pageRefTracepoint: false,
  debugVm: false, // distro kernels build without it
};

/** Raised for an impossible configuration; the CLI prints its message as one line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The config flags that differ from "all off", in kernel spelling, for one-line reports. */
export function describeKernelConfig(c: KernelConfig): string {
  const on: string[] = [];
  if (c.arch !== 'x86_64') on.push(`arch=${c.arch}`);
  if (c.pageblockOrder !== 9) on.push(`pageblock_order=${c.pageblockOrder}`);
  if (c.memcg) on.push('MEMCG');
  if (c.pageMapcount) on.push('PAGE_MAPCOUNT');
  if (c.mmId) on.push('MM_ID');
  if (c.wantPageVirtual) on.push('WANT_PAGE_VIRTUAL');
  on.push(c.compoundInfoMask ? 'mask-encoding' : 'pointer-encoding');
  if (c.numaBalancing) on.push(`NUMA_BALANCING(NR_CPUS_BITS=${c.nrCpusBits})`);
  on.push(`NODES_SHIFT=${c.nodesShift}`);
  if (!c.zoneDma) on.push('!ZONE_DMA');
  if (c.lruGen) on.push('LRU_GEN');
  if (c.nrPageflags !== 24) on.push(`NR_PAGEFLAGS=${c.nrPageflags}`);
  if (c.kasan) on.push('KASAN');
  if (c.kmsan) on.push('KMSAN');
  if (c.pageRefTracepoint) on.push('page_ref_set-tracepoint');
  if (c.debugVm) on.push('DEBUG_VM');
  return on.join(' ');
}

/**
 * A kernel config from a saved file or token, which lists only options that differ from the
 * typical build: options a newer model added take the typical value, except that a config with
 * WANT_PAGE_VIRTUAL saved before the arch option existed is the generic64 layout (x86_64 has none).
 */
export function kernelConfigOf(partial: Partial<KernelConfig>): KernelConfig {
  const arch: Arch = partial.arch ?? (partial.wantPageVirtual ? 'generic64' : X86_64_DEFAULT.arch);
  return { ...X86_64_DEFAULT, ...partial, arch };
}
