// Real kernel bugs the model reproduces on the v7.1 base and the variants built on it. They are
// expected failures of `invariants`, each named by its upstream fix; never hidden by narrowing.
import { PAGE_SIZE, VMEMMAP_RESERVE_NR, pageblockNrPages } from '../model/kernel/constants.ts';
import { pageLayout } from '../model/kernel/layout.ts';
import { type Scenario, earlySectionOf } from '../model/kernel/scenario.ts';
import type { Image } from '../model/kernel/harness.ts';
import { variantByName } from '../model/kernel/variants/index.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import type { Evaluation } from './evaluate.ts';
import { type Violation, checkInvariants } from './invariants.ts';

export interface KnownBug {
  readonly id: string;
  /** Upstream fix (Muchun Song, 2026; mm-stable 2026-05-28, Cc: stable). */
  readonly fix: string;
  readonly fixes: string;
  /** Shipped bases whose code still has the bug; every variant written against one inherits it. */
  readonly bases: readonly string[];
  /** Does this violation come from the bug in this scenario? */
  readonly explains: (s: Scenario, v: Violation) => boolean;
}

/** The memmap of this scenario is deduplicated if the kernel does not know the section is early. */
function dedupEligible(s: Scenario): boolean {
  const size = pageLayout(s.kconfig).size;
  return (size & (size - 1)) === 0 && s.pgmap.altmap === null && ((2 ** s.pgmap.vmemmapShift) * size) / PAGE_SIZE > VMEMMAP_RESERVE_NR;
}


export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    id: 'early-section-dedup',
    fix: 'mm/mm_init: fix uninitialized struct pages for ZONE_DEVICE',
    fixes: '6fd3620b3428 ("mm/page_alloc: reuse tail struct pages for compound devmaps")',
    bases: ['base-v7.1'],
    // compound_nr_pages() without early_section() writes only 128 struct pages per compound page,
    // but an early section keeps the boot memmap, so the other tails stay uninitialized
    explains: (s, v) => earlySectionOf(s, v.pfn) && dedupEligible(s) && v.kind === 'page' && (v.tail ?? 0) >= VMEMMAP_RESERVE_NR * 64,
  },
  {
    id: 'pageblock-compound',
    fix: 'mm/mm_init: fix pageblock migratetype for ZONE_DEVICE compound pages',
    fixes: 'c4386bd8ee3a ("mm/memremap: add ZONE_DEVICE support for compound pages")',
    bases: ['base-v7.1'],
    // per-page pageblock init only sees the pfns the loop visits; with the dedup, the pageblocks
    // of a compound page beyond its first 128 pfns are never marked
    explains: (s, v) => v.kind === 'pageblock' && dedupEligible(s) && !earlySectionOf(s, v.pfn) &&
      2 ** s.pgmap.vmemmapShift > pageblockNrPages(s.kconfig) && v.pfn % 2 ** s.pgmap.vmemmapShift !== 0,
  },
];

/**
 * The base a variant was written against: its declared reference, or itself for a base. One rule
 * for every command: known kernel bugs follow the reference, never the variant's name, so a renamed
 * copy of v3 is judged as v3 is. A name is resolved as the shipped variant of that name (whose
 * reference counts), else taken as a base's name.
 */
export function baseOf(variant: Variant | string): string {
  const v = typeof variant === 'string' ? variantByName(variant) : variant;
  if (!v) return variant as string;
  return v.reference ?? v.name;
}

/** The known kernel bugs a variant carries: those of its base. */
export function knownBugsOf(variant: Variant | string): readonly KnownBug[] {
  const base = baseOf(variant);
  return KNOWN_BUGS.filter((b) => b.bases.includes(base));
}

export function explainedBy(variant: Variant | string, s: Scenario, v: Violation): KnownBug | undefined {
  return knownBugsOf(variant).find((b) => b.explains(s, v));
}

/**
 * Which known kernel bugs of these variants' bases explain the run's invariant violations: over
 * every violation, not only the listed ones. `unexplained` counts the variant's own violations.
 */
export function explainInvariants(variants: readonly (Variant | string)[], s: Scenario, img: Image): { readonly unexplained: number; readonly bugs: readonly KnownBug[] } {
  const bugs = new Set<KnownBug>();
  let unexplained = 0;
  checkInvariants(s, img, (v) => {
    const b = variants.map((name) => explainedBy(name, s, v)).find((x) => x !== undefined);
    if (b) bugs.add(b);
    else unexplained++;
  });
  return { unexplained, bugs: [...bugs] };
}

/**
 * The known kernel bugs behind a failing `invariants`, when they explain every violation; null when
 * the property holds, the run crashed, or some violation is the variant's own. The bugs that count
 * are those of the variant's base (baseOf), the same for every command.
 */
export function expectedInvariantFailure(e: Evaluation, variants: readonly (Variant | string)[] = [e.variant]): readonly KnownBug[] | null {
  if (e.run.crash || e.invariants().total === 0) return null;
  const x = explainInvariants(variants, e.case.scenario, e.run.image);
  return x.unexplained === 0 ? x.bugs : null;
}
