// The native program for a whole configuration: recorded on three small sizes, extended to the
// full size (native-program.ts), and checked against the model's exact counts for that size
// (src/cost/extrapolate.ts): every load, cached store, MOVNTI, drain and field operation the
// harness will perform is one the model counts.
import { pageblock_nr_pages } from '../../model/kernel/constants.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { type ExactCounts, devicePfns, exactCounts, withDevicePfns } from '../cost/extrapolate.ts';
import { NativeError } from './native-build.ts';
import { type NativeProgram, type OpTotals, expand, extendProgram, programOf, totals } from './native-program.ts';
import { recordCalls } from './native-record.ts';

/** Sizes recorded: FIRST_STEP, +1 and +2 steps of one pageblock or compound page. */
const FIRST_STEP = 4;

export interface NativePlan {
  readonly program: NativeProgram;
  readonly exact: ExactCounts;
  readonly totals: OpTotals;
  /** Drains after streaming, by the 64-byte lines streamed since the previous drain (LONG_STREAM + 1: more). */
  readonly drainLines: ReadonlyMap<number, number>;
}

/** Lines streamed before a drain beyond which drains are counted together (as LONG_STREAM + 1). */
export const LONG_STREAM = 64;

/** Drains after streaming by the lines streamed since the previous drain (LONG_STREAM + 1: more). */
function drainLines(p: NativeProgram): Map<number, number> {
  const m = new Map<number, number>();
  let bytes = 0;
  for (const o of expand(p.items)) {
    if (o.op === 'nt') bytes += o.n;
    else if (o.op === 'sfence') {
      if (bytes > 0) {
        const k = Math.min(Math.ceil(bytes / 64), LONG_STREAM + 1);
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      bytes = 0;
    }
  }
  return m;
}

const CHECKED: readonly (readonly [keyof OpTotals, keyof ExactCounts['counts']])[] = [
  ['loads', 'loads'], ['loadBytes', 'loadBytes'], ['cachedStores', 'cachedStores'], ['cachedBytes', 'cachedBytes'],
  ['streamingStores', 'streamingStores'], ['streamingBytes', 'streamingBytes'], ['drains', 'drains'],
];

/** The model's field operations include the publish event, which has no memory effect (no op). */
const PUBLISH_EVENTS = 1;

export function planFor(v: Variant, s: Scenario): NativePlan {
  const M = devicePfns(s);
  const U = Math.max(pageblock_nr_pages, 2 ** s.pgmap.vmemmapShift);
  const r = M % U;
  const sizes = [0, 1, 2].map((i) => r + (FIRST_STEP + i) * U);
  let program: NativeProgram;
  let lines: Map<number, number>;
  if (M <= sizes[2]!) {
    program = programOf(recordCalls(v, s));
    lines = drainLines(program);
  } else {
    const small = sizes.map((m) => programOf(recordCalls(v, withDevicePfns(s, m)))) as [NativeProgram, NativeProgram, NativeProgram];
    program = extendProgram(small, sizes[0]!, U, M);
    const h = small.map(drainLines);
    lines = new Map();
    const steps = (M - sizes[0]!) / U;
    for (const k of new Set(h.flatMap((x) => [...x.keys()]))) {
      const [a, b, c] = h.map((x) => x.get(k) ?? 0) as [number, number, number];
      if (b - a !== c - b) throw new NativeError(`${v.name}: drains after ${k} streamed lines are not affine in the size (${a}, ${b}, ${c})`);
      const n = a + (b - a) * steps;
      if (n) lines.set(k, n);
    }
  }
  const exact = exactCounts(v, s);
  const t = totals(program.items);
  const bad = CHECKED.filter(([a, b]) => t[a] !== exact.counts[b]).map(([a, b]) => `${a} ${t[a]} vs ${b} ${exact.counts[b]}`);
  if (t.ops + PUBLISH_EVENTS !== exact.counts.fieldOps) bad.push(`ops ${t.ops} + publish vs fieldOps ${exact.counts.fieldOps}`);
  if (bad.length) throw new NativeError(`${v.name}: the native program disagrees with the model's counts in ${bad.join(', ')}`);
  const after = [...lines.values()].reduce((x, y) => x + y, 0);
  if (after !== exact.counts.drainsAfterStreaming) throw new NativeError(`${v.name}: ${after} drains after streaming in the program, ${exact.counts.drainsAfterStreaming} in the model`);
  return { program, exact, totals: t, drainLines: lines };
}
