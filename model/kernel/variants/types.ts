// A variant: one way to initialize a ZONE_DEVICE memmap, as data plus generators (DESIGN.md §3).
import type { Program } from '../../events.ts';
import type { KernelConfig } from '../config.ts';
import type { Drains } from '../copy.ts';
import type { DevPagemap, Zone } from '../init.ts';
import type { Kernel } from '../mm.ts';
import type { DirectRun } from './direct.ts';

export interface DrainSite {
  /** Stable name, used to remove or guard the drain. */
  readonly name: string;
  /** Where it sits, in the words of the code. */
  readonly where: string;
}

/** What the fast path's copy primitive compiles to in one kernel build. */
export interface CopyBackend {
  /** The implementation, in kernel terms: "x86 MOVNTI/SFENCE", "asm-generic fallback". */
  readonly name: string;
  /** Whether its stores are streaming (pending until a drain) or plain cached stores. */
  readonly streaming: boolean;
  /** One line: what the copy and the drain do, and which config option chose the backend. */
  readonly detail: string;
}

export interface Variant {
  readonly name: string;
  /** One line: what it is and where it comes from. */
  readonly summary: string;
  /** The base variant it was written against: its reference for `identical` (null for a base). */
  readonly reference: string | null;
  readonly drainSites: readonly DrainSite[];
  /** Places where a drain could be added (Drains.added) that the variant leaves empty. */
  readonly drainPoints?: readonly DrainSite[];
  /** The copy backend per kernel config, for variants whose backend depends on it (v1). */
  readonly copyBackend?: (c: KernelConfig) => CopyBackend;
  /** memmap_init_zone_device(zone, start_pfn, nr_pages, pgmap) */
  readonly memmap_init_zone_device: (
    k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap,
  ) => Program;
  /**
   * Direct execution (the C front-end): runVariant() calls this instead of driving the Program,
   * with the same events in the same order. memmap_init_zone_device stays as an adapter.
   */
  readonly direct?: DirectRun;
  /** The reference itself when it is not a shipped variant (a base tree's own C file). */
  readonly referenceVariant?: Variant;
  /** Where the code under check comes from, for reports and replay tokens (C files). */
  readonly source?: VariantSource;
  /**
   * The event budget of one run of memmap_init_zone_device when a guard (src/cli/guard.ts) fences
   * the variant; the machine's own budget stays above it, so the guard's fault (naming the file,
   * the event and the kernel function) is the one reported.
   */
  readonly maxEvents?: number;
}

export interface VariantSource {
  /** as given on the command line (reports print it) */
  readonly file: string;
  /** SHA-256 of the text checked (after --patch), hex */
  readonly sha256: string;
  /** SHA-256 of the file on disk, hex (replay refuses a changed file) */
  readonly fileSha256: string;
  readonly patches: readonly string[];
}
