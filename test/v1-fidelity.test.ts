// v1 as linux-mm/linux-mm @ 633e4201 has it (issue 10, points 1, 2, 3 and 9): every pfn streamed,
// the store order of the switch(sizeof(struct page)) fallthrough, the asm-generic fallback under
// KASAN/KMSAN, and v1's own slow path.
import { describe, expect, it } from 'vitest';
import type { StoreEvent } from '../model/events.ts';
import { type KernelConfig, X86_64_DEFAULT } from '../model/kernel/config.ts';
import { runVariant } from '../model/kernel/harness.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { VARIANTS } from '../model/kernel/variants/index.ts';
import { v1 } from '../model/kernel/variants/v1.ts';
import { baseV7_1 } from '../model/kernel/variants/base-v7_1.ts';
import { UNTIL_DRAIN } from '../model/schedule.ts';
import { evaluate } from '../properties/evaluate.ts';
import { verdict } from '../properties/properties.ts';
import { explain } from '../src/report/explain.ts';
import { counterexampleDoc } from '../src/report/json-report.ts';
import { textReport } from '../src/report/text-report.ts';

const scenario = (o: { shift?: number; pages?: number; kconfig?: Partial<KernelConfig>; type?: Scenario['pgmap']['type'] } = {}): Scenario => ({
  kconfig: { ...X86_64_DEFAULT, ...o.kconfig },
  pgmap: { type: o.type ?? 3, vmemmapShift: o.shift ?? 0, altmap: null },
  startPfn: 0x100000, // section- and pageblock-aligned
  nrPages: o.pages ?? 1,
  nid: 0,
  earlySection: false,
});

/** The stores of a run to the struct page of `pfn` (model address pfn * size), in issue order. */
function storesTo(s: Scenario, pfn: number) {
  const r = runVariant(v1, s, { schedule: UNTIL_DRAIN, trace: true });
  const size = r.kernel.sizeofPage;
  return r.trace!.map((t) => t.event).filter((e): e is StoreEvent =>
    e.kind === 'store' && e.addr >= pfn * size && e.addr < (pfn + 1) * size);
}

