// The cost layer's pure parts: namespace geometry, the fit, the model, the extrapolator's logic on
// synthetic counts, and the report formats.
import { describe, expect, it } from 'vitest';
import { ZERO_COST } from '../model/cost.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import type { TraceEntry } from '../model/machine.ts';
import { costChart } from '../src/cost/chart.ts';
import { type Counts, type Measure, ZERO_COUNTS, addScaled, drainsAfterStreaming } from '../src/cost/counts.ts';
import { NotPeriodicError, devicePfns, exactCounts, periodOf } from '../src/cost/extrapolate.ts';
import { FitError, fitRoofline, leastSquares } from '../src/cost/fitting.ts';
import { formatCost } from '../src/cost/format.ts';
import { predict, reductionPct } from '../src/cost/model.ts';
import { dataOffset, namespaceProblem, namespaceScenario, parseSize } from '../src/cost/namespace.ts';
import { costReport } from '../src/cost/report.ts';
import { seedFigure } from '../src/cost/seeds.ts';
import { costTable } from '../src/cost/table.ts';
import { v3Cached } from '../model/kernel/variants/v3-cached.ts';

const G = 2 ** 30;

describe('namespaces', () => {
  it('parses sizes in powers of 1024 and rejects the rest', () => {
    expect(parseSize('100G')).toBe(100 * G);
    expect(parseSize('512M')).toBe(512 * 2 ** 20);
    expect(parseSize('1TiB')).toBe(2 ** 40);
    for (const bad of ['10Q', '0G', '1.5G', 'G', '100', '-1G']) expect(parseSize(bad)).toBeNull();
  });
  it('100 GiB fsdax map=dev: 26,214,400 pfns, 410,112 of them info block and memmap (1.56%)', () => {
    const ns = { bytes: 100 * G, mode: 'fsdax', align: '2M', mapDev: true } as const;
    expect(dataOffset(ns) / 4096).toBe(410112);
    const s = namespaceScenario(ns);
    expect(s.nrPages).toBe(26214400);
    expect(s.pgmap).toEqual({ type: 3, vmemmapShift: 0, altmap: { reserve: 2, free: 410110 } });
    expect(devicePfns(s)).toBe(25804288);
    expect(periodOf(s)).toBe(32768);
  });
  it('devdax: GENERIC compound pages of the alignment; map=mem has no altmap', () => {
    expect(namespaceScenario({ bytes: 100 * G, mode: 'devdax', align: '2M', mapDev: true }).pgmap.vmemmapShift).toBe(9);
    const huge = namespaceScenario({ bytes: 100 * G, mode: 'devdax', align: '1G', mapDev: true });
    expect(huge.pgmap).toEqual({ type: 4, vmemmapShift: 18, altmap: { reserve: 2, free: 524286 } });
    expect(periodOf(huge)).toBe(2 ** 18);
    expect(namespaceScenario({ bytes: 100 * G, mode: 'devdax', align: '2M', mapDev: false }).pgmap.altmap).toBeNull();
  });
  it('names what is wrong with an impossible namespace', () => {
    expect(namespaceProblem({ bytes: 3 * 2 ** 20, mode: 'fsdax', align: '2M', mapDev: false })).toBe('--namespace=3M is not a multiple of --align 2M');
    expect(namespaceProblem({ bytes: 2 * 2 ** 20, mode: 'fsdax', align: '2M', mapDev: true })).toMatch(/too small for --align 2M with --altmap/);
    expect(namespaceProblem({ bytes: 100 * G, mode: 'fsdax', align: '2M', mapDev: true })).toBeNull();
  });
});

const counts = (o: Partial<Counts>): Counts => ({ ...ZERO_COUNTS, ...o });

