// The cost of a placement (docs/synthesis.md §2): drains executed per GiB of namespace, and the
// drains among them that find streaming stores in flight, for the two seed workloads, priced by the
// cost model's drain term (src/cost/model.ts: such a drain stalls t_drain until the write-combining
// buffers reach memory; a drain with nothing streamed since the previous one waits for nothing).
//
// One run per workload prefix with every candidate draining gives a drain log: for each drain event,
// its candidate and whether a streaming store came since the previous drain event. Under LAND_AT_ONCE
// nothing is ever pending, so drains change no loaded value and no event: the run of any placement
// is this run with the other candidates' drains left out, and its counts follow from the log.
// Per GiB: the counts of a 1 GiB namespace, extrapolated exactly over whole sections as
// src/cost/extrapolate.ts does (three prefixes, equal increments checked for every placement).
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { devicePfns, periodOf, withDevicePfns } from '../cost/extrapolate.ts';
import { FITTED_PARAMS } from '../cost/params.ts';
import { namespaceScenario } from '../cost/namespace.ts';
import { type Candidate, type Placement, everyCandidate, newLog, placed } from './placement.ts';

export interface Workload {
  readonly name: string;
  readonly what: string;
  readonly scenario: Scenario;
}

const GIB = 2 ** 30;

/** The seeds' two page sizes, 1 GiB each, memmap in RAM (map=mem: the vmemmap dedup applies to 2 MiB pages). */
export const WORKLOADS: readonly Workload[] = [
  { name: 'fsdax-4k', what: 'order-0 fsdax (nd_pmem)', scenario: namespaceScenario({ bytes: GIB, mode: 'fsdax', align: '2M', mapDev: false }) },
  { name: 'devdax-2m', what: '2 MiB devdax (dax_pmem) with the vmemmap dedup', scenario: namespaceScenario({ bytes: GIB, mode: 'devdax', align: '2M', mapDev: false }) },
];

/** A drain event of the all-candidates run: its candidate (-1: undeclared, always kept) and whether it followed streaming. */
interface LogEntry {
  readonly candidate: number;
  readonly streamed: boolean;
}

export interface DrainCount {
  readonly drains: number;
  /** Drains with streaming stores in flight: each stalls t_drain. */
  readonly stalls: number;
}

export interface WorkloadCost extends DrainCount {
  readonly workload: string;
  /** stalls x t_drain, in ms per GiB */
  readonly ms: number;
}

export interface PlacementCost {
  readonly byWorkload: readonly WorkloadCost[];
  readonly drains: number;
  readonly stalls: number;
  /** predicted ms per GiB, summed over the workloads */
  readonly ms: number;
  /** number of drains in the code */
  readonly sites: number;
}

/** Lexicographic key minimized by the synthesis: stall time, then drains executed, then drains in the code. */
export const costKey = (c: PlacementCost): readonly number[] => [c.stalls, c.drains, c.sites];

export function compareCost(a: PlacementCost, b: PlacementCost): number {
  const x = costKey(a);
  const y = costKey(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

function countOf(log: readonly LogEntry[], keep: Uint8Array): DrainCount {
  let drains = 0;
  let stalls = 0;
  let streamed = false;
  for (const e of log) {
    streamed ||= e.streamed;
    if (e.candidate >= 0 && !keep[e.candidate]) continue;
    drains++;
    if (streamed) stalls++;
    streamed = false;
  }
  return { drains, stalls };
}

/** Extra first periods tried when increments differ (as src/cost/extrapolate.ts). */
const MAX_SHIFT = 2;

/** The drain logs of one workload: prefixes of k0.. periods, extrapolated to the whole range. */
class WorkloadLogs {
  readonly #logs = new Map<number, LogEntry[]>();
  readonly #P: number;
  readonly #r: number;
  readonly #K: number;
  constructor(private readonly v: Variant, private readonly cs: readonly Candidate[], private readonly s: Scenario) {
    this.#P = periodOf(s);
    const m = devicePfns(s);
    this.#r = m % this.#P;
    this.#K = (m - this.#r) / this.#P;
  }

  #log(k: number): LogEntry[] {
    let l = this.#logs.get(k);
    if (!l) {
      l = driveLog(this.v, this.cs, k < 0 ? this.s : withDevicePfns(this.s, this.#r + k * this.#P));
      this.#logs.set(k, l);
    }
    return l;
  }

  count(keep: Uint8Array): DrainCount {
    const k0 = this.#r === 0 ? 1 : 0;
    if (this.#K < k0 + 3 + MAX_SHIFT) return countOf(this.#log(-1), keep);
    for (let shift = 0; shift <= MAX_SHIFT; shift++) {
      const k = k0 + shift;
      const [a, b, c] = [k, k + 1, k + 2].map((x) => countOf(this.#log(x), keep)) as [DrainCount, DrainCount, DrainCount];
      const dd = b.drains - a.drains;
      const ds = b.stalls - a.stalls;
      if (c.drains - b.drains === dd && c.stalls - b.stalls === ds) {
        return { drains: a.drains + (this.#K - k) * dd, stalls: a.stalls + (this.#K - k) * ds };
      }
    }
    throw new Error(`${this.v.name}: drain counts are not periodic in ${this.#P}-pfn periods; refusing to extrapolate`);
  }
}

function driveLog(v: Variant, cs: readonly Candidate[], s: Scenario): LogEntry[] {
  const index = new Map(cs.map((c, i) => [c.name, i]));
  const out: LogEntry[] = [];
  let streamed = false;
  const observe = (ev: import('../../model/events.ts').Event) => {
    if (ev.kind === 'store' && ev.via === 'streaming') streamed = true;
    else if (ev.kind === 'drain') {
      out.push({ candidate: index.get(ev.site) ?? -1, streamed });
      streamed = false;
    }
  };
  const all = cs.map((_, i) => i);
  runVariant(placed(v, cs, all, newLog(), observe), s, { schedule: LAND_AT_ONCE, drains: everyCandidate(cs) });
  return out;
}

/** Prices placements of one variant's candidates; runs each workload prefix once. */
export class CostModel {
  readonly #logs: readonly WorkloadLogs[];
  readonly #memo = new Map<string, PlacementCost>();
  readonly tDrainNs = FITTED_PARAMS.tDrain;
  constructor(v: Variant, private readonly cs: readonly Candidate[], readonly workloads: readonly Workload[] = WORKLOADS) {
    this.#logs = workloads.map((w) => new WorkloadLogs(v, cs, w.scenario));
  }

  of(p: Placement): PlacementCost {
    const key = p.join(',');
    let c = this.#memo.get(key);
    if (!c) {
      const keep = new Uint8Array(this.cs.length);
      for (const i of p) keep[i] = 1;
      const byWorkload = this.#logs.map((l, i): WorkloadCost => {
        const n = l.count(keep);
        return { workload: this.workloads[i]!.name, ...n, ms: (n.stalls * this.tDrainNs) / 1e6 };
      });
      const sum = (f: (w: WorkloadCost) => number) => byWorkload.reduce((a, w) => a + f(w), 0);
      c = { byWorkload, drains: sum((w) => w.drains), stalls: sum((w) => w.stalls), ms: sum((w) => w.ms), sites: p.length };
      this.#memo.set(key, c);
    }
    return c;
  }
}
