// The reduction of docs/exhaustive.md against the naive enumeration of schedules: on small cases,
// one run under UNTIL_DRAIN finds every hazard and every failing configuration that running every
// per-instruction delay finds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, Program } from '../model/events.ts';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import type { Drains } from '../model/kernel/copy.ts';
import { v1 } from '../model/kernel/variants/v1.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { execute, initialState, peek, settle } from '../model/machine.ts';
import { LAND_AT_ONCE, type Schedule, UNTIL_DRAIN } from '../model/schedule.ts';
import { type StartAlign, buildScenario } from '../properties/arbitraries.ts';
import { type Observation, naiveSchedules, observeNaive, observeReduced } from '../properties/exhaustive-naive.ts';
import { evaluate } from '../properties/evaluate.ts';
import { v3 } from '../model/kernel/variants/v3.ts';
import v3StreamPageblockAligned from './mutants/v3-stream-pageblock-aligned.ts';
import v5NoTemplateRefresh from './mutants/v5-no-template-refresh.ts';

const sorted = (s: ReadonlySet<string>) => [...s].sort();

// -- synthetic programs ---------------------------------------------------------------------------
// Straight-line programs over 32 bytes across a line boundary, whose later events depend on what
// they load (data flow: `copy` stores the last loaded bytes; control flow: `branch` skips the next
// op when the last loaded byte is odd), so that the event sequence itself could depend on the schedule.

type Op =
  | { readonly op: 'store'; readonly via: 'cached' | 'streaming'; readonly addr: number; readonly size: number; readonly granule: 4 | 8 }
  | { readonly op: 'copy'; readonly via: 'cached' | 'streaming'; readonly addr: number; readonly size: number; readonly granule: 4 | 8 }
  | { readonly op: 'load'; readonly addr: number; readonly size: number }
  | { readonly op: 'branch' }
  | { readonly op: 'drain' };

const BASE = 56; // bytes 56..71: the end of line 0 and the start of line 1
const SPAN = 16;
/** Streaming instructions a program may issue, so that the naive enumeration stays small. */
const MAX_INSNS = 3;

const writeArb = (op: 'store' | 'copy') => fc.record({
  via: fc.constantFrom<'cached' | 'streaming'>('cached', 'streaming'),
  unit: fc.integer({ min: 0, max: SPAN / 4 - 2 }),
  offset: fc.integer({ min: 0, max: 3 }),
  size: fc.integer({ min: 1, max: 8 }),
  wide: fc.boolean(),
}).map(({ via, unit, offset, size, wide }): Op => via === 'streaming'
  // a MOVNTI sequence: 4-aligned, whole instructions of 4 or 8 bytes
  ? { op, via, addr: BASE + unit * 4, size: wide ? 8 : 4, granule: wide && size > 4 ? 8 : 4 }
  : { op, via, addr: BASE + unit * 4 + offset, size: Math.min(size, SPAN - unit * 4 - offset), granule: 4 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: writeArb('store'), weight: 4 },
  { arbitrary: writeArb('copy'), weight: 1 },
  { arbitrary: fc.record({ at: fc.integer({ min: 0, max: SPAN - 1 }), size: fc.integer({ min: 1, max: 8 }) })
    .map(({ at, size }): Op => ({ op: 'load', addr: BASE + at, size: Math.min(size, SPAN - at) })), weight: 3 },
  { arbitrary: fc.constant<Op>({ op: 'branch' }), weight: 1 },
  { arbitrary: fc.constant<Op>({ op: 'drain' }), weight: 1 },
);

/** At most MAX_INSNS streaming instructions: later streaming writes become cached ones. */
const capInsns = (ops: readonly Op[]): Op[] => {
  let insns = 0;
  return ops.map((o) => {
    if ((o.op !== 'store' && o.op !== 'copy') || o.via !== 'streaming') return o;
    insns += o.size / o.granule;
    return insns <= MAX_INSNS ? o : { ...o, via: 'cached' };
  });
};
const programArb = fc.array(opArb, { minLength: 1, maxLength: 6 }).map(capInsns);

