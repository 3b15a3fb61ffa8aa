// The seeds' real configurations as scenarios: a PMEM namespace in fsdax mode (nd_pmem, order-0
// pages) or devdax mode (dax_pmem, compound pages of the namespace alignment), with its memmap on
// the device (map=dev: an altmap) or in RAM (map=mem).
//
// Geometry, from drivers/nvdimm/pfn_devs.c nd_pfn_init() and __nvdimm_setup_pfn():
//   npfns   = (size - 8K) / 4K                                   (the info block takes 8K)
//   map=dev: dataoff = ALIGN(start + 8K + 64 * npfns, align) - start   (MAX_STRUCT_PAGE_SIZE 64)
//            altmap.reserve = 2 pfns (the 8K info block), altmap.free = dataoff / 4K - 2
//   map=mem: no altmap; the memmap is allocated from RAM
// The dev_pagemap range is the whole namespace in both modes (drivers/nvdimm/pmem.c for fsdax,
// drivers/dax/pmem.c + device.c for devdax), and memmap_init_zone_device() skips reserve + free.
// devdax sets vmemmap_shift = order_base_2(align / 4K) and the GENERIC pgmap type; fsdax pages are
// order-0 FS_DAX pages.
import { match } from 'ts-pattern';
import { X86_64_DEFAULT } from '../../model/kernel/config.ts';
import { MEMORY_DEVICE_FS_DAX, MEMORY_DEVICE_GENERIC, PAGE_SIZE } from '../../model/kernel/constants.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';

export const MODES = ['fsdax', 'devdax'] as const;
export type Mode = (typeof MODES)[number];

export const ALIGNS = ['2M', '1G'] as const;
export type Align = (typeof ALIGNS)[number];

export interface Namespace {
  readonly bytes: number;
  readonly mode: Mode;
  readonly align: Align;
  /** map=dev: the memmap lives on the device (an altmap). */
  readonly mapDev: boolean;
}

/** Physical start of the modeled namespace: pfn 0x1000000 (64 GiB), 1 GiB- and section-aligned. */
export const NAMESPACE_BASE_PFN = 0x1000000;

const INFO_BLOCK = 8 * 1024;
const MAX_STRUCT_PAGE_SIZE = 64;
const UNIT: Record<string, number> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

export const alignBytes = (a: Align): number => match(a).with('2M', () => 2 ** 21).with('1G', () => 2 ** 30).exhaustive();

/** "100G" -> bytes (K, M, G, T are powers of 1024, as ndctl takes them); null if malformed. */
export function parseSize(text: string): number | null {
  const m = /^([1-9][0-9]*)([KMGT])(i?B)?$/i.exec(text);
  if (!m) return null;
  return Number(m[1]) * UNIT[m[2]!.toUpperCase()]!;
}

export function formatSize(bytes: number): string {
  for (const u of ['T', 'G', 'M', 'K'] as const) if (bytes % UNIT[u]! === 0) return `${bytes / UNIT[u]!}${u}`;
  return `${bytes}B`;
}

/** The info block plus (map=dev) the memmap at the start of the namespace, in bytes. */
export function dataOffset(ns: Namespace): number {
  const align = alignBytes(ns.align);
  const npfns = Math.floor((ns.bytes - INFO_BLOCK) / PAGE_SIZE);
  const need = INFO_BLOCK + (ns.mapDev ? MAX_STRUCT_PAGE_SIZE * npfns : 0);
  return Math.ceil(need / align) * align;
}

/** Why a namespace cannot be set up, or null. */
export function namespaceProblem(ns: Namespace): string | null {
  const align = alignBytes(ns.align);
  if (ns.bytes % align !== 0) return `--namespace=${formatSize(ns.bytes)} is not a multiple of --align ${ns.align}`;
  const off = dataOffset(ns);
  if (off >= ns.bytes) return `--namespace=${formatSize(ns.bytes)} is too small for --align ${ns.align}${ns.mapDev ? ' with --altmap' : ''}: the info block${ns.mapDev ? ' and memmap need' : ' needs'} ${formatSize(off)}`;
  if (ns.bytes > 255 * UNIT.T!) return `--namespace=${formatSize(ns.bytes)} is too large; allowed up to 255T`;
  return null;
}

export function namespaceScenario(ns: Namespace): Scenario {
  const off = dataOffset(ns) / PAGE_SIZE;
  const reserve = INFO_BLOCK / PAGE_SIZE;
  return {
    kconfig: X86_64_DEFAULT,
    pgmap: {
      type: ns.mode === 'fsdax' ? MEMORY_DEVICE_FS_DAX : MEMORY_DEVICE_GENERIC,
      vmemmapShift: ns.mode === 'fsdax' ? 0 : Math.log2(alignBytes(ns.align) / PAGE_SIZE),
      altmap: ns.mapDev ? { reserve, free: off - reserve } : null,
    },
    startPfn: NAMESPACE_BASE_PFN,
    nrPages: ns.bytes / PAGE_SIZE,
    nid: 0,
    earlySection: false,
  };
}

export function describeNamespace(ns: Namespace): string {
  const what = ns.mode === 'fsdax' ? 'fsdax (nd_pmem, order-0 pages)' : `devdax (dax_pmem, order-${Math.log2(alignBytes(ns.align) / PAGE_SIZE)} compound pages)`;
  return `${formatSize(ns.bytes)} ${what}, align ${ns.align}, ${ns.mapDev ? 'map=dev (memmap on the device: altmap)' : 'map=mem (memmap in RAM)'}`;
}
