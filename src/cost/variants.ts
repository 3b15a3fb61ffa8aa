// The variants `cost` can price: the shipped ones and v3-cached (the seeds' middle row).
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { v3Cached } from '../../model/kernel/variants/v3-cached.ts';

export const COST_VARIANTS: readonly Variant[] = [...VARIANTS, v3Cached];

export const costVariantByName = (name: string): Variant | undefined => COST_VARIANTS.find((v) => v.name === name);
