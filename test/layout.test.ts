// struct page / folio layout and page->flags against kernel-spec.md §4 and §5.2.
import { describe, expect, it } from 'vitest';
import { hex, u64 } from '../model/kernel/bytes.ts';
import { ConfigError, type KernelConfig, X86_64_DEFAULT } from '../model/kernel/config.ts';
import { PG_head, PG_reserved, flagsLayout, initialFlags } from '../model/kernel/flags.ts';
import { pageLayout } from '../model/kernel/layout.ts';
import { allKernelConfigs } from '../properties/exhaustive-configs.ts';

const cfg = (o: Partial<KernelConfig>): KernelConfig => ({ ...X86_64_DEFAULT, ...o });
const offsets = (c: KernelConfig) => Object.fromEntries(pageLayout(c).fields.map((f) => [f.name, [f.offset, f.size]]));

describe('struct page layout (kernel-spec.md §4.1)', () => {
  it('is 64 bytes on the typical x86_64 config, with every field where mm_types.h puts it', () => {
    const L = pageLayout(X86_64_DEFAULT);
    expect(L.size).toBe(64);
    expect(offsets(X86_64_DEFAULT)).toEqual({
      flags: [0, 8], compound_info: [8, 8], zone_device_data: [16, 8], mapping: [24, 8], index: [32, 8],
      private: [40, 8], _mapcount: [48, 4], _refcount: [52, 4], memcg_data: [56, 8],
    });
  });
  it('x86_64 (HAVE_ALIGNED_STRUCT_PAGE): sizeof is a multiple of 16, the padding named and placed after the last field', () => {
    // 56 bytes of fields without MEMCG -> 64; 68 with _last_cpupid -> 80; 80 with KMSAN -> 80;
    // 84 with KMSAN and _last_cpupid -> 96
    // LAST_CPUPID_NOT_IN_PAGE_FLAGS needs more than the 40 free flag bits: 3 + 10 + (8 + 17) + 3
    const cpupidInPage = { numaBalancing: true, nodesShift: 10, nrCpusBits: 17, nrPageflags: 24 as const, lruGen: true };
    expect(pageLayout(cfg({ memcg: false })).size).toBe(64);
    expect(offsets(cfg({ memcg: false }))['(padding)']).toEqual([56, 8]);
    expect(offsets(cfg(cpupidInPage))._last_cpupid).toEqual([64, 4]);
    expect(pageLayout(cfg(cpupidInPage)).size).toBe(80);
    expect(offsets(cfg(cpupidInPage))['(padding)']).toEqual([68, 12]);
    const k = cfg({ kmsan: true });
    expect(pageLayout(k).size).toBe(80);
    expect(offsets(k).kmsan_shadow).toEqual([64, 8]);
    expect(offsets(k).kmsan_origin).toEqual([72, 8]);
    expect(pageLayout(cfg({ ...cpupidInPage, kmsan: true })).size).toBe(96);
    expect(offsets(X86_64_DEFAULT)['(padding)']).toBeUndefined();
  });
  it('x86_64 has no WANT_PAGE_VIRTUAL: a ConfigError names the value and what is allowed', () => {
    expect(() => pageLayout(cfg({ wantPageVirtual: true }))).toThrow(ConfigError);
    expect(() => pageLayout(cfg({ wantPageVirtual: true }))).toThrow(/WANT_PAGE_VIRTUAL is not allowed with arch=x86_64.*allowed with arch=generic64/);
  });
  it('every x86_64 config of the exhaustive product has a 64 or 80-byte page (96 needs _last_cpupid in the page, which no swept NR_CPUS_BITS gives)', () => {
    const all = [...allKernelConfigs()]; // listed once: it is the whole product
    const sizes = new Set(all.filter((c) => c.arch === 'x86_64').map((c) => pageLayout(c).size));
    expect([...sizes].sort((a, b) => a - b)).toEqual([64, 80]);
    const generic = new Set(all.filter((c) => c.arch === 'generic64').map((c) => pageLayout(c).size));
    expect([...generic].sort((a, b) => a - b)).toEqual([56, 64, 72, 80, 88]);
  });
});

describe('struct page layout, generic64 (no HAVE_ALIGNED_STRUCT_PAGE: sizeof(long) alignment)', () => {
  const g = (o: Partial<KernelConfig>) => cfg({ arch: 'generic64', ...o });
  it('WANT_PAGE_VIRTUAL gives a 72-byte page with virtual at 64', () => {
    expect(pageLayout(g({ wantPageVirtual: true })).size).toBe(72);
    expect(offsets(g({ wantPageVirtual: true })).virtual).toEqual([64, 8]);
  });
  it('sizes are multiples of 8: 56 without MEMCG, 80 with KMSAN, 88 with KMSAN and WANT_PAGE_VIRTUAL, no padding', () => {
    expect(pageLayout(g({ memcg: false })).size).toBe(56);
    expect(pageLayout(g({ kmsan: true })).size).toBe(80);
    expect(pageLayout(g({ kmsan: true, wantPageVirtual: true })).size).toBe(88);
    expect(offsets(g({ kmsan: true, wantPageVirtual: true })).kmsan_shadow).toEqual([72, 8]);
    expect(offsets(g({ memcg: false }))['(padding)']).toBeUndefined();
  });
});

