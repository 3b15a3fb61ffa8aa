// page->virtual fixed up on the destination after the streaming copy (the v2 order): a cached store over pending bytes.
import type { Program } from '../../model/events.ts';
import { memcpy_streaming } from '../../model/kernel/copy.ts';
import { kernelFn } from '../../model/kernel/fn.ts';
import { set_page_address } from '../../model/kernel/init.ts';
import { type Kernel, type PageRef, __va_pfn } from '../../model/kernel/mm.ts';
import { V5_OPTIONS, makeV5Like } from '../../model/kernel/variants/v5.ts';

// v2's zone_device_page_init_finish(page, pfn) after the copy, with memcpy_nt()
const zone_device_page_init_finish = kernelFn('zone_device_page_init_finish',
  function* (k: Kernel, page: PageRef, pfn: number): Program {
    // set_page_section_from_pfn(): empty on SPARSEMEM_VMEMMAP
    if (k.L.virtual !== null) yield set_page_address(k, page, __va_pfn(pfn));
  });

const zone_device_page_init_from_template = kernelFn('zone_device_page_init_from_template',
  function* (k: Kernel, page: PageRef, pfn: number, template: PageRef): Program {
    yield* memcpy_streaming(page, template, k.sizeofPage, 'memcpy_nt');
    yield* zone_device_page_init_finish(k, page, pfn);
  });

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-fixup-after-copy', summary: 'v5 fixing up page->virtual on the destination after memcpy_nt()',
  init_from_template: zone_device_page_init_from_template,
});
