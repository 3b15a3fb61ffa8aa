// The machine's specification: the memcpy_streaming() contract (DESIGN.md §4, li-zhe-series.md
// §3.1) as one rule per event kind, byte by byte, with no performance tricks. The fast engine
// (Transient) must agree with `step` here after every event: test/machine-differential.test.ts.
//
//   cached store     lands at once; a write-after-streaming hazard if it overlaps pending bytes
//                    (the pending store lands later and clobbers it)
//   streaming store  one instruction per granule (MOVNTI: 4 or 8 bytes), each pending until the
//                    schedule's delay for it has passed (0: lands at once) or the next drain; it
//                    replaces the pending bytes it covers (write collapsing)
//   load             a read-after-streaming hazard if it overlaps pending bytes; returns the
//                    program-order view: pending bytes over landed ones
//   drain            everything pending lands
//   publish          an unpublished hazard if anything is pending
//   call, ret        push and pop the kernel call stack (not memory events)
// A hazard names the class of the access (folio-alias, head-flags), the pending instruction at the
// lowest overlapping byte (at publish: the oldest) and how many pending instructions it meets.
// States are plain records copied by each step and frozen (immer's drafts made the differential
// test ten times slower: every read of a nested object builds a proxy).
import { freeze } from 'immer';
import { match } from 'ts-pattern';
import { type Cost, type MutableCost, ZERO_COST } from '../cost.ts';
import type { AccessClass, Event, Frame, LoadEvent, StoreEvent } from '../events.ts';
import type { Access, Hazard, HazardKind, PendingStore } from '../hazards.ts';
import { type Delay, type Schedule, delayLookup } from '../schedule.ts';
import { LINE, MAX_HAZARDS } from './constants.ts';
import { checkEvent } from './validate.ts';

export interface SpecInit {
  readonly schedule: Schedule;
  /** Byte value of memory never written. */
  readonly fill?: number;
  readonly preset?: ReadonlyMap<number, Uint8Array>;
}

/** A pending streaming store instruction, and when it lands. */
export interface Insn extends PendingStore {
  /** It lands before the first memory event after this index; 'drain': only at a drain. */
  readonly landsAfter: number | 'drain';
}

export interface SpecState {
  readonly fill: number;
  readonly schedule: Schedule;
  /** address -> landed byte (absent: fill) */
  readonly memory: Readonly<Record<number, number>>;
  /** address -> byte in the store buffer */
  readonly pending: Readonly<Record<number, number>>;
  /** address -> the instruction k that wrote the pending byte there */
  readonly owner: Readonly<Record<number, number>>;
  /** k -> instruction with a byte still pending */
  readonly insns: Readonly<Record<number, Insn>>;
  /** Lines in this CPU's cache: a cached store to any other line reads it first (RFO). */
  readonly cachedLines: Readonly<Record<number, true>>;
  /** line -> offsets streamed since its write-combining buffer was last flushed */
  readonly wc: Readonly<Record<number, Readonly<Record<number, true>>>>;
  /** Index of the next memory event, and of the next streaming instruction. */
  readonly now: number;
  readonly nextK: number;
  readonly stack: Frame | null;
  readonly hazards: readonly Hazard[];
  readonly hazardCount: number;
  readonly cost: Cost;
  readonly lastLoad: readonly number[] | null;
}

export function initial(init: SpecInit): SpecState {
  const memory: Record<number, number> = {};
  for (const [idx, line] of init.preset ?? []) line.forEach((b, i) => (memory[idx * LINE + i] = b));
  return {
    fill: init.fill ?? 0xff, schedule: init.schedule, memory, pending: {}, owner: {}, insns: {}, cachedLines: {}, wc: {},
    now: 0, nextK: 0, stack: null, hazards: [], hazardCount: 0, cost: ZERO_COST, lastLoad: null,
  };
}

