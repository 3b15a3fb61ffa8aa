// The native harness performs the model's event stream, operation for operation: the folded
// program expands to the model's ops, its extension to a larger size equals a recording at that
// size and the model's exact counts, and the C built from it (-DTRACE) prints those same ops.
// No timing here: bench:native times it. Without `cc` the compiled part is skipped, saying so.
import { describe, expect, it } from 'vitest';
import { runVariant } from '../model/kernel/harness.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { LAND_AT_ONCE } from '../model/schedule.ts';
import { nativeUnavailable, traceHarness } from '../src/bench/native-build.ts';
import { generateC } from '../src/bench/native-codegen.ts';
import { basesOf, opText, opsOfTrace, rebase } from '../src/bench/native-ops.ts';
import { planFor } from '../src/bench/native-plan.ts';
import { NotAffineError, expand, extendProgram, programOf } from '../src/bench/native-program.ts';
import { recordCalls } from '../src/bench/native-record.ts';
import { nativeVariantByName } from '../src/bench/native-variants.ts';
import { withDevicePfns } from '../src/cost/extrapolate.ts';
import { type Mode, namespaceScenario } from '../src/cost/namespace.ts';

const G = 2 ** 30;
const seedNs = (mode: Mode): Scenario => namespaceScenario({ bytes: 100 * G, mode, align: '2M', mapDev: true });
/** The seeds' namespace cut to `m` device pfns. */
const small = (mode: Mode, m: number): Scenario => withDevicePfns(seedNs(mode), m);
const variant = (n: string): Variant => nativeVariantByName(n)!;

/** The model's own event stream (runVariant's trace), as ops in region offsets. */
function modelOps(v: Variant, s: Scenario, drains?: Set<string>): string[] {
  const trace = runVariant(v, s, { schedule: LAND_AT_ONCE, trace: true, ...(drains ? { drains: { removed: drains } } : {}) }).trace!;
  const ops = opsOfTrace(trace);
  const b = basesOf(ops);
  return ops.map((o) => opText(rebase(o, b)));
}

const programOps = (v: Variant, s: Scenario): string[] => [...expand(programOf(recordCalls(v, s)).items)].map(opText);

const CASES = [['fsdax', 'base-next'], ['fsdax', 'v5'], ['devdax', 'v5'], ['devdax', 'v5-cached'], ['devdax', 'v3']] as const;

describe('native program: the model stream, folded', () => {
  it.each(CASES)('%s %s, 2 pageblocks: expands to the model\'s events op for op', (mode, name) => {
    const s = small(mode, 1024);
    const want = modelOps(variant(name), s);
    expect(want.length).toBeGreaterThan(1000);
    expect(programOps(variant(name), s)).toEqual(want);
  });

  it('folds into the kernel\'s loops: one per pfn and one per pageblock for base-next order-0', () => {
    const p = programOf(recordCalls(variant('base-next'), small('fsdax', 2048)));
    const loops: [string, number, number][] = [];
    const walk = (items: typeof p.items): void => {
      for (const it of items) {
        if (it.kind === 'call') walk(it.items);
        else if (it.kind === 'loop' && it.body[0]!.kind === 'call') loops.push([it.body[0]!.fn, it.count, it.stride[0]]);
      }
    };
    walk(p.items);
    // without CONFIG_DEBUG_VM pageblock init reads no struct page: its first access is the
    // pageblock bitmap word, one u64 shared by the 4 pageblocks (stride 0)
    expect(loops).toEqual([['__init_zone_device_page', 2048, 64], ['init_pageblock_migratetype', 4, 0]]);
  });

  it('extends from three sizes to a fourth: equal to recording the fourth', () => {
    const v = variant('v5');
    const at = (k: number) => programOf(recordCalls(v, small('devdax', k * 512)));
    const ext = extendProgram([at(4), at(5), at(6)], 4 * 512, 512, 9 * 512);
    expect([...expand(ext.items)].map(opText)).toEqual(programOps(v, small('devdax', 9 * 512)));
    // not a whole number of steps: refused
    expect(() => extendProgram([at(4), at(5), at(6)], 4 * 512, 512, 9 * 512 + 1)).toThrow(NotAffineError);
  });

  it('the plan for a 64 MiB-memmap namespace matches the model\'s exact counts and its whole stream', () => {
    const s = small('devdax', 16 * 1024);
    const plan = planFor(variant('v5'), s);
    expect(plan.exact.counts.drainsAfterStreaming).toBe(63);
    expect(plan.drainLines).toEqual(new Map([[1, 31], [65, 32]]));
    expect([...expand(plan.program.items)].map(opText)).toEqual(modelOps(variant('v5'), s));
  });
});

const why = nativeUnavailable();

describe('native harness: the compiled C prints the model stream', () => {
  if (why) {
    it.skip(`skipped: ${why} (the op pattern is still checked above)`, () => {});
    return;
  }
  // one build each (cc is slow on a loaded machine): cached stores field by field, and the
  // streaming template path with its drains, template copies and the bitmap's cmpxchg
  let v5Built: string[] | undefined;
  const v5Trace = (): string[] => (v5Built ??= traceHarness(generateC(programOf(recordCalls(variant('v5'), small('devdax', 1024))), 'v5')));

  it('fsdax base-next: -DTRACE output equals the model\'s events', () => {
    const s = small('fsdax', 1024);
    expect(traceHarness(generateC(programOf(recordCalls(variant('base-next'), s)), 'base-next'))).toEqual(modelOps(variant('base-next'), s));
  });

  it('devdax v5: -DTRACE output equals the model\'s events', () => {
    const built = v5Trace();
    expect(built.filter((l) => l === 'sfence')).toHaveLength(4);
    expect(built.filter((l) => l.startsWith('cas 1 '))).toHaveLength(2);
    expect(built).toEqual(modelOps(variant('v5'), small('devdax', 1024)));
  });

  it('fails on a stream that is not the model\'s: v5 built, v5 without its final drain expected', () => {
    const built = v5Trace();
    const other = modelOps(variant('v5'), small('devdax', 1024), new Set(['before-return']));
    expect(built).not.toEqual(other);
    // the first difference is that drain: the harness has one SFENCE more
    const i = other.findIndex((l, j) => l !== built[j]);
    expect(built[i]).toBe('sfence');
    expect(built.length).toBe(other.length + 1);
  });
});
