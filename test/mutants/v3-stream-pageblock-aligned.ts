// Streams pageblock-aligned pfns too: pageblock init then reads page_zone() of an undrained page.
import { makeV3Like, V3_OPTIONS } from '../../model/kernel/variants/v3.ts';

export default makeV3Like({ ...V3_OPTIONS, name: 'v3-stream-pageblock-aligned', summary: 'v3, but pageblock-aligned pfns are streamed as well', pageblockAlignedCached: false });