/** The transition. Events outside the rules are refused (VariantFault, validate.ts). */
export function step(s: SpecState, ev: Event): SpecState {
  checkEvent(ev, s.now, s.stack);
  const d = copy(s);
  if (ev.kind === 'call') d.stack = { fn: ev.fn, parent: d.stack };
  else if (ev.kind === 'ret') d.stack = d.stack!.parent;
  else {
    d.cost.fieldOps++;
    for (const i of Object.values(s.insns)) if (i.landsAfter !== 'drain' && i.landsAfter < s.now) land(d, i.k);
    match(ev)
      .with({ kind: 'store', via: 'cached' }, (e) => cachedStore(d, e))
      .with({ kind: 'store', via: 'streaming' }, (e) => streamingStore(d, e))
      .with({ kind: 'load' }, (e) => load(d, e))
      .with({ kind: 'drain' }, () => drain(d))
      .with({ kind: 'publish' }, (e) => publish(d, e.site))
      .exhaustive();
    d.now++;
  }
  return freeze(d);
}

/** The final forced commit ("eventually"): not an event. */
export function settle(s: SpecState): SpecState {
  const d = copy(s);
  flushWc(d);
  for (const k of Object.keys(d.insns)) land(d, Number(k));
  return freeze(d);
}

/** What this CPU reads at `a`: a pending byte, else the landed one. */
export function view(s: SpecState, a: number): number {
  return s.pending[a] ?? s.memory[a] ?? s.fill;
}

/** The next state while the rules build it: fresh containers (the hazards and frames in them never change). */
interface S {
  fill: number; schedule: Schedule; memory: Record<number, number>; pending: Record<number, number>;
  owner: Record<number, number>; insns: Record<number, Insn>; cachedLines: Record<number, true>;
  wc: Record<number, Record<number, true>>; now: number; nextK: number; stack: Frame | null;
  hazards: Hazard[]; hazardCount: number; cost: MutableCost; lastLoad: readonly number[] | null;
}

function copy(s: SpecState): S {
  const wc: Record<number, Record<number, true>> = {};
  for (const [l, offs] of Object.entries(s.wc)) wc[Number(l)] = { ...offs };
  return {
    ...s, memory: { ...s.memory }, pending: { ...s.pending }, owner: { ...s.owner }, insns: { ...s.insns },
    cachedLines: { ...s.cachedLines }, wc, hazards: [...s.hazards], cost: { ...s.cost },
  };
}

function cachedStore(d: S, e: StoreEvent): void {
  const n = e.bytes.length;
  d.cost.cachedStores++;
  d.cost.cachedBytes += n;
  overlap(d, 'write-after-streaming', { op: 'store', addr: e.addr, size: n, stack: d.stack, fn: e.fn }, e.cls);
  for (const l of linesOf(e.addr, n)) {
    evictWc(d, l);
    if (!d.cachedLines[l]) d.cost.rfoLines++; // the line is read for ownership
    d.cachedLines[l] = true;
  }
  e.bytes.forEach((b, i) => (d.memory[e.addr + i] = b));
}

function streamingStore(d: S, e: StoreEvent): void {
  const n = e.bytes.length;
  const g = e.granule ?? 8;
  d.cost.streamingStores += n / g;
  d.cost.streamingBytes += n;
  for (const l of linesOf(e.addr, n)) {
    delete d.cachedLines[l]; // a non-temporal store evicts the line
    const wc = (d.wc[l] ??= {});
    for (const a of span(e.addr, n)) if (lineOf(a) === l) wc[a - l * LINE] = true;
    if (Object.keys(wc).length === LINE) {
      d.cost.streamingLinesFull++; // the whole line is written: no read of it
      delete d.wc[l];
    }
  }
  const delay = delayLookup(d.schedule);
  for (let j = 0; j < n / g; j++) {
    const k = d.nextK + j;
    const at = e.addr + j * g;
    const t: Delay = delay(k);
    for (const a of span(at, g)) {
      if (a in d.owner) drop(d, a); // write collapsing
      if (t === 0) d.memory[a] = e.bytes[a - e.addr]!;
      else {
        d.pending[a] = e.bytes[a - e.addr]!;
        d.owner[a] = k;
      }
    }
    if (t !== 0) {
      d.insns[k] = { k, eventIndex: d.now, addr: at, size: g, stack: d.stack, fn: e.fn, landsAfter: t === 'drain' ? t : d.now + t };
    }
  }
  d.nextK += n / g;
}

