// The core issue's five known-bad cases (test/known-bad.test.ts), as the report tests see them:
// how to name the variant for replay, and what a reviewer must find in the report.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { PropertyName } from '../properties/properties.ts';

export interface ReportCase {
  /** the variant as replay names it: a shipped name or a path from the repository root */
  readonly spec: string;
  readonly property: PropertyName;
  readonly removed: readonly string[];
  /** the saved regression in test/counterexamples/ */
  readonly file: string;
  /** kernel functions, fields and values the text report must name */
  readonly names: readonly RegExp[];
  readonly witness: RegExp;
}

export const REPORT_CASES: readonly ReportCase[] = [
  {
    spec: 'v1', property: 'no-write-after-streaming', removed: [], file: 'v1-no-write-after-streaming.json',
    names: [/arch_optimize_store_u64/, /MISSING DRAIN before-prep_compound_head/, /prep_compound_head >\n? *folio_set_order/,
      /\(tail 1 of head 0x100000\) _flags_1 @\+0 = 0x0200000000002001/, /expected 0x0200000000002001, actual 0x0200000000002000/],
    witness: /witness: with a drain added at before-prep_compound_head, the same scenario and\n *schedule pass/,
  },
  {
    spec: 'test/mutants/v3-stream-pageblock-aligned.ts', property: 'no-read-after-streaming', removed: [],
    file: 'v3-stream-pageblock-aligned-no-read-after-streaming.json',
    names: [/memcpy_streaming/, /init_pageblock_migratetype > page_zone/, /pfn 0x100000 flags @\+0: memory still holds 0xffffffffffffffff/],
    witness: /passes no-read-after-streaming when every streaming\n *store lands at once/,
  },
  {
    spec: 'v5', property: 'published-clean', removed: ['before-return'], file: 'v5-without-before-return-published-clean.json',
    names: [/memcpy_nt\n/, /MISSING DRAIN before-return \(removed for this check\)/, /pagemap_range\(\): memmap_init_zone_device\(\) returned/,
      /pfn 0x100001 flags @\+0 = 0x0200000000002000/],
    witness: /witness: with the drain before-return put back, the same scenario and schedule\n *pass published-clean/,
  },
  {
    spec: 'test/mutants/v5-no-template-refresh.ts', property: 'identical', removed: [], file: 'v5-no-template-refresh-identical.json',
    names: [/zone_device_page_init_from_template > memcpy_nt/, /pfn 0x100001 virtual @\+64 = 0xffff888100000000/,
      /expected 0xffff888100001000, actual 0xffff888100000000/],
    witness: /witness: none with a drain: it fails with every streaming store landing at once/,
  },
  {
    spec: 'test/mutants/base-next-prep-head-first.ts', property: 'invariants', removed: [], file: 'base-next-prep-head-first-invariants.json',
    names: [/memmap_init_compound > prep_compound_head\n/, /_flags_1 @\+0\n *expected 0x0200000000002001, actual 0x0200000000002000/,
      /__zone_device_page_init > zone_device_data/],
    witness: /the reference base-next passes invariants\n *on the same scenario/,
  },
];

export const COUNTEREXAMPLES_DIR = 'test/counterexamples';

export const savedFiles = (): string[] => readdirSync(COUNTEREXAMPLES_DIR).filter((f) => f.endsWith('.json')).sort();

export const readSaved = (file: string): unknown => JSON.parse(readFileSync(join(COUNTEREXAMPLES_DIR, file), 'utf8'));

const isPath = (spec: string): boolean => /[\\/]/.test(spec);

/** Replay runs a variant file only when handed it: the options that hand over a case's file. */
export const handOver = (spec: string): { variantFile?: string } => (isPath(spec) ? { variantFile: spec } : {});

/** The same for a saved file, whose variant path is relative to its own folder. */
export const handOverSaved = (doc: { variant: string }): { variantFile?: string; baseDir?: string } =>
  (isPath(doc.variant) ? { variantFile: resolve(COUNTEREXAMPLES_DIR, doc.variant), baseDir: COUNTEREXAMPLES_DIR } : {});

/** A saved file's variant as REPORT_CASES names it: a shipped name, or a path from the repository root. */
export const specOfSaved = (doc: { variant: string }): string =>
  (isPath(doc.variant) ? relative('.', resolve(COUNTEREXAMPLES_DIR, doc.variant)).split(sep).join('/') : doc.variant);
