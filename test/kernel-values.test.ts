// What the kernel functions write, against kernel-spec.md §1.8 and §3.
import { describe, expect, it } from 'vitest';
import { hex, readU64 } from '../model/kernel/bytes.ts';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { runVariant } from '../model/kernel/harness.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { baseNext } from '../model/kernel/variants/base-next.ts';
import { LAND_AT_ONCE } from '../model/schedule.ts';
import { VARIANTS } from '../model/kernel/variants/index.ts';
import { Kernel } from '../model/kernel/mm.ts';
import { compound_info_has_mask } from '../model/kernel/init.ts';

const scenario = (o: Partial<Scenario> & { shift?: number; type?: 1 | 2 | 3 | 4 | 5 } = {}): Scenario => ({
  kconfig: X86_64_DEFAULT,
  pgmap: { type: o.type ?? 4, vmemmapShift: o.shift ?? 9, altmap: null },
  startPfn: 0x100000, nrPages: 2 ** (o.shift ?? 9), nid: 0, earlySection: false, ...o,
});
const word = (img: { pfns: readonly number[]; bytes: Uint8Array }, pfn: number, off: number) =>
  hex(img.bytes.subarray(img.pfns.indexOf(pfn) * 64 + off, img.pfns.indexOf(pfn) * 64 + off + 8));

describe('base-next, order 9 GENERIC, mask encoding (kernel-spec.md §1.8)', () => {
  const img = runVariant(baseNext, scenario(), { schedule: LAND_AT_ONCE }).image;
  const H = 0x100000;
  it('head: flags with PG_head and PG_reserved, pgmap, refcount 1', () => {
    expect(word(img, H, 0)).toBe('0x0200000000002040');
    expect(word(img, H, 8)).toBe('0xffff888100a00000');
    expect(word(img, H, 48)).toBe('0x00000001ffffffff'); // _refcount 1, _mapcount -1
  });
  it('tail 1 carries the folio: order 9, _nr_pages 512, mapcounts', () => {
    expect(word(img, H + 1, 0)).toBe('0x0200000000002009');
    expect(word(img, H + 1, 8)).toBe('0xffffffffffff8001'); // GENMASK(63, 9+6) | 1
    expect(word(img, H + 1, 16)).toBe('0x00000000ffffffff'); // _large_mapcount -1, _nr_pages_mapped 0
    expect(word(img, H + 1, 24)).toBe('0x00000000ffffffff'); // _entire_mapcount -1, _pincount 0
    expect(word(img, H + 1, 32)).toBe('0xffffffffffffffff'); // _mm_id_mapcount[2]
    expect(word(img, H + 1, 56)).toBe('0x0000000000000200');
  });
  it('tail 2 holds the empty _deferred_list at head + 144', () => {
    const list = hex(new Uint8Array(new BigUint64Array([0xffffea0000000000n + BigInt(H * 64 + 144)]).buffer));
    expect(word(img, H + 2, 16)).toBe(list);
    expect(word(img, H + 2, 24)).toBe(list);
  });
  it('tails from 3 on: TAIL_MAPPING, refcount 0', () => {
    expect(word(img, H + 3, 24)).toBe('0xdead000000000400');
    expect(word(img, H + 511, 48)).toBe('0x00000000ffffffff');
  });
  it('the pageblock is MOVABLE', () => {
    expect([...img.pageblocks]).toEqual([[H, 1]]);
  });
});

