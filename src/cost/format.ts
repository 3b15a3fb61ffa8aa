// The counters of one execution as report lines (DESIGN.md §6), for `check` reports and anything
// else that shows one run; `costFields` is the same for JSON.
import type { Cost } from '../../model/cost.ts';
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

/** The counters plus the derived memory traffic, for JSON output. */
export function costFields(c: Cost): Cost & { readonly readBytes: number; readonly writeBytes: number } {
  return { ...c, ...lineTraffic(c) };
}
