// The shipped variants, by name.
import { baseNext } from './base-next.ts';
import { baseV7_1 } from './base-v7_1.ts';
import type { Variant } from './types.ts';
import { v1 } from './v1.ts';
import { v3 } from './v3.ts';
import { v5 } from './v5.ts';

export const VARIANTS: readonly Variant[] = [baseV7_1, baseNext, v1, v3, v5];

export function variantByName(name: string): Variant | undefined {
  return VARIANTS.find((v) => v.name === name);
}
