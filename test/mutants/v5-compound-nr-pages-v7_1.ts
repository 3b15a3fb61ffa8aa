// Rebased onto base-next keeping compound_nr_pages(altmap, pgmap) without early_section(): an early section's tails past 128 stay uninitialized.
import { compound_nr_pages_v7_1 } from '../../model/kernel/compound.ts';
import { V5_OPTIONS, makeV5Like } from '../../model/kernel/variants/v5.ts';

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-compound-nr-pages-v7.1', summary: 'v5 calling the v7.1 compound_nr_pages() without early_section()',
  compound_nr_pages: (k, _pfn, pgmap) => compound_nr_pages_v7_1(k, pgmap),
});
