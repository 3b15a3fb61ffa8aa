// The op stream of a run, compressed into the loops of the kernel code, and extended to a size
// too large to simulate.
//
// Folding: sibling items (ops, calls, loops) of one call that repeat as translates of one another
// (same shape, every memmap / usemap / stack address moved by the same stride per repetition)
// become a loop. memmap_init_zone_device() calling __init_zone_device_page() once per pfn folds
// into one loop whose body is that function's straight-line ops. Folding loses nothing: expand()
// gives back the op stream, op for op (checked by the callers and by test/native-harness.test.ts).
//
// Extension: record three sizes m, m + U, m + 2U (U a multiple of the pageblock and compound
// size); their programs must have the same shape and differ only in loop counts and addresses
// that grow by the same amount per U (affine in the size). The program for M pfns then follows,
// as the counts in src/cost/extrapolate.ts do; callers check its totals against exactCounts().
import { type Bases, type Op, basesOf, rebase } from './native-ops.ts';
import type { CallNode } from './native-record.ts';

export interface Loop {
  readonly kind: 'loop';
  readonly count: number;
  /** Bytes each iteration moves the memmap, usemap and stack addresses by. */
  readonly stride: readonly [number, number, number];
  readonly body: readonly Item[];
}

export interface Block {
  readonly kind: 'call';
  readonly fn: string;
  readonly items: readonly Item[];
}

export type Item = Op | Block | Loop;

export interface NativeProgram {
  readonly bases: Bases;
  /** Offsets are relative to the bases. */
  readonly items: readonly Item[];
}

/** Repetitions longer than this many siblings are not looked for. */
const MAX_PERIOD = 16;

/** Whether b is a translated by k * d (d filled in where unset: NaN). */
function same(a: Item, b: Item, d: number[], k: number): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'op') {
    const o = b as Op;
    if (a.op !== o.op || a.r !== o.r || a.n !== o.n || a.g !== o.g) return false;
    if (a.op === 'sfence') return true;
    // a repeated store writes the first one's value: it must be zero where that one is (a pointer
    // differs from page to page, but is never zero)
    if ((a.val === 0n) !== (o.val === 0n)) return false;
    const diff = o.a - a.a;
    if (Number.isNaN(d[a.r]!)) {
      if (diff % k !== 0) return false;
      d[a.r] = diff / k;
      return true;
    }
    return diff === k * d[a.r]!;
  }
  if (a.kind === 'call') {
    const c = b as Block;
    return a.fn === c.fn && sameList(a.items, c.items, d, k);
  }
  const l = b as Loop;
  return a.count === l.count && a.stride.every((s, i) => s === l.stride[i]) && sameList(a.body, l.body, d, k);
}

function sameList(a: readonly Item[], b: readonly Item[], d: number[], k: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!, d, k)) return false;
  return true;
}

/** items[i + k*L + j] is items[i + j] moved by k*d, for every j < L. */
function repeats(items: readonly Item[], i: number, L: number, k: number, d: number[]): boolean {
  for (let j = 0; j < L; j++) if (!same(items[i + j]!, items[i + k * L + j]!, d, k)) return false;
  return true;
}

/** One pass with period L: fold every run of at least two repetitions. */
function foldPass(items: readonly Item[], L: number): Item[] | null {
  const out: Item[] = [];
  let changed = false;
  let i = 0;
  while (i < items.length) {
    if (i + 2 * L <= items.length) {
      const d = [NaN, NaN, NaN];
      if (repeats(items, i, L, 1, d)) {
        let c = 2;
        while (i + (c + 1) * L <= items.length && repeats(items, i, L, c, d)) c++;
        const stride = d.map((x) => (Number.isNaN(x) ? 0 : x)) as [number, number, number];
        out.push({ kind: 'loop', count: c, stride, body: items.slice(i, i + L) });
        i += c * L;
        changed = true;
        continue;
      }
    }
    out.push(items[i]!);
    i++;
  }
  return changed ? out : null;
}

