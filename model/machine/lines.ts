// Landed memory of one transient: 64-byte lines kept in chunks of 64 consecutive lines (4 KiB, one
// vmemmap page), shared copy-on-write with the states it came from and hands out. A chunk is one
// buffer: a run over the memmap writes a chunk per 64 struct pages instead of a map entry and an
// array object per line (which cost most of the time and the garbage of a large run), and a range
// is read back with one copy per chunk. Lines never written read as the fill value.
import { LINE } from './constants.ts';

/** Lines per chunk (a power of 2). */
export const CHUNK_LINES = 64;
const CHUNK_BYTES = CHUNK_LINES * LINE;
const MAX_SLAB = 64;

/** A run of CHUNK_LINES lines. */
export interface Chunk {
  /** the lines' bytes; a line not written holds the fill value */
  readonly bytes: Uint8Array;
  /** the same bytes as 32-bit words (a whole line is copied as 16 words) */
  readonly words: Int32Array;
  /** 1 for each line written (present in the map) */
  readonly present: Uint8Array;
  /** lines present */
  count: number;
  /** the LineMemory epoch that may write it in place (older epochs copy it first), or null */
  owner: object | null;
  /** per line, its bytes as a view (made when asked for) */
  views: (Uint8Array | undefined)[] | null;
}

/** Lines of one fill value, shared read-only (a transient copies before writing). */
const fillLines = new Map<number, Uint8Array>();
export function fillLineOf(fill: number): Uint8Array {
  let l = fillLines.get(fill);
  if (!l) fillLines.set(fill, (l = new Uint8Array(LINE).fill(fill)));
  return l;
}

function lineView(ch: Chunk, i: number): Uint8Array {
  const views = (ch.views ??= []);
  return (views[i] ??= ch.bytes.subarray(i * LINE, (i + 1) * LINE));
}

/**
 * The landed lines of a state: line index -> its 64 bytes, read-only (a ReadonlyMap, so that a
 * state reads the same whether its lines came from a transient or a plain Map). Iteration goes by
 * chunk, then by line.
 */
export class LineMap implements ReadonlyMap<number, Uint8Array> {
  constructor(
    /** chunk index (line index / CHUNK_LINES) -> chunk; never changed once handed out */
    readonly chunks: ReadonlyMap<number, Chunk>,
    readonly size: number,
    readonly fill: number,
  ) {}

  get(idx: number): Uint8Array | undefined {
    const c = Math.floor(idx / CHUNK_LINES);
    const ch = this.chunks.get(c);
    if (ch === undefined) return undefined;
    const i = idx - c * CHUNK_LINES;
    return ch.present[i] ? lineView(ch, i) : undefined;
  }

  has(idx: number): boolean {
    const c = Math.floor(idx / CHUNK_LINES);
    const ch = this.chunks.get(c);
    return ch !== undefined && ch.present[idx - c * CHUNK_LINES] === 1;
  }

  *entries(): MapIterator<[number, Uint8Array]> {
    for (const [c, ch] of this.chunks) {
      for (let i = 0; i < CHUNK_LINES; i++) if (ch.present[i]) yield [c * CHUNK_LINES + i, lineView(ch, i)];
    }
  }

  *keys(): MapIterator<number> {
    for (const [idx] of this.entries()) yield idx;
  }

  *values(): MapIterator<Uint8Array> {
    for (const [, l] of this.entries()) yield l;
  }

  [Symbol.iterator](): MapIterator<[number, Uint8Array]> {
    return this.entries();
  }

  forEach(f: (value: Uint8Array, key: number, map: ReadonlyMap<number, Uint8Array>) => void, thisArg?: unknown): void {
    for (const [idx, l] of this.entries()) f.call(thisArg, l, idx, this);
  }

  /** Copy bytes [addr, addr+size) into out at `at` (lines never written read as the fill value). */
  readInto(addr: number, size: number, out: Uint8Array, at: number): void {
    for (let i = 0; i < size; ) {
      const a = addr + i;
      const c = Math.floor(a / CHUNK_BYTES);
      const off = a - c * CHUNK_BYTES;
      const n = Math.min(CHUNK_BYTES - off, size - i);
      const ch = this.chunks.get(c);
      if (ch === undefined) out.fill(this.fill, at + i, at + i + n);
      else out.set(n === CHUNK_BYTES ? ch.bytes : ch.bytes.subarray(off, off + n), at + i);
      i += n;
    }
  }
}

export class LineMemory {
  readonly fillLine: Uint8Array;
  /** chunk index -> chunk; shared with states until the first change after `share()` */
  private chunks: Map<number, Chunk>;
  private shared: boolean;
  /** Chunks whose owner is this token are this memory's own (writable in place); `share()` renews it. */
  private epoch: object = {};
  private count: number;
  /** The last chunk returned for writing (own, and the one in `chunks`), and its index, or NaN. */
  private wIdx = NaN;
  private wChunk: Chunk | null = null;
  /** A chunk index and its entry (undefined: none), for reads; or NaN. */
  private rIdx = NaN;
  private rChunk: Chunk | undefined = undefined;
  /** Byte offset in the array `writable()` returned of the line it was asked for. */
  at = 0;
  /** New chunks are cut from slabs (fewer buffers to allocate and track), doubling up to MAX_SLAB chunks. */
  private slab: ArrayBuffer | null = null;
  private slabOff = 0;
  private slabChunks = 1;

