// The machine: byte memory in 64-byte lines plus a store buffer of weakly ordered streaming
// stores, under the memcpy_streaming() contract semantics (DESIGN.md §4, li-zhe-series.md §3.1).
//
// The rules are model/machine/reference.ts, a page of plain code: the specification. The engine
// that runs them fast is model/machine/*: the Transient (transient.ts) sequences each event over
// landed memory (lines.ts), the store buffer (store-buffer.ts), cost and cache lines (traffic.ts)
// and hazards (hazard-log.ts); events are checked as they arrive (validate.ts). The engine is
// differential-tested against the specification after every event of generated programs
// (test/machine-differential.test.ts). This module gathers what the rest of the tool imports.
import type { Event } from './events.ts';
import type { MachineState } from './machine/state.ts';
import { Transient } from './machine/transient.ts';

export { LINE, MAX_ACCESS, MAX_HAZARDS, UNIT } from './machine/constants.ts';
export { type MachineInit, type MachineState, type PendingLine, type StreamRecord, initialState } from './machine/state.ts';
export { Transient } from './machine/transient.ts';
export { type ExecuteOptions, type Execution, type TraceEntry, execute } from './machine/execute.ts';
export { peek, readRanges, reader, readerInto } from './machine/read.ts';
export { checkEvent } from './machine/validate.ts';
/** The specification: `spec.step(state, event)`, `spec.initial`, `spec.settle`, `spec.view`. */
export * as spec from './machine/reference.ts';

/**
 * The pure transition on engine states: the old state stays valid. It equals the specification's
 * `step` (reference.ts) on every observable: memory, pending bytes, hazards, cost.
 */
export function step(state: MachineState, ev: Event): MachineState {
  const t = new Transient(state);
  t.apply(ev);
  return t.snapshot();
}

/** The state after the final forced commit (not an event: it models "eventually"). */
export function settle(state: MachineState): MachineState {
  const t = new Transient(state);
  t.flushWc();
  t.commitAll();
  return t.snapshot();
}
