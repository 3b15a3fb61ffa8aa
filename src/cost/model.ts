// The cost model: counts -> predicted milliseconds, with four physical parameters (docs/cost-model.md);
// the calibrated model has a fifth, the overlap exponent n (max below becomes the n-norm).
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
  /**
   * How instructions and memory traffic overlap: time = (memory^n + cpu^n)^(1/n). Absent (the
   * seed-fitted model): n = infinity, the roofline max(memory, cpu). Measured by `cost
   * --calibrate` (src/cost/calibrate.ts): a core does not hide all of either behind the other.
   */
  readonly overlap?: number;
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
  return { readBytes, writeBytes, memoryMs, cpuMs, drainMs, bound, ms: overlapped(memoryMs, cpuMs, p.overlap) + drainMs };
}

/** max(a, b) for n absent, else the n-norm (a^n + b^n)^(1/n): between max (n = infinity) and a + b (n = 1). */
export function overlapped(a: number, b: number, n?: number): number {
  if (n === undefined) return Math.max(a, b);
  const m = Math.max(a, b);
  if (m === 0) return 0;
  return m * ((a / m) ** n + (b / m) ** n) ** (1 / n);
}

/** The additive alternative (no overlap of memory and instructions), kept for comparison in `npm run fit`. */
export function predictAdditive(c: Counts, p: CostParams): number {
  const { readBytes, writeBytes } = lineTraffic(c);
  return (readBytes / p.bwRead + writeBytes / p.bwWrite + c.fieldOps * p.tOp + c.drainsAfterStreaming * p.tDrain) / NS_PER_MS;
}

/** Reduction of `ms` against `baseMs`, in percent. */
export const reductionPct = (ms: number, baseMs: number): number => 100 * (1 - ms / baseMs);
