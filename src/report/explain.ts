// Explain one counterexample for review: minimize its schedule, pick the events that matter,
// diff the final memmap field by field, and find a passing witness. Pure: the same case always
// gives the same explanation.
import { hexNum } from '../../model/kernel/bytes.ts';
import { describeAddr, describePfn, describeScenario, fieldOf } from '../../model/kernel/describe.ts';
import { usemapAddr } from '../../model/kernel/mm.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import type { Hazard, HazardKind } from '../../model/hazards.ts';
import { type Evaluation, evaluate } from '../../properties/evaluate.ts';
import { explainedBy } from '../../properties/known-bugs.ts';
import { verdict } from '../../properties/properties.ts';
import { evaluationOutcome, knownBugsOfEvaluation } from './outcome.ts';
import { type Counterexample, drainsOf } from './counterexample.ts';
import type { DiffLine, Explanation, FieldDiff, HazardInfo, Step } from './explanation.ts';
import { hazardKindsOf, minimizeSchedule, scheduleText } from './schedule-min.ts';
import { fieldWriters, hazardSteps } from './timeline.ts';
import { encodeToken } from './token.ts';
import { findWitness } from './witness.ts';

/** Diff lines shown in a report; the rest are counted. */
const MAX_DIFF_LINES = 4;
/** Differing fields whose stores are shown, for failures without a hazard. */
const MAX_WRITER_FIELDS = 2;

export function explain(variant: Variant, given: Counterexample): Explanation {
  const drains = drainsOf(given);
  const p = given.property;
  const first = evaluate(variant, { scenario: given.scenario, schedule: given.schedule }, { drains });
  const firstVerdict = verdict(p, first);
  const schedule = firstVerdict.ok ? given.schedule : minimizeSchedule(variant, p, first.case, drains, first);
  const cx: Counterexample = { ...given, schedule };
  const e = evaluate(variant, { scenario: cx.scenario, schedule }, { drains, trace: true });
  const v = verdict(p, e);
  const hazard = v.ok ? undefined : firstHazard(e, hazardKindsOf(p));
  const found = v.ok ? null : findWitness(variant, p, e.case, cx, drains);
  const diff = fieldDiff(e, p === 'invariants');
  let steps: Step[] = [];
  let unwritten: string[] = [];
  if (hazard) {
    const change = found?.change;
    steps = hazardSteps({ run: e.run, scenario: cx.scenario, schedule, hazard, missing: change ? { ...change, variant } : null });
  } else if (!v.ok) ({ steps, unwritten } = writerSteps(e, diff));
  return {
    cx,
    originalSchedule: given.schedule,
    variantName: variant.name,
    reference: e.reference.name,
    outcome: evaluationOutcome(p, v.ok, e),
    config: describeScenario(cx.scenario),
    backend: variant.copyBackend?.(cx.scenario.kconfig) ?? null,
    scheduleText: scheduleText(schedule),
    verdict: v.lines,
    hazard: hazard ? hazardInfo(e, hazard) : null,
    otherHazards: otherHazards(e, hazard),
    steps,
    unwritten,
    diff,
    witness: found?.witness ?? null,
    knownBugs: v.ok ? [] : knownBugsOfEvaluation(e),
    token: encodeToken(cx),
    cost: e.run.settled.cost,
  };
}

function firstHazard(e: Evaluation, kinds: readonly HazardKind[]): Hazard | undefined {
  for (const kind of kinds) {
    const h = e.hazards(kind)[0];
    if (h) return h;
  }
  return undefined;
}

function hazardInfo(e: Evaluation, h: Hazard): HazardInfo {
  const k = e.run.kernel;
  return {
    kind: h.kind, cls: h.cls, event: h.eventIndex,
    // the first pending bytes the access touches, or the publish site
    field: h.access.op === 'publish' ? h.access.fn ?? 'publish' : describeAddr(k, Math.max(h.access.addr, h.pending.addr)),
    k: h.pending.k, pendingField: describeAddr(k, h.pending.addr),
    count: e.hazards(h.kind).length,
  };
}

function otherHazards(e: Evaluation, shown: Hazard | undefined): Explanation['otherHazards'] {
  const kinds: HazardKind[] = ['read-after-streaming', 'write-after-streaming', 'unpublished'];
  return kinds.flatMap((kind) => {
    const hs = e.hazards(kind).filter((h) => h !== shown);
    return hs.length ? [{ kind, count: hs.length, firstEvent: hs[0]!.eventIndex }] : [];
  });
}

/** The field-level difference: against the reference's image, or against the invariants. */
function fieldDiff(e: Evaluation, invariants: boolean): FieldDiff {
  const k = e.run.kernel;
  if (invariants) {
    const { violations, total } = e.invariants();
    const crash: DiffLine[] = e.run.crash ? [{ where: 'kernel oops', expected: 'none', actual: e.run.crash }] : [];
    return {
      against: 'invariants', referenceName: e.reference.name, total: total + crash.length,
      lines: [...crash, ...violations.slice(0, MAX_DIFF_LINES).map((x) => {
        const bug = explainedBy(e.variant, e.case.scenario, x);
        const where = x.kind === 'pageblock' ? `pageblock ${hexNum(x.pfn)} ${x.field}` : `${describePfn(k, x.pfn)} ${x.field}`;
        return { where, expected: x.expected, actual: x.actual, ...(bug ? { knownBug: bug.id } : {}) };
      })],
    };
  }
  const { diffs, total } = e.diff();
  return {
    against: 'reference', referenceName: e.reference.name, total,
    lines: diffs.slice(0, MAX_DIFF_LINES).map((d) => ({
      where: d.pfn < 0 ? d.field : d.field === 'pageblock migratetype' ? `pageblock ${hexNum(d.pfn)} migratetype` : `${describePfn(k, d.pfn)} ${d.field}`,
      expected: d.expected, actual: d.actual,
    })),
  };
}

/**
 * The last store to each of the first differing fields. Field names from describeField() and
 * checkInvariants() both end in "@+<offset>", which locates the bytes in the struct page.
 */
function writerSteps(e: Evaluation, diff: FieldDiff): { steps: Step[]; unwritten: string[] } {
  const k = e.run.kernel;
  const steps: Step[] = [];
  const unwritten: string[] = [];
  const sources = diff.against === 'invariants'
    ? e.invariants().violations.map((x) => ({ pfn: x.pfn, field: x.field, expected: x.expected, pageblock: x.kind === 'pageblock' }))
    : e.diff().diffs.map((d) => ({ pfn: d.pfn, field: d.field, expected: d.expected, pageblock: d.field === 'pageblock migratetype' }));
  for (const s of sources.slice(0, MAX_WRITER_FIELDS)) {
    if (s.pfn < 0) continue;
    const off = /@\+(\d+)/.exec(s.field);
    if (!s.pageblock && !off) continue;
    const addr = s.pageblock ? usemapAddr(s.pfn, k.cfg.pageblockOrder) : k.backing(s.pfn) + Number(off![1]);
    const size = s.pageblock ? 1 : fieldOf(k, s.pfn, Number(off![1]))?.size ?? 8;
    const writers = fieldWriters(e.run, addr, size, s.expected);
    if (writers.length === 0) unwritten.push(s.pageblock ? `pageblock ${hexNum(s.pfn)} migratetype` : `${describePfn(k, s.pfn)} ${s.field}`);
    for (const w of writers) if (!steps.some((x) => x.event === w.event)) steps.push(w);
  }
  return { steps: steps.sort((a, b) => (a.event ?? 0) - (b.event ?? 0)), unwritten };
}
