// The kernel's view of memory for one scenario: struct page addresses (pfn_to_page), the vmemmap
// backing with its tail-page dedup, and event builders that read like the C helpers.
import type { AccessClass, LoadEvent, StoreEvent } from '../events.ts';
import { u64, u64Of } from './bytes.ts';
import type { KernelConfig } from './config.ts';
import { PAGE_OFFSET, PAGE_SHIFT, PAGE_SIZE, STACK_BASE, STACK_VA, VMEMMAP_BASE, VMEMMAP_RESERVE_NR, USEMAP_BASE, pageblock_order } from './constants.ts';
import { type FlagsLayout, flagsLayout } from './flags.ts';
import { type PageLayout, isPowerOf2, pageLayout } from './layout.ts';
import { type Scenario, earlySectionOf } from './scenario.ts';

/** A struct page: its pfn (-1 for an on-stack template), model address and virtual address. */
export class PageRef {
  constructor(
    readonly pfn: number,
    readonly addr: number,
    /** The kernel (its build config) the struct page belongs to. */
    readonly k: Kernel,
    private readonly stackVa?: bigint,
  ) {}
  /** The pointer value of this struct page, as stored in list heads and compound_info. */
  get va(): bigint {
    return this.stackVa ?? VMEMMAP_BASE + BigInt(this.pfn * this.k.L.size);
  }
  get isTemplate(): boolean {
    return this.pfn < 0;
  }
  /** The little-endian bytes of `va + off` (computed without a BigInt for a memmap page). */
  vaBytes(off: number): Uint8Array {
    if (this.stackVa !== undefined) return u64(this.stackVa + BigInt(off));
    const x = this.pfn * this.k.L.size + off; // < 2^53: exact
    const lo = VMEMMAP_LO + (x % 2 ** 32);
    return u64Of((VMEMMAP_HI + Math.floor(x / 2 ** 32) + (lo >= 2 ** 32 ? 1 : 0)) >>> 0, lo >>> 0);
  }
}

const VMEMMAP_HI = Number(VMEMMAP_BASE >> 32n);
const VMEMMAP_LO = Number(VMEMMAP_BASE & 0xffffffffn);

/** Raised when the modeled kernel would oops (a wild pointer); reported, never hidden. */
export class KernelBug extends Error {
  override readonly name = 'KernelBug';
}

export class Kernel {
  readonly cfg: KernelConfig;
  readonly L: PageLayout;
  readonly F: FlagsLayout;
  readonly sizeofPage: number;
  /**
   * Tail struct pages beyond the first two vmemmap pages alias page B (vmemmap_dedup.rst), in the
   * sections that are not early; true when that is some section of the range.
   */
  readonly dedupBacking: boolean;
  /** __vmemmap_can_optimize() for this pgmap: the dedup, wherever the section is not early. */
  private readonly canOptimize: boolean;
  readonly compoundShift: number;
  /** 2^compoundShift, pfns per compound page */
  private readonly compoundPages: number;

  constructor(readonly scenario: Scenario) {
    this.cfg = scenario.kconfig;
    this.L = pageLayout(this.cfg);
    this.F = flagsLayout(this.cfg);
    this.sizeofPage = this.L.size;
    this.compoundShift = scenario.pgmap.vmemmapShift;
    this.compoundPages = 2 ** this.compoundShift;
    // vmemmap_populate_compound_pages() runs when vmemmap_can_optimize(); an early section reuses
    // the unoptimized boot memmap (section_activate()): per section
    this.canOptimize = __vmemmap_can_optimize(this, scenario.pgmap.altmap !== null);
    this.dedupBacking = this.canOptimize && (scenario.earlySections ? scenario.earlySections.includes(false) : !scenario.earlySection);
  }

  /** early_section(__pfn_to_section(pfn)) */
  early_section(pfn: number): boolean {
    return earlySectionOf(this.scenario, pfn);
  }

  /** The model address backing struct page `pfn`. */
  backing(pfn: number): number {
    if (this.dedupBacking && !this.early_section(pfn)) {
      const cs = this.compoundPages;
      const head = pfn - (pfn % cs);
      const i = pfn - head;
      const perPage = PAGE_SIZE / this.sizeofPage;
      if (i >= VMEMMAP_RESERVE_NR * perPage) return (head + perPage + (i % perPage)) * this.sizeofPage;
    }
    return pfn * this.sizeofPage;
  }

  /** A template struct page on the kernel stack (one slot per C function frame). */
  stackPage(slot: number): PageRef {
    const off = slot * 128;
    return new PageRef(-1, STACK_BASE + off, this, STACK_VA + BigInt(off));
  }

  /** virt_to_page() for a struct page pointer read from memory. */
  pageAt(va: bigint): PageRef {
    const size = BigInt(this.sizeofPage);
    if (va >= VMEMMAP_BASE && va < VMEMMAP_BASE + (1n << 46n) && (va - VMEMMAP_BASE) % size === 0n) {
      return pfn_to_page(this, Number((va - VMEMMAP_BASE) / size));
    }
    for (let slot = 0; slot < 4; slot++) {
      const p = this.stackPage(slot);
      if (p.va === va) return p;
    }
    throw new KernelBug(`wild struct page pointer 0x${va.toString(16)}`);
  }
}

/** __vmemmap_can_optimize() (include/linux/mm.h) on x86_64. */
export function __vmemmap_can_optimize(k: Kernel, hasAltmap: boolean): boolean {
  if (!isPowerOf2(k.sizeofPage)) return false;
  const nr_pages = 2 ** k.compoundShift;
  const nr_vmemmap_pages = Math.floor((nr_pages * k.sizeofPage) / PAGE_SIZE);
  return !hasAltmap && nr_vmemmap_pages > VMEMMAP_RESERVE_NR;
}

/** pfn_to_page() on SPARSEMEM_VMEMMAP. */
export function pfn_to_page(k: Kernel, pfn: number): PageRef {
  return new PageRef(pfn, k.backing(pfn), k);
}

/** __va(pfn << PAGE_SHIFT) */
export function __va_pfn(pfn: number): bigint {
  return PAGE_OFFSET + (BigInt(pfn) << BigInt(PAGE_SHIFT));
}

/**
 * Model address of the pageblock bits of `pfn` (section usemap; one byte per pageblock of
 * 2^order pfns). Pass the scenario's pageblock_order (KernelConfig.pageblockOrder).
 */
export function usemapAddr(pfn: number, order: number = pageblock_order): number {
  return USEMAP_BASE + Math.floor(pfn / 2 ** order);
}

// -- event builders ---------------------------------------------------------------------------

export function store(addr: number, bytes: Uint8Array, fn?: string, cls?: AccessClass): StoreEvent {
  return { kind: 'store', via: 'cached', addr, bytes, fn, cls };
}

export function load(addr: number, size: number, fn?: string, cls?: AccessClass): LoadEvent {
  return { kind: 'load', addr, size, fn, cls };
}
