// The small preprocessor of the C front-end (docs/c-frontend.md). Conditionals are not expanded
// here: tree-sitter parses #if/#ifdef/#elif/#else into the tree, and the compiler keeps both sides,
// selecting by the scenario's kernel config at run time (one file serves every configuration).
// This file erases attribute macros (same length, so columns stay right) and decides `#if`
// expressions, `defined()` and IS_ENABLED() over CONFIG_* and the constants of a 64-bit build
// (x86_64, or the generic64 layout of KernelConfig.arch).
import type { KernelConfig } from '../kernel/config.ts';

/** Attribute macros that only annotate a declaration (section, inlining, sparse, sanitizers). */
export const ATTRIBUTE_MACROS: readonly string[] = [
  '__ref', '__meminit', '__meminitdata', '__meminitconst', '__init', '__initdata', '__initconst', '__exit', '__refdata',
  '__always_inline', 'noinline', '__noinline', '__maybe_unused', '__always_unused', '__used', '__cold', '__hot',
  '__read_mostly', '__ro_after_init', 'notrace', '__no_sanitize_address', '__init_memblock', 'noinstr',
  '__must_check', '__pure', '__weak', '__visible', 'asmlinkage', '__attribute_const__', '__sched', '__ref_nocheck',
  '__init_or_module', '__flatten', '__no_kasan_or_inline', '__no_kcsan',
];

const ATTR_RE = new RegExp(`\\b(?:${ATTRIBUTE_MACROS.join('|')})\\b`, 'g');

/** Replace attribute macros by spaces: the text keeps its length, lines and columns. */
export function eraseAttributes(text: string): string {
  return text.replace(ATTR_RE, (m) => ' '.repeat(m.length));
}

type Sym = (c: KernelConfig) => number;
const on = (): number => 1;

const x86 = (c: KernelConfig): number => +(c.arch === 'x86_64');
/** pageblock_order 9 comes from HUGETLB_PAGE or THP; the model's 9 is the distro build with both, 10 has neither. */
const hugePages = (c: KernelConfig): number => +(c.pageblockOrder === 9);

/**
 * The configuration symbols a `#if` or IS_ENABLED() may test, as the scenario's KernelConfig
 * decides them; the rest are fixed by a 64-bit SPARSEMEM_VMEMMAP build with ZONE_DEVICE. A CONFIG_
 * option not listed is unset (as in a .config that does not mention it); any other identifier in
 * a `#if` is 0, as the C preprocessor rules.
 */
export const CONFIG_SYMBOLS: ReadonlyMap<string, Sym> = new Map<string, Sym>([
  ['CONFIG_MEMCG', (c) => +c.memcg],
  ['CONFIG_PAGE_MAPCOUNT', (c) => +c.pageMapcount],
  ['CONFIG_MM_ID', (c) => +c.mmId],
  ['WANT_PAGE_VIRTUAL', (c) => +c.wantPageVirtual],
  ['CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP', (c) => +c.compoundInfoMask],
  ['CONFIG_NUMA_BALANCING', (c) => +c.numaBalancing],
  ['CONFIG_NUMA', (c) => +(c.nodesShift > 0)],
  ['CONFIG_NODES_SHIFT', (c) => c.nodesShift],
  ['CONFIG_ZONE_DMA', (c) => +c.zoneDma],
  ['CONFIG_LRU_GEN', (c) => +c.lruGen],
  ['CONFIG_PAGE_IDLE_FLAG', (c) => +(c.nrPageflags === 24)],
  ['CONFIG_KASAN', (c) => +c.kasan],
  ['CONFIG_KASAN_GENERIC', (c) => +c.kasan],
  ['CONFIG_KMSAN', (c) => +c.kmsan],
  ['CONFIG_DEBUG_PAGE_REF', (c) => +c.pageRefTracepoint],
  ['CONFIG_DEBUG_VM', (c) => +c.debugVm],
  ['CONFIG_HUGETLB_PAGE', hugePages], ['CONFIG_TRANSPARENT_HUGEPAGE', hugePages],
  // x86_64 selects HAVE_ALIGNED_STRUCT_PAGE (arch/x86/Kconfig); generic64 is the layout without it
  ['CONFIG_X86_64', x86], ['CONFIG_X86', x86], ['CONFIG_HAVE_ALIGNED_STRUCT_PAGE', x86], ['__x86_64__', x86],
  ['CONFIG_64BIT', on], ['CONFIG_MMU', on],
  ['CONFIG_SPARSEMEM', on], ['CONFIG_SPARSEMEM_VMEMMAP', on], ['CONFIG_SPARSEMEM_EXTREME', on],
  ['CONFIG_ZONE_DEVICE', on], ['CONFIG_MEMORY_HOTPLUG', on], ['CONFIG_ARCH_HAS_UACCESS_FLUSHCACHE', on],
  ['CONFIG_FLATMEM', () => 0], ['CONFIG_HIGHMEM', () => 0],
  ['BITS_PER_LONG', () => 64], ['PAGE_SHIFT', () => 12], ['__KERNEL__', on],
]);

export function configSymbol(name: string): Sym {
  return CONFIG_SYMBOLS.get(name) ?? (() => 0);
}

/** The KernelConfig fields a file can select on, for `memmap-check bindings`. */
export const configSymbolNames = (): string[] => [...CONFIG_SYMBOLS.keys()];
