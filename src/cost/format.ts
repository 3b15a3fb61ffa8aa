// The counters of one execution as report lines (DESIGN.md §6), for `check` reports and anything
// else that shows one run; `costFields` is the same for JSON.
import type { Cost } from '../../model/cost.ts';
import { X86_64_DEFAULT } from '../../model/kernel/config.ts';
import { PAGES_PER_SECTION } from '../../model/kernel/constants.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { lineTraffic } from '../../properties/cost.ts';

const n = (x: number): string => x.toLocaleString('en-US');

/** Two lines: stores, lines and read-for-ownership; loads, drains and operations. */
export function formatCost(c: Cost): string[] {
  const { readBytes, writeBytes } = lineTraffic(c);
  return [
    `cost: ${n(c.cachedStores)} cached stores (${n(c.cachedBytes)} B), ${n(c.streamingStores)} streaming stores (${n(c.streamingBytes)} B) in ${n(c.streamingLinesFull)} whole + ${n(c.streamingLinesPartial)} partial lines; ${n(c.rfoLines)} lines read for ownership`,
    `      ${n(c.loads)} loads (${n(c.loadBytes)} B), ${n(c.loadsHittingPending)} hitting pending streaming data; ${n(c.drains)} drains, ${n(c.linesPendingAtDrains)} lines pending at them; ${n(c.fieldOps)} field operations; memory traffic ${n(readBytes)} B read + ${n(writeBytes)} B written`,
  ];
}

/** The counters in one sentence, for a counterexample report. */
export function costSentence(c: Cost): string {
  const { readBytes, writeBytes } = lineTraffic(c);
  return `${n(c.cachedStores)} cached stores (${n(c.cachedBytes)} B), ${n(c.streamingStores)} streaming ` +
    `(${n(c.streamingBytes)} B; ${n(c.streamingLinesFull)} whole, ${n(c.streamingLinesPartial)} partial lines), ` +
    `${n(c.rfoLines)} lines read for ownership, ${n(c.loads)} loads (${n(c.loadsHittingPending)} of pending data), ` +
    `${n(c.drains)} drains, ${n(c.fieldOps)} field operations; traffic ${n(readBytes)} B read, ${n(writeBytes)} B written`;
}

/** The counters plus the derived memory traffic, for JSON output. */
export function costFields(c: Cost): Cost & { readonly readBytes: number; readonly writeBytes: number } {
  return { ...c, ...lineTraffic(c) };
}

/** One section of order-0 FS_DAX pages on the typical x86_64 build: a variant's everyday cost. */
export const TYPICAL_COST_SCENARIO: Scenario = {
  kconfig: X86_64_DEFAULT, pgmap: { type: 3, vmemmapShift: 0, altmap: null },
  startPfn: 0x100000, nrPages: PAGES_PER_SECTION, nid: 0, earlySection: false,
};

/** The counters of a variant on TYPICAL_COST_SCENARIO (every store landing at once). */
export function typicalCost(v: Variant): Cost {
  return runVariant(v, TYPICAL_COST_SCENARIO, { schedule: LAND_AT_ONCE }).settled.cost;
}
