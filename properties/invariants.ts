// The final memmap decoded on its own terms, without the reference (DESIGN.md §5, property 3);
// this guards the reference itself. Expected values follow kernel-spec.md §1.8.
import { hex, hexNum, readU64, u32, u64 } from '../model/kernel/bytes.ts';
import {
  MIGRATE_MOVABLE, PAGE_OFFSET, PAGE_SHIFT, PGMAP_VA, TAIL_MAPPING, VMEMMAP_BASE,
} from '../model/kernel/constants.ts';
import { PG_head, PG_reserved, flagsLayout, initialFlags, mask } from '../model/kernel/flags.ts';
import type { Image } from '../model/kernel/harness.ts';
import { OFF, pageLayout } from '../model/kernel/layout.ts';
import type { Scenario } from '../model/kernel/scenario.ts';

export interface Violation {
  readonly kind: 'page' | 'pageblock';
  /** struct page pfn, or the first pfn of the pageblock */
  readonly pfn: number;
  /** tail index within its compound page (0 = head), or null for order-0 */
  readonly tail: number | null;
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

/** At most this many violations are listed; the rest are counted. */
const MAX = 40;

/** `onViolation` sees every violation, also those past the listed MAX. */
export function checkInvariants(s: Scenario, img: Image, onViolation?: (v: Violation) => void): { violations: Violation[]; total: number } {
  const c = s.kconfig;
  const L = pageLayout(c);
  const F = flagsLayout(c);
  const size = L.size;
  const order = s.pgmap.vmemmapShift;
  const cs = 2 ** order;
  const hasMask = c.compoundInfoMask && (size & (size - 1)) === 0;
  const resets = s.pgmap.type === 4; // only MEMORY_DEVICE_GENERIC pages get their refcount back
  const base = initialFlags(F, F.zoneDevice, s.nid) | (1n << BigInt(PG_reserved));
  const violations: Violation[] = [];
  let total = 0;
  const fail = (v: Violation) => {
    onViolation?.(v);
    total++;
    if (violations.length < MAX) violations.push(v);
  };

  img.pfns.forEach((pfn, i) => {
    const b = img.bytes.subarray(i * size, (i + 1) * size);
    const va = VMEMMAP_BASE + BigInt(pfn * size);
    const t = order === 0 ? null : pfn % cs;
    const headVa = VMEMMAP_BASE + BigInt((pfn - (t ?? 0)) * size);
    const want = (field: string, off: number, expected: Uint8Array) => {
      const actual = b.subarray(off, off + expected.length);
      if (actual.every((x, j) => x === expected[j])) return;
      fail({ kind: 'page', pfn, tail: t, field: `${field} @+${off}`, expected: hex(expected), actual: hex(actual) });
    };

    // flags: zone ZONE_DEVICE, node nid, cpupid all ones, PG_reserved; PG_head on a head; order in _flags_1
    let flags = base;
    if (t === 0) flags |= 1n << BigInt(PG_head);
    if (t === 1) flags = (flags & ~0xffn) | BigInt(order);
    want(t === 1 ? '_flags_1' : 'flags', OFF.flags, u64(flags));

    if (t === null || t === 0) {
      want('pgmap', OFF.compound_info, u64(PGMAP_VA));
      want('zone_device_data', OFF.zone_device_data, u64(0n));
      want('mapping', OFF.mapping, u64(0n));
      want('index', OFF.index, u64(0n));
      want('private', OFF.private, u64(0n));
      want('_refcount', OFF._refcount, u32(resets ? 1 : 0));
    } else {
      // the tail decodes to its head (_compound_head())
      const info = readU64(b, OFF.compound_info);
      const decoded = !(info & 1n) ? va : hasMask ? va & (((info & 1n) - 1n) | info) : info - 1n;
      if (decoded !== headVa) {
        fail({ kind: 'page', pfn, tail: t, field: `compound_info @+8 (decodes to head)`, expected: hexNum(headVa), actual: hexNum(decoded) });
      }
      want('_refcount', OFF._refcount, u32(0));
      if (t === 1) {
        want('_large_mapcount', 16, u32(-1));
        want('_nr_pages_mapped', 20, u32(0));
        want('_entire_mapcount', 24, u32(-1));
        want('_pincount', 28, u32(0));
        want('_mm_id_mapcount', 32, c.mmId ? u64(-1n) : u64(0n));
        want('_mm_ids', 40, u64(0n));
      } else if (t === 2) {
        const list = u64(headVa + BigInt(2 * size + 16));
        want('_deferred_list.next', 16, list);
        want('_deferred_list.prev', 24, list);
        want('index', OFF.index, u64(0n));
        want('private', OFF.private, u64(0n));
      } else {
        want('zone_device_data', OFF.zone_device_data, u64(0n));
        want('mapping', OFF.mapping, u64(TAIL_MAPPING));
        want('index', OFF.index, u64(0n));
        want('private', OFF.private, u64(0n));
      }
    }
    want(t === 1 ? '_mapcount_1' : '_mapcount', OFF._mapcount, u32(-1));
    if (L.memcgData !== null) {
      want(t === 1 ? '_nr_pages' : 'memcg_data', L.memcgData, t === 1 ? u64(BigInt(cs)) : u64(0n));
    }
    if (L.virtual !== null) want('virtual', L.virtual, u64(PAGE_OFFSET + (BigInt(pfn) << BigInt(PAGE_SHIFT))));
    if (L.lastCpupid !== null) want('_last_cpupid', L.lastCpupid, u32(Number(mask(F.lastCpupidShift))));
    if (L.kmsanShadow !== null) want('kmsan_shadow/origin', L.kmsanShadow, new Uint8Array(16));
  });

  for (const [pb, bits] of img.pageblocks) {
    if ((bits & 7) !== MIGRATE_MOVABLE) {
      fail({ kind: 'pageblock', pfn: pb, tail: null, field: 'migratetype', expected: 'MOVABLE', actual: bits === 0 ? 'UNMOVABLE' : `0x${bits.toString(16)}` });
    }
  }
  return { violations, total };
}