function* program(ops: readonly Op[], loads: Uint8Array[]): Program {
  let last: Uint8Array = new Uint8Array([0x5a]);
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.op === 'drain') yield { kind: 'drain', site: `d${i}` };
    else if (o.op === 'load') {
      last = (yield { kind: 'load', addr: o.addr, size: o.size })!;
      loads.push(last);
    } else if (o.op === 'branch') {
      if (last[last.length - 1]! & 1) i++;
    } else {
      const bytes = o.op === 'copy'
        ? Uint8Array.from({ length: o.size }, (_, j) => last[j % last.length]! ^ j)
        : Uint8Array.from({ length: o.size }, (_, j) => (i * 37 + j * 11 + 1) & 0xff);
      const ev: Event = o.via === 'streaming'
        ? { kind: 'store', via: 'streaming', addr: o.addr, bytes, granule: o.granule }
        : { kind: 'store', via: 'cached', addr: o.addr, bytes };
      yield ev;
    }
  }
  yield { kind: 'publish', site: 'return' };
}

interface SyntheticRun {
  readonly sites: readonly string[];
  readonly writeHazard: number;
  readonly firstHazard: number;
  readonly image: string;
  readonly loads: string;
  readonly events: number;
}

function runSynthetic(ops: readonly Op[], schedule: Schedule): SyntheticRun {
  const loads: Uint8Array[] = [];
  const end = execute(program(ops, loads), initialState({ schedule, fill: 0 })).state;
  const sites = end.hazards.map((h) => `${h.kind}/${h.cls}@${h.eventIndex}:${h.access.op} ${h.access.addr}+${h.access.size}`);
  const events = end.hazards.map((h) => h.eventIndex);
  const writes = end.hazards.filter((h) => h.kind === 'write-after-streaming').map((h) => h.eventIndex);
  return {
    sites, writeHazard: Math.min(Infinity, ...writes), firstHazard: Math.min(Infinity, ...events),
    image: [...peek(settle(end), BASE, SPAN)].join(','), loads: loads.map((l) => l.join(',')).join('|'), events: end.now,
  };
}

describe('the reduction on synthetic programs (every delay up to the end of the program)', () => {
  it('UNTIL_DRAIN finds the earliest hazard, every write-after-streaming, and every hazard while loads see program order', () => {
    let withWrite = 0;
    let diverging = 0;
    fc.assert(fc.property(programArb, (ops) => {
      const po = runSynthetic(ops, LAND_AT_ONCE); // no pending stores: loads return program order
      const u = runSynthetic(ops, UNTIL_DRAIN);
      // every landing point: a delay of more than the events left is "until the next drain"
      const schedules = [...naiveSchedules(MAX_INSNS, Math.max(0, po.events - 1))];
      const all = schedules.map((s) => runSynthetic(ops, s));
      const union = new Set(all.flatMap((r) => r.sites));
      // the reduction's hazards are real (UNTIL_DRAIN is a schedule) ...
      for (const s of u.sites) expect(union.has(s)).toBe(true);
      // ... the earliest hazard and the earliest write-after-streaming of any schedule are UNTIL_DRAIN's
      expect(u.firstHazard).toBe(Math.min(...all.map((r) => r.firstHazard)));
      expect(u.writeHazard).toBe(Math.min(...all.map((r) => r.writeHazard)));
      // ... every hazard up to UNTIL_DRAIN's first write-after-streaming is UNTIL_DRAIN's too
      const early = [...union].filter((s) => Number(/@(\d+):/.exec(s)![1]) <= u.writeHazard);
      expect(sorted(new Set(early))).toEqual(sorted(new Set(u.sites.filter((s) => Number(/@(\d+):/.exec(s)![1]) <= u.writeHazard))));
      // a configuration fails (a hazard, or a final image other than program order's) under some
      // schedule exactly when it fails under UNTIL_DRAIN
      const fails = (r: SyntheticRun) => r.sites.length > 0 || r.image !== po.image;
      expect(fails(u)).toBe(all.some(fails));
      if (u.writeHazard !== Infinity) withWrite++;
      if (u.loads === po.loads) {
        // loads see program order under UNTIL_DRAIN, hence under every schedule: same events,
        // and UNTIL_DRAIN's hazards are all hazards of all schedules
        for (const r of all) expect(r.loads).toBe(po.loads);
        expect(sorted(union)).toEqual(sorted(new Set(u.sites)));
      } else diverging++;
      if (u.writeHazard === Infinity) {
        // no write-after-streaming: every schedule ends with the program-order image
        for (const r of all) expect(r.image).toBe(po.image);
        expect(u.loads).toBe(po.loads);
      }
    }), { seed: 0x657868, numRuns: 250 });
    // the generator reaches the interesting cases
    expect(withWrite).toBeGreaterThan(20);
    expect(diverging).toBeGreaterThan(0);
  });
});