function foldList(list: readonly Item[]): Item[] {
  let items = list.map(foldItem);
  for (let L = 1; L <= Math.min(MAX_PERIOD, items.length >> 1); L++) {
    const f = foldPass(items, L);
    if (f) {
      items = f;
      L = 0; // start again with the shortest period
    }
  }
  return items;
}

function foldItem(it: Item): Item {
  if (it.kind === 'call') return { kind: 'call', fn: it.fn, items: foldList(it.items) };
  return it;
}

function rebaseItem(it: Item, b: Bases): Item {
  if (it.kind === 'op') return rebase(it, b);
  if (it.kind === 'call') return { ...it, items: it.items.map((x) => rebaseItem(x, b)) };
  return { ...it, body: it.body.map((x) => rebaseItem(x, b)) };
}

function* flatOps(items: readonly Item[]): Generator<Op> {
  for (const it of items) {
    if (it.kind === 'op') yield it;
    else if (it.kind === 'call') yield* flatOps(it.items);
    else yield* flatOps(it.body);
  }
}

/** The program of a recorded call tree: rebased to its regions and folded. */
export function programOf(root: CallNode): NativeProgram {
  const ops = [...flatOps([root])];
  const bases = basesOf(ops);
  const folded = foldList([rebaseItem(root, bases)]);
  return { bases, items: folded };
}

/** The ops of a program, op for op, with offsets in the regions. */
export function* expand(items: readonly Item[], at: readonly [number, number, number] = [0, 0, 0]): Generator<Op> {
  for (const it of items) {
    if (it.kind === 'op') yield it.op === 'sfence' ? it : { ...it, a: it.a + at[it.r] };
    else if (it.kind === 'call') yield* expand(it.items, at);
    else {
      for (let i = 0; i < it.count; i++) {
        yield* expand(it.body, [at[0] + i * it.stride[0], at[1] + i * it.stride[1], at[2] + i * it.stride[2]]);
      }
    }
  }
}

export interface OpTotals {
  readonly loads: number;
  readonly loadBytes: number;
  /** Cached stores, the bitmap's LOCK CMPXCHG included (the model counts it as a cached store). */
  readonly cachedStores: number;
  readonly cachedBytes: number;
  /** MOVNTI instructions. */
  readonly streamingStores: number;
  readonly streamingBytes: number;
  readonly drains: number;
  /** Ops: the model's field operations. */
  readonly ops: number;
}

const ZERO_TOTALS: OpTotals = { loads: 0, loadBytes: 0, cachedStores: 0, cachedBytes: 0, streamingStores: 0, streamingBytes: 0, drains: 0, ops: 0 };

const addTotals = (a: OpTotals, b: OpTotals, k = 1): OpTotals => {
  const out: Record<string, number> = {};
  for (const key of Object.keys(ZERO_TOTALS) as (keyof OpTotals)[]) out[key] = a[key] + k * b[key];
  return out as unknown as OpTotals;
};

/** Totals of a program without expanding it. */
export function totals(items: readonly Item[]): OpTotals {
  let t = ZERO_TOTALS;
  for (const it of items) {
    if (it.kind === 'loop') t = addTotals(t, totals(it.body), it.count);
    else if (it.kind === 'call') t = addTotals(t, totals(it.items));
    else {
      const one = { ...ZERO_TOTALS, ops: 1 };
      const x: OpTotals = it.op === 'ld' ? { ...one, loads: 1, loadBytes: it.n }
        : it.op === 'st' || it.op === 'cas' ? { ...one, cachedStores: 1, cachedBytes: it.n }
          : it.op === 'nt' ? { ...one, streamingStores: it.n / it.g, streamingBytes: it.n }
            : { ...one, drains: 1 };
      t = addTotals(t, x);
    }
  }
  return t;
}

