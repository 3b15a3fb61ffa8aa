// The schedule a report shows: the fewest late stores that still fail. The search shrinks a
// schedule towards "every store as late as the next drain"; a reviewer wants the opposite: only
// the conflicting store late, every other store landing at once.
import type { Drains } from '../../model/kernel/copy.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import type { HazardKind } from '../../model/hazards.ts';
import { LAND_AT_ONCE, type Schedule, delayLookup } from '../../model/schedule.ts';
import { type Case, type Evaluation, evaluate } from '../../properties/evaluate.ts';
import { type PropertyName, verdict } from '../../properties/properties.ts';

/** The hazard kinds a property's failure is about, most telling first. */
export function hazardKindsOf(p: PropertyName): readonly HazardKind[] {
  if (p === 'no-read-after-streaming') return ['read-after-streaming'];
  if (p === 'no-write-after-streaming') return ['write-after-streaming'];
  if (p === 'published-clean') return ['unpublished'];
  return ['write-after-streaming', 'read-after-streaming'];
}

/** The simplest schedule that still fails, tried in a fixed order (deterministic). */
export function minimizeSchedule(v: Variant, p: PropertyName, c: Case, drains: Drains, failing: Evaluation): Schedule {
  const delay = delayLookup(c.schedule);
  const ks: number[] = [];
  for (const kind of hazardKindsOf(p)) {
    const h = failing.hazards(kind)[0];
    if (h && !ks.includes(h.pending.k)) ks.push(h.pending.k);
  }
  const candidates: Schedule[] = [LAND_AT_ONCE, ...ks.map((k) => ({ base: 0, late: [[k, delay(k)] as const] }))];
  const same = (a: Schedule) => JSON.stringify(a) === JSON.stringify(c.schedule);
  for (const s of candidates) {
    if (same(s)) return c.schedule;
    if (!verdict(p, evaluate(v, { scenario: c.scenario, schedule: s }, { drains })).ok) return s;
  }
  return c.schedule;
}

/** "streaming store #0 lands at the next drain; all others land at once" */
export function scheduleText(s: Schedule): string {
  const d = (x: number | 'drain') => (x === 'drain' ? 'at the next drain' : x === 0 ? 'at once' : `${x} event${x > 1 ? 's' : ''} late`);
  if (s.late.length === 0) return `every streaming store lands ${d(s.base)}`;
  const late = s.late.map(([k, x]) => `store #${k} lands ${d(x)}`).join(', ');
  return `streaming ${late}; all others land ${d(s.base)}`;
}
