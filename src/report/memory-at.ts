// What memory holds, as other CPUs and the cache see it, just before a given event: the stores
// that have landed by then, without the pending streaming bytes. A report uses it to show what a
// racing load really reads ("memory still holds the poison 0xff...").
import type { MemoryEvent } from '../../model/events.ts';
import { type TraceEntry, Transient, initialState, reader } from '../../model/machine.ts';
import { zeroedUsemap } from '../../model/kernel/harness.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Schedule } from '../../model/schedule.ts';

/**
 * Landed bytes of [addr, addr+size) as the load at event `loadIndex` of a traced run finds them.
 * The load itself is applied too: it changes no memory, and the stores due before it land first.
 */
export function landedBytesAtLoad(trace: readonly TraceEntry[], s: Scenario, schedule: Schedule,
  loadIndex: number, addr: number, size: number): Uint8Array {
  const t = new Transient(initialState({ schedule, fill: 0xff, preset: zeroedUsemap(s) }));
  for (const entry of trace) {
    if (entry.index > loadIndex) break;
    t.apply(entry.event as MemoryEvent);
  }
  return reader({ ...t.snapshot(), pending: new Map() })(addr, size);
}
