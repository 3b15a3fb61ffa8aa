// The final memmap decoded on its own terms, without the reference (DESIGN.md §5, property 3);
// this guards the reference itself. Expected values follow kernel-spec.md §1.8.
//
// What a struct page must hold depends on its role (order-0 page or head, tail 1, tail 2, a later
// tail) and, for a few fields, on its pfn. `pageChecks()` lists a role's checks in the order they
// are reported, once per scenario; the page loop then compares bytes, with no BigInt or
// allocation per page unless a field is wrong.
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

/** One check of a struct page: fixed bytes, bytes that depend on the pfn, or the tail's head pointer. */
type Check =
  | { readonly kind: 'bytes'; readonly field: string; readonly off: number; readonly bytes: Uint8Array }
  | { readonly kind: 'per-pfn'; readonly field: string; readonly off: number; readonly bytes: (pfn: number) => Uint8Array }
  | { readonly kind: 'decodes-to-head' };

/** A page's role: an order-0 page, a head, tail 1 and tail 2 (the folio's overlay), or a later tail. */
type Role = 'page' | 'head' | 'tail1' | 'tail2' | 'tail';

const roleOf = (t: number | null): Role => (t === null ? 'page' : t === 0 ? 'head' : t === 1 ? 'tail1' : t === 2 ? 'tail2' : 'tail');

/** The checks of a page of each role, in the order violations are reported. */
function pageChecks(s: Scenario): Record<Role, readonly Check[]> {
  const c = s.kconfig;
  const L = pageLayout(c);
  const F = flagsLayout(c);
  const size = L.size;
  const order = s.pgmap.vmemmapShift;
  const cs = 2 ** order;
  const resets = s.pgmap.type === 4; // only MEMORY_DEVICE_GENERIC pages get their refcount back
  const base = initialFlags(F, F.zoneDevice, s.nid) | (1n << BigInt(PG_reserved));
  const bytes = (field: string, off: number, b: Uint8Array): Check => ({ kind: 'bytes', field, off, bytes: b });
  const headVa = (pfn: number) => VMEMMAP_BASE + BigInt((pfn - (pfn % cs)) * size);

  const checks = (role: Role): Check[] => {
    const t1 = role === 'tail1';
    // flags: zone ZONE_DEVICE, node nid, cpupid all ones, PG_reserved; PG_head on a head; order in _flags_1
    let flags = base;
    if (role === 'head') flags |= 1n << BigInt(PG_head);
    if (t1) flags = (flags & ~0xffn) | BigInt(order);
    const out: Check[] = [bytes(t1 ? '_flags_1' : 'flags', OFF.flags, u64(flags))];
    if (role === 'page' || role === 'head') {
      out.push(
        bytes('pgmap', OFF.compound_info, u64(PGMAP_VA)),
        bytes('zone_device_data', OFF.zone_device_data, u64(0n)),
        bytes('mapping', OFF.mapping, u64(0n)),
        bytes('index', OFF.index, u64(0n)),
        bytes('private', OFF.private, u64(0n)),
        bytes('_refcount', OFF._refcount, u32(resets ? 1 : 0)),
      );
    } else {
      // the tail decodes to its head (_compound_head())
      out.push({ kind: 'decodes-to-head' }, bytes('_refcount', OFF._refcount, u32(0)));
      if (t1) {
        out.push(
          bytes('_large_mapcount', 16, u32(-1)),
          bytes('_nr_pages_mapped', 20, u32(0)),
          bytes('_entire_mapcount', 24, u32(-1)),
          bytes('_pincount', 28, u32(0)),
          bytes('_mm_id_mapcount', 32, c.mmId ? u64(-1n) : u64(0n)),
          bytes('_mm_ids', 40, u64(0n)),
        );
      } else if (role === 'tail2') {
        const list = (pfn: number) => u64(headVa(pfn) + BigInt(2 * size + 16));
        out.push(
          { kind: 'per-pfn', field: '_deferred_list.next', off: 16, bytes: list },
          { kind: 'per-pfn', field: '_deferred_list.prev', off: 24, bytes: list },
          bytes('index', OFF.index, u64(0n)),
          bytes('private', OFF.private, u64(0n)),
        );
      } else {
        out.push(
          bytes('zone_device_data', OFF.zone_device_data, u64(0n)),
          bytes('mapping', OFF.mapping, u64(TAIL_MAPPING)),
          bytes('index', OFF.index, u64(0n)),
          bytes('private', OFF.private, u64(0n)),
        );
      }
    }
    out.push(bytes(t1 ? '_mapcount_1' : '_mapcount', OFF._mapcount, u32(-1)));
    if (L.memcgData !== null) out.push(bytes(t1 ? '_nr_pages' : 'memcg_data', L.memcgData, t1 ? u64(BigInt(cs)) : u64(0n)));
    if (L.virtual !== null) {
      out.push({ kind: 'per-pfn', field: 'virtual', off: L.virtual, bytes: (pfn) => u64(PAGE_OFFSET + (BigInt(pfn) << BigInt(PAGE_SHIFT))) });
    }
    if (L.lastCpupid !== null) out.push(bytes('_last_cpupid', L.lastCpupid, u32(Number(mask(F.lastCpupidShift)))));
    if (L.kmsanShadow !== null) out.push(bytes('kmsan_shadow/origin', L.kmsanShadow, new Uint8Array(16)));
    return out;
  };
  return { page: checks('page'), head: checks('head'), tail1: checks('tail1'), tail2: checks('tail2'), tail: checks('tail') };
}

