// A variant's bad events and runaway runs stop with a VariantFault naming what is wrong (issue 11,
// point 8): checked as each event arrives, by execute() and by a Transient driven directly.
import { describe, expect, it } from 'vitest';
import { type Event, type Program, call } from '../model/events.ts';
import { VariantFault } from '../model/faults.ts';
import { MAX_ACCESS, Transient, execute, initialState } from '../model/machine.ts';
import { UNTIL_DRAIN } from '../model/schedule.ts';

const init = () => initialState({ schedule: UNTIL_DRAIN, fill: 0 });
const b8 = new Uint8Array(8);

function* yields(evs: unknown[]): Program {
  for (const e of evs) yield e as Event;
}

/** Run `bad` after two good events inside memmap_init_compound(); the fault it raises. */
function faultOf(bad: unknown): VariantFault {
  const prog = call('memmap_init_zone_device', call('memmap_init_compound', yields([
    { kind: 'store', via: 'cached', addr: 0, bytes: b8 },
    { kind: 'load', addr: 0, size: 8 },
    bad,
  ])));
  try {
    execute(prog, init());
  } catch (e) {
    if (e instanceof VariantFault) return e;
    throw e;
  }
  throw new Error('no fault');
}

describe('bad events', () => {
  const cases: [string, unknown, RegExp][] = [
    ['a 1 GiB load', { kind: 'load', addr: 0, size: 2 ** 30 }, /^bad event: load\.size 1073741824; allowed an integer 1\.\.4096$/],
    ['an empty load', { kind: 'load', addr: 0, size: 0 }, /load\.size 0; allowed an integer 1\.\.4096/],
    ['a fractional load size', { kind: 'load', addr: 0, size: 1.5 }, /load\.size 1\.5/],
    ['a negative address', { kind: 'load', addr: -8, size: 8 }, /load\.addr -8; allowed an integer 0\.\.2\^52 - 8/],
    ['a NaN address', { kind: 'store', via: 'cached', addr: NaN, bytes: b8 }, /store\.addr NaN/],
    ['an address past the model', { kind: 'store', via: 'cached', addr: 2 ** 52 - 4, bytes: b8 }, /store\.addr 4503599627370492 \(0xffffffffffffc\)/],
    ['a bigint address', { kind: 'load', addr: 64n, size: 8 }, /load\.addr 64n \(a bigint\)/],
    ['bytes that are not a Uint8Array', { kind: 'store', via: 'cached', addr: 0, bytes: [1, 2] }, /store\.bytes an array of 2; allowed a Uint8Array/],
    ['an empty store', { kind: 'store', via: 'cached', addr: 0, bytes: new Uint8Array(0) }, /store\.bytes\.length 0; allowed 1\.\.4096/],
    ['a store bigger than a page', { kind: 'store', via: 'cached', addr: 0, bytes: new Uint8Array(MAX_ACCESS + 1) }, /store\.bytes\.length 4097/],
    ['an unknown via', { kind: 'store', via: 'uncached', addr: 0, bytes: b8 }, /store\.via "uncached"; allowed 'cached' or 'streaming'/],
    ['a 16-byte granule', { kind: 'store', via: 'streaming', addr: 0, bytes: new Uint8Array(16), granule: 16 }, /store\.granule 16; allowed 4 or 8/],
    ['a misaligned MOVNTI', { kind: 'store', via: 'streaming', addr: 2, bytes: b8, granule: 8 }, /streaming store\.addr 2; allowed a multiple of 4/],
    ['a store not a whole number of MOVNTIs', { kind: 'store', via: 'streaming', addr: 0, bytes: new Uint8Array(12), granule: 8 }, /bytes\.length 12; allowed a multiple of the granule 8/],
    ['an unknown class', { kind: 'load', addr: 0, size: 8, cls: 'tail' }, /load\.cls "tail"/],
    ['an unknown kind', { kind: 'fence', site: 'x' }, /event\.kind "fence"; allowed store, load, drain, publish, call or ret/],
    ['a kind from Object.prototype', { kind: 'toString' }, /event\.kind "toString"/],
    ['a missing kind', {}, /event\.kind undefined/],
    ['null', null, /event null; allowed an event object/],
    ['a number', 42, /event 42/],
    ['a drain without a site', { kind: 'drain' }, /drain\.site undefined; allowed a site name/],
    ['a call without a name', { kind: 'call', fn: 7 }, /call\.fn 7; allowed a function name/],
    ['a symbol as fn', { kind: 'load', addr: 0, size: 8, fn: Symbol('x') }, /load\.fn a symbol/],
  ];
  for (const [name, ev, message] of cases) {
    it(`refuses ${name}, in one line naming the field and what is allowed`, () => {
      const f = faultOf(ev);
      expect(f.reason).toBe('bad-event');
      expect(f.message).toMatch(message);
      expect(f.message).not.toContain('\n');
      expect(f.eventIndex).toBe(2);
      expect(f.stack_?.slice(0, 2)).toEqual(['memmap_init_zone_device', 'memmap_init_compound']);
    });
  }

  it('refuses a ret without a call', () => {
    expect(() => execute(yields([{ kind: 'load', addr: 0, size: 8 }, { kind: 'ret' }]), init())).toThrow(/^bad event: ret; allowed only inside a call/);
  });

  it('a driver of a Transient gets the same checks, and the state is left as it was', () => {
    const t = new Transient(init());
    t.apply({ kind: 'store', via: 'cached', addr: 0, bytes: Uint8Array.of(1, 2, 3, 4) });
    expect(() => t.apply({ kind: 'load', addr: 0, size: 2 ** 30 })).toThrow(VariantFault);
    expect(() => t.apply({ kind: 'store', via: 'streaming', addr: 1, bytes: b8 })).toThrow(/multiple of 4/);
    expect(t.now).toBe(1);
    expect([...t.peek(0, 4)]).toEqual([1, 2, 3, 4]);
  });

  it('a kernel call whose name is not a string is refused before it runs', () => {
    const prog = call(42 as unknown as string, yields([{ kind: 'load', addr: 0, size: 8 }]));
    expect(() => execute(prog, init())).toThrow(/call\.fn 42/);
  });
});

