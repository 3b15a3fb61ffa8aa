// Cost counters (DESIGN.md §6) and the cache state behind the line counts: the lines this CPU holds
// (a cached store to any other line reads it for ownership first) and the write-combining buffers
// of streamed lines (flushed whole: one line write; flushed part-filled: a partial write).
import { type Cost, type MutableCost } from '../cost.ts';
import { FULL_LINE } from './constants.ts';
import { MutableLineSet } from './line-set.ts';

export class Traffic {
  readonly cost: MutableCost;
  /** Lines in the cache; shared with states per chunk until changed after `share()`. */
  private readonly cached: MutableLineSet;
  /** A line index known to be in `cached`, or NaN. */
  private cIdx = NaN;
  /** Per line with an open write-combining buffer: the 4-byte units streamed into it. */
  private wc: Map<number, number>;
  private wcShared = true;

  constructor(cost: Cost, cachedLines: ReadonlySet<number>, wc: ReadonlyMap<number, number>) {
    this.cost = { ...cost };
    this.cached = new MutableLineSet(cachedLines);
    this.wc = wc instanceof Map ? wc : new Map(wc);
  }

  /** A cached store writes line idx: it flushes the line's write-combining buffer and owns the line. */
  cachedLine(idx: number): void {
    if (this.wc.size !== 0) this.evictWc(idx);
    if (idx === this.cIdx) return;
    if (this.cached.add(idx)) this.cost.rfoLines++;
    this.cIdx = idx;
  }

  /** A streaming store writes units [u0, u0+nu) of line idx: it evicts the line and combines. */
  streamedLine(idx: number, u0: number, nu: number): void {
    if (idx === this.cIdx) this.cIdx = NaN;
    this.cached.delete(idx);
    const units = (this.wc.size !== 0 ? (this.wc.get(idx) ?? 0) : 0) | (((1 << nu) - 1) << u0);
    if (units === FULL_LINE) {
      this.cost.streamingLinesFull++;
      if (this.wc.size !== 0 && this.wc.has(idx)) this.wcMut().delete(idx);
    } else this.wcMut().set(idx, units);
  }

  /** A load reads lines first..last: it flushes their write-combining buffers. */
  loadedLines(first: number, last: number): void {
    if (this.wc.size === 0) return;
    for (let i = first; i <= last; i++) this.evictWc(i);
  }

  /** Flush every write-combining buffer (a drain, or the end of the run). */
  flushWc(): void {
    this.cost.streamingLinesPartial += this.wc.size;
    if (this.wc.size === 0) return;
    if (this.wcShared) {
      this.wc = new Map();
      this.wcShared = false;
    } else this.wc.clear();
  }

  /** The cache state, handed out read-only: copied again before the next change. */
  share(): { readonly cachedLines: ReadonlySet<number>; readonly wc: ReadonlyMap<number, number> } {
    this.wcShared = true;
    return { cachedLines: this.cached.share(), wc: this.wc };
  }

  copy(): { readonly cachedLines: ReadonlySet<number>; readonly wc: ReadonlyMap<number, number> } {
    return { cachedLines: this.cached.copy(), wc: new Map(this.wc) };
  }

  /** A line whose write-combining buffer is flushed before it was filled costs a partial write. */
  private evictWc(idx: number): void {
    if (!this.wc.has(idx)) return;
    this.wcMut().delete(idx);
    this.cost.streamingLinesPartial++;
  }

  private wcMut(): Map<number, number> {
    if (this.wcShared) {
      this.wc = new Map(this.wc);
      this.wcShared = false;
    }
    return this.wc;
  }
}
