// The properties (DESIGN.md §5): each one a verdict over one evaluated case.
import { match } from 'ts-pattern';
import type { HazardKind } from '../model/hazards.ts';
import { describePfn } from '../model/kernel/describe.ts';
import { hexNum } from '../model/kernel/bytes.ts';
import type { Evaluation } from './evaluate.ts';
import { formatHazard } from './format.ts';
import { EXTRA_PROPERTIES, type ExtraPropertyName, extraVerdict } from './extra.ts';
import { explainedBy } from './known-bugs.ts';

/** The properties of DESIGN.md §5: what the memmap image and the hazards show. */
export const IMAGE_PROPERTIES = [
  'identical',
  'no-read-after-streaming',
  'no-write-after-streaming',
  'published-clean',
  'invariants',
] as const;
export type ImagePropertyName = (typeof IMAGE_PROPERTIES)[number];

/**
 * Every property, first-class: `check --property`, `drains`, `exhaustive`, the main job. The last
 * three (properties/extra.ts) judge how a variant writes, read from the run's stores.
 */
export const PROPERTIES = [...IMAGE_PROPERTIES, ...EXTRA_PROPERTIES] as const;
export type PropertyName = ImagePropertyName | ExtraPropertyName;

export interface Verdict {
  readonly ok: boolean;
  /** Why it failed, a few lines in kernel terms (empty when ok). */
  readonly lines: readonly string[];
}

const OK: Verdict = { ok: true, lines: [] };

function hazardVerdict(e: Evaluation, kind: HazardKind): Verdict {
  const hs = e.hazards(kind);
  if (hs.length === 0) return OK;
  const more = hs.length > 1 ? [`  (${hs.length} such hazards in this run)`] : [];
  return { ok: false, lines: [...formatHazard(e.run.kernel, hs[0]!), ...more] };
}

export function verdict(p: PropertyName, e: Evaluation): Verdict {
  if ((EXTRA_PROPERTIES as readonly string[]).includes(p)) return extraVerdict(p as ExtraPropertyName, e);
  return match(p as ImagePropertyName)
    .with('identical', () => {
      const { diffs, total } = e.diff();
      if (total === 0) return OK;
      return {
        ok: false,
        lines: [
          `image differs from ${e.reference.name} in ${total} field(s):`,
          ...diffs.slice(0, 6).map((d) =>
            d.pfn < 0 ? `  ${d.field}: ${d.actual}` :
            `  ${d.field === 'pageblock migratetype' ? `pageblock ${hexNum(d.pfn)}` : describePfn(e.run.kernel, d.pfn)} ${d.field}: expected ${d.expected}, got ${d.actual}`),
        ],
      };
    })
    .with('no-read-after-streaming', () => hazardVerdict(e, 'read-after-streaming'))
    .with('no-write-after-streaming', () => hazardVerdict(e, 'write-after-streaming'))
    .with('published-clean', () => hazardVerdict(e, 'unpublished'))
    .with('invariants', () => {
      const { violations, total } = e.invariants();
      if (e.run.crash) return { ok: false, lines: [`kernel oops: ${e.run.crash}`] };
      if (total === 0) return OK;
      return {
        ok: false,
        lines: [
          `${total} invariant violation(s):`,
          ...violations.slice(0, 6).map((v) => {
            const where = v.kind === 'pageblock' ? `pageblock ${hexNum(v.pfn)}` : describePfn(e.run.kernel, v.pfn);
            const bug = explainedBy(e.variant, e.case.scenario, v);
            return `  ${where} ${v.field}: expected ${v.expected}, got ${v.actual}${bug ? ` [known: ${bug.id}]` : ''}`;
          }),
        ],
      };
    })
    .exhaustive();
}
