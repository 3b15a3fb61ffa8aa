// The counterexample as text for a linux-mm review e-mail: at most 40 lines of at most 80
// columns (the replay token, which must not be broken, is the one longer line).
import { costSentence } from '../cost/format.ts';
import { match } from 'ts-pattern';
import type { SourceFrame } from '../../model/kernel/variants/direct.ts';
import { robotLine, srcText } from './c-lines.ts';
import { EXTRA_PROPERTIES } from '../../properties/extra.ts';
import { variantLabel } from './counterexample.ts';
import type { DiffLine, Explanation, Step, Witness } from './explanation.ts';
import { wrap, wrapStack } from './wrap.ts';

/** How a check found the case; replay does not know it. */
export interface Provenance {
  readonly failedAt: number;
  readonly numRuns: number;
  readonly seed: number;
  readonly shrinks: number;
  /** the shrunk case was replaced by a smaller one a single build option away (properties/minimal.ts) */
  readonly lateral?: boolean;
  /** the command that reruns the search */
  readonly rerun: string;
  /** what the lattice minimization enumerated below the case (properties/lattice.ts) */
  readonly minimalWithin?: string;
}

export function textReport(x: Explanation, found?: Provenance): string[] {
  const label = variantLabel(x.variantName, x.cx);
  const p = x.cx.property;
  if (x.outcome === 'pass') {
    return [
      ...wrap('', `${label} passes ${p} on this case (reference ${x.reference}): the counterexample no longer fails.`, '  '),
      ...wrap('  ', x.config, '    '),
      ...backendLines(x),
      ...wrap('schedule: ', x.scheduleText, '  '),
      `replay: memmap-check replay ${x.token}`,
    ];
  }
  const expected = x.outcome === 'expected-fail' ? '; expected-fail: a known kernel bug' : '';
  const robot = robotLine(x);
  const out = [
    ...(robot ? [robot] : []),
    ...wrap('', `${label} fails ${p} (reference ${x.reference}${expected})`, '  '),
    ...wrap('  ', x.config, '    '),
    ...backendLines(x),
    ...wrap('schedule: ', x.scheduleText, '  '),
  ];
  // the store properties: the verdict names the store, its field and its stack
  if ((EXTRA_PROPERTIES as readonly string[]).includes(p)) out.push('', ...x.verdict.flatMap((l) => wrap('', l, '    ')));
  if (x.steps.length) {
    out.push('', x.hazard ? 'timeline (#n: the n-th memory event of the run):' : 'stores to the differing fields (#n: the n-th memory event of the run):');
    x.steps.forEach((s, i) => out.push(...stepLines(s, i, x.steps)));
  }
  if (x.unwritten.length) out.push('', ...wrap('', `no store of the run wrote ${x.unwritten.join(' or ')}: memory keeps what it held before init`, '  '));
  for (const o of x.otherHazards) out.push(...wrap('', `also in this run: ${o.count} ${o.kind} hazard(s), the first at #${o.firstEvent}`, '  '));
  out.push('', ...resultLines(x));
  if (x.knownBugs.length) out.push(...wrap('expected: ', `known kernel bug, fixed upstream by ${x.knownBugs.join(' and ')}`, '  '));
  out.push('', ...wrap('witness: ', witnessText(x.witness!, x), '  '));
  out.push(...wrap('cost: ', costSentence(x.cost), '  '));
  out.push('');
  if (found) {
    if (found.minimalWithin) out.push(...wrap('minimal within: ', found.minimalWithin, '  '));
    out.push(...wrap('found: ', `scenario ${found.failedAt} of ${found.numRuns} (seed ${found.seed}), shrunk in ${found.shrinks} steps` +
      `${found.lateral ? ', then replaced by a smaller case one build option away' : ''}; search again with:`, '  '));
    out.push(...wrap('  ', found.rerun, '    '));
  }
  out.push(`replay: memmap-check replay ${x.token}`);
  return out;
}

/** "copy backend: asm-generic fallback: ..." when the variant's backend depends on the build. */
function backendLines(x: Explanation): string[] {
  return x.backend ? wrap('  copy backend: ', `${x.backend.name}; ${x.backend.detail}`, '    ') : [];
}

function eventLabel(s: Step): string {
  return s.event === null ? 'end' : `#${s.event}`;
}

const INDENT = '    ';

