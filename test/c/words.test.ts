// v1's copy: a struct page as u64 words (u64 *, &dst[i], src[i]) through arch_optimize_store_u64(),
// MOVNTI on x86 and a plain store with an empty drain under KASAN or KMSAN (the generic header).
import { beforeAll, describe, expect, it } from 'vitest';
import type { CVariant } from '../../model/c/variant.ts';
import { X86_64_DEFAULT } from '../../model/kernel/config.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import { Kernel } from '../../model/kernel/mm.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { loadC } from './load.ts';

const scenario = (kasan: boolean) => ({
  kconfig: { ...X86_64_DEFAULT, kasan }, pgmap: { type: 3 as const, vmemmapShift: 0, altmap: null },
  startPfn: 0x100000, nrPages: 2, nid: 0, earlySection: false,
});

describe('u64 words of a struct page', () => {
  let v: CVariant;
  beforeAll(async () => {
    v = await loadC('v1-copy.c', null);
  });

  it('copies word by word: a load and an 8-byte MOVNTI per word, last word first (v1\'s switch fallthrough), then SFENCE', () => {
    for (const kmsan of [false, true]) {
      // x86_64: 64 bytes, and 80 with KMSAN's two fields (16-byte aligned)
      const s = { ...scenario(false), kconfig: { ...X86_64_DEFAULT, kmsan } };
      const size = new Kernel(s).sizeofPage;
      const r = runVariant(v, s, { schedule: LAND_AT_ONCE, trace: true });
      const addrs = r.trace!.map((t) => t.event).filter((e) => e.kind === 'store' && e.fn === 'arch_optimize_store_u64').map((e) => (e.kind === 'store' ? e.addr : 0));
      const page = 0x100000 * size;
      expect(addrs.slice(0, size / 8)).toEqual(Array.from({ length: size / 8 }, (_, i) => page + size - 8 * (i + 1)));
    }
    const s = scenario(false);
    const size = new Kernel(s).sizeofPage;
    const r = runVariant(v, s, { schedule: LAND_AT_ONCE, trace: true });
    const stores = r.trace!.map((t) => t.event).filter((e) => e.kind === 'store' && e.fn === 'arch_optimize_store_u64');
    expect(stores).toHaveLength(2 * (size / 8));
    expect(stores.every((e) => e.kind === 'store' && e.via === 'streaming' && e.granule === 8 && e.bytes.length === 8)).toBe(true);
    expect(r.trace!.filter((t) => t.event.kind === 'load' && t.event.fn === 'u64 load')).toHaveLength(2 * (size / 8));
    expect(r.trace!.filter((t) => t.event.kind === 'drain').map((t) => t.event.kind === 'drain' && t.event.site)).toEqual(['memmap_init_zone_device#1']);
    // the copies hold the template's bytes
    const img = r.image.bytes;
    expect([...img.subarray(size, 2 * size)]).toEqual([...img.subarray(0, size)]);
  });

  it('falls back to cached stores and an empty drain under KASAN', () => {
    const r = runVariant(v, scenario(true), { schedule: LAND_AT_ONCE, trace: true });
    const stores = r.trace!.map((t) => t.event).filter((e) => e.kind === 'store' && e.fn === 'arch_optimize_store_u64');
    expect(stores.length).toBeGreaterThan(0);
    expect(stores.every((e) => e.kind === 'store' && e.via === 'cached')).toBe(true);
    expect(r.trace!.filter((t) => t.event.kind === 'drain')).toEqual([]);
  });
});