describe('encodings and geometry', () => {
  it('pointer encoding stores head | 1', () => {
    const img = runVariant(baseNext, scenario({ kconfig: { ...X86_64_DEFAULT, compoundInfoMask: false } }), { schedule: LAND_AT_ONCE }).image;
    expect(readU64(img.bytes, 64 + 8)).toBe(0xffffea0000000000n + BigInt(0x100000 * 64) + 1n);
  });
  it('order 18 with the vmemmap dedup writes 128 struct pages per compound page', () => {
    const r = runVariant(baseNext, scenario({ shift: 18 }), { schedule: LAND_AT_ONCE });
    expect(r.kernel.dedupBacking).toBe(true);
    expect(r.image.pfns.length).toBe(128);
    expect(r.image.pageblocks.size).toBe(512);
    expect(word(r.image, 0x100001, 8)).toBe('0xffffffffff000001'); // order 18 mask
  });
  it('an altmap moves the start past reserve + free and disables the dedup', () => {
    const r = runVariant(baseNext, { ...scenario({ shift: 9 }), pgmap: { type: 4, vmemmapShift: 9, altmap: { reserve: 2, free: 510 } }, nrPages: 1024 }, { schedule: LAND_AT_ONCE });
    expect(r.kernel.dedupBacking).toBe(false);
    expect(r.image.startPfn).toBe(0x100000 + 512);
    expect(r.image.pfns.length).toBe(512);
  });
  it('FS_DAX heads get refcount 0 (pagemap_resets_refcount() is false)', () => {
    const img = runVariant(baseNext, scenario({ shift: 0, nrPages: 1, type: 3 }), { schedule: LAND_AT_ONCE }).image;
    expect(word(img, 0x100000, 48)).toBe('0x00000000ffffffff');
  });
  it('WANT_PAGE_VIRTUAL: virtual = __va(pfn << 12)', () => {
    const img = runVariant(baseNext, scenario({ shift: 0, nrPages: 2, kconfig: { ...X86_64_DEFAULT, arch: 'generic64', wantPageVirtual: true } }), { schedule: LAND_AT_ONCE }).image;
    expect(hex(img.bytes.subarray(72 + 64, 72 + 72))).toBe('0xffff888100001000');
  });
});

describe('x86_64 struct page alignment (HAVE_ALIGNED_STRUCT_PAGE)', () => {
  it('!MEMCG: 56 bytes of fields in a 64-byte page; __mm_zero_struct_page() clears the padding, every variant leaves it zero', () => {
    const s = scenario({ shift: 0, nrPages: 3, kconfig: { ...X86_64_DEFAULT, memcg: false } });
    for (const v of VARIANTS) {
      const r = runVariant(v, s, { schedule: LAND_AT_ONCE, trace: true });
      expect(r.image.sizeofPage).toBe(64);
      for (let i = 0; i < r.image.pfns.length; i++) expect(hex(r.image.bytes.subarray(i * 64 + 56, i * 64 + 64)), v.name).toBe('0x0000000000000000');
    }
    // the reference writes it with the switch's _pp[7] = 0 (the memory starts as 0xff)
    const ref = runVariant(baseNext, s, { schedule: LAND_AT_ONCE, trace: true });
    expect(ref.trace!.some((t) => t.event.kind === 'store' && t.event.fn === 'mm_zero_struct_page' && t.event.addr === 0x100000 * 64 + 56)).toBe(true);
  });
  it('the vmemmap dedup and the mask encoding need a power-of-2 size: 64 (padded or not) yes, 80 and generic64 72 no', () => {
    const at = (kconfig: typeof X86_64_DEFAULT) => {
      const k = new Kernel(scenario({ shift: 9, kconfig }));
      return [k.sizeofPage, k.dedupBacking, compound_info_has_mask(k)];
    };
    expect(at(X86_64_DEFAULT)).toEqual([64, true, true]);
    expect(at({ ...X86_64_DEFAULT, memcg: false })).toEqual([64, true, true]);
    expect(at({ ...X86_64_DEFAULT, kmsan: true })).toEqual([80, false, false]);
    expect(at({ ...X86_64_DEFAULT, arch: 'generic64', wantPageVirtual: true })).toEqual([72, false, false]);
    expect(at({ ...X86_64_DEFAULT, arch: 'generic64', memcg: false })).toEqual([56, false, false]);
  });
});
