// A replayable counterexample: everything `memmap-check replay` needs to rerun one failing case
// exactly. Tokens, saved JSON files and reports all carry this.
import type { Drains } from '../../model/kernel/copy.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Schedule } from '../../model/schedule.ts';
import type { CheckResult } from '../../properties/check.ts';
import type { PropertyName } from '../../properties/properties.ts';

export interface Counterexample {
  /** A shipped variant's name, or the path of a .ts module whose default export is a Variant. */
  readonly variant: string;
  /** For a variant file: the SHA-256 of the file the case was found with (replay checks it). */
  readonly variantSha256?: string;
  readonly property: PropertyName;
  readonly scenario: Scenario;
  readonly schedule: Schedule;
  /** Drain sites removed from the variant, and drain points added to it. */
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

export function drainsOf(cx: Pick<Counterexample, 'removed' | 'added'>): Drains {
  return { removed: new Set(cx.removed), added: new Set(cx.added) };
}

/** "v5 without before-return", "v1 with before-prep_compound_head added" */
export function variantLabel(name: string, cx: Pick<Counterexample, 'removed' | 'added'>): string {
  const parts = [name];
  if (cx.removed.length) parts.push(`without ${cx.removed.join(', ')}`);
  if (cx.added.length) parts.push(`with ${cx.added.join(', ')} added`);
  return parts.join(' ');
}

/** The counterexample a failed check found, with `variant` as replay should load it. */
export function counterexampleOf(r: CheckResult, variant: string): Counterexample {
  if (!r.counterexample) throw new Error(`${r.variant}/${r.property}: no counterexample`);
  return {
    variant, property: r.property, scenario: r.counterexample.scenario, schedule: r.counterexample.schedule,
    removed: [...r.removedDrains], added: [],
  };
}

/** Input that cannot be replayed (a mangled token, a file that is not a counterexample); one line. */
export class ReplayInputError extends Error {
  override readonly name: string = 'ReplayInputError';
}
