// v3-cached: the template fast path of series v3 with plain memcpy() for every template copy and no
// drains: v3 patches 1-4 (order-0 pages) and 1-5 (compound tails), the seeds' "template fast path,
// cached copies" rows (seed 000). Patch 8/8 ("use memcpy_streaming() in zone-device template
// copies", seed 001) is what turns these copies into streaming ones and adds the three drains; the
// template is refreshed in place before each copy from patch 4 on (v2->v3 changelog). Not a
// shipped variant: the `cost` command uses it to price the seeds' middle rows.
import { memcpy } from '../copy.ts';
import type { Variant } from './types.ts';
import { makeV3Like, V3_OPTIONS } from './v3.ts';

export const v3Cached: Variant = makeV3Like({
  ...V3_OPTIONS,
  name: 'v3-cached',
  summary: 'series v3 patches 1-4/1-5: the template fast path with cached memcpy() copies, no drains',
  copy: memcpy,
  drains: [],
});
