// When each pending streaming store lands: generated data, never a choice inside the machine.

/** Number of later memory events a store stays pending; 'drain' = until the next drain (worst case). */
export type Delay = number | 'drain';

export interface Schedule {
  /** Delay of every streaming store instruction not listed in `late`. */
  readonly base: Delay;
  /** Per-instruction exceptions, keyed by the instruction's index k (0 = first MOVNTI). */
  readonly late: readonly (readonly [number, Delay])[];
}

export const LAND_AT_ONCE: Schedule = { base: 0, late: [] };
export const UNTIL_DRAIN: Schedule = { base: 'drain', late: [] };

export function delayLookup(s: Schedule): (k: number) => Delay {
  if (s.late.length === 0) return () => s.base;
  const m = new Map<number, Delay>();
  for (const [k, d] of s.late) if (!m.has(k)) m.set(k, d);
  return (k) => m.get(k) ?? s.base;
}

export function describeSchedule(s: Schedule): string {
  const d = (x: Delay) => (x === 'drain' ? 'until the next drain' : x === 0 ? 'at once' : `after ${x} events`);
  const base = `streaming stores land ${d(s.base)}`;
  if (s.late.length === 0) return base;
  return `${base}; except ${s.late.map(([k, x]) => `store #${k} ${d(x)}`).join(', ')}`;
}
