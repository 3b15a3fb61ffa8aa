// Text for a property check: a verdict, and for a failure the shrunk counterexample in kernel terms.
import { describeScenario } from '../../model/kernel/describe.ts';
import { describeSchedule } from '../../model/schedule.ts';
import type { CheckResult } from '../../properties/check.ts';
import type { OwnFirst } from '../../properties/own-first.ts';
import { counterexampleOf } from './counterexample.ts';
import { explain } from './explain.ts';
import { type Outcome, evaluationOutcome, knownBugsOfEvaluation } from './outcome.ts';

export type { Outcome };

/** Pass, fail, or a failure wholly explained by known kernel bugs of the variant's base. */
export function outcomeOf(r: CheckResult): Outcome {
  return r.evaluation ? evaluationOutcome(r.property, r.ok, r.evaluation) : r.ok ? 'pass' : 'FAIL';
}

/** The verdict of a property checked own-first: its own failure, else an expected failure, else pass. */
export function rowOutcome(r: OwnFirst): Outcome {
  const own = outcomeOf(r.own);
  return own === 'pass' && r.known ? 'expected-fail' : own;
}

export function knownBugNames(r: CheckResult): string[] {
  return r.evaluation ? knownBugsOfEvaluation(r.evaluation) : [];
}

/** The shrunk counterexample as text for a review e-mail. */
export function counterexampleText(r: CheckResult): string[] {
  if (r.ok || !r.counterexample) return [];
  const c = r.counterexample;
  const out = [
    `${r.variant}${r.removedDrains.length ? ` without ${r.removedDrains.join(', ')}` : ''} fails ${r.property} (found at scenario ${r.failedAt}, seed ${r.seed}, shrunk in ${r.shrinks} steps${r.lateral ? ', then a smaller case one build option away' : ''})`,
    `  config:   ${describeScenario(c.scenario)}`,
    ...(r.minimalWithin ? [`  minimal within: ${r.minimalWithin}`] : []),
    `  schedule: ${describeSchedule(c.schedule)}`,
    ...r.verdict!.lines.map((l) => `  ${l}`),
  ];
  const bugs = outcomeOf(r) === 'expected-fail' ? knownBugNames(r) : [];
  if (bugs.length) out.push(`  expected: known kernel bug, fixed upstream by ${bugs.join(' and ')}`);
  const drains = r.removedDrains.map((d) => ` --remove-drain ${d}`).join('');
  out.push(`  rerun:    memmap-check check --variant ${r.variant}${drains} --property ${r.property} --seed ${r.seed} --runs ${r.failedAt}`);
  out.push(`  replay:   memmap-check replay ${replayTokenOf(r)}`);
  return out;
}

/** The replay token of a failed check: its case as the full report shows it (schedule minimized). */
export function replayTokenOf(r: CheckResult, variant = r.variant): string {
  return explain(r.evaluation!.variant, counterexampleOf(r, variant)).token;
}