describe('the model and its fit', () => {
  const truth = { bwRead: 12, bwWrite: 15, tOp: 0.5, tDrain: 100 };
  const rows = [
    { label: 'cpu-bound', counts: counts({ rfoLines: 1e6, fieldOps: 4e8 }), ms: 0 },
    { label: 'cached', counts: counts({ rfoLines: 1e6, fieldOps: 2e6 }), ms: 0 },
    { label: 'streaming', counts: counts({ rfoLines: 1e3, streamingLinesFull: 1e6, fieldOps: 2e6, drains: 1, drainsAfterStreaming: 1 }), ms: 0 },
  ].map((r) => ({ ...r, ms: predict(r.counts, truth).ms }));

  it('prices traffic, operations and drains after streaming', () => {
    const p = predict(rows[2]!.counts, truth);
    expect(p.readBytes).toBe(64e3);
    expect(p.writeBytes).toBe(64 * (1e3 + 1e6));
    expect(p.bound).toBe('memory');
    expect(p.ms).toBeCloseTo((64e3 / 12 + 64.064e6 / 15) / 1e6 + 1e-4, 9);
    expect(predict(rows[0]!.counts, truth).bound).toBe('cpu');
    expect(reductionPct(75, 300)).toBe(75);
  });
  it('recovers the parameters from three rows, and which rows are cpu-bound', () => {
    const f = fitRoofline(rows, 100);
    expect(f.bounds).toEqual(['cpu', 'memory', 'memory']);
    expect(f.params.bwRead).toBeCloseTo(12, 9);
    expect(f.params.bwWrite).toBeCloseTo(15, 9);
    expect(f.params.tOp).toBeCloseTo(0.5, 9);
    for (const e of f.residualMs) expect(Math.abs(e)).toBeLessThan(1e-9);
  });
  it('refuses rows no roofline fits', () => {
    // more operations and more traffic, yet faster
    const bad = [{ ...rows[0]!, ms: 1 }, { ...rows[1]!, ms: 100 }, rows[2]!];
    expect(() => fitRoofline(bad, 100)).toThrow(FitError);
  });
  it('least squares solves an exact system and reports a singular one', () => {
    expect(leastSquares([[2, 0], [0, 4]], [2, 8])!.map((x) => Math.round(x * 1e9) / 1e9)).toEqual([1, 2]);
    expect(leastSquares([[1, 2], [2, 4]], [1, 2])).toBeNull();
  });
});

describe('drains after streaming', () => {
  it('counts the drains that follow a streaming store', () => {
    const ev = (e: TraceEntry['event']): TraceEntry => ({ index: 0, event: e, stack: null });
    const nt = ev({ kind: 'store', via: 'streaming', addr: 0, bytes: new Uint8Array(8) });
    const c = ev({ kind: 'store', via: 'cached', addr: 0, bytes: new Uint8Array(8) });
    const d = ev({ kind: 'drain', site: 'x' });
    expect(drainsAfterStreaming([d, nt, nt, d, c, d, nt, c, d, d])).toBe(2);
  });
});

describe('the extrapolator, on synthetic counts', () => {
  const P = 32768;
  const s: Scenario = namespaceScenario({ bytes: 2 * G, mode: 'fsdax', align: '2M', mapDev: true });
  const m = devicePfns(s);
  const fake = (f: (pfns: number) => Counts): { measure: Measure; pfns: number[] } => {
    const seen: number[] = [];
    return { pfns: seen, measure: (_v, sc) => { const n = devicePfns(sc); seen.push(n); return { counts: f(n), sizeofPage: 64 }; } };
  };
  const affine = (n: number) => counts({ pfns: n, cachedStores: 3 * n + 7, drains: Math.floor(n / 512) + 1 });

  it('extrapolates affine counts exactly from three prefixes of the same remainder', () => {
    const { measure, pfns } = fake(affine);
    const e = exactCounts(v3Cached, s, { measure });
    expect(e.method).toBe('extrapolated');
    expect(pfns).toEqual([m % P, m % P + P, m % P + 2 * P]);
    expect(e.counts).toEqual(affine(m));
    expect(e.periods).toBe(Math.floor(m / P));
  });
  it('skips start effects longer than a period', () => {
    const { measure } = fake((n) => addScaled(affine(n), counts({ rfoLines: 1 }), Math.min(n, 40000)));
    expect(exactCounts(v3Cached, s, { measure }).counts.rfoLines).toBe(40000);
  });
  it('refuses to extrapolate counts that are not periodic', () => {
    const { measure } = fake((n) => counts({ pfns: n, loads: n * n }));
    expect(() => exactCounts(v3Cached, s, { measure })).toThrow(NotPeriodicError);
  });
  it('simulates small ranges whole', () => {
    const { measure, pfns } = fake(affine);
    const small = { ...s, nrPages: s.nrPages - 50 * P };
    expect(exactCounts(v3Cached, small, { measure }).method).toBe('simulated');
    expect(pfns).toEqual([devicePfns(small)]);
  });
});

