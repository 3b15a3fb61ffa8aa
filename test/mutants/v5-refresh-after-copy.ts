// Template refreshed after the copy instead of before: each page gets the previous pfn's page->virtual.
import type { Program } from '../../model/events.ts';
import { memcpy_streaming } from '../../model/kernel/copy.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import type { Kernel, PageRef } from '../../model/kernel/mm.ts';
import { zone_device_page_update_template } from '../../model/kernel/template.ts';
import { V5_OPTIONS, makeV5Like } from '../../model/kernel/variants/v5.ts';

const zone_device_page_init_from_template = kernelFn('zone_device_page_init_from_template',
  function* (k: Kernel, page: PageRef, pfn: number, template: PageRef): Program {
    yield* memcpy_streaming(page, template, k.sizeofPage, 'memcpy_nt');
    yield* zone_device_page_update_template(k, template, pfn); // moved below the copy
  });

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-refresh-after-copy', summary: 'v5 refreshing the template after the copy',
  init_from_template: zone_device_page_init_from_template,
});
