// The mutant catalog: ordering and initialization bugs a patch author could plausibly write, each
// with the property that must catch it and the number of generated scenarios it may take.
import type { Variant } from '../../model/kernel/variants/types.ts';
import type { ScenarioBounds } from '../../properties/arbitraries.ts';
import type { AnyPropertyName } from '../../properties/any.ts';
import basePrepHeadFirst from './base-next-prep-head-first.ts';
import basePrepTailFirst from './base-next-prep-tail-first.ts';
import baseTailCountDropped from './base-next-tail-count-dropped.ts';
import v3ClearsCompoundInfoBeforeStart from './v3-clears-compound-info-before-start.ts';
import v3DropsFolioOrder from './v3-drops-folio-order.ts';
import v3IgnoresTracepointGate from './v3-ignores-tracepoint-gate.ts';
import v3StreamPageblockAligned from './v3-stream-pageblock-aligned.ts';
import v5AltmapInclusiveEnd from './v5-altmap-inclusive-end.ts';
import v5ClearsCompoundInfoPastEnd from './v5-clears-compound-info-past-end.ts';
import v5CompoundNrPagesNoDedup from './v5-compound-nr-pages-no-dedup.ts';
import v5CompoundNrPagesV71 from './v5-compound-nr-pages-v7_1.ts';
import v5DrainAfterPrep from './v5-drain-after-prep.ts';
import v5FixupAfterCopy from './v5-fixup-after-copy.ts';
import v5IgnoresKasanGate from './v5-ignores-kasan-gate.ts';
import v5NoFinalDrainOrder0 from './v5-no-final-drain-order-0.ts';
import v5NoTemplateRefresh from './v5-no-template-refresh.ts';
import v5RefcountP2pdmaResets from './v5-refcount-p2pdma-resets.ts';
import v5RefreshAfterCopy from './v5-refresh-after-copy.ts';
import v5SetPageHeadBeforeDrain from './v5-set-page-head-before-drain.ts';
import v5TailTemplateReused from './v5-tail-template-reused.ts';

export interface Mutant {
  /** test/mutants/<file>.ts */
  readonly file: string;
  readonly variant: Variant;
  /** The property that catches it. */
  readonly property: AnyPropertyName;
  /**
   * It must be caught within this many generated scenarios (seed DEFAULT_SEED). Four budgets rose
   * (5 -> 8, 10 -> 14) when the arbitraries gained arch, pageblock_order, early_section per section
   * and the section-end alignment: the same seed reaches those mutants a few scenarios later.
   */
  readonly within: number;
  /** Scenario bounds, when the default ones would make the mutant too slow to run. */
  readonly bounds?: ScenarioBounds;
}

export const CATALOG: readonly Mutant[] = [
  { file: 'base-next-prep-head-first', variant: basePrepHeadFirst, property: 'invariants', within: 5 },
  { file: 'base-next-prep-tail-first', variant: basePrepTailFirst, property: 'invariants', within: 5 },
  { file: 'base-next-tail-count-dropped', variant: baseTailCountDropped, property: 'invariants', within: 10 },
  { file: 'v3-clears-compound-info-before-start', variant: v3ClearsCompoundInfoBeforeStart, property: 'in-range', within: 5 },
  { file: 'v3-drops-folio-order', variant: v3DropsFolioOrder, property: 'invariants', within: 10 },
  { file: 'v3-ignores-tracepoint-gate', variant: v3IgnoresTracepointGate, property: 'instrumented', within: 5 },
  // the read that catches it is pageblock init's page_zone(), compiled only with CONFIG_DEBUG_VM,
  // which the generator turns on in about half the scenarios
  { file: 'v3-stream-pageblock-aligned', variant: v3StreamPageblockAligned, property: 'no-read-after-streaming', within: 16 },
  { file: 'v5-altmap-inclusive-end', variant: v5AltmapInclusiveEnd, property: 'in-range', within: 5 },
  // without the dedup every tail of an order-18 page is written: orders 0..9 keep the run short
  { file: 'v5-clears-compound-info-past-end', variant: v5ClearsCompoundInfoPastEnd, property: 'in-range', within: 5 },
  { file: 'v5-compound-nr-pages-no-dedup', variant: v5CompoundNrPagesNoDedup, property: 'init-once', within: 40, bounds: { maxPages: 6, largeOrders: false } },
  { file: 'v5-compound-nr-pages-v7_1', variant: v5CompoundNrPagesV71, property: 'invariants', within: 150 },
  { file: 'v5-drain-after-prep', variant: v5DrainAfterPrep, property: 'no-write-after-streaming', within: 8 },
  { file: 'v5-fixup-after-copy', variant: v5FixupAfterCopy, property: 'no-write-after-streaming', within: 10 },
  { file: 'v5-ignores-kasan-gate', variant: v5IgnoresKasanGate, property: 'instrumented', within: 20 },
  { file: 'v5-no-final-drain-order-0', variant: v5NoFinalDrainOrder0, property: 'published-clean', within: 20 },
  { file: 'v5-no-template-refresh', variant: v5NoTemplateRefresh, property: 'identical', within: 10 },
  { file: 'v5-refcount-p2pdma-resets', variant: v5RefcountP2pdmaResets, property: 'invariants', within: 5 },
  { file: 'v5-refresh-after-copy', variant: v5RefreshAfterCopy, property: 'identical', within: 10 },
  { file: 'v5-set-page-head-before-drain', variant: v5SetPageHeadBeforeDrain, property: 'no-read-after-streaming', within: 8 },
  { file: 'v5-tail-template-reused', variant: v5TailTemplateReused, property: 'identical', within: 14 },
];
