// The fast engine (Transient, and `step` built on it) against the specification
// (model/machine/reference.ts) on generated event programs: cached and streaming stores of every
// granule at any offset (partial, overlapping, line-straddling), loads, drains, publish, call/ret
// and the odd bad event, under several schedules. After EVERY event: landed memory, pending bytes
// and instructions, cache and write-combining lines, hazards (every field), cost, call stack.
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event } from '../model/events.ts';
import { VariantFault } from '../model/faults.ts';
import { MAX_HAZARDS, type MachineState, Transient, initialState, settle, step } from '../model/machine.ts';
import * as spec from '../model/machine/reference.ts';
import { type Delay, LAND_AT_ONCE, type Schedule, UNTIL_DRAIN } from '../model/schedule.ts';
import { type Observed, type Window, observeEngine, observeSpec } from './machine-observe.ts';

type Op =
  | { t: 'st'; off: number; len: number; seed: number; cls: 0 | 1 | 2 }
  | { t: 'nt'; unit: number; g: 4 | 8; count: number; seed: number }
  | { t: 'ld'; off: number; size: number; cls: 0 | 1 | 2 }
  | { t: 'drain' }
  | { t: 'publish' }
  | { t: 'call'; fn: number }
  | { t: 'ret' };

const CLS = [undefined, 'folio', 'head-flags'] as const;
const FNS = ['memmap_init_compound', 'prep_compound_tail', '__init_single_page'];
const SPAN = 192; // three lines of offsets; accesses run up to 150 bytes past them
const bytesOf = (len: number, seed: number) => Uint8Array.from({ length: len }, (_, i) => (seed + 29 * i) & 0xff);

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ t: fc.constant('st' as const), off: fc.nat(SPAN), len: fc.integer({ min: 1, max: 72 }), seed: fc.nat(255), cls: fc.constantFrom(0 as const, 1 as const, 2 as const) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('nt' as const), unit: fc.nat(SPAN / 4), g: fc.constantFrom(4 as const, 8 as const), count: fc.integer({ min: 1, max: 12 }), seed: fc.nat(255) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('ld' as const), off: fc.nat(SPAN), size: fc.integer({ min: 1, max: 80 }), cls: fc.constantFrom(0 as const, 1 as const, 2 as const) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'drain' as const }) },
  { weight: 2, arbitrary: fc.constant({ t: 'publish' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('call' as const), fn: fc.nat(FNS.length - 1) }) },
  { weight: 1, arbitrary: fc.constant({ t: 'ret' as const }) },
);

const delay: fc.Arbitrary<Delay> = fc.oneof(fc.constant('drain' as const), fc.integer({ min: 0, max: 4 }));
const schedule: fc.Arbitrary<Schedule> = fc.oneof(
  fc.constant(LAND_AT_ONCE),
  fc.constant(UNTIL_DRAIN),
  fc.record({ base: delay, late: fc.constant([]) }),
  fc.record({ base: delay, late: fc.array(fc.tuple(fc.nat(40), delay), { maxLength: 8 }) }),
);
/** Small addresses, a high vmemmap-like one, and just below the usemap (big line indices). */
const base = fc.constantFrom(0, 0x4000_0000 + 8, 2 ** 50 - 128);

interface Case {
  readonly ops: readonly Op[];
  readonly base: number;
  readonly schedule: Schedule;
  readonly fill: number;
  /** preset the first line (a zeroed bitmap, as the harness does) */
  readonly preset: boolean;
  /** a bad event (BAD[which]) inserted before op `at`, in some cases */
  readonly bad: { readonly at: number; readonly which: number } | null;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  ops: fc.array(op, { maxLength: 36 }), base, schedule, fill: fc.constantFrom(0, 0xff), preset: fc.boolean(),
  bad: fc.option(fc.record({ at: fc.nat(36), which: fc.nat(12) }), { freq: 4 }),
});

