// memmap-check check: one variant, chosen properties, shrunk counterexamples.
import { checkProperty, DEFAULT_SEED, type CheckResult } from '../../properties/check.ts';
import { describeScenario } from '../../model/kernel/describe.ts';
import { counterexampleText, outcomeOf } from '../report/check-report.ts';
import { UsageError, positiveInt, seedOf } from './errors.ts';
import { drainSitesOf, propertiesOf, variantOf } from './select.ts';

export interface CheckArgs {
  variant?: string | undefined;
  property?: string[] | undefined;
  runs?: string | undefined;
  seed?: string | undefined;
  'remove-drain'?: string[] | undefined;
  format?: string | undefined;
}

export async function runCheck(a: CheckArgs): Promise<number> {
  const v = await variantOf(a.variant);
  const props = propertiesOf(a.property);
  const numRuns = positiveInt('runs', a.runs, 300);
  const seed = seedOf(a.seed, DEFAULT_SEED);
  const removed = drainSitesOf(v, a['remove-drain']);
  const format = a.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  const results = props.map((p) => checkProperty(v, p, { numRuns, seed, drains: { removed } }));
  if (format === 'json') console.log(JSON.stringify(results.map(toJson), null, 2));
  else {
    const label = removed.size ? `${v.name} without ${[...removed].join(', ')}` : v.name;
    console.log(`${label} (reference ${v.reference ?? 'itself'}), ${numRuns} scenarios per property, seed ${seed}`);
    for (const r of results) console.log(`  ${r.property.padEnd(26)} ${outcomeOf(r)}`);
    for (const r of results.filter((x) => !x.ok)) console.log(['', ...counterexampleText(r)].join('\n'));
  }
  return results.some((r) => outcomeOf(r) === 'FAIL') ? 1 : 0;
}

function toJson(r: CheckResult) {
  return {
    variant: r.variant, property: r.property, outcome: outcomeOf(r), numRuns: r.numRuns, seed: r.seed,
    ...(r.counterexample ? {
      failedAt: r.failedAt, shrinks: r.shrinks, counterexample: r.counterexample,
      config: describeScenario(r.counterexample.scenario), verdict: r.verdict!.lines,
    } : {}),
  };
}
