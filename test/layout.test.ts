// struct page / folio layout and page->flags against kernel-spec.md §4 and §5.2.
import { describe, expect, it } from 'vitest';
import { hex, u64 } from '../model/kernel/bytes.ts';
import { ConfigError, type KernelConfig, X86_64_DEFAULT } from '../model/kernel/config.ts';
import { PG_head, PG_reserved, flagsLayout, initialFlags } from '../model/kernel/flags.ts';
import { pageLayout } from '../model/kernel/layout.ts';

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
  it('WANT_PAGE_VIRTUAL gives a 72-byte page with virtual at 64', () => {
    const c = cfg({ wantPageVirtual: true });
    expect(pageLayout(c).size).toBe(72);
    expect(offsets(c).virtual).toEqual([64, 8]);
  });
  it('without MEMCG the page is 56 bytes; KMSAN adds shadow and origin', () => {
    expect(pageLayout(cfg({ memcg: false })).size).toBe(56);
    const k = cfg({ kmsan: true });
    expect(pageLayout(k).size).toBe(80);
    expect(offsets(k).kmsan_shadow).toEqual([64, 8]);
    expect(offsets(k).kmsan_origin).toEqual([72, 8]);
    expect(pageLayout(cfg({ kmsan: true, wantPageVirtual: true })).size).toBe(88);
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
    expect(abs(cfg({ wantPageVirtual: true }))['_deferred_list.next']).toEqual([2 * 72 + 16, 8]);
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