// -- kernel scenarios -------------------------------------------------------------------------------

const scenario = (order: number, pages: number, align: StartAlign = 'section', kconfig = X86_64_DEFAULT) =>
  buildScenario({ kconfig, vmemmapShift: order, altmap: null, earlySection: false }, 3, pages, align, 0);
const none: Drains = { removed: new Set() };
const DEBUG_VM = { ...X86_64_DEFAULT, debugVm: true };
const without = (site: string): Drains => ({ removed: new Set([site]) });

const expectSame = (naive: Observation, reduced: Observation) => {
  expect(sorted(naive.violated)).toEqual(sorted(reduced.violated));
  expect(sorted(naive.sites)).toEqual(sorted(reduced.sites));
  expect(naive.firstHazardEvent).toBe(reduced.firstHazardEvent);
};

describe('the reduction on kernel scenarios (every delay in {0, .., D, drain} for every streaming store)', () => {
  it.each<[string, Variant, ReturnType<typeof scenario>, Drains, number, string[]]>([
    // (v1 order 1 streams 16 u64 stores, too many to enumerate naively: v3 shows the folio alias)
    ['v3 without before-prep_compound_head, order 1 (folio-alias write-after-streaming)', v3, scenario(1, 1),
      without('before-prep_compound_head'), 1, ['identical', 'invariants', 'no-read-after-streaming', 'no-write-after-streaming']],
    ['v1, order 0, DEBUG_VM (pageblock init reads the streamed page)', v1, scenario(0, 1, 'section', DEBUG_VM), none, 1,
      ['no-read-after-streaming']],
    ['v5 without before-return, order 0, 2 pages across a pageblock', v5, scenario(0, 2, 'pageblock-end'), without('before-return'), 1,
      ['published-clean']],
    ['v5 without before-return, order 0, 2 pages across a pageblock, DEBUG_VM', v5, scenario(0, 2, 'pageblock-end', DEBUG_VM),
      without('before-return'), 1, ['no-read-after-streaming', 'published-clean']],
    ['v5, order 0, 2 pages (clean)', v5, scenario(0, 2), none, 0, []],
    ['v3 streaming pageblock-aligned pfns, order 0, DEBUG_VM (read-after-streaming)', v3StreamPageblockAligned,
      scenario(0, 1, 'section', DEBUG_VM), none, 0, ['no-read-after-streaming']],
    ['v5 without the template refresh, WANT_PAGE_VIRTUAL (identical)', v5NoTemplateRefresh,
      scenario(0, 2, 'section', { ...X86_64_DEFAULT, arch: 'generic64', wantPageVirtual: true }), none, 0, ['identical', 'invariants']],
  ])('%s', (_, v, s, drains, maxDelay, violated) => {
    const m = evaluate(v, { scenario: s, schedule: UNTIL_DRAIN }, { drains }).run.end.nextK;
    expect(m).toBeLessThanOrEqual(9);
    const naive = observeNaive(v, s, drains, m, maxDelay);
    expect(naive.runs).toBe((maxDelay + 2) ** m);
    expect(naive.maxInstructions).toBe(m); // every run issued the same instructions, all enumerated
    const reduced = observeReduced(v, s, drains);
    expectSame(naive, reduced);
    expect(sorted(reduced.violated)).toEqual(violated);
  });
});
