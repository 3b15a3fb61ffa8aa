// The counts the cost model prices: the machine's counters of one execution (model/cost.ts) plus
// what this layer derives from the run (struct pages, pfns, drains that find streaming stores in
// flight). Every field is additive over the pfns of a range, which is what makes the periodic
// extrapolation in extrapolate.ts exact.
import { type Cost, ZERO_COST } from '../../model/cost.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import type { TraceEntry } from '../../model/machine.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';

export interface Counts extends Cost {
  /** pfns memmap_init_zone_device() initializes (after the altmap skip). */
  readonly pfns: number;
  /** Struct pages with memory of their own (vmemmap dedup aliases left out). */
  readonly pages: number;
  /**
   * Drains issued after at least one streaming store since the previous drain: the SFENCEs that
   * have write-combining buffers to wait for. A drain with nothing streamed since the last one
   * has nothing to wait for.
   */
  readonly drainsAfterStreaming: number;
}

export const COUNT_KEYS: readonly (keyof Counts)[] = [
  ...(Object.keys(ZERO_COST) as (keyof Cost)[]), 'pfns', 'pages', 'drainsAfterStreaming',
];

export const ZERO_COUNTS: Counts = { ...ZERO_COST, pfns: 0, pages: 0, drainsAfterStreaming: 0 };

/** One execution's counts and the struct page size they were taken with. */
export interface Measured {
  readonly counts: Counts;
  readonly sizeofPage: number;
}

export type Measure = (v: Variant, s: Scenario) => Measured;

/** Drains that follow streaming stores, from an execution trace. */
export function drainsAfterStreaming(trace: readonly TraceEntry[]): number {
  let streamed = false;
  let n = 0;
  for (const { event: e } of trace) {
    if (e.kind === 'store' && e.via === 'streaming') streamed = true;
    else if (e.kind === 'drain') {
      if (streamed) n++;
      streamed = false;
    }
  }
  return n;
}

/**
 * Run a variant once (streaming stores land at once: no counter depends on when they land) and
 * take its counts. A run with drains is traced, for `drainsAfterStreaming`: a variant that names
 * drain sites is traced at once, any other one is run again if it turns out to drain.
 */
export const measure: Measure = (v, s) => {
  let traced = v.drainSites.length > 0;
  let r = runVariant(v, s, { schedule: LAND_AT_ONCE, trace: traced });
  if (!traced && r.settled.cost.drains > 0) {
    traced = true;
    r = runVariant(v, s, { schedule: LAND_AT_ONCE, trace: true });
  }
  return {
    counts: {
      ...r.settled.cost,
      pfns: r.image.endPfn - r.image.startPfn,
      pages: r.image.pfns.length,
      drainsAfterStreaming: traced ? drainsAfterStreaming(r.trace ?? []) : 0,
    },
    sizeofPage: r.image.sizeofPage,
  };
};

/** a + k * b, field by field. */
export function addScaled(a: Counts, b: Counts, k: number): Counts {
  const out: Record<string, number> = {};
  for (const key of COUNT_KEYS) out[key] = a[key] + k * b[key];
  return out as unknown as Counts;
}

export const subtract = (a: Counts, b: Counts): Counts => addScaled(a, b, -1);

export const sameCounts = (a: Counts, b: Counts): boolean => COUNT_KEYS.every((k) => a[k] === b[k]);

/** The fields in which two counts differ, for error messages. */
export const differingKeys = (a: Counts, b: Counts): (keyof Counts)[] => COUNT_KEYS.filter((k) => a[k] !== b[k]);