const same = (b: Uint8Array, at: number, want: Uint8Array): boolean => {
  for (let j = 0; j < want.length; j++) if (b[at + j] !== want[j]) return false;
  return true;
};

/** `onViolation` sees every violation, also those past the listed MAX. */
export function checkInvariants(s: Scenario, img: Image, onViolation?: (v: Violation) => void): { violations: Violation[]; total: number } {
  const c = s.kconfig;
  const size = pageLayout(c).size;
  const order = s.pgmap.vmemmapShift;
  const cs = 2 ** order;
  const hasMask = c.compoundInfoMask && (size & (size - 1)) === 0;
  const byRole = pageChecks(s);
  const violations: Violation[] = [];
  let total = 0;
  const fail = (v: Violation) => {
    onViolation?.(v);
    total++;
    if (violations.length < MAX) violations.push(v);
  };
  // a tail's compound_info as the model's own set_compound_head() encodes it, checked first by
  // bytes; anything else is decoded as _compound_head() would (either encoding is correct)
  const maskInfo = hasMask ? u64(BigInt.asUintN(64, ~((1n << BigInt(order + Math.log2(size))) - 1n)) | 1n) : null;
  let infoHead = -1;
  let info: Uint8Array | null = maskInfo;

  const b = img.bytes;
  for (let i = 0; i < img.pfns.length; i++) {
    const pfn = img.pfns[i]!;
    const at = i * size;
    const t = order === 0 ? null : pfn % cs;
    for (const k of byRole[roleOf(t)]) {
      if (k.kind === 'decodes-to-head') {
        const head = pfn - t!;
        if (!hasMask && infoHead !== head) {
          info = u64((VMEMMAP_BASE + BigInt(head * size)) | 1n);
          infoHead = head;
        }
        if (same(b, at + OFF.compound_info, info!)) continue;
        const va = VMEMMAP_BASE + BigInt(pfn * size);
        const headVa = VMEMMAP_BASE + BigInt(head * size);
        const x = readU64(b, at + OFF.compound_info);
        const decoded = !(x & 1n) ? va : hasMask ? va & (((x & 1n) - 1n) | x) : x - 1n;
        if (decoded !== headVa) {
          fail({ kind: 'page', pfn, tail: t, field: `compound_info @+8 (decodes to head)`, expected: hexNum(headVa), actual: hexNum(decoded) });
        }
        continue;
      }
      const want = k.kind === 'bytes' ? k.bytes : k.bytes(pfn);
      if (same(b, at + k.off, want)) continue;
      fail({ kind: 'page', pfn, tail: t, field: `${k.field} @+${k.off}`, expected: hex(want), actual: hex(b.subarray(at + k.off, at + k.off + want.length)) });
    }
  }

  for (const [pb, bits] of img.pageblocks) {
    if ((bits & 7) !== MIGRATE_MOVABLE) {
      fail({ kind: 'pageblock', pfn: pb, tail: null, field: 'migratetype', expected: 'MOVABLE', actual: bits === 0 ? 'UNMOVABLE' : `0x${bits.toString(16)}` });
    }
  }
  return { violations, total };
}
