// The KASAN/KMSAN gate ignored: sanitized builds take the fast path and its MOVNTI stores escape instrumentation.
import { V5_OPTIONS, makeV5Like } from '../../model/kernel/variants/v5.ts';

export default makeV5Like({
  ...V5_OPTIONS, name: 'v5-ignores-kasan-gate', summary: 'v5 gated only by the page_ref_set tracepoint (the v1 gate)',
  enabled: (k) => !k.cfg.pageRefTracepoint && k.sizeofPage % 8 === 0,
});
