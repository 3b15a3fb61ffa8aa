// The machine's rules one at a time (DESIGN.md §4), and the pure step against the transient runner.
import { describe, expect, it } from 'vitest';
import type { Event, Program } from '../model/events.ts';
import { type MachineState, execute, initialState, peek, settle, step } from '../model/machine.ts';
import { LAND_AT_ONCE, type Schedule, UNTIL_DRAIN } from '../model/schedule.ts';

const bytes = (n: number, v: number) => new Uint8Array(n).fill(v);
const st = (addr: number, n: number, v: number): Event => ({ kind: 'store', via: 'cached', addr, bytes: bytes(n, v) });
const nt = (addr: number, n: number, v: number): Event => ({ kind: 'store', via: 'streaming', addr, bytes: bytes(n, v), granule: 8 });
const ld = (addr: number, size: number): Event => ({ kind: 'load', addr, size });
const drain: Event = { kind: 'drain', site: 'd' };
const publish: Event = { kind: 'publish', site: 'return' };

function* prog(evs: Event[]): Program {
  for (const e of evs) yield e;
}
const run = (evs: Event[], schedule: Schedule = UNTIL_DRAIN) => execute(prog(evs), initialState({ schedule, fill: 0 })).state;
const kinds = (s: MachineState) => s.hazards.map((h) => `${h.kind}:${h.cls}`);

describe('contract semantics', () => {
  it('a cached store is visible at once', () => {
    expect([...peek(run([st(0, 8, 7)]), 0, 8)]).toEqual([...bytes(8, 7)]);
  });
  it('a load of pending streaming bytes is a read-after-streaming hazard, and sees its own store', () => {
    const s = run([nt(64, 64, 5), ld(72, 8)]);
    expect(kinds(s)).toEqual(['read-after-streaming:plain']);
    expect(s.hazards[0]!.pending).toMatchObject({ k: 1, addr: 72, size: 8, eventIndex: 0 });
    expect([...s.lastLoad!]).toEqual([...bytes(8, 5)]);
  });
  it('a cached store over pending bytes is write-after-streaming, and the late store clobbers it', () => {
    const s = run([nt(0, 8, 5), { kind: 'store', via: 'cached', addr: 0, bytes: bytes(4, 9), cls: 'folio' }]);
    expect(kinds(s)).toEqual(['write-after-streaming:folio-alias']);
    expect([...peek(settle(s), 0, 8)]).toEqual([5, 5, 5, 5, 5, 5, 5, 5]);
  });
  it('names head-flags accesses as such', () => {
    const s = run([nt(0, 8, 5), { kind: 'load', addr: 0, size: 8, cls: 'head-flags' }]);
    expect(kinds(s)).toEqual(['read-after-streaming:head-flags']);
  });
  it('a drain lands everything: no hazard after it', () => {
    const s = run([nt(0, 64, 5), drain, ld(0, 64), st(0, 8, 1), publish]);
    expect(s.hazards).toEqual([]);
    expect(s.cost).toMatchObject({ drains: 1, linesPendingAtDrains: 1, streamingLinesFull: 1 });
  });
  it('publishing with stores pending is unpublished', () => {
    const s = run([nt(0, 16, 5), publish]);
    expect(kinds(s)).toEqual(['unpublished:plain']);
    expect(s.hazards[0]!.conflicts).toBe(2); // two 8-byte MOVNTI still pending
  });
  it('accesses to other bytes are not hazards', () => {
    expect(run([nt(0, 8, 5), ld(8, 8), st(16, 8, 1)]).hazards).toEqual([]);
  });
  it('a later streaming store to the same bytes replaces the pending one (write collapsing)', () => {
    const s = run([nt(0, 8, 1), nt(0, 8, 2)]);
    expect(s.records.size).toBe(1);
    expect([...peek(settle(s), 0, 8)]).toEqual([...bytes(8, 2)]);
  });
});

describe('schedules', () => {
  it('delay 0 lands at once: no hazard', () => {
    expect(run([nt(0, 8, 5), ld(0, 8)], LAND_AT_ONCE).hazards).toEqual([]);
  });
  it('delay d keeps a store pending for d later events', () => {
    const evs = [nt(0, 8, 5), ld(64, 8), ld(0, 8)];
    expect(run(evs, { base: 1, late: [] }).hazards).toEqual([]);
    expect(kinds(run(evs, { base: 2, late: [] }))).toEqual(['read-after-streaming:plain']);
  });
  it('exceptions apply per store instruction k', () => {
    const evs = [nt(0, 16, 5), ld(0, 8), ld(8, 8)]; // k=0 at 0..7, k=1 at 8..15
    const s = run(evs, { base: 0, late: [[1, 'drain']] });
    expect(s.hazards.map((h) => h.pending.k)).toEqual([1]);
  });
});

describe('purity', () => {
  const evs: Event[] = [st(0, 8, 1), nt(8, 16, 2), ld(8, 8), st(12, 4, 3), { kind: 'call', fn: 'f' }, drain, { kind: 'ret' }, nt(64, 64, 4), publish];
  it('step leaves the old state valid', () => {
    const s0 = initialState({ schedule: UNTIL_DRAIN, fill: 0 });
    const s1 = step(s0, st(0, 8, 1));
    const s2 = step(s1, st(0, 8, 9));
    expect([...peek(s1, 0, 8)]).toEqual([...bytes(8, 1)]);
    expect([...peek(s2, 0, 8)]).toEqual([...bytes(8, 9)]);
    expect(s0.now).toBe(0);
    expect(Object.isFrozen(s1)).toBe(true);
  });
  it('folding step equals the transient runner', () => {
    let s = initialState({ schedule: UNTIL_DRAIN, fill: 0 });
    for (const e of evs) s = step(s, e);
    const t = run(evs);
    expect({ ...s, lastLoad: null }).toEqual({ ...t, lastLoad: null });
    expect([...peek(settle(s), 0, 128)]).toEqual([...peek(settle(t), 0, 128)]);
  });
});
