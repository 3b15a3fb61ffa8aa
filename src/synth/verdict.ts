// The verdict on the variant's own drains against the synthesized placement (docs/synthesis.md §6).
import type { PlacementCost } from './cost.ts';
import type { Synthesis } from './synthesize.ts';

/** A namespace of this many GiB, for "M ms predicted at 100 GiB". */
export const PREDICT_GIB = 100;

export type VerdictKind = 'optimal' | 'cheaper' | 'unsafe' | 'no-safe-placement';

export interface SynthVerdict {
  readonly kind: VerdictKind;
  readonly text: string;
  /** Drains of the variant the synthesized placement drops, and candidates it adds. */
  readonly remove: readonly string[];
  readonly add: readonly string[];
  /** Own minus synthesized, both workloads summed (null unless `cheaper`). */
  readonly savedDrainsPerGiB: number | null;
  readonly savedMsAt100GiB: number | null;
}

export const msAt = (c: PlacementCost, gib = PREDICT_GIB): number => c.ms * gib;

const num = (x: number): string => x.toLocaleString('en-US');
export const msText = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x >= 0.01 ? x.toFixed(2) : x.toFixed(4));

export function verdictOf(s: Synthesis): SynthVerdict {
  if (s.status !== 'ok') {
    return { kind: 'no-safe-placement', text: `no placement of the candidate drains is safe: ${s.reason}`, remove: [], add: [], savedDrainsPerGiB: null, savedMsAt100GiB: null };
  }
  const name = (i: number) => s.candidates[i]!.name;
  const remove = s.own.placement.filter((i) => !s.placement.includes(i)).map(name);
  const add = s.placement.filter((i) => !s.own.placement.includes(i)).map(name);
  const none = { savedDrainsPerGiB: null, savedMsAt100GiB: null };
  const change = [add.length ? `add ${add.join(', ')}` : '', remove.length ? `remove ${remove.join(', ')}` : ''].filter(Boolean).join(' and ');
  if (!s.own.safe) {
    return { kind: 'unsafe', text: `unsafe: ${s.own.reason}; the cheapest safe placement: ${change}`, remove, add, ...none };
  }
  const savedDrains = s.own.cost.drains - s.cost.drains;
  const savedMs = msAt(s.own.cost) - msAt(s.cost);
  if (s.own.cost.stalls === s.cost.stalls && savedDrains === 0) {
    const alt = remove.length || add.length ? ` (as cheap as the synthesized one, which would ${change})` : '';
    return { kind: 'optimal', text: `the variant's drains are a cheapest safe placement${alt}`, remove, add, ...none };
  }
  const what = remove.length && add.length ? `move drain ${remove.join(' + ')} to ${add.join(' + ')}`
    : remove.length ? `remove drain ${remove.join(' + ')}` : `add drain ${add.join(' + ')}`;
  const per = s.own.cost.byWorkload.map((w, i) => `${w.workload} ${num(w.drains - s.cost.byWorkload[i]!.drains)}`).join(', ');
  // fewer stalls can take more drains (ones that find nothing in flight): say so rather than "saving -N"
  const saving = savedDrains >= 0
    ? `saving ${num(savedDrains)} drains/GiB (${per}; ${msText(savedMs)} ms predicted at ${PREDICT_GIB} GiB)`
    : `saving ${msText(savedMs)} ms predicted at ${PREDICT_GIB} GiB, with ${num(-savedDrains)} more drains/GiB that find nothing in flight`;
  return {
    kind: 'cheaper',
    text: `cheaper: ${what}, ${saving}`,
    remove, add, savedDrainsPerGiB: savedDrains, savedMsAt100GiB: savedMs,
  };
}