describe('reports', () => {
  const ns = { bytes: 100 * G, mode: 'devdax', align: '2M', mapDev: true } as const;
  const fakeExact = (v: Variant) => ({
    counts: counts(v.name === 'base-v7.1'
      ? { pfns: 100, pages: 100, rfoLines: 100, fieldOps: 2500, cachedStores: 2100 }
      : { pfns: 100, pages: 100, rfoLines: 2, streamingLinesFull: 99, fieldOps: 210, drains: 3, drainsAfterStreaming: 1 }),
    sizeofPage: 64, method: 'extrapolated' as const, period: 32768, periods: 787, simulatedPfns: 1000,
  });
  const base = { name: 'base-v7.1' } as Variant;
  const v3 = { name: 'v3' } as Variant;
  const params = { bwRead: 10, bwWrite: 10, tOp: 1, tDrain: 100 };
  const r = costReport(ns, [base, v3], params, { exact: fakeExact });

  it('sets the seeds beside the predictions, with the reduction error in points', () => {
    expect(seedFigure(ns, 'v3')).toEqual({ ms: 99.37, role: 'prediction', label: 'full v3 series (streaming copies)' });
    expect(seedFigure({ ...ns, mode: 'fsdax' }, 'v3')!.role).toBe('fit');
    expect(seedFigure({ ...ns, mapDev: false }, 'v3')).toBeNull();
    const row = r.rows[1]!;
    expect(row.trafficBytes / row.lowerBoundBytes).toBeCloseTo((2 * 2 + 99) / 100, 12);
    expect(row.reduction!.measuredPct).toBeCloseTo(100 * (1 - 99.37 / 313.45), 12);
    expect(row.reduction!.errorPp).toBeCloseTo(row.reduction!.predictedPct - row.reduction!.measuredPct!, 12);
  });
  it('prints one table row per variant', () => {
    const t = costTable(r).join('\n');
    expect(t).toMatch(/^variant +written +RFO +traffic +drains \(waiting\) +ops +bound +predicted +measured +error/m);
    expect(t).toMatch(/^v3 +6,464 B +128 B +1\.030x +3 \(1\) +210 +memory .* 99\.37 ms \(predicted\)/m);
  });
  it('draws predicted and measured bars', () => {
    const svg = costChart([r], 'a <title> & more');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('a &lt;title&gt; &amp; more');
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(4);
    expect(svg).toContain('v3 measured: 99.37 ms');
  });
  it('formats the counters of one execution', () => {
    const lines = formatCost({ ...ZERO_COST, cachedStores: 1234, rfoLines: 3, drains: 2, fieldOps: 99 });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe('cost: 1,234 cached stores (0 B), 0 streaming stores (0 B) in 0 whole + 0 partial lines; 3 lines read for ownership');
    expect(lines[1]).toMatch(/2 drains, 0 lines pending at them; 99 field operations; memory traffic 192 B read \+ 192 B written$/);
  });
});