function load(d: S, e: LoadEvent): void {
  for (const l of linesOf(e.addr, e.size)) evictWc(d, l);
  d.cost.loads++;
  d.cost.loadBytes += e.size;
  const access: Access = { op: 'load', addr: e.addr, size: e.size, stack: d.stack, fn: e.fn };
  if (overlap(d, 'read-after-streaming', access, e.cls)) d.cost.loadsHittingPending++;
  d.lastLoad = span(e.addr, e.size).map((a) => view(d, a));
}

function drain(d: S): void {
  d.cost.drains++;
  d.cost.linesPendingAtDrains += new Set(Object.keys(d.pending).map((a) => lineOf(Number(a)))).size;
  flushWc(d);
  for (const k of Object.keys(d.insns)) land(d, Number(k));
}

function publish(d: S, site: string): void {
  const ks = Object.keys(d.insns).map(Number);
  if (ks.length === 0) return;
  const access: Access = { op: 'publish', addr: 0, size: 0, stack: d.stack, fn: site };
  report(d, { kind: 'unpublished', cls: 'plain', eventIndex: d.now, access, pending: store(d, Math.min(...ks)), conflicts: ks.length });
}

/** A hazard when the access overlaps pending bytes; returns whether it did. */
function overlap(d: S, kind: HazardKind, access: Access, cls: AccessClass | undefined): boolean {
  const hit = span(access.addr, access.size).filter((a) => a in d.owner);
  if (hit.length === 0) return false;
  const ks = new Set(hit.map((a) => d.owner[a]!));
  const c = cls === 'folio' ? 'folio-alias' : cls === 'head-flags' ? 'head-flags' : 'plain';
  report(d, { kind, cls: c, eventIndex: d.now, access, pending: store(d, d.owner[hit[0]!]!), conflicts: ks.size });
  return true;
}

/** Every hazard is counted; the first MAX_HAZARDS of each kind are kept. */
function report(d: S, h: Hazard): void {
  d.hazardCount++;
  if (d.hazards.filter((x) => x.kind === h.kind).length < MAX_HAZARDS) d.hazards.push(h);
}

function store(d: S, k: number): PendingStore {
  const { landsAfter: _, ...insn } = d.insns[k]!;
  return insn as PendingStore;
}

/** Instruction k lands: its bytes still pending go to memory. */
function land(d: S, k: number): void {
  const i = d.insns[k]!;
  for (const a of span(i.addr, i.size)) {
    if (d.owner[a] !== k) continue; // replaced by a later streaming store
    d.memory[a] = d.pending[a]!;
    delete d.pending[a];
    delete d.owner[a];
  }
  delete d.insns[k];
}

/** A pending byte is replaced: its instruction is gone once none of its bytes is pending. */
function drop(d: S, a: number): void {
  const k = d.owner[a]!;
  delete d.pending[a];
  delete d.owner[a];
  const i = d.insns[k]!;
  if (!span(i.addr, i.size).some((b) => d.owner[b] === k)) delete d.insns[k];
}

/** A line's write-combining buffer flushed before the line was filled: a partial line write. */
function evictWc(d: S, l: number): void {
  if (!d.wc[l]) return;
  delete d.wc[l];
  d.cost.streamingLinesPartial++;
}

function flushWc(d: S): void {
  for (const l of Object.keys(d.wc)) evictWc(d, Number(l));
}

const lineOf = (a: number): number => Math.floor(a / LINE);
const span = (addr: number, size: number): number[] => Array.from({ length: size }, (_, i) => addr + i);
const linesOf = (addr: number, size: number): number[] => [...new Set(span(addr, size).map(lineOf))];