describe('event budget', () => {
  function* forever(): Program {
    for (let a = 0; ; a = (a + 8) % 4096) yield { kind: 'store', via: 'cached', addr: a, bytes: b8 };
  }
  function* callsForever(): Program {
    for (;;) yield { kind: 'call', fn: 'spin' };
  }

  it('stops a variant that loops forever at its budget', () => {
    let f: unknown;
    try {
      execute(call('memmap_init_zone_device', forever()), init(), { maxEvents: 1000 });
    } catch (e) {
      f = e;
    }
    expect(f).toBeInstanceOf(VariantFault);
    expect((f as VariantFault).reason).toBe('budget');
    expect((f as VariantFault).message).toBe('the run yielded more than 1000 events (its event budget)');
    expect((f as VariantFault).eventIndex).toBe(999); // the call took one event of the budget
    expect((f as VariantFault).stack_).toEqual(['memmap_init_zone_device']);
  });

  it('counts calls and rets too: a variant that only calls is stopped', () => {
    expect(() => execute(callsForever(), init(), { maxEvents: 500 })).toThrow(/more than 500 events/);
  });

  it('a run within its budget completes; exactly at it too', () => {
    const evs = Array.from({ length: 10 }, (_, i) => ({ kind: 'load', addr: 8 * i, size: 8 }));
    expect(execute(yields(evs), init(), { maxEvents: 10 }).state.now).toBe(10);
    expect(() => execute(yields(evs), init(), { maxEvents: 9 })).toThrow(VariantFault);
    expect(execute(yields(evs), init()).state.now).toBe(10); // no budget: unlimited
  });

  it('applies to a Transient driven directly', () => {
    const t = new Transient(init());
    t.maxEvents = 3;
    for (let i = 0; i < 3; i++) t.apply({ kind: 'load', addr: 0, size: 8 });
    expect(() => t.apply({ kind: 'load', addr: 0, size: 8 })).toThrow(/budget/);
  });
});
