// The cost model: counts -> predicted milliseconds, with four physical parameters (docs/cost-model.md).
//
//   memory  = read bytes / BW_read + written bytes / BW_write
//   cpu     = field operations * t_op
//   time    = max(memory, cpu) + drains after streaming stores * t_drain
//
// Reads and writes share the memory channels, so their times add. An out-of-order core overlaps
// its instructions with the memory traffic they cause, so the run takes the longer of the two (a
// roofline). An SFENCE with streaming stores in flight stalls until their write-combining buffers
// reach memory, and nothing overlaps with that, so those drains add.
import { lineTraffic } from '../../properties/cost.ts';
import type { Counts } from './counts.ts';

export interface CostParams {
  /** Memory read bandwidth, GB/s (= bytes per ns). */
  readonly bwRead: number;
  /** Memory write bandwidth, GB/s. */
  readonly bwWrite: number;
  /** Cost of one field-level operation (a memory event, with its share of the surrounding code), ns. */
  readonly tOp: number;
  /** Stall of one drain that finds streaming stores in flight, ns. */
  readonly tDrain: number;
}

/**
 * The per-drain cost is fixed, not fitted: an nd_pmem run drains once, so the seeds' nd_pmem rows
 * cannot determine it. An SFENCE behind a stream of MOVNTIs waits until the write-combining buffers
 * in flight are globally visible, about one memory round trip: ~100 ns on a 2-socket Ice Lake
 * server (loaded DRAM latency is 80-120 ns).
 */
export const T_DRAIN_NS = 100;

export type Bound = 'memory' | 'cpu';

export interface Prediction {
  readonly readBytes: number;
  readonly writeBytes: number;
  readonly memoryMs: number;
  readonly cpuMs: number;
  readonly drainMs: number;
  readonly bound: Bound;
  readonly ms: number;
}

const NS_PER_MS = 1e6;

export function predict(c: Counts, p: CostParams): Prediction {
  const { readBytes, writeBytes } = lineTraffic(c);
  const memoryMs = (readBytes / p.bwRead + writeBytes / p.bwWrite) / NS_PER_MS;
  const cpuMs = (c.fieldOps * p.tOp) / NS_PER_MS;
  const drainMs = (c.drainsAfterStreaming * p.tDrain) / NS_PER_MS;
  const bound: Bound = memoryMs >= cpuMs ? 'memory' : 'cpu';
  return { readBytes, writeBytes, memoryMs, cpuMs, drainMs, bound, ms: Math.max(memoryMs, cpuMs) + drainMs };
}

/** The additive alternative (no overlap of memory and instructions), kept for comparison in `npm run fit`. */
export function predictAdditive(c: Counts, p: CostParams): number {
  const { readBytes, writeBytes } = lineTraffic(c);
  return (readBytes / p.bwRead + writeBytes / p.bwWrite + c.fieldOps * p.tOp + c.drainsAfterStreaming * p.tDrain) / NS_PER_MS;
}

/** Reduction of `ms` against `baseMs`, in percent. */
export const reductionPct = (ms: number, baseMs: number): number => 100 * (1 - ms / baseMs);
