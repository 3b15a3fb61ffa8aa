// What a drain costs: drains executed per GiB of namespace, counted by the machine's cost counter
// (cost.drains) and scaled from small runs. One memmap_init_zone_device() call covers the
// namespace (pagemap_range() passes it as one range). Every loop iteration runs the same drain
// sites, so drains(n) for n pages of one size is affine, a*n + b: it is measured at n = 1..4,
// checked to be affine, and extrapolated to the pages in a GiB, which is then exact.
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import type { Drains } from '../model/kernel/copy.ts';
import { runVariant } from '../model/kernel/harness.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { LAND_AT_ONCE } from '../model/schedule.ts';
import { RANGE_BASE_PFN } from './arbitraries.ts';

/** 4-KiB pages in 1 GiB. */
export const PAGES_PER_GIB = 2 ** 18;
/** The two page sizes reported: order-0 (4 KiB) and 2 MiB compound pages (vmemmap_shift 9). */
export const COST_ORDERS = [0, 9] as const;

export interface DrainsPerGiB {
  readonly vmemmapShift: number;
  /** drains(n) = perPage * n + perCall, n = compound (or order-0) pages */
  readonly perPage: number;
  readonly perCall: number;
  /** perPage * pages-per-GiB + perCall */
  readonly perGiB: number;
  /** drains(1..4) was affine, so perGiB is exact; otherwise it is the measured trend only */
  readonly affine: boolean;
  readonly measured: readonly number[];
}

/** The typical build, FS_DAX, no altmap: the configuration the cost is counted on. */
export function costScenario(vmemmapShift: number, pages: number): Scenario {
  return {
    kconfig: X86_64_DEFAULT,
    pgmap: { type: 3, vmemmapShift, altmap: null },
    startPfn: RANGE_BASE_PFN,
    nrPages: pages * 2 ** vmemmapShift,
    nid: 0,
    earlySection: false,
  };
}

export function drainsExecuted(v: Variant, drains: Drains, vmemmapShift: number, pages: number): number {
  return runVariant(v, costScenario(vmemmapShift, pages), { schedule: LAND_AT_ONCE, drains }).end.cost.drains;
}

export function drainsPerGiB(v: Variant, drains: Drains, vmemmapShift: number): DrainsPerGiB {
  const measured = [1, 2, 3, 4].map((n) => drainsExecuted(v, drains, vmemmapShift, n));
  const [d1, d2, d3, d4] = measured as [number, number, number, number];
  const perPage = d2 - d1;
  const perCall = d1 - perPage;
  const affine = d3 - d2 === perPage && d4 - d3 === perPage;
  const pages = PAGES_PER_GIB / 2 ** vmemmapShift;
  return { vmemmapShift, perPage, perCall, perGiB: perPage * pages + perCall, affine, measured };
}

export interface SiteCost {
  /** drain site, or null for the variant as a whole */
  readonly site: string | null;
  readonly byOrder: readonly DrainsPerGiB[];
}

/** Drains per GiB of the whole variant, and of each site (the drains its removal saves). */
export function drainCosts(v: Variant, added: ReadonlySet<string> = new Set()): SiteCost[] {
  const all: Drains = { removed: new Set(), added };
  const total = COST_ORDERS.map((o) => drainsPerGiB(v, all, o));
  const sites = v.drainSites.map((s): SiteCost => {
    const without = COST_ORDERS.map((o) => drainsPerGiB(v, { removed: new Set([s.name]), added }, o));
    return {
      site: s.name,
      byOrder: total.map((t, i) => {
        const w = without[i]!;
        return {
          vmemmapShift: t.vmemmapShift,
          perPage: t.perPage - w.perPage,
          perCall: t.perCall - w.perCall,
          perGiB: t.perGiB - w.perGiB,
          affine: t.affine && w.affine,
          measured: t.measured.map((m, j) => m - w.measured[j]!),
        };
      }),
    };
  });
  return [...sites, { site: null, byOrder: total }];
}
