// Drain synthesis (docs/synthesis.md): the cheapest safe placement of the series' drains, per mode,
// on v3, v5, v1, the missing-drain mutants and a variant that drains per struct page. Small bounds
// (orders 0..2, 1..2 compound pages, FS_DAX and GENERIC, the typical config) keep it to seconds;
// the CLI and the bench use SYNTH_BOUNDS. The per-page-loop variant, exactness and monotonicity:
// synth-exact.test.ts (split for balance: vitest runs files in parallel).
import { describe, expect, it } from 'vitest';
import { v1, v3 } from '../model/kernel/variants/v3.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import { needsText } from '../src/synth/format.ts';
import { verdictOf } from '../src/synth/verdict.ts';
import v5DrainAfterPrep from './mutants/v5-drain-after-prep.ts';
import v5NoFinalDrainOrder0 from './mutants/v5-no-final-drain-order-0.ts';
import v5SetPageHeadBeforeDrain from './mutants/v5-set-page-head-before-drain.ts';
import { THREE, names, perGiB, synth } from './synth/shared.ts';

describe('contract mode: the series drains', () => {
  it.each([
    // v5 drains before every head's compound init (511 of 512 heads: the first is built by the slow path)
    { v: v5, devdax: [1024, 1023] },
    // v3 copies pageblock-aligned heads with cached memcpy(): its drain before memmap_init_compound() never stalls at 2 MiB
    { v: v3, devdax: [1025, 512] },
  ])('$v.name: the synthesized placement is the series\' three drains, and the series is optimal', ({ v, devdax }) => {
    const s = synth(v, 'contract');
    expect(s.status).toBe('ok');
    expect(names(s)).toEqual(THREE);
    expect(perGiB(s.status === 'ok' ? s.cost : s.own.cost)).toEqual({ 'fsdax-4k': [1, 1], 'devdax-2m': devdax });
    expect(perGiB(s.own.cost)).toEqual(perGiB(s.status === 'ok' ? s.cost : s.own.cost));
    expect(verdictOf(s)).toMatchObject({ kind: 'optimal', text: "the variant's drains are a cheapest safe placement" });
    // every drain is needed: its removal fails on a configuration of the scope
    if (s.status !== 'ok') return;
    expect(s.removals.map((r) => [s.candidates[r.candidate]!.name, r.witness !== null])).toEqual(s.placement.map((i) => [s.candidates[i]!.name, true]));
    const why = Object.fromEntries(s.removals.map((r) => [s.candidates[r.candidate]!.name, r.reason]));
    expect(why['before-return']).toMatch(/^published-clean: unpublished/);
    expect(why['before-memmap_init_compound']).toMatch(/read-after-streaming: load of pfn \S+ \(head\) flags/);
    expect(why['before-prep_compound_head']).toMatch(/(read|write)-after-streaming.*tail/);
  });
});

describe('x86 mode: only the final drain', () => {
  it.each([
    { v: v5, saved: 1023 },
    { v: v3, saved: 1024 },
  ])('$v.name: x86 needs before-return only; the other two are the portable contract\'s', ({ v, saved }) => {
    const x = synth(v, 'x86');
    const c = synth(v, 'contract');
    expect(names(x)).toEqual(['before-return']);
    expect(perGiB(x.status === 'ok' ? x.cost : x.own.cost)).toEqual({ 'fsdax-4k': [1, 1], 'devdax-2m': [1, 1] });
    const verdict = verdictOf(x);
    expect(verdict.kind).toBe('cheaper');
    expect([...verdict.remove].sort()).toEqual(['before-memmap_init_compound', 'before-prep_compound_head']);
    expect(verdict.add).toEqual([]);
    expect(verdict.savedDrainsPerGiB).toBe(saved);
    // the explanation: the two drains order this CPU's own accesses, which x86 does by itself
    const text = needsText(x, c).join('\n');
    expect(text).toMatch(/before-prep_compound_head\s+needed\s+-/);
    expect(text).toMatch(/before-memmap_init_compound\s+needed\s+-/);
    expect(text).toMatch(/before-return\s+needed\s+needed/);
    expect(text).toContain('store forwarding and same-address order');
    if (x.status === 'ok') expect(x.removals[0]!.reason).toMatch(/^x86-published: the NT store .* may be invisible to the reader CPU/);
  });
});

describe('missing and misplaced drains', () => {
  it('v1: adds the drain review added in v2 (before prep_compound_head())', () => {
    const s = synth(v1, 'contract');
    expect(names(s)).toEqual(THREE);
    expect(s.own.safe).toBe(false);
    expect(verdictOf(s)).toMatchObject({ kind: 'unsafe', add: ['before-prep_compound_head'], remove: [] });
  });

  it.each([
    { v: v5DrainAfterPrep, add: ['before-prep_compound_head'], remove: ['after-prep_compound_head'] },
    { v: v5SetPageHeadBeforeDrain, add: ['before-memmap_init_compound'], remove: ['after-__SetPageHead'] },
  ])('$v.name: moves the misplaced drain where v5 has it', ({ v, add, remove }) => {
    const s = synth(v, 'contract');
    expect(names(s)).toEqual(THREE);
    expect(verdictOf(s)).toMatchObject({ kind: 'unsafe', add, remove });
  });

  it('v5-no-final-drain-order-0: no candidate can fix it, and the synthesis says so', () => {
    const s = synth(v5NoFinalDrainOrder0, 'contract');
    expect(s.status).toBe('no-safe-placement');
    expect(verdictOf(s).text).toMatch(/^no placement of the candidate drains is safe: .*unpublished/);
    if (s.status !== 'ok') expect(s.scenario?.pgmap.vmemmapShift).toBe(0);
  });
});
