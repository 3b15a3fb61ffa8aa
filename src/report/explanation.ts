// What a counterexample report says, as data: the text, JSON and dot renderers all read this.
import type { Cost } from '../../model/cost.ts';
import type { Via } from '../../model/events.ts';
import type { SourceFrame } from '../../model/kernel/variants/direct.ts';
import type { HazardClass, HazardKind } from '../../model/hazards.ts';
import type { Schedule } from '../../model/schedule.ts';
import type { CopyBackend } from '../../model/kernel/variants/types.ts';
import type { Outcome } from './outcome.ts';
import type { Counterexample } from './counterexample.ts';

/** Where the event is in the code and in struct page. */
export interface Site {
  /** memory event index in the run (the n-th load, store, drain or publish) */
  readonly event: number;
  /** kernel call stack, outermost first, from memmap_init_zone_device */
  readonly stack: readonly string[];
  /** C variants: the frames of the file under check, outermost first, each at its file:line:column */
  readonly src?: readonly SourceFrame[];
}

/** One event that matters, in program order. */
export type Step =
  /** the streaming store instruction that stays pending */
  | Site & { readonly kind: 'streaming-store'; readonly k: number; readonly size: number; readonly field: string; readonly value: string }
  /** where a drain would have landed it: a removed drain site or a drain point the variant leaves empty */
  | Site & { readonly kind: 'missing-drain'; readonly site: string; readonly where: string; readonly change: 'restored' | 'added' }
  /** the load or cached store that touches the pending bytes */
  | Site & {
      readonly kind: 'access'; readonly op: 'load' | 'store'; readonly size: number; readonly field: string;
      /** bytes stored, or for a load the bytes memory still holds */
      readonly value: string; readonly hazard: HazardKind; readonly cls: HazardClass; readonly k: number;
    }
  /** the pages become visible to other CPUs with the store still pending (pendingStores: store instructions still pending) */
  | Site & { readonly kind: 'publish'; readonly site: string; readonly pendingStores: number; readonly k: number }
  /** the pending store lands: at a drain, after its delay, or at the final commit (event null) */
  | { readonly kind: 'lands'; readonly event: number | null; readonly k: number; readonly at: 'drain' | 'delay' | 'final';
      readonly drainSite: string | null; readonly field: string; readonly value: string }
  /** a later streaming store to the same bytes replaced it before it landed (write collapsing) */
  | { readonly kind: 'replaced'; readonly event: number; readonly k: number }
  /**
   * A store to a field that differs (for failures without a hazard): the last one, which left the
   * actual value, and before it the last one that wrote the expected value, if any.
   */
  | Site & {
      readonly kind: 'writer'; readonly role: 'last' | 'expected'; readonly via: Via; readonly k: number | null;
      readonly size: number; readonly field: string; readonly value: string;
    };

export type StepKind = Step['kind'];

export interface DiffLine {
  /** "pfn 0x100001 (tail 1 of head 0x100000) _flags_1 @+0" */
  readonly where: string;
  readonly expected: string;
  readonly actual: string;
  /** a known kernel bug that explains it */
  readonly knownBug?: string;
}

export interface FieldDiff {
  /** 'reference': the image against the reference variant's; 'invariants': against decoded expectations */
  readonly against: 'reference' | 'invariants';
  readonly referenceName: string;
  readonly total: number;
  readonly lines: readonly DiffLine[];
}

/** A passing run that shows what the failure depends on. */
export type Witness =
  /** the same scenario and schedule pass with this one drain put back */
  | { readonly kind: 'drain'; readonly change: 'restored' | 'added'; readonly site: string; readonly where: string }
  /** no drain helps, but the same scenario passes when every streaming store lands at once */
  | { readonly kind: 'at-once'; readonly reference: string; readonly referencePasses: boolean }
  /** no drain or schedule is involved: it fails with every store landing at once */
  | { readonly kind: 'reference'; readonly reference: string; readonly referencePasses: boolean; readonly tautological: boolean };

export interface HazardInfo {
  readonly kind: HazardKind;
  readonly cls: HazardClass;
  readonly event: number;
  /** the accessed field (the first pending bytes it touches), or the publish site */
  readonly field: string;
  /** the pending store instruction and its field */
  readonly k: number;
  readonly pendingField: string;
  /** hazards of this kind in the run */
  readonly count: number;
}

export interface Explanation {
  /** The case as reported (its schedule minimized): the replay token encodes exactly this. */
  readonly cx: Counterexample;
  /** The schedule the case came with (the shrunk one from the search). */
  readonly originalSchedule: Schedule;
  readonly variantName: string;
  readonly reference: string;
  readonly outcome: Outcome;
  /** the scenario in one line, in kernel terms */
  readonly config: string;
  /** what the variant's copy primitive compiles to in this build, when the variant says (v1) */
  readonly backend: CopyBackend | null;
  readonly scheduleText: string;
  /** the property's verdict lines */
  readonly verdict: readonly string[];
  readonly hazard: HazardInfo | null;
  /** other hazards in the same run, by kind */
  readonly otherHazards: readonly { readonly kind: HazardKind; readonly count: number; readonly firstEvent: number }[];
  readonly steps: readonly Step[];
  /** differing fields no store of the run wrote (failures without a hazard) */
  readonly unwritten: readonly string[];
  readonly diff: FieldDiff;
  /** null when the case passes */
  readonly witness: Witness | null;
  /** upstream fixes of known kernel bugs that explain an expected failure */
  readonly knownBugs: readonly string[];
  readonly token: string;
  /** the counters of the reported run (DESIGN.md §6) */
  readonly cost: Cost;
}
