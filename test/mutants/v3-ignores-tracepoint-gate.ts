// The page_ref_set tracepoint gate ignored: template copies set refcounts the tracepoint never sees.
import { V3_OPTIONS, makeV3Like } from '../../model/kernel/variants/v3.ts';

export default makeV3Like({
  ...V3_OPTIONS, name: 'v3-ignores-tracepoint-gate', summary: 'v3 gated only by KASAN/KMSAN',
  enabled: (k) => !k.cfg.kasan && !k.cfg.kmsan && k.sizeofPage % 8 === 0,
});
