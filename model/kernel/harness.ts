// Run a variant for one scenario: pagemap_range() calls memmap_init_zone_device(), then the pages
// are published to other CPUs. The image is read after the final forced commit.
import { type CallEvent, type Event, type Program, RET, call } from '../events.ts';
import { type MachineState, Transient, execute, initialState, readRanges, readerInto, settle, type TraceEntry } from '../machine.ts';
import { LAND_AT_ONCE, type Schedule } from '../schedule.ts';
import { type Driver, drive } from '../machine/execute.ts';
import { Landed } from '../machine/landed.ts';
import { LINE } from '../machine.ts';
import type { Drains } from './copy.ts';
import { pageblockNrPages } from './constants.ts';
import type { DevPagemap, Zone } from './init.ts';
import { Kernel, KernelBug, usemapAddr } from './mm.ts';
import { type Scenario, validateScenario } from './scenario.ts';
import type { SourceFrame } from './variants/direct.ts';
import type { Variant } from './variants/types.ts';

export const PUBLISH_SITE = 'pagemap_range(): memmap_init_zone_device() returned';

/** The final memmap: every distinctly backed struct page of the device range, and its pageblocks. */
export interface Image {
  /** First pfn memmap_init_zone_device() initializes (after the altmap skip) and the end. */
  readonly startPfn: number;
  readonly endPfn: number;
  readonly sizeofPage: number;
  /** pfns with their own struct page memory (dedup aliases left out), ascending */
  readonly pfns: readonly number[];
  /** their struct pages, concatenated */
  readonly bytes: Uint8Array;
  /** first pfn of each pageblock starting in [startPfn, endPfn) -> its migratetype bits */
  readonly pageblocks: ReadonlyMap<number, number>;
}

export interface RunResult {
  readonly kernel: Kernel;
  /** State when the program ended (pending stores still pending). */
  readonly end: MachineState;
  /** After the final forced commit. */
  readonly settled: MachineState;
  readonly image: Image;
  readonly trace?: readonly TraceEntry[];
  /** The modeled kernel oopsed (for example on a wild pointer). */
  readonly crash?: string;
  /** With trace, for a variant with source positions (C): each trace entry's source stack. */
  readonly sourceStacks?: readonly (readonly SourceFrame[])[];
}

export interface RunOptions {
  readonly schedule: Schedule;
  readonly drains?: Drains;
  readonly trace?: boolean;
  /** Event budget of the run (model/faults.ts); by default eventBudget(scenario). */
  readonly maxEvents?: number;
}

/**
 * The events one run may take, from the struct pages it writes (with the vmemmap dedup, two
 * vmemmap pages per compound page; the kernel skips the aliased tails). The shipped variants take
 * at most about 48 events per struct page written (call and ret included); past 256, plus a fixed
 * allowance, a variant is looping.
 */
export function eventBudget(s: Scenario, k: Kernel = new Kernel(s)): number {
  const cs = 2 ** s.pgmap.vmemmapShift;
  const off = s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0;
  const perCompound = k.dedupBacking ? Math.min(cs, Math.ceil((2 * 4096) / k.sizeofPage)) : cs;
  return 256 * Math.max(1, Math.ceil((s.nrPages - off) / cs) * perCompound) + 65_536;
}

/**
 * The machine's budget: a backstop above the variant's own (a guarded variant counts only the
 * events of memmap_init_zone_device; pagemap_range's call, ret and publish come on top).
 */
function machineBudget(v: Variant, s: Scenario, k: Kernel): number {
  return 2 * (v.maxEvents ?? eventBudget(s, k)) + 1024;
}

export function kernelArgs(s: Scenario): { zone: Zone; pgmap: DevPagemap } {
  const k = new Kernel(s);
  return {
    zone: { zone_idx: k.F.zoneDevice, node_id: s.nid },
    pgmap: {
      type: s.pgmap.type,
      vmemmap_shift: s.pgmap.vmemmapShift,
      altmap: s.pgmap.altmap ? { base_pfn: s.startPfn, ...s.pgmap.altmap } : null,
    },
  };
}

/** The pfn range memmap_init_zone_device() initializes after the altmap skip. */
export function deviceRange(s: Scenario): [number, number] {
  const off = s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0;
  return [s.startPfn + off, s.startPfn + s.nrPages];
}

function* pagemap_range(v: Variant, k: Kernel, d: Drains, s: Scenario): Program {
  const { zone, pgmap } = kernelArgs(s);
  yield* v.memmap_init_zone_device(k, d, zone, s.startPfn, s.nrPages, pgmap);
  yield { kind: 'publish', site: PUBLISH_SITE };
}

/** The section usemap lines the range needs, zeroed (kzalloc'ed section usage). */
export function zeroedUsemap(s: Scenario): Map<number, Uint8Array> {
  const m = new Map<number, Uint8Array>();
  const order = s.kconfig.pageblockOrder;
  const first = Math.floor(usemapAddr(s.startPfn, order) / LINE);
  const last = Math.floor(usemapAddr(s.startPfn + s.nrPages - 1, order) / LINE);
  for (let i = first; i <= last; i++) m.set(i, new Uint8Array(LINE));
  return m;
}

