// Drain synthesis (docs/synthesis.md), continued from synth.test.ts: a variant that drains per struct
// page, the search is exact within its bounds, and one more drain never adds a hazard. Small bounds
// (orders 0..2, 1..2 compound pages, FS_DAX and GENERIC, the typical config) keep it to seconds;
// the CLI and the bench use SYNTH_BOUNDS.
import { describe, expect, it } from 'vitest';
import type { Variant } from '../model/kernel/variants/types.ts';
import { compareCost } from '../src/synth/cost.ts';
import { synthesisJson } from '../src/synth/format.ts';
import { candidatesOf, drainsOf } from '../src/synth/placement.ts';
import type { Mode } from '../src/synth/safety.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { LAND_AT_ONCE, UNTIL_DRAIN } from '../model/schedule.ts';
import { evaluate } from '../properties/evaluate.ts';
import { checkConfiguration, hazardSites, propertyResult } from '../properties/exhaustive.ts';
import type { Drains } from '../model/kernel/copy.ts';
import { x86OfTrace } from '../model/x86/kernel-trace.ts';
import { exactCounts } from '../src/cost/extrapolate.ts';
import { WORKLOADS } from '../src/synth/cost.ts';
import { checkContract, checkX86 } from '../src/synth/safety.ts';
import { boundsScope, synthesize } from '../src/synth/synthesize.ts';
import { verdictOf } from '../src/synth/verdict.ts';
import v5DrainAfterPrep from './mutants/v5-drain-after-prep.ts';
import v5SetPageHeadBeforeDrain from './mutants/v5-set-page-head-before-drain.ts';
import v5DrainPerCopy from './synth/v5-drain-per-copy.ts';
import { THREE, modelOf, names, perGiB, synth } from './synth/shared.ts';

describe('a drain inside the per-page loop', () => {
  it('v5-drain-per-copy: the synthesis moves it out of the loop and shows the saving', () => {
    const s = synth(v5DrainPerCopy, 'contract');
    expect(names(s)).toEqual(THREE);
    // one drain per template copy: every pfn but the first (slow path) at order 0; 127 per 2 MiB page
    // (the dedup writes 128 struct pages) but the first
    expect(perGiB(s.own.cost)).toEqual({ 'fsdax-4k': [262_143, 262_143], 'devdax-2m': [65_023, 65_023] });
    const verdict = verdictOf(s);
    expect(verdict).toMatchObject({ kind: 'cheaper', remove: ['after-each-copy'], savedDrainsPerGiB: 262_142 + 63_999 });
    expect([...verdict.add].sort()).toEqual(THREE);
    expect(verdict.savedMsAt100GiB).toBeCloseTo(((262_143 - 1 + 65_023 - 1023) * 100 * 100) / 1e6, 6);
    expect(verdict.text).toMatch(/^cheaper: move drain after-each-copy to before-prep_compound_head \+ before-memmap_init_compound \+ before-return, saving 326,141 drains\/GiB/);
    // the drain log agrees with the cost command's exact counts (src/cost/extrapolate.ts) of the variant as it is
    for (const w of WORKLOADS) {
      const c = exactCounts(v5DrainPerCopy, w.scenario).counts;
      expect([c.drains, c.drainsAfterStreaming], w.name).toEqual(perGiB(s.own.cost)[w.name]);
    }
    const j = synthesisJson(s);
    expect(j).toMatchObject({ schema: 'memmap-check/synthesis/1', variant: 'v5-drain-per-copy', mode: 'contract', status: 'ok', verdict: { kind: 'cheaper' } });
    expect(j.placement!.cost.drainsPerGiB).toBe(1 + 1024);
  });
});

// Exactness and monotonicity on a smaller scope: orders 0..2, 1..2 pages, FS_DAX, no altmap, node 0
const TINY = boundsScope({ maxOrder: 2, maxCompoundPages: 2, configs: 'typical' },
  (s) => s.pgmap.type === 3 && s.pgmap.altmap === null && s.nid === 0, ', FS_DAX, no altmap, node 0');

const subsets = (n: number): number[][] => Array.from({ length: 2 ** n }, (_, m) => [...Array(n).keys()].filter((i) => (m >> i) & 1));

