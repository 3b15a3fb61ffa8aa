// Copies the template without zone_device_page_update_template(): page->virtual keeps the first pfn's address.
import { makeV5Like } from '../../model/kernel/variants/v5.ts';

export default makeV5Like({ name: 'v5-no-template-refresh', summary: 'v5 without the per-pfn template refresh', refreshTemplate: false });
