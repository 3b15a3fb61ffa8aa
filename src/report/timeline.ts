// The events that matter, picked from a traced run: the pending streaming store, where the drain
// is missing, the conflicting access (or the publish), and when the store finally lands. For a
// failure without a hazard: the last store to each differing field.
import { hex } from '../../model/kernel/bytes.ts';
import { describeAddr } from '../../model/kernel/describe.ts';
import { type RunResult, runVariant } from '../../model/kernel/harness.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import type { SourceFrame } from '../../model/kernel/variants/direct.ts';
import { type Frame, type StoreEvent, stackNames } from '../../model/events.ts';
import type { Hazard, PendingStore } from '../../model/hazards.ts';
import type { TraceEntry } from '../../model/machine.ts';
import { type Schedule, delayLookup } from '../../model/schedule.ts';
import type { Step } from './explanation.ts';
import { landedBytesAtLoad } from './memory-at.ts';
import type { DrainChange } from './witness.ts';

/** The kernel call stack from memmap_init_zone_device() on (pagemap_range() is the harness). */
export function framesOf(stack: Frame | null, leaf?: string): string[] {
  const all = stackNames(stack, leaf);
  return all.length > 1 && all[0] === 'pagemap_range' ? all.slice(1) : all;
}

const bytesOf = (ev: StoreEvent, addr: number, size: number): Uint8Array => {
  const from = Math.max(addr, ev.addr) - ev.addr;
  const to = Math.min(addr + size, ev.addr + ev.bytes.length) - ev.addr;
  return ev.bytes.subarray(from, to);
};

/** The C frames of the memory event at `index` of a run of a C variant (trace position = index). */
const srcAt = (run: RunResult, index: number) => {
  const s = run.sourceStacks?.[index];
  return s && s.length ? { src: s } : {};
};

const overlaps = (a: number, n: number, b: number, m: number): boolean => a < b + m && b < a + n;

/** The memory event at `index` (the trace holds only memory events, indexed in order). */
function entryAt(trace: readonly TraceEntry[], index: number): TraceEntry {
  const t = trace[index];
  if (!t || t.index !== index) throw new Error(`report: no trace entry for event #${index}`);
  return t;
}

export interface HazardSteps {
  readonly run: RunResult;
  readonly scenario: Scenario;
  readonly schedule: Schedule;
  readonly hazard: Hazard;
  /** the drain whose absence the witness showed, and the variant to place it in the code */
  readonly missing: (DrainChange & { readonly variant: Variant }) | null;
}

export function hazardSteps(o: HazardSteps): Step[] {
  const { run, hazard: h } = o;
  const trace = run.trace!;
  const k = run.kernel;
  const p = h.pending;
  const storeEntry = entryAt(trace, p.eventIndex);
  const store = storeEntry.event as StoreEvent;
  const field = describeAddr(k, p.addr);
  const value = hex(bytesOf(store, p.addr, p.size));
  const steps: Step[] = [{
    kind: 'streaming-store', event: p.eventIndex, stack: framesOf(storeEntry.stack, store.fn), ...srcAt(run, p.eventIndex), k: p.k, size: p.size, field, value,
  }];
  if (o.missing) {
    const at = missingDrainAt(o, p.eventIndex, h.eventIndex);
    if (at) steps.push({ kind: 'missing-drain', event: at.before, stack: at.stack, ...(at.src ? { src: at.src } : {}), site: o.missing.site, where: o.missing.where, change: o.missing.change });
  }
  const accessEntry = entryAt(trace, h.eventIndex);
  if (h.access.op === 'publish') {
    steps.push({ kind: 'publish', event: h.eventIndex, stack: framesOf(accessEntry.stack), ...srcAt(run, h.eventIndex), site: h.access.fn ?? '', pendingStores: h.conflicts, k: p.k });
  } else {
    // the first pending bytes the access touches: the conflicting instruction's range
    const from = Math.max(h.access.addr, p.addr);
    const size = Math.min(h.access.addr + h.access.size, p.addr + p.size) - from;
    const ev = accessEntry.event;
    const bytes = ev.kind === 'store' ? bytesOf(ev, from, size) : landedBytesAtLoad(trace, o.scenario, o.schedule, h.eventIndex, from, size);
    steps.push({
      kind: 'access', event: h.eventIndex, stack: framesOf(accessEntry.stack, h.access.fn), ...srcAt(run, h.eventIndex), op: h.access.op, size: h.access.size,
      field: describeAddr(k, from), value: hex(bytes), hazard: h.kind, cls: h.cls, k: p.k,
    });
  }
  steps.push(landing(trace, o.schedule, p, field, value));
  return steps;
}

