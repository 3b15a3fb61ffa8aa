// Test helper: compile one of our C inputs (test/c-inputs) into a Variant, once per file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CVariant, variantFromC } from '../../model/c/variant.ts';

const cache = new Map<string, Promise<CVariant>>();

export const inputPath = (name: string): string => join('test/c-inputs', name);

/** One input, or several concatenated (the first file's name is the one reported). */
export function loadC(name: string | readonly string[], reference: string | null = 'base-next'): Promise<CVariant> {
  const names = typeof name === 'string' ? [name] : name;
  const key = `${names.join('+')}|${reference}`;
  let v = cache.get(key);
  if (!v) {
    const file = inputPath(names[names.length - 1]!);
    v = variantFromC(names.map((n) => readFileSync(inputPath(n), 'utf8')).join(''), { file, reference });
    cache.set(key, v);
  }
  return v;
}

/** Compile C text given inline (per-construct tests). */
export const fromText = (text: string, file = 'test.c', reference: string | null = 'base-next'): Promise<CVariant> =>
  variantFromC(text, { file, reference });
