// memmap-check check: one variant, chosen properties, shrunk counterexamples.
import { DEFAULT_SEED, type CheckResult } from '../../properties/check.ts';
import { checkOwnFirst, reportOrder } from '../../properties/own-first.ts';
import { outcomeOf, rowOutcome } from '../report/check-report.ts';
import { counterexampleOf } from '../report/counterexample.ts';
import { dotReport } from '../report/dot-report.ts';
import { explain } from '../report/explain.ts';
import type { Explanation } from '../report/explanation.ts';
import { checkResultDoc, counterexampleDoc } from '../report/json-report.ts';
import { type Provenance, textReport } from '../report/text-report.ts';
import { formatCost, typicalCost } from '../cost/format.ts';
import { maxEventsOf, runsOf, seedOf } from './errors.ts';
import { formatOf, saveCounterexample, saveDirOf, variantSpecOf } from './format.ts';
import { requireDrainsExecuted } from './drain-coverage.ts';
import { variantFileOf } from './load-variant.ts';
import { debugVmPinOf, drainSitesOf, propertiesOf, variantOf } from './select.ts';

export interface CheckArgs {
  variant?: string | undefined;
  property?: string[] | undefined;
  runs?: string | undefined;
  seed?: string | undefined;
  'remove-drain'?: string[] | undefined;
  format?: string | undefined;
  save?: string | undefined;
  'debug-vm'?: string | undefined;
  'max-events'?: string | undefined;
}

export async function runCheck(a: CheckArgs): Promise<number> {
  const props = propertiesOf(a.property);
  const numRuns = runsOf(a.runs, 300);
  const v = await variantOf(a.variant, { maxEvents: maxEventsOf(a['max-events']) });
  const seed = seedOf(a.seed, DEFAULT_SEED);
  const removed = drainSitesOf(v, a['remove-drain']);
  if (variantFileOf(v)) requireDrainsExecuted(v, `variant file '${a.variant}'`, removed, variantFileOf(v)!.sha256);
  const format = formatOf(a.format);
  const saveDir = saveDirOf(a.save);
  const pin = debugVmPinOf(a['debug-vm']);
  const spec = variantSpecOf(a.variant!);
  // own failures first; an expected failure from a known kernel bug of the base after them
  const checks = props.map((p) => checkOwnFirst(v, p, { numRuns, seed, drains: { removed }, ...(pin ? { pin } : {}) }));
  const results = reportOrder(checks);
  // each failure explained once: minimized schedule, timeline, witness, token
  const failures = results.filter((r) => !r.ok).map((r) => ({ r, x: explain(v, counterexampleOf(r, spec)), found: provenance(r, spec, numRuns, a['debug-vm']) }));
  const explained = new Map<CheckResult, { x: Explanation; found: Provenance }>(failures.map((f) => [f.r, f]));
  const docOf = (r: CheckResult) => {
    const f = explained.get(r);
    return f ? counterexampleDoc(f.x, f.found) : null;
  };
  if (format === 'json') console.log(JSON.stringify(results.map((r) => checkResultDoc(r, outcomeOf(r), docOf(r))), null, 2));
  else if (format === 'dot') {
    if (failures.length) console.log(failures.map((f) => dotReport(f.x)).join('\n\n'));
    else console.error('memmap-check: no counterexample to draw: every property passed');
  } else {
    const label = removed.size ? `${v.name} without ${[...removed].join(', ')}` : v.name;
    const pinned = pin ? `, CONFIG_DEBUG_VM ${pin.debugVm ? 'on' : 'off'} in every scenario` : '';
    console.log(`${label} (reference ${v.reference ?? 'itself'}), ${numRuns} scenarios per property, seed ${seed}${pinned}`);
    for (const l of formatCost(typicalCost(v))) console.log(`  ${l}`);
    console.log('  (cost of one section of order-0 FS_DAX pages, typical x86_64 config; each counterexample shows its own)');
    for (const c of checks) console.log(`  ${c.property.padEnd(26)} ${rowOutcome(c)}${c.known && !c.own.ok ? ' (and expected-fail: a known kernel bug of the base, listed after)' : ''}`);
    for (const f of failures) console.log(['', ...textReport(f.x, f.found)].join('\n'));
  }
  if (saveDir !== undefined) {
    const log = format === 'text' ? console.log : console.error;
    for (const r of results) {
      const doc = docOf(r);
      if (doc) log(`saved: ${saveCounterexample(saveDir, doc)}`);
    }
  }
  return results.some((r) => outcomeOf(r) === 'FAIL') ? 1 : 0;
}

function provenance(r: CheckResult, spec: string, numRuns: number, debugVm?: string): Provenance {
  const drains = r.removedDrains.map((d) => ` --remove-drain ${d}`).join('') + (debugVm ? ` --debug-vm ${debugVm}` : '');
  return {
    failedAt: r.failedAt!, numRuns, seed: r.seed, shrinks: r.shrinks ?? 0, ...(r.lateral ? { lateral: true } : {}),
    ...(r.minimalWithin ? { minimalWithin: r.minimalWithin } : {}),
    rerun: `memmap-check check --variant ${spec}${drains} --property ${r.property} --seed ${r.seed} --runs ${r.failedAt}`,
  };
}