export function runVariant(v: Variant, s: Scenario, o: RunOptions): RunResult {
  validateScenario(s);
  const k = new Kernel(s);
  const init = initialState({ schedule: o.schedule, fill: 0xff, preset: zeroedUsemap(s) });
  const d = o.drains ?? { removed: new Set() };
  let end: MachineState;
  let trace: readonly TraceEntry[] | undefined;
  let crash: string | undefined;
  let sourceStacks: readonly (readonly SourceFrame[])[] | undefined;
  try {
    if (v.direct) {
      const t = new Transient(init);
      t.maxEvents = o.maxEvents ?? machineBudget(v, s, k);
      const ex = executeDirect(v, k, d, s, t, o.trace ?? false);
      ({ trace, sourceStacks } = ex);
      end = t.snapshot();
    } else {
      const ex = execute(call('pagemap_range', pagemap_range(v, k, d, s)), init, { trace: o.trace ?? false, maxEvents: o.maxEvents ?? machineBudget(v, s, k) });
      end = ex.state;
      trace = ex.trace;
    }
  } catch (e) {
    if (!(e instanceof KernelBug)) throw e;
    crash = e.message;
    end = init;
  }
  const settled = settle(end);
  const image = extractImage(k, s, settled);
  return { kernel: k, end, settled, image, ...(trace ? { trace } : {}), ...(crash ? { crash } : {}), ...(sourceStacks ? { sourceStacks } : {}) };
}

const PAGEMAP_RANGE_CALL: CallEvent = { kind: 'call', fn: 'pagemap_range' };

/** What a direct run drives: the Transient, or memory alone (Landed). */
type DirectDriver = Driver & { enter(ev: CallEvent): void; leave(): void };

/** pagemap_range() for a variant that runs directly (Variant.direct): the same events as execute(). */
function executeDirect(v: Variant, k: Kernel, d: Drains, s: Scenario, t: DirectDriver, traced: boolean) {
  const trace: TraceEntry[] | undefined = traced ? [] : undefined;
  const emit = trace
    ? (ev: Event) => {
      if (ev.kind !== 'call' && ev.kind !== 'ret') trace.push({ index: t.now, event: ev, stack: t.stack });
      return t.apply(ev);
    }
    : t.apply.bind(t); // V8 calls a bound method without a frame of its own
  const { zone, pgmap } = kernelArgs(s);
  emit(PAGEMAP_RANGE_CALL);
  // call and ret are never traced (only memory events are): they go to the machine directly
  const stacks = v.direct!({ emit, trace: traced, call: t.enter.bind(t), ret: t.leave.bind(t) }, k, d, zone, s.startPfn, s.nrPages, pgmap);
  const publish: Event = { kind: 'publish', site: PUBLISH_SITE };
  emit(publish);
  emit(RET);
  const sourceStacks = stacks ? [...stacks, []] : undefined;
  return { trace, sourceStacks };
}

/**
 * The image of a run in which every store lands as it is issued (LAND_AT_ONCE), computed on
 * memory alone (model/machine/landed.ts): the same image and crash as runVariant() under
 * LAND_AT_ONCE (test/landed.test.ts), without the machine's bookkeeping (about 10% of a slow-path
 * run; the rest is the kernel helpers' generators). What a reference run needs.
 */
export function landedImage(v: Variant, s: Scenario): { image: Image; crash?: string } {
  validateScenario(s);
  const k = new Kernel(s);
  const init = initialState({ schedule: LAND_AT_ONCE, fill: 0xff, preset: zeroedUsemap(s) });
  const t = new Landed(init);
  t.maxEvents = machineBudget(v, s, k);
  const d: Drains = { removed: new Set() };
  try {
    if (v.direct) executeDirect(v, k, d, s, t, false);
    else drive(call('pagemap_range', pagemap_range(v, k, d, s)), t);
  } catch (e) {
    if (!(e instanceof KernelBug)) throw e;
    return { image: extractImage(k, s, init), crash: e.message };
  }
  return { image: extractImage(k, s, t.snapshot()) };
}

export function extractImage(k: Kernel, s: Scenario, st: MachineState): Image {
  const [start, end] = deviceRange(s);
  const size = k.sizeofPage;
  const pfns: number[] = [];
  // runs of consecutive pfns: [address, bytes, offset in the image]
  const runs: [number, number, number][] = [];
  if (!k.dedupBacking) {
    // every struct page is backed at pfn * size (Kernel.backing): one run
    for (let pfn = start; pfn < end; pfn++) pfns.push(pfn);
    if (end > start) runs.push([start * size, (end - start) * size, 0]);
  }
  for (let pfn = k.dedupBacking ? start : end; pfn < end; pfn++) {
    if (k.backing(pfn) !== pfn * size) {
      // a dedup alias: skip to the next compound page
      const cs = 2 ** k.compoundShift;
      pfn = pfn - (pfn % cs) + cs - 1;
      continue;
    }
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === pfn * size) last[1] += size;
    else runs.push([pfn * size, size, pfns.length * size]);
    pfns.push(pfn);
  }
  const bytes = new Uint8Array(pfns.length * size);
  readRanges(st, runs, bytes);
  const read = readerInto(st);
  const pageblocks = new Map<number, number>();
  const bits = new Uint8Array(1);
  const pbPages = pageblockNrPages(s.kconfig);
  for (let pb = Math.ceil(start / pbPages) * pbPages; pb < end; pb += pbPages) {
    read(usemapAddr(pb, s.kconfig.pageblockOrder), 1, bits, 0);
    pageblocks.set(pb, bits[0]!);
  }
  return { startPfn: start, endPfn: end, sizeofPage: size, pfns, bytes, pageblocks };
}
