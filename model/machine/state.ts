// The machine state as the engine hands it out: immutable snapshots (copy-on-write lines).
import { freeze } from 'immer';
import { type Cost, ZERO_COST } from '../cost.ts';
import type { Frame } from '../events.ts';
import type { Hazard } from '../hazards.ts';
import type { Schedule } from '../schedule.ts';

/** Pending streaming bytes of one line. */
export interface PendingLine {
  readonly data: Uint8Array;
  /** Per 4-byte unit: id of the streaming record owning it, or -1. */
  readonly owner: Int32Array;
  readonly live: number;
}

/** One streaming store event, split into instructions of `granule` bytes. */
export interface StreamRecord {
  readonly id: number;
  readonly eventIndex: number;
  readonly addr: number;
  readonly size: number;
  readonly granule: number;
  readonly kFirst: number;
  readonly stack: Frame | null;
  readonly fn: string | undefined;
  readonly liveUnits: number;
}

export interface MachineState {
  readonly fill: number;
  readonly schedule: Schedule;
  readonly lines: ReadonlyMap<number, Uint8Array>;
  readonly pending: ReadonlyMap<number, PendingLine>;
  readonly records: ReadonlyMap<number, StreamRecord>;
  /** deadline event index -> instructions (record id, instruction index) that land after it */
  readonly due: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  readonly cachedLines: ReadonlySet<number>;
  /** Write-combining: per line, the 4-byte units streamed since the line was last flushed. */
  readonly wc: ReadonlyMap<number, number>;
  /** Index of the next memory event. */
  readonly now: number;
  /** Index k of the next streaming store instruction. */
  readonly nextK: number;
  readonly nextRecord: number;
  readonly stack: Frame | null;
  readonly hazards: readonly Hazard[];
  readonly hazardCount: number;
  readonly cost: Cost;
  /** Result of the last load (for `step` users). */
  readonly lastLoad: Uint8Array | null;
}

export interface MachineInit {
  readonly schedule: Schedule;
  /** Byte value of memory never written (0xff = PAGE_POISON_PATTERN). */
  readonly fill?: number;
  /** Initial contents of some lines (for example a zeroed pageblock bitmap). */
  readonly preset?: ReadonlyMap<number, Uint8Array>;
}

export function initialState(init: MachineInit): MachineState {
  return freeze({
    fill: init.fill ?? 0xff,
    schedule: init.schedule,
    lines: new Map(init.preset ?? []),
    pending: new Map(),
    records: new Map(),
    due: new Map(),
    cachedLines: new Set<number>(),
    wc: new Map(),
    now: 0,
    nextK: 0,
    nextRecord: 0,
    stack: null,
    hazards: [],
    hazardCount: 0,
    cost: ZERO_COST,
    lastLoad: null,
  } satisfies MachineState);
}