/** The events of a case: rets only inside calls, so that a program stays well formed. */
function events(c: Case): Event[] {
  let depth = 0;
  const out: Event[] = [];
  for (const [i, o] of c.ops.entries()) {
    const b = c.base;
    if (c.bad?.at === i) out.push(BAD[c.bad.which]!(b));
    switch (o.t) {
      case 'st':
        out.push({ kind: 'store', via: 'cached', addr: b + o.off, bytes: bytesOf(o.len, o.seed), ...(o.cls ? { cls: CLS[o.cls] } : {}), fn: 'WRITE_ONCE' });
        break;
      case 'nt':
        out.push({ kind: 'store', via: 'streaming', addr: b + 4 * o.unit, bytes: bytesOf(o.g * o.count, o.seed), granule: o.g, fn: 'memcpy_streaming' });
        break;
      case 'ld':
        out.push({ kind: 'load', addr: b + o.off, size: o.size, ...(o.cls ? { cls: CLS[o.cls] } : {}) });
        break;
      case 'drain':
        out.push({ kind: 'drain', site: 'before-prep_compound_head', fn: 'memcpy_streaming_drain' });
        break;
      case 'publish':
        out.push({ kind: 'publish', site: 'return' });
        break;
      case 'call':
        depth++;
        out.push({ kind: 'call', fn: FNS[o.fn]! });
        break;
      case 'ret':
        if (depth > 0) {
          depth--;
          out.push({ kind: 'ret' });
        }
        break;
    }
  }
  return out;
}

/** Events a variant might yield by mistake: both machines must refuse them alike. */
const BAD: readonly ((b: number) => Event)[] = [
  (b) => ({ kind: 'load', addr: b, size: 2 ** 30 }),
  (b) => ({ kind: 'store', via: 'streaming', addr: b + 2, bytes: bytesOf(8, 1), granule: 8 }),
  (b) => ({ kind: 'store', via: 'streaming', addr: b, bytes: bytesOf(12, 1), granule: 8 }),
  (b) => ({ kind: 'store', via: 'streaming', addr: b, bytes: bytesOf(16, 1), granule: 16 }),
  (b) => ({ kind: 'store', via: 'uncached' as 'cached', addr: b, bytes: bytesOf(8, 1) }),
  () => ({ kind: 'load', addr: -8, size: 8 }),
  (b) => ({ kind: 'load', addr: b, size: 2.5 }),
  (b) => ({ kind: 'load', addr: b, size: 8, cls: 'tail' as 'folio' }),
  (b) => ({ kind: 'store', via: 'cached', addr: b, bytes: new Uint8Array(0) }),
  (b) => ({ kind: 'store', via: 'cached', addr: b, bytes: bytesOf(8, 1), fn: 7 as unknown as string }),
  () => ({ kind: 'drain', site: undefined as unknown as string }),
  () => ({ kind: 'fence' } as unknown as Event),
  () => null as unknown as Event,
];

type Engine = new (s: MachineState) => Transient;

/** Run one case on the engine and the specification; the first difference, or undefined. */
function firstDifference(c: Case, E: Engine = Transient, withStep = true): string | undefined {
  const w: Window = { base: c.base, size: SPAN + 160 };
  const init = { schedule: c.schedule, fill: c.fill, ...(c.preset ? { preset: new Map([[Math.floor(c.base / 64), new Uint8Array(64)]]) } : {}) };
  let ref = spec.initial(init);
  const t = new E(initialState(init));
  let folded = initialState(init);
  const evs = events(c);
  for (let i = 0; i < evs.length; i++) {
    const ev = evs[i]!;
    const r = attempt(() => spec.step(ref, ev));
    const e = attempt(() => t.apply(ev));
    if (r.fault || e.fault) {
      return r.fault === e.fault ? undefined : `event ${i}: specification ${r.fault ?? 'takes it'}, engine ${e.fault ?? 'takes it'}`;
    }
    ref = r.value!;
    const d = diff(observeEngine(t.inspect(), w), observeSpec(ref, w));
    if (d) return `event ${i} (${ev.kind}): ${d}`;
    if (ev.kind === 'load' && !isDeepStrictEqual([...(e.value as Uint8Array)], ref.lastLoad)) return `event ${i}: load returned other bytes`;
    if (withStep) {
      folded = step(folded, ev);
      const f = diff(observeEngine(folded, w), observeSpec(ref, w));
      if (f) return `event ${i} (${ev.kind}), step(): ${f}`;
    }
  }
  const d = diff(observeEngine(settle(t.snapshot()), w), observeSpec(spec.settle(ref), w));
  return d ? `after settle: ${d}` : undefined;
}