/** Where the missing drain sits: before which event of the failing run, and in which function. */
function missingDrainAt(o: HazardSteps, storeIndex: number, accessIndex: number): { before: number; stack: string[]; src?: readonly SourceFrame[] } | null {
  const m = o.missing!;
  const wrun = runVariant(m.variant, o.scenario, { schedule: o.schedule, drains: m.drains, trace: true });
  const witness = wrun.trace!;
  // The program's events do not depend on drains or the schedule (loads return program-order
  // values), so the witness run is the failing run with the extra drains inserted.
  let extra = 0;
  let fallback: { before: number; stack: string[]; src?: readonly SourceFrame[] } | null = null;
  for (const [j, t] of witness.entries()) {
    if (t.event.kind !== 'drain' || t.event.site !== m.site) continue;
    const before = t.index - extra++;
    const found = { before, stack: framesOf(t.stack, t.event.fn), ...srcAt(wrun, j) };
    if (before > storeIndex && before <= accessIndex) return found;
    if (before > storeIndex) fallback ??= found;
  }
  return fallback;
}

function landing(trace: readonly TraceEntry[], schedule: Schedule, p: PendingStore, field: string, value: string): Step {
  const d = delayLookup(schedule)(p.k);
  const drain = trace.find((t) => t.index > p.eventIndex && t.event.kind === 'drain');
  const last = trace.length - 1;
  let at: number | null = null;
  let how: 'drain' | 'delay' | 'final' = 'final';
  if (d !== 'drain' && p.eventIndex + d + 1 <= last && (!drain || p.eventIndex + d + 1 < drain.index)) {
    at = p.eventIndex + d + 1; // due after d more events: lands as the next one begins
    how = 'delay';
  } else if (drain) {
    at = drain.index;
    how = 'drain';
  }
  const until = at ?? Infinity;
  const replacedBy = trace.find((t) => t.index > p.eventIndex && t.index < until && t.event.kind === 'store' &&
    t.event.via === 'streaming' && overlaps(t.event.addr, t.event.bytes.length, p.addr, p.size));
  if (replacedBy) return { kind: 'replaced', event: replacedBy.index, k: p.k };
  const drainSite = how === 'drain' && drain && drain.event.kind === 'drain' ? drain.event.site : null;
  return { kind: 'lands', event: at, k: p.k, at: how, drainSite, field, value };
}

/** Index k of the streaming store instruction of `entry` that covers `addr`. */
function insnIndex(trace: readonly TraceEntry[], entry: TraceEntry, addr: number): number {
  let k = 0;
  for (const t of trace) {
    if (t.index >= entry.index) break;
    if (t.event.kind === 'store' && t.event.via === 'streaming') k += t.event.bytes.length / (t.event.granule ?? 8);
  }
  const ev = entry.event as StoreEvent;
  return k + Math.floor((addr - ev.addr) / (ev.granule ?? 8));
}

/**
 * Who wrote a field that differs: the last store (in program order) to [addr, addr+size), and
 * before it the last store that wrote `expected` there, if any (a value written, then lost).
 */
export function fieldWriters(run: RunResult, addr: number, size: number, expected: string): Step[] {
  const trace = run.trace!;
  const steps: Step[] = [];
  for (let i = trace.length - 1; i >= 0; i--) {
    const t = trace[i]!;
    const ev = t.event;
    if (ev.kind !== 'store' || !overlaps(ev.addr, ev.bytes.length, addr, size)) continue;
    const from = Math.max(addr, ev.addr);
    const value = hex(bytesOf(ev, addr, size));
    const role = steps.length === 0 ? 'last' : 'expected';
    if (role === 'expected' && value !== expected) continue;
    steps.unshift({
      kind: 'writer', role, event: t.index, stack: framesOf(t.stack, ev.fn), ...srcAt(run, t.index), via: ev.via,
      k: ev.via === 'streaming' ? insnIndex(trace, t, from) : null, size: ev.bytes.length,
      field: describeAddr(run.kernel, from), value,
    });
    if (role === 'expected' || value === expected) break;
  }
  return steps;
}
