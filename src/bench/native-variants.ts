// The variants bench:native measures: the 2026 base, v5, and v5 with cached template copies (the
// seeds' "template fast path, cached copies" row, on the same base as v5: v5's code with memcpy()
// in place of memcpy_nt() and no drains, as patches before the streaming one would have it).
import type { Program } from '../../model/events.ts';
import { memcpy } from '../../model/kernel/copy.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import type { Kernel, PageRef } from '../../model/kernel/mm.ts';
import { zone_device_page_update_template } from '../../model/kernel/template.ts';
import { variantByName } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { V5_OPTIONS, makeV5Like } from '../../model/kernel/variants/v5.ts';
import { costVariantByName } from '../cost/variants.ts';

// zone_device_page_init_from_template() with memcpy(): v5's function before the streaming patch
const zone_device_page_init_from_template_cached = kernelFn('zone_device_page_init_from_template',
  function* (k: Kernel, page: PageRef, pfn: number, template: PageRef): Program {
    yield* zone_device_page_update_template(k, template, pfn);
    yield* memcpy(page, template, k.sizeofPage);
  });

export const v5Cached: Variant = makeV5Like({
  ...V5_OPTIONS,
  name: 'v5-cached',
  summary: 'v5 with cached memcpy() template copies and no drains (the template fast path before the streaming patch)',
  init_from_template: zone_device_page_init_from_template_cached,
  drains: [],
});

/** The rows of bench:native: base, cached template, streaming template. */
export const NATIVE_VARIANTS = ['base-next', 'v5-cached', 'v5'] as const;

export const nativeVariantByName = (name: string): Variant | undefined =>
  name === v5Cached.name ? v5Cached : (variantByName(name) ?? costVariantByName(name));
