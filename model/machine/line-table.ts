// Line index -> slot for the store buffer's pending lines: a hash table of typed arrays (no
// object per entry), so that millions of pending lines cost no garbage.
import { NO_F64, NO_I32 } from './empty.ts';

/**
 * Line index -> slot (a non-negative int): open addressing with linear probing, without an object
 * per entry. Line indices are mostly consecutive (the memmap): the hash scatters groups of 8
 * consecutive lines (Fibonacci hashing) and keeps each group together, so neighbours share a
 * cache line of keys while no long run of occupied entries builds up.
 */
export class LineTable {
  size = 0;
  private used = 0; // entries holding a key or a tombstone
  /** Per entry: EMPTY, TOMB, or line index + 1 (so that a new array is all EMPTY). */
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number; // 32 - log2(capacity / 8)

  constructor() {
    // allocated at the first add (many transients never hold a pending line)
    this.keys = NO_F64;
    this.vals = NO_I32;
    this.mask = 0;
    this.shift = 0;
  }

  private hash(idx: number): number {
    const g = Math.floor(idx / 8);
    const f = Math.imul((g >>> 0) ^ Math.imul((g / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1);
    return ((f >>> this.shift) << 3) | (idx & 7);
  }

  get(idx: number): number {
    if (this.size === 0) return -1;
    const keys = this.keys;
    const key = idx + 1;
    for (let h = this.hash(idx); ; h = (h + 1) & this.mask) {
      const k = keys[h]!;
      if (k === key) return this.vals[h]!;
      if (k === EMPTY) return -1;
    }
  }

  /** Enter idx (not present) with its slot. */
  add(idx: number, slot: number): void {
    if (2 * (this.used + 1) > this.keys.length) this.rehash(this.size + 1);
    const keys = this.keys;
    let h = this.hash(idx);
    while (keys[h]! > 0) h = (h + 1) & this.mask;
    if (keys[h] === EMPTY) this.used++;
    keys[h] = idx + 1;
    this.vals[h] = slot;
    this.size++;
  }

  /** Change the slot of idx (present). */
  move(idx: number, slot: number): void {
    const keys = this.keys;
    let h = this.hash(idx);
    while (keys[h] !== idx + 1) h = (h + 1) & this.mask;
    this.vals[h] = slot;
  }

  delete(idx: number): void {
    const keys = this.keys;
    const key = idx + 1;
    for (let h = this.hash(idx); ; h = (h + 1) & this.mask) {
      const k = keys[h]!;
      if (k === key) {
        keys[h] = TOMB;
        this.size--;
        return;
      }
      if (k === EMPTY) return;
    }
  }

  clear(): void {
    if (this.used === 0) return;
    if (this.keys.length > 1024 && 8 * this.used < this.keys.length) this.reset(MIN_TABLE);
    else {
      this.keys.fill(EMPTY);
      this.size = 0;
      this.used = 0;
    }
  }

  private reset(cap: number): void {
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap);
    this.mask = cap - 1;
    this.shift = 35 - Math.log2(cap);
    this.size = 0;
    this.used = 0;
  }

  private rehash(need: number): void {
    let cap = MIN_TABLE;
    while (cap < 4 * need) cap *= 2;
    const keys = this.keys;
    const vals = this.vals;
    this.reset(cap);
    for (let h = 0; h < keys.length; h++) if (keys[h]! > 0) this.add(keys[h]! - 1, vals[h]!);
  }
}
const EMPTY = 0;
const TOMB = -1;
const MIN_TABLE = 16; // >= 16: the hash takes at least one bit of the product