function diff(e: Observed, s: Observed): string | undefined {
  for (const k of Object.keys(s) as (keyof Observed)[]) {
    if (!isDeepStrictEqual(e[k], s[k])) return `${k}: engine ${JSON.stringify(e[k], skipStack)} != specification ${JSON.stringify(s[k], skipStack)}`;
  }
  return undefined;
}
const skipStack = (k: string, v: unknown) => (k === 'parent' ? undefined : v);

function attempt<T>(f: () => T): { value?: T; fault?: string } {
  try {
    return { value: f() };
  } catch (x) {
    if (x instanceof VariantFault) return { fault: `${x.reason}: ${x.message}` };
    throw x;
  }
}

const agrees = (E: Engine = Transient, withStep = true) => fc.property(caseArb, (c) => {
  const d = firstDifference(c, E, withStep);
  if (d) throw new Error(d);
});

describe('fast engine against the specification', () => {
  it('agrees after every event on generated programs', () => {
    fc.assert(agrees(), { numRuns: 400 });
  });

  it('agrees once more than MAX_HAZARDS hazards of a kind pile up (only the first are kept)', () => {
    const ops: Op[] = [{ t: 'nt', unit: 0, g: 8, count: 8, seed: 3 }];
    for (let i = 0; i < MAX_HAZARDS + 10; i++) ops.push({ t: 'ld', off: (i * 8) % 64, size: 8, cls: 0 }, { t: 'st', off: 4, len: 2, cls: 1, seed: i }, { t: 'publish' });
    expect(firstDifference({ ops, base: 0, schedule: UNTIL_DRAIN, fill: 0xff, preset: false, bad: null })).toBeUndefined();
    const s = events({ ops, base: 0, schedule: UNTIL_DRAIN, fill: 0xff, preset: false, bad: null }).reduce(spec.step, spec.initial({ schedule: UNTIL_DRAIN }));
    expect(s.hazardCount).toBe(3 * (MAX_HAZARDS + 10));
    expect(s.hazards.length).toBe(3 * MAX_HAZARDS);
  });
});

// Engines with a planted bug: the comparison must tell each one from the specification.
/** Counts delays from the event after the store: every delayed store lands one event late. */
class LandsLate extends Transient {
  constructor(s: MachineState) {
    const late = (d: Delay): Delay => (d === 'drain' || d === 0 ? d : d + 1);
    super({ ...s, schedule: { base: late(s.schedule.base), late: s.schedule.late.map(([k, d]) => [k, late(d)] as const) } });
  }
}
/** Forgets that a drain flushes half-filled write-combining buffers (partial line writes). */
class DrainLosesPartialLines extends Transient {
  override apply(ev: Event): Uint8Array | undefined {
    const before = this.cost.streamingLinesPartial;
    const r = super.apply(ev);
    if (ev.kind === 'drain') this.cost.streamingLinesPartial = before;
    return r;
  }
}
/** Names every read-after-streaming hazard plain (ignores head-flags and folio on loads). */
class LoadsLoseClass extends Transient {
  override apply(ev: Event): Uint8Array | undefined {
    return super.apply(ev.kind === 'load' ? { kind: 'load', addr: ev.addr, size: ev.size } : ev);
  }
}

describe('the comparison catches a planted engine bug', () => {
  for (const [name, E, field] of [
    ['delays counted one event late', LandsLate, /memory|pending|insns|hazards/],
    ['drain forgets partial write-combining lines', DrainLosesPartialLines, /cost/],
    ['loads lose their hazard class', LoadsLoseClass, /hazards/],
  ] as const) {
    it(name, () => {
      const r = fc.check(agrees(E, false), { numRuns: 2000, seed: 11, endOnFailure: true });
      expect(r.failed).toBe(true);
      expect(String((r.errorInstance as Error).message)).toMatch(field);
    });
  }
});
