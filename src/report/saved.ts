// Saved counterexamples: read a JSON document back into a replayable case, and tell whether a
// replay still fails the same way (same property, hazard and field) as when it was saved.
import { X86_64_DEFAULT, type KernelConfig, kernelConfigOf } from '../../model/kernel/config.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Delay, Schedule } from '../../model/schedule.ts';
import { PROPERTIES, type PropertyName } from '../../properties/properties.ts';
import { type Counterexample, ReplayInputError } from './counterexample.ts';
import type { Explanation } from './explanation.ts';
import { CHECK_RESULT_SCHEMA, COUNTEREXAMPLE_SCHEMA, type CounterexampleDoc, REPORT_SCHEMA_VERSION } from './json-report.ts';

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isDelay = (x: unknown): x is Delay => x === 'drain' || (Number.isSafeInteger(x) && (x as number) >= 0);
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/**
 * The counterexample documents in a parsed JSON file: one saved counterexample, or the array
 * `check --format json` prints (its failed results). `name` is the file, for messages.
 */
export function documentsIn(json: unknown, name: string): unknown[] {
  if (isObject(json) && json.schema === COUNTEREXAMPLE_SCHEMA) return [json];
  if (Array.isArray(json) && json.every((r) => isObject(r) && r.schema === CHECK_RESULT_SCHEMA)) {
    const docs = json.map((r) => (r as Record<string, unknown>).counterexample).filter((c) => c !== null && c !== undefined);
    if (docs.length === 0) throw new ReplayInputError(`${name} has no counterexample: every result in it passed`);
    return docs;
  }
  throw new ReplayInputError(`${name} is not a memmap-check counterexample; allowed: a file written by check --save or check --format json`);
}

/** The replayable case of one counterexample document, checked field by field. */
export function caseOfDocument(doc: unknown, name: string): Counterexample {
  const bad = (what: string) => new ReplayInputError(`${name}: invalid ${what} in the counterexample`);
  if (!isObject(doc) || doc.schema !== COUNTEREXAMPLE_SCHEMA) throw bad('document');
  if (doc.version !== REPORT_SCHEMA_VERSION) {
    throw new ReplayInputError(`${name}: counterexample version ${String(doc.version)} is not supported; allowed: ${REPORT_SCHEMA_VERSION}`);
  }
  if (typeof doc.variant !== 'string' || doc.variant === '') throw bad('variant');
  if (typeof doc.property !== 'string' || !(PROPERTIES as readonly string[]).includes(doc.property)) throw bad('property');
  const s = doc.scenario;
  if (!isObject(s) || !isObject(s.kconfig) || !isObject(s.pgmap)) throw bad('scenario');
  // options a newer model added are missing from older files: they take the typical build's value
  for (const [key, value] of Object.entries(s.kconfig)) {
    if (!(key in X86_64_DEFAULT) || typeof value !== typeof X86_64_DEFAULT[key as keyof KernelConfig]) throw bad(`scenario.kconfig.${key}`);
  }
  const a = s.pgmap.altmap;
  if (a !== null && !(isObject(a) && typeof a.reserve === 'number' && typeof a.free === 'number')) throw bad('scenario.pgmap.altmap');
  for (const [key, v] of [['pgmap.type', s.pgmap.type], ['pgmap.vmemmapShift', s.pgmap.vmemmapShift], ['startPfn', s.startPfn], ['nrPages', s.nrPages], ['nid', s.nid]] as const) {
    if (typeof v !== 'number') throw bad(`scenario.${key}`);
  }
  if (typeof s.earlySection !== 'boolean') throw bad('scenario.earlySection');
  if (s.earlySections !== undefined && !(Array.isArray(s.earlySections) && s.earlySections.every((x) => typeof x === 'boolean'))) throw bad('scenario.earlySections');
  const sch = doc.schedule;
  if (!isObject(sch) || !isDelay(sch.base) || !Array.isArray(sch.late) ||
    !sch.late.every((x) => Array.isArray(x) && x.length === 2 && Number.isSafeInteger(x[0]) && isDelay(x[1]))) throw bad('schedule');
  const d = doc.drains;
  if (!isObject(d) || !isStrings(d.removed) || !isStrings(d.added)) throw bad('drains');
  const scenario = { ...(s as unknown as Scenario), kconfig: kernelConfigOf(s.kconfig as Partial<KernelConfig>) };
  const schedule: Schedule = { base: sch.base, late: (sch.late as [number, Delay][]).map(([k, x]) => [k, x] as const) };
  return { variant: doc.variant, property: doc.property as PropertyName, scenario, schedule, removed: d.removed, added: d.added };
}

/** What "fails the same way" compares: the property, the hazard and the field. */
export interface FailureSignature {
  readonly property: PropertyName;
  readonly failed: boolean;
  readonly hazard: { readonly kind: string; readonly cls: string; readonly field: string; readonly pendingField: string } | null;
  /** the first differing field, for failures without a hazard */
  readonly field: string | null;
}

export function signatureOf(x: Pick<CounterexampleDoc, 'outcome' | 'hazard' | 'diff'> & { readonly property: PropertyName }): FailureSignature {
  return {
    property: x.property,
    failed: x.outcome !== 'pass',
    hazard: x.hazard ? { kind: x.hazard.kind, cls: x.hazard.cls, field: x.hazard.field, pendingField: x.hazard.pendingField } : null,
    field: x.hazard ? null : x.diff.lines[0]?.where ?? null,
  };
}

export const signatureOfExplanation = (x: Explanation): FailureSignature =>
  signatureOf({ property: x.cx.property, outcome: x.outcome, hazard: x.hazard, diff: x.diff });

/** null when `now` fails the way `saved` did; otherwise what changed, in one line. */
export function differenceFrom(saved: FailureSignature, now: FailureSignature): string | null {
  if (!now.failed) return `it now passes ${now.property}`;
  const h = (s: FailureSignature) => (s.hazard ? `${s.hazard.kind} (${s.hazard.cls}) at ${s.hazard.field}, pending ${s.hazard.pendingField}` : 'no hazard');
  if (h(saved) !== h(now)) return `hazard was ${h(saved)}; now ${h(now)}`;
  if (saved.field !== now.field) return `first differing field was ${saved.field ?? 'none'}; now ${now.field ?? 'none'}`;
  return null;
}