function stepLines(s: Step, i: number, all: readonly Step[]): string[] {
  const head = `${String(i + 1).padStart(2)}. ${eventLabel(s)} `;
  const stack = (frames: readonly string[], src?: readonly SourceFrame[]) => [
    ...wrapStack(INDENT, frames, `${INDENT}  `), ...(src ? wrap(`${INDENT}at `, srcText(src), `${INDENT}  `) : []),
  ];
  const fieldLine = (field: string, value: string) => wrap(INDENT, `${field} = ${value}`, `${INDENT}  `);
  return match(s)
    .with({ kind: 'streaming-store' }, (x) => [
      ...wrap(head, `streaming store #${x.k} (${x.size} B) stays pending`, INDENT),
      ...fieldLine(x.field, x.value), ...stack(x.stack, x.src),
    ])
    .with({ kind: 'missing-drain' }, (x) => [
      ...wrap(head, `MISSING DRAIN ${x.site} (${x.change === 'restored' ? 'removed for this check' : 'the variant has none here'})`, INDENT),
      ...wrap(INDENT, x.where, `${INDENT}  `), ...stack(x.stack, x.src),
    ])
    .with({ kind: 'access' }, (x) => [
      ...wrap(head, `${x.op} (${x.size} B) of pending bytes: ${x.hazard} (${x.cls})`, INDENT),
      ...(x.op === 'load'
        ? wrap(INDENT, `${x.field}: memory still holds ${x.value}`, `${INDENT}  `)
        : fieldLine(x.field, x.value)),
      ...stack(x.stack, x.src),
    ])
    .with({ kind: 'publish' }, (x) => [
      ...wrap(head, `publish with store #${x.k} still pending: unpublished`, INDENT),
      ...wrap(INDENT, x.site, `${INDENT}  `), ...stack(x.stack, x.src),
    ])
    .with({ kind: 'lands' }, (x) => {
      const access = all.findIndex((y) => y.kind === 'access' && y.op === 'store');
      const over = access >= 0 ? `, over the value of step ${access + 1}` : '';
      const when = match(x.at)
        .with('drain', () => `at drain ${x.drainSite}`)
        .with('delay', () => 'after its delay')
        .with('final', () => (all.some((y) => y.kind === 'publish') ? 'only after the publish, at the final commit' : 'only at the final commit'))
        .exhaustive();
      return [...wrap(head, `store #${x.k} lands ${when}${over}`, INDENT), ...fieldLine(x.field, x.value)];
    })
    .with({ kind: 'replaced' }, (x) => wrap(head, `store #${x.k} never lands: the streaming store at #${x.event} replaced it`, INDENT))
    .with({ kind: 'writer' }, (x) => [
      ...wrap(head, `${x.via === 'streaming' ? `streaming store #${x.k} (of ${x.size} B)` : `store (${x.size} B)`}${x.role === 'expected' ? ': the expected value, overwritten later' : x.role === 'last' ? ': the last store, leaving the actual value' : ''}`, INDENT),
      ...fieldLine(x.field, x.value), ...stack(x.stack, x.src),
    ])
    .exhaustive();
}

function resultLines(x: Explanation): string[] {
  const d = x.diff;
  const head = match(d.against)
    .with('invariants', () => `result: ${d.total} invariant violation(s) in the final memmap:`)
    .with('reference', () => d.total === 0
      ? `result: once every store has landed, the final memmap equals ${d.referenceName}'s; the ${x.hazard ? 'hazard' : 'failure'} above is the bug.`
      : `result: the final memmap differs from ${d.referenceName}'s in ${d.total} field(s):`)
    .exhaustive();
  const out = wrap('', head, '  ');
  // an expected failure names its known bugs once, below
  const known = (l: DiffLine) => (l.knownBug && x.outcome !== 'expected-fail' ? ` [known: ${l.knownBug}]` : '');
  for (const l of d.lines) {
    out.push(...wrap('  ', l.where, '    '));
    out.push(...wrap('    ', `expected ${l.expected}, actual ${l.actual}${known(l)}`, '      '));
  }
  if (d.total > d.lines.length) out.push(`  (and ${d.total - d.lines.length} more)`);
  return out;
}

export function witnessText(w: Witness, x: Explanation): string {
  const p = x.cx.property;
  return match(w)
    .with({ kind: 'drain', change: 'restored' }, (y) =>
      `with the drain ${y.site} put back, the same scenario and schedule pass ${p}.`)
    .with({ kind: 'drain', change: 'added' }, (y) =>
      `with a drain added at ${y.site}${x.steps.some((s) => s.kind === 'missing-drain') ? '' : ` (${y.where})`}, the same scenario and schedule pass ${p}.`)
    .with({ kind: 'at-once' }, (y) =>
      `no drain of ${x.variantName} can be put back to fix this, but the same scenario passes ${p} when every streaming store lands at once; ` +
      (y.referencePasses ? `the reference ${y.reference} passes it too.` : `the reference ${y.reference} fails it as well.`))
    .with({ kind: 'reference', tautological: true }, (y) =>
      `none with a drain: it fails with every streaming store landing at once, so no drain or schedule is involved; the expected values are those the reference ${y.reference} writes for the same scenario.`)
    .with({ kind: 'reference', tautological: false }, (y) =>
      `none with a drain: it fails with every streaming store landing at once, so no drain or schedule is involved; the reference ${y.reference} ${y.referencePasses ? 'passes' : 'fails'} ${p} on the same scenario.`)
    .exhaustive();
}
