// What a sweep (or any slice of it) found, as a value that merges: counts add up and the reported
// violations are the lowest-indexed ones, so the merged tally of any partition of the sweep (into
// shards, worker batches) is the tally of the whole, whatever the order the parts finish in.
import type { Scenario } from '../../model/kernel/scenario.ts';
import { PROPERTIES, type PropertyName } from '../../properties/properties.ts';

/** The order a violating configuration's failures are told in: hazards first, they say why. */
export const TELLING_ORDER: readonly PropertyName[] = [
  'no-write-after-streaming', 'no-read-after-streaming', 'published-clean', 'identical', 'invariants',
  'instrumented', 'init-once', 'in-range',
];

export interface ViolationReport {
  readonly index: number;
  readonly scenario: Scenario;
  /** describeScenario() */
  readonly config: string;
  /** Failing properties in TELLING_ORDER. */
  readonly failures: readonly { readonly property: PropertyName; readonly lines: readonly string[] }[];
  /** `memmap-check replay` token of the first failing property */
  readonly token: string;
}

export interface Tally {
  readonly configurations: number;
  /** Struct pages the variant initialized (the work done). */
  readonly structPages: number;
  /** Configurations with a property failing for some schedule, not explained by a known kernel bug. */
  readonly violations: number;
  /** Configurations whose only failures are known kernel bugs of the variant's base. */
  readonly expectedFailures: number;
  readonly byProperty: Readonly<Record<PropertyName, number>>;
  /** Known kernel bug id -> configurations it explains. */
  readonly knownBugs: Readonly<Record<string, number>>;
  /**
   * Order-independent digest of every configuration's index and per-property outcome (a sum of
   * hashes modulo 2^48): equal tallies of the same sweep checked the same configurations with the
   * same outcomes, however they were split.
   */
  readonly fingerprint: number;
  /** For each violated property, the lowest-indexed configuration violating it (ascending, no repeats). */
  readonly first: readonly ViolationReport[];
}

const MOD = 2 ** 48;

export function emptyTally(): Tally {
  return {
    configurations: 0, structPages: 0, violations: 0, expectedFailures: 0,
    byProperty: Object.fromEntries(PROPERTIES.map((p) => [p, 0])) as Record<PropertyName, number>,
    knownBugs: {}, fingerprint: 0, first: [],
  };
}

function addCounts(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = { ...a };
  for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + n;
  return out;
}

export function mergeTallies(a: Tally, b: Tally): Tally {
  return {
    configurations: a.configurations + b.configurations,
    structPages: a.structPages + b.structPages,
    violations: a.violations + b.violations,
    expectedFailures: a.expectedFailures + b.expectedFailures,
    byProperty: addCounts(a.byProperty, b.byProperty) as Record<PropertyName, number>,
    knownBugs: Object.fromEntries(Object.entries(addCounts(a.knownBugs, b.knownBugs)).sort(([x], [y]) => x.localeCompare(y))),
    fingerprint: (a.fingerprint + b.fingerprint) % MOD,
    first: firstPerProperty([...a.first, ...b.first]),
  };
}

/** The lowest-indexed report failing each property, ascending by index. */
export function firstPerProperty(reports: readonly ViolationReport[]): ViolationReport[] {
  const chosen = new Map<number, ViolationReport>();
  for (const p of PROPERTIES) {
    let best: ViolationReport | undefined;
    for (const r of reports) if (r.failures.some((f) => f.property === p) && (!best || r.index < best.index)) best = r;
    if (best) chosen.set(best.index, best);
  }
  return [...chosen.values()].sort((x, y) => x.index - y.index);
}

/** FNV-1a (32 bits) of a string. */
function fnv(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The fingerprint term of one configuration: its index and the outcome of every property. */
export function fingerprintOf(index: number, outcomes: readonly string[]): number {
  return fnv(`${index}:${outcomes.join(',')}`) * 0x10000 + fnv(`${outcomes.join(',')}@${index}`) % 0x10000;
}

export const addFingerprint = (f: number, term: number): number => (f + term) % MOD;
