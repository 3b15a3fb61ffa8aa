// Altmap offset off by one: start_pfn = base + reserve + free - 1 (an inclusive end) initializes the last altmap pfn's struct page.
import type { DevPagemap } from '../../model/kernel/init.ts';
import { V5_OPTIONS, makeV5Like } from '../../model/kernel/variants/v5.ts';

function altmap_start(start_pfn: number, nr_pages: number, pgmap: DevPagemap): [number, number] {
  const end_pfn = start_pfn + nr_pages;
  if (!pgmap.altmap) return [start_pfn, nr_pages];
  const start = pgmap.altmap.base_pfn + pgmap.altmap.reserve + pgmap.altmap.free - 1;
  return [start, end_pfn - start];
}

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-altmap-inclusive-end', summary: 'v5 starting one pfn early after the altmap', altmap_start,
});
