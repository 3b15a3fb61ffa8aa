// The three hazards of the memcpy_streaming() contract (DESIGN.md §4).
import type { Frame } from './events.ts';

export type HazardKind = 'read-after-streaming' | 'write-after-streaming' | 'unpublished';
export type HazardClass = 'folio-alias' | 'head-flags' | 'plain';

/** One pending streaming store instruction. */
export interface PendingStore {
  /** Index k of the instruction among all streaming instructions of the run. */
  readonly k: number;
  /** Index of the event that issued it. */
  readonly eventIndex: number;
  readonly addr: number;
  readonly size: number;
  readonly stack: Frame | null;
  readonly fn: string | undefined;
}

export interface Access {
  readonly op: 'load' | 'store' | 'publish';
  readonly addr: number;
  readonly size: number;
  readonly stack: Frame | null;
  readonly fn: string | undefined;
}

export interface Hazard {
  readonly kind: HazardKind;
  readonly cls: HazardClass;
  readonly eventIndex: number;
  readonly access: Access;
  /** The conflicting pending store (the lowest-addressed one overlapping, or the oldest at publish). */
  readonly pending: PendingStore;
  /** How many pending store instructions the access conflicts with. */
  readonly conflicts: number;
}
