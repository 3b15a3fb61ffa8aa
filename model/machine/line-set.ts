// The set of lines this CPU holds in its cache, as flags in chunks of 64 consecutive lines shared
// copy-on-write with the states it hands out: a run over the memmap caches one line per struct page,
// and a flag in a chunk costs no set entry of its own (one map entry per 64 lines).
const CHUNK = 64;

interface Flags {
  /** 1 per line of the chunk in the set */
  readonly in: Uint8Array;
  count: number;
  /** the MutableLineSet epoch that may change it in place, or null */
  owner: object | null;
}

/** A state's cached lines, read-only (a ReadonlySet of line indices). */
export class LineSet implements ReadonlySet<number> {
  constructor(readonly chunks: ReadonlyMap<number, Flags>, readonly size: number) {}

  has(idx: number): boolean {
    const c = Math.floor(idx / CHUNK);
    const ch = this.chunks.get(c);
    return ch !== undefined && ch.in[idx - c * CHUNK] === 1;
  }

  *values(): SetIterator<number> {
    for (const [c, ch] of this.chunks) for (let i = 0; i < CHUNK; i++) if (ch.in[i]) yield c * CHUNK + i;
  }

  keys(): SetIterator<number> {
    return this.values();
  }

  *entries(): SetIterator<[number, number]> {
    for (const x of this.values()) yield [x, x];
  }

  [Symbol.iterator](): SetIterator<number> {
    return this.values();
  }

  forEach(f: (value: number, key: number, set: ReadonlySet<number>) => void, thisArg?: unknown): void {
    for (const x of this.values()) f.call(thisArg, x, x, this);
  }
}

/** The cached lines of one transient: changed in place, copied per chunk after `share()`. */
export class MutableLineSet {
  private chunks: Map<number, Flags>;
  private shared: boolean;
  private epoch: object = {};
  size: number;

  constructor(from: ReadonlySet<number>) {
    if (from instanceof LineSet) {
      this.chunks = from.chunks as Map<number, Flags>;
      this.size = from.size;
      this.shared = true;
    } else {
      this.chunks = new Map();
      this.size = 0;
      this.shared = false;
      for (const idx of from) this.add(idx);
    }
  }

  has(idx: number): boolean {
    const c = Math.floor(idx / CHUNK);
    const ch = this.chunks.get(c);
    return ch !== undefined && ch.in[idx - c * CHUNK] === 1;
  }

  /** Add idx; returns whether it was new. */
  add(idx: number): boolean {
    const c = Math.floor(idx / CHUNK);
    const i = idx - c * CHUNK;
    let ch = this.chunks.get(c);
    if (ch !== undefined && ch.in[i] === 1) return false;
    if (ch === undefined || ch.owner !== this.epoch) ch = this.own(c, ch);
    ch.in[i] = 1;
    ch.count++;
    this.size++;
    return true;
  }

  delete(idx: number): void {
    const c = Math.floor(idx / CHUNK);
    const i = idx - c * CHUNK;
    let ch = this.chunks.get(c);
    if (ch === undefined || ch.in[i] === 0) return;
    if (ch.owner !== this.epoch) ch = this.own(c, ch);
    ch.in[i] = 0;
    this.size--;
    if (--ch.count === 0) this.chunks.delete(c);
  }

  private own(c: number, ch: Flags | undefined): Flags {
    if (this.shared) {
      this.chunks = new Map(this.chunks);
      this.shared = false;
    }
    const mine: Flags = { in: ch ? ch.in.slice() : new Uint8Array(CHUNK), count: ch ? ch.count : 0, owner: this.epoch };
    this.chunks.set(c, mine);
    return mine;
  }

  /** The set, handed out read-only: chunks are copied before the next change to them. */
  share(): LineSet {
    this.shared = true;
    this.epoch = {};
    return new LineSet(this.chunks, this.size);
  }

  copy(): Set<number> {
    return new Set(new LineSet(this.chunks, this.size));
  }
}
