// Landed memory of one transient: 64-byte lines in a map shared copy-on-write with the states it
// came from and hands out. Lines it writes are views into slabs it allocated since its last
// snapshot: a line is its own (writable in place) when its buffer is one of those slabs, without a
// per-line set. A line whose 64 bytes all land at a drain becomes a view of its pending bytes.
import { LINE } from './constants.ts';
import { NO_LINE } from './empty.ts';

const FIRST_SLAB = 16 * LINE;
const MAX_SLAB = 1024 * LINE;

/** Lines of one fill value, shared read-only (a transient copies before writing). */
const fillLines = new Map<number, Uint8Array>();
export function fillLineOf(fill: number): Uint8Array {
  let l = fillLines.get(fill);
  if (!l) fillLines.set(fill, (l = new Uint8Array(LINE).fill(fill)));
  return l;
}

export class LineMemory {
  readonly fillLine: Uint8Array;
  /** line index -> bytes; shared with states until the first change after `share()` */
  private map: Map<number, Uint8Array>;
  private shared = true;
  private slab: Uint8Array = NO_LINE;
  private slabBuffer: ArrayBufferLike | null = null;
  private slabOff = 0;
  private slabSize = FIRST_SLAB;
  private readonly ownedSlabs = new Set<ArrayBufferLike>();
  /** The last line returned by writable() (own, and the one in `map`), or NaN. */
  private wIdx = NaN;
  private wLine: Uint8Array = NO_LINE;
  /** A line index and its entry in `map` (undefined: never written), for reads; or NaN. */
  private rIdx = NaN;
  private rLine: Uint8Array | undefined = undefined;

  constructor(readonly fill: number, lines: ReadonlyMap<number, Uint8Array>) {
    this.fillLine = fillLineOf(fill);
    this.map = lines instanceof Map ? lines : new Map(lines);
  }

  /** Make `line` (a buffer this memory owns) the contents of line idx. */
  set(idx: number, line: Uint8Array): void {
    if (this.shared) {
      this.map = new Map(this.map);
      this.shared = false;
    }
    this.map.set(idx, line);
    if (idx === this.rIdx) this.rIdx = NaN;
    this.wIdx = idx;
    this.wLine = line;
  }

  /** Line idx, own and in the map; `whole`: the caller overwrites all of it (no need to copy it). */
  writable(idx: number, whole = false): Uint8Array {
    if (idx === this.wIdx) return this.wLine;
    const l = this.map.get(idx);
    if (l !== undefined && (l.buffer === this.slabBuffer || this.ownedSlabs.has(l.buffer))) {
      this.wIdx = idx;
      this.wLine = l;
      return l;
    }
    const fresh = this.alloc();
    if (!whole) fresh.set(l ?? this.fillLine);
    this.set(idx, fresh);
    return fresh;
  }

  /** Lines set from views of `buffer` are this memory's own (an adopted pending-data arena). */
  adopt(buffer: ArrayBufferLike): void {
    this.ownedSlabs.add(buffer);
  }

  /** Copy bytes [off, off+n) of line idx into out at `at`. */
  read(idx: number, off: number, n: number, out: Uint8Array, at: number): void {
    let line: Uint8Array | undefined;
    if (idx === this.wIdx) line = this.wLine;
    else if (idx === this.rIdx) line = this.rLine;
    else {
      line = this.map.get(idx);
      this.rIdx = idx;
      this.rLine = line;
    }
    line ??= this.fillLine;
    if (n === LINE) out.set(line, at);
    else for (let b = 0; b < n; b++) out[at + b] = line[off + b]!;
  }

  /** The lines, handed out read-only: copied again before the next change. */
  share(): ReadonlyMap<number, Uint8Array> {
    this.shared = true;
    this.ownedSlabs.clear();
    this.slab = NO_LINE;
    this.slabBuffer = null;
    this.slabOff = 0;
    this.slabSize = FIRST_SLAB;
    this.wIdx = NaN;
    this.wLine = NO_LINE;
    return this.map;
  }

  /** A copy of the lines, leaving this memory as it is. */
  copy(): Map<number, Uint8Array> {
    return new Map([...this.map].map(([i, l]) => [i, l.slice()]));
  }

  private alloc(): Uint8Array {
    if (this.slabOff === this.slab.length) {
      this.slab = new Uint8Array(this.slabSize);
      this.slabBuffer = this.slab.buffer;
      this.ownedSlabs.add(this.slabBuffer);
      this.slabOff = 0;
      this.slabSize = Math.min(2 * this.slabSize, MAX_SLAB);
    }
    const l = this.slab.subarray(this.slabOff, this.slabOff + LINE);
    this.slabOff += LINE;
    return l;
  }
}