describe('struct folio overlay (kernel-spec.md §4.2 byte map)', () => {
  const abs = (c: KernelConfig) => {
    const L = pageLayout(c);
    return Object.fromEntries(L.folio.map((f) => [f.name, [f.page * L.size + f.offset, f.size]]));
  };
  it('matches the absolute offsets of the 64-byte table', () => {
    expect(abs(X86_64_DEFAULT)).toEqual({
      _flags_1: [64, 8], _head_1: [72, 8], _large_mapcount: [80, 4], _nr_pages_mapped: [84, 4],
      _entire_mapcount: [88, 4], _pincount: [92, 4], '_mm_id_mapcount[0]': [96, 4], '_mm_id_mapcount[1]': [100, 4],
      _mm_ids: [104, 8], _mapcount_1: [112, 4], _refcount_1: [116, 4], _nr_pages: [120, 4],
      _flags_2: [128, 8], _head_2: [136, 8], '_deferred_list.next': [144, 8], '_deferred_list.prev': [152, 8],
      _flags_3: [192, 8], _head_3: [200, 8], _hugetlb_subpool: [208, 8], _hugetlb_cgroup: [216, 8],
      _hugetlb_cgroup_rsvd: [224, 8], hugetlb_hwpoison: [232, 8],
    });
  });
  it('has no _nr_pages without MEMCG (NR_PAGES_IN_LARGE_FOLIO)', () => {
    expect(abs(cfg({ memcg: false }))._nr_pages).toBeUndefined();
  });
  it('follows the page size (FOLIO_MATCH) for a 72-byte page', () => {
    expect(abs(cfg({ arch: 'generic64', wantPageVirtual: true }))['_deferred_list.next']).toEqual([2 * 72 + 16, 8]);
    expect(abs(cfg({ kmsan: true }))['_deferred_list.next']).toEqual([2 * 80 + 16, 8]);
  });
});

describe('page->flags (kernel-spec.md §5.2 worked examples)', () => {
  it('example A: NODES_SHIFT=6, no NUMA_BALANCING, LRU_GEN', () => {
    const c = cfg({ nodesShift: 6, numaBalancing: false, lruGen: true });
    const F = flagsLayout(c);
    expect([F.nodes, F.zones, F.lruGen, F.lruRefs]).toEqual([
      { shift: 58, width: 6 }, { shift: 55, width: 3 }, { shift: 52, width: 3 }, { shift: 50, width: 2 }]);
    expect(F.lastCpupid).toBeNull();
    expect(hex(u64(initialFlags(F, F.zoneDevice, 0)))).toBe('0x0200000000000000');
    expect(hex(u64(initialFlags(F, F.zoneDevice, 1)))).toBe('0x0600000000000000');
    const reserved = initialFlags(F, F.zoneDevice, 0) | (1n << BigInt(PG_reserved));
    expect(hex(u64(reserved))).toBe('0x0200000000002000');
    expect(hex(u64(reserved | (1n << BigInt(PG_head))))).toBe('0x0200000000002040');
  });
  it('example B: NODES_SHIFT=10, NUMA_BALANCING with NR_CPUS_BITS=13, LRU_GEN, NR_PAGEFLAGS=24', () => {
    const c = cfg({ nodesShift: 10, numaBalancing: true, nrCpusBits: 13, lruGen: true, nrPageflags: 24 });
    const F = flagsLayout(c);
    expect([F.nodes, F.zones, F.lastCpupid, F.lruGen, F.lruRefs]).toEqual([
      { shift: 54, width: 10 }, { shift: 51, width: 3 }, { shift: 30, width: 21 }, { shift: 27, width: 3 }, { shift: 25, width: 2 }]);
    expect(hex(u64(initialFlags(F, F.zoneDevice, 0)))).toBe('0x0027ffffc0000000');
    expect(hex(u64(initialFlags(F, F.zoneDevice, 1)))).toBe('0x0067ffffc0000000');
    const reserved = initialFlags(F, F.zoneDevice, 0) | (1n << BigInt(PG_reserved));
    expect(hex(u64(reserved))).toBe('0x0027ffffc0002000');
    expect(hex(u64(reserved | (1n << BigInt(PG_head))))).toBe('0x0027ffffc0002040');
  });
  it('ZONE_DEVICE is zone 4 with ZONE_DMA, 3 without (ZONES_WIDTH 3 / 2)', () => {
    expect(flagsLayout(cfg({ zoneDma: true }))).toMatchObject({ zoneDevice: 4, zones: { width: 3 } });
    expect(flagsLayout(cfg({ zoneDma: false }))).toMatchObject({ zoneDevice: 3, zones: { width: 2 } });
  });
  it('rejects an impossible NODES_SHIFT with a ConfigError naming the value', () => {
    expect(() => flagsLayout(cfg({ nodesShift: 11 }))).toThrow(ConfigError);
    expect(() => flagsLayout(cfg({ nodesShift: 11 }))).toThrow(/NODES_SHIFT=11/);
  });
});
