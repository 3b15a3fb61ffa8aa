// Short text for hazards and property failures, in kernel terms.
import { describeAddr } from '../model/kernel/describe.ts';
import type { Kernel } from '../model/kernel/mm.ts';
import { stackNames } from '../model/events.ts';
import type { Hazard } from '../model/hazards.ts';

export const formatStack = (frames: string[]): string => frames.join(' > ');

export function formatHazard(k: Kernel, h: Hazard): string[] {
  const what = h.kind === 'unpublished' ? 'unpublished' : `${h.kind} (${h.cls})`;
  const access = h.access.op === 'publish'
    ? `  at event #${h.eventIndex}: ${h.access.fn}, with ${h.conflicts} store(s) pending`
    : `  at event #${h.eventIndex}: ${h.access.op} ${h.access.size} B of ${describeAddr(k, h.access.addr)}`;
  const accStack = h.access.op === 'publish' ? stackNames(h.access.stack) : stackNames(h.access.stack, h.access.fn);
  return [
    what,
    access,
    `    by ${formatStack(accStack)}`,
    `  pending: streaming store #${h.pending.k} (event #${h.pending.eventIndex}) of ${h.pending.size} B to ${describeAddr(k, h.pending.addr)}`,
    `    by ${formatStack(stackNames(h.pending.stack, h.pending.fn))}`,
  ];
}
