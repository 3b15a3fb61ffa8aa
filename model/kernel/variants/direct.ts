// Direct execution: a variant that calls the machine itself instead of yielding a Program. The C
// front-end's compiled closures run this way (no generator per kernel call); runVariant() drives it.
import type { CallEvent, Event } from '../../events.ts';
import type { Drains } from '../copy.ts';
import type { DevPagemap, Zone } from '../init.ts';
import type { Kernel } from '../mm.ts';

/** A source position of a frame of the code under check (C files: every event carries them). */
export interface SourceFrame {
  readonly fn: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface DirectIO {
  /** Apply one event (call, ret, store, load, drain) to the machine; returns a load's bytes. */
  readonly emit: (ev: Event) => Uint8Array | undefined;
  /** Record the source stack of each memory event (for traces). */
  readonly trace: boolean;
  /** emit() of a call event and of the ret event, when the machine takes them without the dispatch (Transient.enter/leave). */
  readonly call?: (ev: CallEvent) => void;
  readonly ret?: () => void;
}

/**
 * memmap_init_zone_device(zone, start_pfn, nr_pages, pgmap), run directly. With io.trace, returns
 * the source stack (outermost first) of every memory event it emitted, in order.
 */
export type DirectRun = (io: DirectIO, k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number,
  pgmap: DevPagemap) => readonly (readonly SourceFrame[])[] | undefined;
