// Text for a property check: a verdict, and for a failure the shrunk counterexample in kernel terms.
import { describeScenario } from '../../model/kernel/describe.ts';
import { describeSchedule } from '../../model/schedule.ts';
import type { CheckResult } from '../../properties/check.ts';
import { explainedBy } from '../../properties/known-bugs.ts';

export type Outcome = 'pass' | 'FAIL' | 'expected-fail';

/** Pass, fail, or a failure wholly explained by known kernel bugs of the variant's base. */
export function outcomeOf(r: CheckResult): Outcome {
  if (r.ok) return 'pass';
  if (r.property === 'invariants' && r.evaluation && !r.evaluation.run.crash) {
    const e = r.evaluation;
    const vs = e.invariants().violations;
    if (vs.length > 0 && vs.every((v) => explainedBy(r.variant, e.case.scenario, v))) return 'expected-fail';
  }
  return 'FAIL';
}

export function knownBugNames(r: CheckResult): string[] {
  const e = r.evaluation;
  if (!e) return [];
  const ids = new Set<string>();
  for (const v of e.invariants().violations) {
    const b = explainedBy(r.variant, e.case.scenario, v);
    if (b) ids.add(`"${b.fix}" (Fixes: ${b.fixes})`);
  }
  return [...ids];
}

/** The shrunk counterexample as text for a review e-mail. */
export function counterexampleText(r: CheckResult): string[] {
  if (r.ok || !r.counterexample) return [];
  const c = r.counterexample;
  const out = [
    `${r.variant}${r.removedDrains.length ? ` without ${r.removedDrains.join(', ')}` : ''} fails ${r.property} (found at scenario ${r.failedAt}, seed ${r.seed}, shrunk in ${r.shrinks} steps)`,
    `  config:   ${describeScenario(c.scenario)}`,
    `  schedule: ${describeSchedule(c.schedule)}`,
    ...r.verdict!.lines.map((l) => `  ${l}`),
  ];
  const bugs = outcomeOf(r) === 'expected-fail' ? knownBugNames(r) : [];
  if (bugs.length) out.push(`  expected: known kernel bug, fixed upstream by ${bugs.join(' and ')}`);
  const drains = r.removedDrains.map((d) => ` --remove-drain ${d}`).join('');
  out.push(`  rerun:    memmap-check check --variant ${r.variant}${drains} --property ${r.property} --seed ${r.seed} --runs ${r.failedAt}`);
  return out;
}
