// CONFIG_DEBUG_VM (issue 10, point 4): pageblock init reads page->flags only through
// VM_BUG_ON_PAGE(!zone_spans_pfn(page_zone(page), pfn)) in get_pfnblock_bitmap_bitidx(), which
// exists only with DEBUG_VM (linux-mm @ 00cb34b0 mm/page_alloc.c, include/linux/mmdebug.h).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KernelConfig, X86_64_DEFAULT, describeKernelConfig } from '../model/kernel/config.ts';
import { runVariant } from '../model/kernel/harness.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { baseNext } from '../model/kernel/variants/base-next.ts';
import { baseV7_1 } from '../model/kernel/variants/base-v7_1.ts';
import { v5 } from '../model/kernel/variants/v5.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { UNTIL_DRAIN } from '../model/schedule.ts';
import { kernelConfigArb } from '../properties/arbitraries.ts';
import { evaluate } from '../properties/evaluate.ts';
import { DEFAULT_KCONFIGS, FLAG_VALUES } from '../properties/exhaustive-configs.ts';
import { verdict } from '../properties/properties.ts';
import streamPageblockAligned from './mutants/v3-stream-pageblock-aligned.ts';

const scenario = (debugVm: boolean, o: { pages?: number } = {}): Scenario => ({
  kconfig: { ...X86_64_DEFAULT, debugVm },
  pgmap: { type: 3, vmemmapShift: 0, altmap: null },
  startPfn: 0x100000, // pageblock-aligned
  nrPages: o.pages ?? 1,
  nid: 0,
  earlySection: false,
});

const pageZoneLoads = (v: Variant, s: Scenario): number => runVariant(v, s, { schedule: UNTIL_DRAIN, trace: true }).trace!
  .filter((t) => t.event.kind === 'load' && t.event.fn === 'page_zone').length;

describe('CONFIG_DEBUG_VM', () => {
  it('is the only reason pageblock init reads a struct page, per-page (v7.1) and range (2026) init alike', () => {
    for (const v of [baseV7_1, baseNext]) {
      expect(pageZoneLoads(v, scenario(false)), v.name).toBe(0);
      expect(pageZoneLoads(v, scenario(true)), v.name).toBe(1);
    }
  });

  it('is named in the config line only when on', () => {
    expect(describeKernelConfig({ ...X86_64_DEFAULT, debugVm: true })).toMatch(/ DEBUG_VM$/);
    expect(describeKernelConfig(X86_64_DEFAULT)).not.toMatch(/DEBUG_VM/);
  });

  it('is generated both ways and shrinks towards off, as distro kernels build', () => {
    const seen = new Set(fc.sample(kernelConfigArb, { seed: 1, numRuns: 100 }).map((c) => c.debugVm));
    expect(seen).toEqual(new Set([false, true]));
    // a property every config fails shrinks to the typical build: DEBUG_VM off
    const r = fc.check(fc.property(kernelConfigArb, (c: KernelConfig) => !c.debugVm && false), { seed: 1 });
    expect(r.counterexample![0]).toEqual(X86_64_DEFAULT);
  });

  it('is explored both ways by the exhaustive sweep', () => {
    expect(FLAG_VALUES.debugVm).toEqual([false, true]);
    expect(DEFAULT_KCONFIGS.map((n) => n.kconfig.debugVm)).toContain(true);
    expect(DEFAULT_KCONFIGS[0]!.kconfig.debugVm).toBe(false);
  });

  it('is what makes streaming a pageblock-aligned pfn a read-after-streaming (v3 keeps it cached)', () => {
    const ok = (debugVm: boolean) => verdict('no-read-after-streaming',
      evaluate(streamPageblockAligned, { scenario: scenario(debugVm), schedule: UNTIL_DRAIN }, {})).ok;
    expect(ok(false)).toBe(true);
    expect(ok(true)).toBe(false);
  });

  it('is what adds a read-after-streaming to v5 without its before-return drain; unpublished stays', () => {
    // v5 writes the first page on the slow path: start one page before a pageblock, so the
    // pageblock-aligned pfn is the streamed second page that pageblock init visits
    const s = (debugVm: boolean): Scenario => ({ ...scenario(debugVm, { pages: 2 }), startPfn: 0x100000 - 1 });
    const e = (debugVm: boolean) => evaluate(v5, { scenario: s(debugVm), schedule: UNTIL_DRAIN }, { drains: { removed: new Set(['before-return']) } });
    expect(verdict('published-clean', e(false)).ok).toBe(false);
    expect(verdict('no-read-after-streaming', e(false)).ok).toBe(true);
    expect(verdict('no-read-after-streaming', e(true)).ok).toBe(false);
    expect(e(true).hazards('read-after-streaming')[0]!.access.fn).toBe('page_zone');
  });
});
