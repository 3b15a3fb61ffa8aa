// struct page and the struct folio overlay of page[1..3]: include/linux/mm_types.h (kernel-spec.md §4).
import { ConfigError, type KernelConfig } from './config.ts';
import { flagsLayout } from './flags.ts';

export interface Field {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

/** A folio field that overlays struct page `page` (1..3) of a compound head at `offset`. */
export interface FolioField extends Field {
  readonly page: 1 | 2 | 3;
}

export interface PageLayout {
  readonly size: number;
  /** struct page fields in offset order (the ZONE_DEVICE view of the unions) */
  readonly fields: readonly Field[];
  readonly memcgData: number | null;
  readonly virtual: number | null;
  readonly lastCpupid: number | null;
  readonly kmsanShadow: number | null;
  /** folio fields of page[1..3] present in this config, offset relative to that page */
  readonly folio: readonly FolioField[];
}

// Fixed offsets on 64-bit (FOLIO_MATCH asserts the same for struct folio).
export const OFF = {
  flags: 0,
  compound_info: 8, // lru.next / pgmap (folio) / compound_info (tail)
  zone_device_data: 16, // lru.prev
  mapping: 24,
  index: 32,
  private: 40,
  _mapcount: 48,
  _refcount: 52,
} as const;

/** _struct_page_alignment: 2 * sizeof(long) with HAVE_ALIGNED_STRUCT_PAGE (x86_64), else sizeof(long). */
export const structPageAlign = (c: KernelConfig): number => (c.arch === 'x86_64' ? 16 : 8);

/** The name fieldAt() gives the bytes _struct_page_alignment adds after the last field. */
export const PADDING = '(padding)';

export function pageLayout(c: KernelConfig): PageLayout {
  if (c.wantPageVirtual && c.arch === 'x86_64') {
    throw new ConfigError('WANT_PAGE_VIRTUAL is not allowed with arch=x86_64 (no x86_64 asm/page.h defines it); allowed with arch=generic64');
  }
  const fields: Field[] = [
    { name: 'flags', offset: 0, size: 8 },
    { name: 'compound_info', offset: 8, size: 8 },
    { name: 'zone_device_data', offset: 16, size: 8 },
    { name: 'mapping', offset: 24, size: 8 },
    { name: 'index', offset: 32, size: 8 },
    { name: 'private', offset: 40, size: 8 },
    { name: '_mapcount', offset: 48, size: 4 },
    { name: '_refcount', offset: 52, size: 4 },
  ];
  let end = 56;
  const add = (name: string, size: number, align: number): number => {
    end = Math.ceil(end / align) * align;
    const offset = end;
    fields.push({ name, offset, size });
    end += size;
    return offset;
  };
  const memcgData = c.memcg ? add('memcg_data', 8, 8) : null;
  const virtual = c.wantPageVirtual ? add('virtual', 8, 8) : null;
  const lastCpupid = flagsLayout(c).cpupidInPage ? add('_last_cpupid', 4, 4) : null;
  let kmsanShadow: number | null = null;
  if (c.kmsan) {
    kmsanShadow = add('kmsan_shadow', 8, 8);
    add('kmsan_origin', 8, 8);
  }
  // sizeof rounds up to the alignment; __mm_zero_struct_page() clears the padding with the fields
  // (its switch is on sizeof(struct page)), and the template copies carry it: it holds zero
  const align = structPageAlign(c);
  const size = Math.ceil(end / align) * align;
  if (size > end) fields.push({ name: PADDING, offset: end, size: size - end });

  const folio: FolioField[] = [
    { page: 1, name: '_flags_1', offset: 0, size: 8 },
    { page: 1, name: '_head_1', offset: 8, size: 8 },
    { page: 1, name: '_large_mapcount', offset: 16, size: 4 },
    { page: 1, name: '_nr_pages_mapped', offset: 20, size: 4 },
    { page: 1, name: '_entire_mapcount', offset: 24, size: 4 },
    { page: 1, name: '_pincount', offset: 28, size: 4 },
    { page: 1, name: '_mm_id_mapcount[0]', offset: 32, size: 4 },
    { page: 1, name: '_mm_id_mapcount[1]', offset: 36, size: 4 },
    { page: 1, name: '_mm_ids', offset: 40, size: 8 },
    { page: 1, name: '_mapcount_1', offset: 48, size: 4 },
    { page: 1, name: '_refcount_1', offset: 52, size: 4 },
    ...(c.memcg ? [{ page: 1 as const, name: '_nr_pages', offset: 56, size: 4 }] : []),
    { page: 2, name: '_flags_2', offset: 0, size: 8 },
    { page: 2, name: '_head_2', offset: 8, size: 8 },
    { page: 2, name: '_deferred_list.next', offset: 16, size: 8 },
    { page: 2, name: '_deferred_list.prev', offset: 24, size: 8 },
    { page: 3, name: '_flags_3', offset: 0, size: 8 },
    { page: 3, name: '_head_3', offset: 8, size: 8 },
    { page: 3, name: '_hugetlb_subpool', offset: 16, size: 8 },
    { page: 3, name: '_hugetlb_cgroup', offset: 24, size: 8 },
    { page: 3, name: '_hugetlb_cgroup_rsvd', offset: 32, size: 8 },
    { page: 3, name: 'hugetlb_hwpoison', offset: 40, size: 8 },
  ];
  return { size, fields, memcgData, virtual, lastCpupid, kmsanShadow, folio };
}

export const isPowerOf2 = (n: number): boolean => n > 0 && (n & (n - 1)) === 0;

/** Name the struct page (or folio overlay) field at byte `off` of a page that is tail `tailIndex` (or null). */
export function fieldAt(L: PageLayout, off: number, tailIndex: number | null): Field | FolioField | undefined {
  // Name folio metadata where init writes it (page[1], page[2]); flags and compound_info keep
  // their struct page names except _flags_1, which carries the order.
  if (tailIndex === 1 || tailIndex === 2) {
    const f = L.folio.find((x) => x.page === tailIndex && off >= x.offset && off < x.offset + x.size);
    if (f && (f.offset >= 16 || f.name === '_flags_1')) return f;
  }
  return L.fields.find((x) => off >= x.offset && off < x.offset + x.size);
}
