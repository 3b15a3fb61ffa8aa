// page->flags layout: include/linux/page-flags-layout.h and mmzone.h *_PGOFF (kernel-spec.md §5).
import { ConfigError, type KernelConfig } from './config.ts';

export const PG_head = 6;
export const PG_reserved = 13;

export interface BitField {
  readonly shift: number;
  readonly width: number;
}

export interface FlagsLayout {
  readonly nodes: BitField;
  readonly zones: BitField;
  /** null when !NUMA_BALANCING or LAST_CPUPID_NOT_IN_PAGE_FLAGS */
  readonly lastCpupid: BitField | null;
  readonly lruGen: BitField;
  readonly lruRefs: BitField;
  /** LAST_CPUPID_SHIFT = 8 + NR_CPUS_BITS (0 without NUMA_BALANCING) */
  readonly lastCpupidShift: number;
  /** LAST_CPUPID_NOT_IN_PAGE_FLAGS: the value lives in page->_last_cpupid */
  readonly cpupidInPage: boolean;
  /** zone_idx of ZONE_DEVICE: 4 with ZONE_DMA, else 3 */
  readonly zoneDevice: number;
}

const BITS_PER_LONG = 64;

/** The field widths that decide whether the node id fits in page->flags. */
export interface NodesFitWidths {
  readonly zones: number;
  readonly lruGen: number;
  readonly sections: number;
  readonly nodesShift: number;
  readonly nrPageflags: number;
}

/**
 * include/linux/page-flags-layout.h: NODES_WIDTH is NODES_SHIFT only when ZONES_WIDTH +
 * LRU_GEN_WIDTH + SECTIONS_WIDTH + NODES_SHIFT <= BITS_PER_LONG - NR_PAGEFLAGS; otherwise
 * SPARSEMEM_VMEMMAP fails the build (linux-mm/linux-mm @ 0dccebc9).
 */
export function nodesFit(w: NodesFitWidths): boolean {
  return w.zones + w.lruGen + w.sections + w.nodesShift <= BITS_PER_LONG - w.nrPageflags;
}

export function flagsLayout(c: KernelConfig): FlagsLayout {
  const sections = 0; // SPARSEMEM_VMEMMAP: no section in page flags
  const zonesWidth = c.zoneDma ? 3 : 2; // ZONES_SHIFT for MAX_NR_ZONES 5 / 4
  const free = BITS_PER_LONG - c.nrPageflags;
  if (c.nodesShift < 0 || c.nodesShift > 10) throw new ConfigError(`NODES_SHIFT=${c.nodesShift} is out of range; allowed 0..10`);
  const lruGenWidth = c.lruGen ? 3 : 0; // order_base_2(MAX_NR_GENS + 1)
  if (!nodesFit({ zones: zonesWidth, lruGen: lruGenWidth, sections, nodesShift: c.nodesShift, nrPageflags: c.nrPageflags })) {
    throw new ConfigError('Vmemmap: No space for nodes field in page flags');
  }
  const lastCpupidShift = c.numaBalancing ? 8 + c.nrCpusBits : 0;
  const kasanTag = 0; // no tag-based KASAN on x86_64
  const cpupidFits = sections + zonesWidth + c.nodesShift + lastCpupidShift + kasanTag + lruGenWidth <= free;
  const lastCpupidWidth = cpupidFits ? lastCpupidShift : 0;
  const lruRefsWidth = c.lruGen
    ? Math.min(2, free - zonesWidth - lruGenWidth - sections - c.nodesShift - kasanTag - lastCpupidWidth)
    : 0;
  const nodesOff = BITS_PER_LONG - sections - c.nodesShift;
  const zonesOff = nodesOff - zonesWidth;
  const cpupidOff = zonesOff - lastCpupidWidth;
  const lruGenOff = cpupidOff - kasanTag - lruGenWidth;
  const lruRefsOff = lruGenOff - lruRefsWidth;
  // *_PGSHIFT is 0 for a zero-width field
  const f = (shift: number, width: number): BitField => ({ shift: width ? shift : 0, width });
  return {
    nodes: f(nodesOff, c.nodesShift),
    zones: f(zonesOff, zonesWidth),
    lastCpupid: c.numaBalancing && cpupidFits ? f(cpupidOff, lastCpupidWidth) : null,
    lruGen: f(lruGenOff, lruGenWidth),
    lruRefs: f(lruRefsOff, Math.max(0, lruRefsWidth)),
    lastCpupidShift,
    cpupidInPage: c.numaBalancing && !cpupidFits,
    zoneDevice: c.zoneDma ? 4 : 3,
  };
}

export const mask = (width: number): bigint => (1n << BigInt(width)) - 1n;

export function getField(flags: bigint, f: BitField): bigint {
  return f.width === 0 ? 0n : (flags >> BigInt(f.shift)) & mask(f.width);
}

/** The flags word __init_single_page() leaves for (zone, nid), before PG_reserved. */
export function initialFlags(L: FlagsLayout, zone: number, nid: number): bigint {
  let f = 0n;
  f |= (BigInt(zone) & mask(L.zones.width)) << BigInt(L.zones.shift);
  f |= (BigInt(nid) & mask(L.nodes.width)) << BigInt(L.nodes.shift);
  if (L.lastCpupid) f |= mask(L.lastCpupidShift) << BigInt(L.lastCpupid.shift);
  return f;
}
