// What the differential test compares: the observable state of the fast engine (a MachineState)
// and of the specification (a SpecState) in one shape, byte by byte over a window of addresses.
import { stackNames } from '../model/events.ts';
import type { Hazard, PendingStore } from '../model/hazards.ts';
import { LINE, type MachineState, UNIT } from '../model/machine.ts';
import type { SpecState } from '../model/machine/reference.ts';
import type { Cost } from '../model/cost.ts';

export interface Observed {
  readonly now: number;
  readonly nextK: number;
  readonly stack: string[];
  /** landed bytes over the window */
  readonly memory: number[];
  /** pending bytes in the window: "addr=value@k" */
  readonly pending: string[];
  /** every pending instruction, by k */
  readonly insns: Record<number, PendingStore>;
  readonly cachedLines: number[];
  /** per line with an open write-combining buffer, the bytes streamed into it */
  readonly wc: Record<number, number>;
  readonly hazards: readonly Hazard[];
  readonly hazardCount: number;
  readonly cost: Cost;
  readonly lastLoad: number[] | null;
}

export interface Window {
  readonly base: number;
  readonly size: number;
}

export function observeEngine(s: MachineState, w: Window): Observed {
  const memory: number[] = [];
  for (let a = w.base; a < w.base + w.size; a++) {
    const idx = Math.floor(a / LINE);
    memory.push(s.lines.get(idx)?.[a - idx * LINE] ?? s.fill);
  }
  const pending: string[] = [];
  const insns: Record<number, PendingStore> = {};
  for (const [idx, p] of s.pending) {
    for (let off = 0; off < LINE; off++) {
      const rid = p.owner[Math.floor(off / UNIT)]!;
      if (rid < 0) continue;
      const r = s.records.get(rid)!;
      const a = idx * LINE + off;
      const insn = Math.floor((a - r.addr) / r.granule);
      const k = r.kFirst + insn;
      if (a >= w.base && a < w.base + w.size) pending.push(`${a}=${p.data[off]}@${k}`);
      insns[k] = { k, eventIndex: r.eventIndex, addr: r.addr + insn * r.granule, size: r.granule, stack: r.stack, fn: r.fn };
    }
  }
  pending.sort();
  const wc: Record<number, number> = {};
  for (const [idx, units] of s.wc) {
    let n = 0;
    for (let u = 0; u < LINE / UNIT; u++) if (units & (1 << u)) n += UNIT;
    wc[idx] = n;
  }
  return {
    now: s.now, nextK: s.nextK, stack: stackNames(s.stack), memory, pending, insns,
    cachedLines: [...s.cachedLines].sort((a, b) => a - b), wc,
    hazards: s.hazards, hazardCount: s.hazardCount, cost: s.cost, lastLoad: s.lastLoad ? [...s.lastLoad] : null,
  };
}

export function observeSpec(s: SpecState, w: Window): Observed {
  const memory: number[] = [];
  for (let a = w.base; a < w.base + w.size; a++) memory.push(s.memory[a] ?? s.fill);
  const pending = Object.entries(s.pending)
    .filter(([a]) => Number(a) >= w.base && Number(a) < w.base + w.size)
    .map(([a, v]) => `${a}=${v}@${s.owner[Number(a)]}`)
    .sort();
  const insns: Record<number, PendingStore> = {};
  for (const i of Object.values(s.insns)) {
    insns[i.k] = { k: i.k, eventIndex: i.eventIndex, addr: i.addr, size: i.size, stack: i.stack, fn: i.fn };
  }
  const wc: Record<number, number> = {};
  for (const [l, offs] of Object.entries(s.wc)) wc[Number(l)] = Object.keys(offs).length;
  return {
    now: s.now, nextK: s.nextK, stack: stackNames(s.stack), memory, pending, insns,
    cachedLines: Object.keys(s.cachedLines).map(Number).sort((a, b) => a - b), wc,
    hazards: s.hazards, hazardCount: s.hazardCount, cost: s.cost, lastLoad: s.lastLoad ? [...s.lastLoad] : null,
  };
}