  constructor(readonly fill: number, lines: ReadonlyMap<number, Uint8Array>) {
    this.fillLine = fillLineOf(fill);
    if (lines instanceof LineMap && lines.fill === fill) {
      this.chunks = lines.chunks as Map<number, Chunk>;
      this.count = lines.size;
      this.shared = true;
    } else {
      this.chunks = new Map();
      this.count = 0;
      this.shared = false;
      for (const [idx, l] of lines) {
        const b = this.writable(idx);
        b.set(l.subarray(0, LINE), this.at);
      }
    }
  }

  /**
   * Line idx for writing: returns its chunk's bytes, with the line at `this.at` (the line is
   * present from now on). The chunk is this memory's own: copied first if a state shares it.
   */
  writable(idx: number): Uint8Array {
    const c = Math.floor(idx / CHUNK_LINES);
    const i = idx - c * CHUNK_LINES;
    let ch = c === this.wIdx ? this.wChunk! : this.ownChunk(c);
    if (ch.present[i] === 0) {
      ch.present[i] = 1;
      ch.count++;
      this.count++;
    }
    this.at = i * LINE;
    return ch.bytes;
  }

  /** Set line idx to the 16 words of `src` from index w0 (a whole line lands). */
  setLine(idx: number, src: Int32Array, w0: number): void {
    this.writable(idx);
    const words = this.wChunk!.words;
    const at = this.at >> 2;
    for (let w = 0; w < LINE / 4; w++) words[at + w] = src[w0 + w]!;
  }

  private ownChunk(c: number): Chunk {
    let ch = this.chunks.get(c);
    if (ch === undefined || ch.owner !== this.epoch) {
      if (this.slab === null || this.slabOff === this.slab.byteLength) {
        this.slab = new ArrayBuffer(this.slabChunks * CHUNK_BYTES);
        this.slabOff = 0;
        this.slabChunks = Math.min(2 * this.slabChunks, MAX_SLAB);
      }
      const bytes = new Uint8Array(this.slab, this.slabOff, CHUNK_BYTES);
      const words = new Int32Array(this.slab, this.slabOff, CHUNK_BYTES / 4);
      this.slabOff += CHUNK_BYTES;
      let present: Uint8Array;
      let count = 0;
      if (ch === undefined) {
        if (this.fill !== 0) bytes.fill(this.fill);
        present = new Uint8Array(CHUNK_LINES);
      } else {
        bytes.set(ch.bytes);
        present = ch.present.slice();
        count = ch.count;
      }
      ch = { bytes, words, present, count, owner: this.epoch, views: null };
      if (this.shared) {
        this.chunks = new Map(this.chunks);
        this.shared = false;
      }
      this.chunks.set(c, ch);
      if (c === this.rIdx) this.rChunk = ch;
    }
    this.wIdx = c;
    this.wChunk = ch;
    return ch;
  }

  /** The chunk of line idx for reading (undefined: never written). */
  private chunkOf(idx: number): Chunk | undefined {
    const c = Math.floor(idx / CHUNK_LINES);
    if (c === this.wIdx) return this.wChunk!;
    if (c === this.rIdx) return this.rChunk;
    const ch = this.chunks.get(c);
    this.rIdx = c;
    this.rChunk = ch;
    return ch;
  }

  /** Bytes [off, off+n) of line idx, as a new array (a load's result). */
  slice(idx: number, off: number, n: number): Uint8Array {
    const ch = this.chunkOf(idx);
    if (ch === undefined) return this.fillLine.slice(off, off + n);
    const b0 = (idx % CHUNK_LINES) * LINE + off;
    return ch.bytes.slice(b0, b0 + n);
  }

  /** Copy bytes [off, off+n) of line idx into out at `at`. */
  read(idx: number, off: number, n: number, out: Uint8Array, at: number): void {
    const ch = this.chunkOf(idx);
    if (ch === undefined) {
      out.fill(this.fill, at, at + n);
      return;
    }
    const b0 = (idx % CHUNK_LINES) * LINE + off;
    const bytes = ch.bytes;
    for (let b = 0; b < n; b++) out[at + b] = bytes[b0 + b]!;
  }

  /** The lines, handed out read-only: this memory copies a chunk before its next change to it. */
  share(): LineMap {
    this.shared = true;
    this.epoch = {};
    this.wIdx = NaN;
    this.wChunk = null;
    return new LineMap(this.chunks, this.count, this.fill);
  }

  /** A copy of the lines, leaving this memory as it is. */
  copy(): Map<number, Uint8Array> {
    return new Map([...new LineMap(this.chunks, this.count, this.fill)].map(([i, l]) => [i, l.slice()]));
  }
}
