// Run a variant and its reference on one case and derive every property's verdict (DESIGN.md §5).
import { hex } from '../model/kernel/bytes.ts';
import type { Drains } from '../model/kernel/copy.ts';
import { describeField, fieldOf } from '../model/kernel/describe.ts';
import { type Image, type RunResult, landedImage, runVariant } from '../model/kernel/harness.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { variantByName } from '../model/kernel/variants/index.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import type { Hazard, HazardKind } from '../model/hazards.ts';
import type { Schedule } from '../model/schedule.ts';
import type { TraceEntry } from '../model/machine.ts';
import { checkInvariants, type Violation } from './invariants.ts';
import { explainedBy } from './known-bugs.ts';

export interface Case {
  readonly scenario: Scenario;
  readonly schedule: Schedule;
}

export interface FieldDiff {
  readonly pfn: number;
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
}

export interface Evaluation {
  readonly variant: Variant;
  readonly reference: Variant;
  readonly case: Case;
  readonly run: RunResult;
  /** The reference's image of the case (lazily, on first use): every store landed in program order. */
  readonly referenceImage: () => Image;
  readonly hazards: (kind: HazardKind) => readonly Hazard[];
  readonly diff: () => { diffs: FieldDiff[]; total: number };
  readonly invariants: () => { violations: Violation[]; total: number };
  /** The run's event trace: the run's own, or the same case run again with a trace (lazily). */
  readonly trace: () => readonly TraceEntry[];
}

/** The reference of a variant: the base it was written against (a base is its own reference). */
export function referenceOf(v: Variant): Variant {
  if (v.reference === null) return v;
  if (v.referenceVariant) return v.referenceVariant;
  const r = variantByName(v.reference);
  if (!r) throw new Error(`variant ${v.name}: unknown reference '${v.reference}'`);
  return r;
}

// Reference images depend only on the scenario: keep the last few. The reference runs on memory
// alone (harness.ts landedImage()): its image is all `identical` reads of it.
const refCache = new Map<string, Image>();
function referenceImage(ref: Variant, s: Scenario): Image {
  const key = `${ref.name}|${JSON.stringify(s)}`;
  let r = refCache.get(key);
  if (!r) {
    r = landedImage(ref, s).image;
    if (refCache.size >= 32) refCache.delete(refCache.keys().next().value!);
    refCache.set(key, r);
  }
  return r;
}

export function evaluate(variant: Variant, c: Case, opts: { drains?: Drains; trace?: boolean } = {}): Evaluation {
  const run = runVariant(variant, c.scenario, { schedule: c.schedule, drains: opts.drains, trace: opts.trace });
  const reference = referenceOf(variant);
  let ref: Image | undefined;
  const getRef = () => (ref ??= referenceImage(reference, c.scenario));
  let diff: { diffs: FieldDiff[]; total: number } | undefined;
  let inv: { violations: Violation[]; total: number } | undefined;
  let trace = run.trace;
  return {
    variant, reference, case: c, run,
    referenceImage: getRef,
    hazards: (kind) => run.end.hazards.filter((h) => h.kind === kind),
    diff: () => (diff ??= imageDiff(run, getRef())),
    invariants: () => (inv ??= ownFirst(variant, c.scenario, run)),
    // the machine is deterministic: the same case run again issues the same events
    trace: () => (trace ??= runVariant(variant, c.scenario, { schedule: c.schedule, drains: opts.drains, trace: true }).trace ?? []),
  };
}

/**
 * The invariant violations with the variant's own listed first, then those a known kernel bug of
 * its base explains: a reviewer sees the new bug, not the one upstream already fixed.
 */
function ownFirst(v: Variant, s: Scenario, run: RunResult): { violations: Violation[]; total: number } {
  const own: Violation[] = [];
  const known: Violation[] = [];
  const { total } = checkInvariants(s, run.image, (x) => {
    const l = explainedBy(v, s, x) ? known : own;
    if (l.length < LISTED) l.push(x);
  });
  return { violations: [...own, ...known].slice(0, LISTED), total };
}
/** As many as checkInvariants() lists. */
const LISTED = 40;

/** Field-level difference between two images of the same scenario. */
export function imageDiff(actual: RunResult, expected: Image, max = 40): { diffs: FieldDiff[]; total: number } {
  const a = actual.image;
  const e = expected;
  const k = actual.kernel;
  const size = a.sizeofPage;
  const diffs: FieldDiff[] = [];
  let total = 0;
  // the common case, equal struct pages, in one native compare; then page by page for the fields
  const samePages = a.bytes.length === e.bytes.length && Buffer.compare(a.bytes, e.bytes) === 0;
  if (!samePages) a.pfns.forEach((pfn, i) => {
    const pa = a.bytes.subarray(i * size, (i + 1) * size);
    const pe = e.bytes.subarray(i * size, (i + 1) * size);
    for (let off = 0; off < size; ) {
      if (pa[off] === pe[off]) {
        off++;
        continue;
      }
      // widen to the field that holds this byte
      const f = fieldOf(k, pfn, off);
      const start = f ? f.offset : off;
      const fieldSize = f ? f.size : 1;
      const name = describeField(k, pfn, start);
      total++;
      if (diffs.length < max) {
        diffs.push({ pfn, field: name, expected: hex(pe.subarray(start, start + fieldSize)), actual: hex(pa.subarray(start, start + fieldSize)) });
      }
      off = Math.max(off + 1, start + fieldSize);
    }
  });
  for (const [pb, bits] of a.pageblocks) {
    const want = e.pageblocks.get(pb);
    if (want !== bits) {
      total++;
      if (diffs.length < max) diffs.push({ pfn: pb, field: 'pageblock migratetype', expected: String(want), actual: String(bits) });
    }
  }
  if (actual.crash) {
    total++;
    diffs.push({ pfn: -1, field: 'kernel oops', expected: 'none', actual: actual.crash });
  }
  return { diffs, total };
}
