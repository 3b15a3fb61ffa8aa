// Cost counters kept by the machine on every execution (DESIGN.md §6).

export interface Cost {
  readonly cachedStores: number;
  readonly cachedBytes: number;
  readonly streamingStores: number;
  readonly streamingBytes: number;
  /** Write-combining buffers flushed with the whole 64-byte line written, or only part of it. */
  readonly streamingLinesFull: number;
  readonly streamingLinesPartial: number;
  /** Lines a cached store had to bring into the cache (read-for-ownership / write-allocate). */
  readonly rfoLines: number;
  readonly loads: number;
  readonly loadBytes: number;
  readonly loadsHittingPending: number;
  readonly drains: number;
  /** Sum over drains of the lines holding pending streaming data at that drain. */
  readonly linesPendingAtDrains: number;
  /** Memory events: a proxy for instructions. */
  readonly fieldOps: number;
}

export const ZERO_COST: Cost = {
  cachedStores: 0, cachedBytes: 0, streamingStores: 0, streamingBytes: 0,
  streamingLinesFull: 0, streamingLinesPartial: 0, rfoLines: 0,
  loads: 0, loadBytes: 0, loadsHittingPending: 0, drains: 0, linesPendingAtDrains: 0, fieldOps: 0,
};

export type MutableCost = { -readonly [K in keyof Cost]: number };
