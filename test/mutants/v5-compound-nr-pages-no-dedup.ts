// compound_nr_pages() ignoring the vmemmap dedup: every tail is written, the ones past 128 again through their alias.
import { pgmap_vmemmap_nr } from '../../model/kernel/compound.ts';
import { V5_OPTIONS, makeV5Like } from '../../model/kernel/variants/v5.ts';

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-compound-nr-pages-no-dedup', summary: 'v5 whose compound_nr_pages() always returns pgmap_vmemmap_nr()',
  compound_nr_pages: (_k, _pfn, pgmap) => pgmap_vmemmap_nr(pgmap),
});
