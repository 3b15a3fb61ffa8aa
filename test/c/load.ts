// Test helper: compile one of our C inputs (test/c-inputs) into a Variant, once per file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CVariant, variantFromC } from '../../model/c/variant.ts';

const cache = new Map<string, Promise<CVariant>>();

export const inputPath = (name: string): string => join('test/c-inputs', name);

export function loadC(name: string, reference: string | null = 'base-next'): Promise<CVariant> {
  const key = `${name}|${reference}`;
  let v = cache.get(key);
  if (!v) {
    const file = inputPath(name);
    v = variantFromC(readFileSync(file, 'utf8'), { file, reference });
    cache.set(key, v);
  }
  return v;
}

/** Compile C text given inline (per-construct tests). */
export const fromText = (text: string, file = 'test.c', reference: string | null = 'base-next'): Promise<CVariant> =>
  variantFromC(text, { file, reference });
