// Streams the template up to _mapcount and writes _mapcount onwards with normal stores after the copy: every line is flushed partly written.
import type { Program } from '../../model/events.ts';
import { OFF } from '../../model/kernel/layout.ts';
import { type PageRef, load, store } from '../../model/kernel/mm.ts';
import { makeV3Like, V3_OPTIONS } from '../../model/kernel/variants/v3.ts';

function* streamThenFixup(dst: PageRef, src: PageRef, n: number): Program {
  const bytes = (yield load(src.addr, n, 'memcpy_streaming'))!;
  yield { kind: 'store', via: 'streaming', addr: dst.addr, bytes: bytes.subarray(0, OFF._mapcount), granule: 8, fn: 'memcpy_streaming' };
  yield store(dst.addr + OFF._mapcount, bytes.subarray(OFF._mapcount), 'page_fixup');
}

export default makeV3Like({ ...V3_OPTIONS, name: 'cost-partial-copy', summary: 'v3 streaming the template only up to _mapcount', copy: streamThenFixup });