function safeOn(v: Variant, drains: Drains, s: Scenario, mode: Mode): boolean {
  if (mode === 'contract') return checkConfiguration(v, s, drains).violated.length === 0;
  const e = evaluate(v, { scenario: s, schedule: LAND_AT_ONCE }, { drains, trace: true });
  return x86OfTrace(e.run.trace ?? []).unpublished.length === 0 &&
    (['identical', 'invariants'] as const).every((q) => propertyResult(q, e).outcome !== 'FAIL');
}

describe('the search is exact within its bounds', () => {
  it.each([
    { v: v5DrainPerCopy, mode: 'contract' as const },
    { v: v5DrainAfterPrep, mode: 'contract' as const },
    { v: v5SetPageHeadBeforeDrain, mode: 'x86' as const },
  ])('$v.name ($mode): the synthesized cost is the least over every safe subset of the candidates', ({ v, mode }) => {
    const cs = candidatesOf(v);
    const m = modelOf(v);
    const s = synthesize(v, { mode, scope: TINY, costModel: m });
    expect(s.status).toBe('ok');
    if (s.status !== 'ok') return;
    // an oracle independent of the synthesis' wrapper and constraints: the placement as Drains, checked
    // by the exhaustive mode's checkConfiguration (contract) or the x86 trace analysis
    const safe = subsets(cs.length).filter((p) => [...TINY.configurations()].every((s) => safeOn(v, drainsOf(cs, p), s, mode)));
    expect(safe.length).toBeGreaterThan(0);
    const least = safe.reduce((a, p) => (compareCost(m.of(p), m.of(a)) < 0 ? p : a));
    expect(compareCost(s.cost, m.of(least))).toBe(0);
    expect(safe.some((p) => p.join() === s.placement.join())).toBe(true);
    // and it is not the trivial answer: some subsets are unsafe, some safe ones cost more
    expect(safe.length).toBeLessThan(2 ** cs.length);
    expect(safe.some((p) => compareCost(m.of(p), s.cost) > 0)).toBe(true);
  });
});

describe('adding a drain never creates a hazard (docs/synthesis.md §3.1)', () => {
  const v = v5DrainPerCopy;
  const cs = candidatesOf(v);
  // hazards as (kind, access): event numbers shift by the drains. With one more drain, the run is the
  // program-order one up to its first write-after-streaming hazard (docs/exhaustive.md, Lemma 2):
  // its hazards up to there must be hazards of the run without the drain.
  const sites = (p: number[], s: Scenario, cutAtWrite: boolean) => {
    const hs = hazardSites(evaluate(v, { scenario: s, schedule: UNTIL_DRAIN }, { drains: drainsOf(cs, p) }));
    const cut = cutAtWrite ? hs.find((h) => h.kind === 'write-after-streaming')?.event ?? Infinity : Infinity;
    return hs.filter((h) => h.event <= cut).map((h) => `${h.kind} ${h.op} ${h.addr}+${h.size}`);
  };
  it('contract: every failing property and hazard with one more drain was there without it', () => {
    let hazards = 0;
    for (const p of subsets(cs.length)) {
      for (const s of TINY.configurations()) {
        const base = checkContract(v, cs, p, s);
        const baseSites = base.ok ? [] : sites(p, s, false);
        for (let c = 0; c < cs.length; c++) {
          if (p.includes(c)) continue;
          const q = [...p, c].sort();
          const more = checkContract(v, cs, q, s);
          expect(more.failing.every((f) => base.failing.includes(f)), `${p} + ${c}`).toBe(true);
          if (!more.ok) expect(sites(q, s, true).every((h) => baseSites.includes(h)), `${p} + ${c}`).toBe(true);
          hazards += baseSites.length;
        }
      }
    }
    expect(hazards).toBeGreaterThan(0);
  });

  it('x86: every NT store a reader may miss with one more drain it may miss without it', () => {
    let missed = 0;
    for (const p of subsets(cs.length)) {
      for (const s of TINY.configurations()) {
        const base = checkX86(v, cs, p, s);
        for (let c = 0; c < cs.length; c++) {
          if (p.includes(c)) continue;
          const more = checkX86(v, cs, [...p, c].sort(), s);
          expect(more.failing.every((f) => base.failing.includes(f))).toBe(true);
          expect(more.constraints.every((k) => base.constraints.some((b) => b.what === k.what))).toBe(true);
          missed += base.constraints.length;
        }
      }
    }
    expect(missed).toBeGreaterThan(0);
  });
});