/** Bytes each region must have: the end of the furthest op (NativeProgramError below offset 0). */
export function regionBytes(items: readonly Item[]): [number, number, number] {
  const ext: [number, number, number] = [0, 0, 0];
  type V = readonly [number, number, number];
  // lo / hi: how far the enclosing loops move an op's offset down and up
  const walk = (xs: readonly Item[], lo: V, hi: V): void => {
    for (const it of xs) {
      if (it.kind === 'op') {
        if (it.op === 'sfence') continue;
        if (it.a + lo[it.r] < 0) throw new NativeProgramError(`an op at offset ${it.a + lo[it.r]} of region ${it.r}: below the region`);
        ext[it.r] = Math.max(ext[it.r], it.a + it.n + hi[it.r]);
      } else if (it.kind === 'call') walk(it.items, lo, hi);
      else {
        const span = (r: number) => (it.count - 1) * it.stride[r]!;
        walk(it.body, [0, 1, 2].map((r) => lo[r]! + Math.min(0, span(r))) as unknown as V,
          [0, 1, 2].map((r) => hi[r]! + Math.max(0, span(r))) as unknown as V);
      }
    }
  };
  walk(items, [0, 0, 0], [0, 0, 0]);
  return ext;
}

export class NativeProgramError extends Error {
  override readonly name = 'NativeProgramError';
}

export class NotAffineError extends Error {
  override readonly name = 'NotAffineError';
}

/**
 * The program for size M from the programs of sizes m, m + U, m + 2U: same shape, counts and
 * offsets affine in the size (NotAffineError otherwise).
 */
export function extendProgram(p: readonly [NativeProgram, NativeProgram, NativeProgram], m: number, U: number, M: number): NativeProgram {
  const steps = (M - m) / U;
  if (!Number.isInteger(steps) || steps < 0) throw new NotAffineError(`size ${M} is not ${m} plus a whole number of ${U}-pfn steps`);
  const [a, b, c] = p;
  if (a.bases.some((x, i) => x !== b.bases[i] || x !== c.bases[i])) throw new NotAffineError('region bases differ between sizes');
  const lin = (x: number, y: number, z: number, what: string): number => {
    if (y - x !== z - y) throw new NotAffineError(`${what} is not affine in the size: ${x}, ${y}, ${z}`);
    return x + (y - x) * steps;
  };
  const ext = (x: Item, y: Item, z: Item): Item => {
    if (x.kind !== y.kind || x.kind !== z.kind) throw new NotAffineError(`shape differs between sizes: ${x.kind} / ${y.kind} / ${z.kind}`);
    if (x.kind === 'op') {
      const o = y as Op;
      const q = z as Op;
      if (x.op !== o.op || x.op !== q.op || x.r !== o.r || x.n !== o.n || x.g !== o.g) throw new NotAffineError('ops differ between sizes');
      return x.op === 'sfence' ? x : { ...x, a: lin(x.a, o.a, q.a, 'an op offset') };
    }
    if (x.kind === 'call') {
      const yb = y as Block;
      const zb = z as Block;
      if (x.fn !== yb.fn || x.fn !== zb.fn) throw new NotAffineError(`calls differ between sizes: ${x.fn} / ${yb.fn}`);
      return { ...x, items: extList(x.items, yb.items, zb.items) };
    }
    const yl = y as Loop;
    const zl = z as Loop;
    if (x.stride.some((s, i) => s !== yl.stride[i] || s !== zl.stride[i])) throw new NotAffineError('loop strides differ between sizes');
    return { ...x, count: lin(x.count, yl.count, zl.count, 'a loop count'), body: extList(x.body, yl.body, zl.body) };
  };
  const extList = (x: readonly Item[], y: readonly Item[], z: readonly Item[]): Item[] => {
    if (x.length !== y.length || x.length !== z.length) throw new NotAffineError(`item lists differ between sizes: ${x.length} / ${y.length} / ${z.length}`);
    return x.map((it, i) => ext(it, y[i]!, z[i]!));
  };
  return { bases: a.bases, items: extList(a.items, b.items, c.items) };
}
