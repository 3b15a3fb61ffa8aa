// Drains after every template copy (an SFENCE per struct page, as memcpy_flushcache() + wmb() would): correct, but drains grow with the pages.
import type { Program } from '../../model/events.ts';
import { memcpy_streaming } from '../../model/kernel/copy.ts';
import type { PageRef } from '../../model/kernel/mm.ts';
import { makeV3Like, V3_OPTIONS } from '../../model/kernel/variants/v3.ts';

function* copyAndDrain(dst: PageRef, src: PageRef, n: number): Program {
  yield* memcpy_streaming(dst, src, n);
  yield { kind: 'drain', site: 'after-each-copy', fn: 'memcpy_streaming_drain' };
}

export default makeV3Like({ ...V3_OPTIONS, name: 'cost-drain-per-copy', summary: 'v3 with a drain after every template copy', copy: copyAndDrain });
