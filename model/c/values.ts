// Values of the interpreted C: numbers (integers that fit a double: pfns, counts, orders), strings,
// NULL (null), `struct page *` (PageRef: a memmap pfn or a stack slot), the address of a struct page
// field (FieldAddr), and read-only model objects (struct zone, dev_pagemap, vmem_altmap).
import { VariantFault } from '../faults.ts';
import { U64_0, u32, u64 } from '../kernel/bytes.ts';
import { PGMAP_VA } from '../kernel/constants.ts';
import type { Field } from '../kernel/layout.ts';
import { type Kernel, PageRef } from '../kernel/mm.ts';

export { PageRef };

/** `&page->field`: a struct page field's address (INIT_LIST_HEAD(&page->lru), atomic_set(&page->_mapcount, -1)). */
export class FieldAddr {
  constructor(readonly page: PageRef, readonly field: Field) {}
}

/** A `u64 *` into a struct page (v1 copies a page as u64 words): the page and a byte offset. */
export class WordPtr {
  constructor(readonly page: PageRef, readonly off: number) {}
}

/** A read-only kernel object the model passes in (its fields are the ones the kernel code reads). */
export class ModelObj {
  constructor(
    readonly struct: string,
    readonly fields: Readonly<Record<string, unknown>>,
    /** the model's own value (DevPagemap, Zone), handed to the bound TypeScript helpers */
    readonly model: unknown,
    /** its pointer value, when the code stores it */
    readonly va: bigint = PGMAP_VA,
  ) {}
}

export type Value = number | string | null | PageRef | FieldAddr | ModelObj | WordPtr | bigint;

const ALIASES: Record<string, { name: string; offset: number; size: number }> = {
  lru: { name: 'lru', offset: 8, size: 16 },
  pgmap: { name: 'pgmap', offset: 8, size: 8 },
  compound_head: { name: 'compound_info', offset: 8, size: 8 },
};

const byLayout = new WeakMap<readonly Field[], Map<string, Field>>();

/** A struct page field of this configuration's layout (the folio overlays by their names too), or undefined. */
export function pageField(k: Kernel, name: string): Field | undefined {
  let m = byLayout.get(k.L.fields);
  if (!m) {
    m = new Map(k.L.fields.map((f) => [f.name, f]));
    for (const [n, f] of Object.entries(ALIASES)) m.set(n, f);
    byLayout.set(k.L.fields, m);
  }
  return m.get(name);
}

const small64 = new Map<number, Uint8Array>();

/** The little-endian bytes a value takes in `size` bytes of memory. */
export function encode(v: Value, size: number): Uint8Array {
  if (v === null) return size === 8 ? U64_0 : new Uint8Array(size);
  if (typeof v === 'number') {
    if (size === 4) return u32(v);
    let b = small64.get(v);
    if (!b) {
      b = u64(BigInt(v));
      if (small64.size < 256) small64.set(v, b);
    }
    return b;
  }
  if (typeof v === 'bigint') return size === 4 ? u32(Number(BigInt.asUintN(32, v))) : u64(v);
  if (v instanceof PageRef) return v.vaBytes(0);
  if (v instanceof FieldAddr) return v.page.vaBytes(v.field.offset);
  if (v instanceof ModelObj) return u64(v.va);
  throw new VariantFault('threw', `cannot store a ${typeof v} into memory`);
}

/** A loaded field as a value: a number when it fits, else a BigInt. */
export function decode(b: Uint8Array): number | bigint {
  if (b.length === 4) return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
  return x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
}

export function describeValue(v: unknown): string {
  if (v === null) return 'NULL';
  if (v instanceof PageRef) return 'a struct page *';
  if (v instanceof FieldAddr) return `&page->${v.field.name}`;
  if (v instanceof ModelObj) return `a struct ${v.struct} *`;
  if (v instanceof WordPtr) return 'a u64 * into a struct page';
  return typeof v === 'number' || typeof v === 'bigint' ? `the integer ${v}` : `a ${typeof v}`;
}