describe('v1 (linux-mm @ 633e4201)', () => {
  it('is its own module, cited, and the shipped v1', () => {
    expect(VARIANTS).toContain(v1);
    expect(v1.summary).toMatch(/633e4201/);
    expect(v1.drainSites.map((d) => d.name)).toEqual(['before-memmap_init_compound', 'before-return']);
    expect(v1.drainPoints!.map((d) => d.name)).toEqual(['before-prep_compound_head']);
  });

  it('streams the pageblock-aligned pfn too: no cached memcpy() exception (that came in v2 7/7)', () => {
    const stores = storesTo(scenario(), 0x100000);
    expect(stores).toHaveLength(8);
    expect(stores.every((e) => e.via === 'streaming' && e.fn === 'arch_optimize_store_u64')).toBe(true);
  });

  it('stores the last u64 first and word 0 last, as the switch (sizeof(struct page)) falls through', () => {
    for (const kconfig of [{}, { arch: 'generic64' as const, wantPageVirtual: true }, { memcg: false }, { kmsan: false, numaBalancing: true, nodesShift: 10 }]) {
      const s = scenario({ kconfig });
      const stores = storesTo(s, 0x100000);
      const size = runVariant(v1, s, { schedule: UNTIL_DRAIN }).kernel.sizeofPage;
      const offsets = stores.map((e) => e.addr - 0x100000 * size);
      expect(offsets).toEqual(Array.from({ length: size / 8 }, (_, i) => size - 8 - 8 * i));
      expect(stores.every((e) => e.bytes.length === 8)).toBe(true);
    }
  });

  it('so the report numbers the flags word, stored last, as the page\'s last streaming store', () => {
    const e = evaluate(v1, { scenario: scenario({ kconfig: { debugVm: true } }), schedule: UNTIL_DRAIN }, {});
    const h = e.hazards('read-after-streaming')[0]!;
    expect(h.pending.k).toBe(7); // stores #0..#7 of the page, word 0 (flags) last
    expect(h.pending.addr % 64).toBe(0);
  });

  for (const option of ['kasan', 'kmsan'] as const) {
    it(`with ${option.toUpperCase()} uses the asm-generic fallback: plain cached stores, an empty drain, the fast path still on`, () => {
      const s = scenario({ shift: 1, pages: 2, kconfig: { [option]: true } });
      const e = evaluate(v1, { scenario: s, schedule: UNTIL_DRAIN }, {});
      const cost = e.run.settled.cost;
      expect(cost.streamingStores).toBe(0);
      expect(cost.drains).toBe(0);
      expect(e.run.end.hazardCount).toBe(0);
      // the template copy still runs: arch_optimize_store_u64() stores, cached, last word first
      const size = runVariant(v1, s, { schedule: UNTIL_DRAIN }).kernel.sizeofPage;
      const copy = storesTo(s, 0x100001).filter((x) => x.fn === 'arch_optimize_store_u64');
      expect(copy).toHaveLength(size / 8);
      expect(copy.every((x) => x.via === 'cached')).toBe(true);
      expect(copy[copy.length - 1]!.addr % size).toBe(0);
      for (const p of ['no-read-after-streaming', 'no-write-after-streaming', 'published-clean', 'identical'] as const) {
        expect(verdict(p, e).ok, p).toBe(true);
      }
      // the report says which backend the build got
      const x = explain(v1, { variant: 'v1', property: 'no-write-after-streaming', scenario: s, schedule: UNTIL_DRAIN, removed: [], added: [] });
      expect(x.backend).toMatchObject({ name: 'asm-generic fallback', streaming: false });
      const text = textReport(x).join('\n');
      expect(text).toMatch(/copy backend: asm-generic fallback; arch_optimize_store_u64\(\) is a plain\s+cached store, arch_optimize_store_drain\(\) is empty/);
      expect(text).toContain(`CONFIG_${option.toUpperCase()}`);
      expect(text.match(/copy backend:/g)).toHaveLength(1);
      expect(counterexampleDoc(x).backend!.name).toBe('asm-generic fallback');
    });
  }

  it('without KASAN and KMSAN reports the x86 MOVNTI/SFENCE backend', () => {
    expect(v1.copyBackend!(X86_64_DEFAULT)).toMatchObject({ name: 'x86 MOVNTI/SFENCE', streaming: true });
  });

  it('off x86_64 (generic64) gets the asm-generic fallback too: the override is under CONFIG_X86_64', () => {
    const c = { ...X86_64_DEFAULT, arch: 'generic64' as const };
    expect(v1.copyBackend!(c)).toMatchObject({ name: 'asm-generic fallback', streaming: false });
    expect(v1.copyBackend!(c).detail).toContain('not CONFIG_X86_64');
    const e = evaluate(v1, { scenario: scenario({ shift: 1, pages: 2, kconfig: { arch: 'generic64' } }), schedule: UNTIL_DRAIN }, {});
    expect(e.run.settled.cost.streamingStores).toBe(0);
    expect(e.run.end.hazardCount).toBe(0);
  });

  it('has its own slow path: the refcount before the pageblock init (base-v7.1: the other way round)', () => {
    const s = scenario({ kconfig: { pageRefTracepoint: true } }); // fast path off: the slow path
    const order = (v: typeof v1) => runVariant(v, s, { schedule: UNTIL_DRAIN, trace: true }).trace!
      .map((t) => t.event).filter((e) => e.kind === 'store' && (e.fn === 'set_page_count' || e.fn === 'try_cmpxchg'))
      .map((e) => (e as StoreEvent).fn);
    expect(order(v1)).toEqual(['set_page_count', 'try_cmpxchg']);
    expect(order(baseV7_1)).toEqual(['try_cmpxchg', 'set_page_count']);
  });
});
