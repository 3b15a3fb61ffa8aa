// The seeds' measured rebind times (seeds/README.md, from the cover letters 000 and 002: Intel Ice
// Lake VM, 100 GB namespaces, align 2 MiB, map=dev, average of 29 rebinds) and the variant that
// models each row.
import type { Mode, Namespace } from './namespace.ts';

export interface SeedRow {
  /** The row as the seeds name it. */
  readonly label: string;
  /** The variant that models it. */
  readonly variant: string;
  readonly ms: Readonly<Record<Mode, number>>;
  /** The nd_pmem figure is one of the three the cost model is fitted to. */
  readonly fitted: boolean;
}

export const SEED_ROWS: readonly SeedRow[] = [
  { label: 'base (v7.1-rc3)', variant: 'base-v7.1', ms: { fsdax: 273.52, devdax: 313.45 }, fitted: true },
  { label: 'template fast path, cached copies (v3 patches 1-4 / 1-5)', variant: 'v3-cached', ms: { fsdax: 246.65, devdax: 240.42 }, fitted: true },
  { label: 'full v3 series (streaming copies)', variant: 'v3', ms: { fsdax: 114.31, devdax: 99.37 }, fitted: true },
  // not part of the fit or of the six figures the model is judged on: v1 is reconstructed
  { label: 'full v1 series (u64 MOVNTI stores)', variant: 'v1', ms: { fsdax: 104.59, devdax: 116.93 }, fitted: false },
];

/** The variants `cost` prices by default: the seed rows, in order. */
export const SEED_VARIANTS: readonly string[] = SEED_ROWS.map((r) => r.variant);

/** The seeds' configuration: 100 GiB (100 * 2^30 bytes), align 2 MiB, map=dev. */
export const SEED_NAMESPACE_BYTES = 100 * 2 ** 30;

export const isSeedNamespace = (ns: Namespace): boolean => ns.bytes === SEED_NAMESPACE_BYTES && ns.align === '2M' && ns.mapDev;

export type Role = 'fit' | 'prediction';

/** The seed's figure for a variant in this configuration, and whether the model was fitted to it. */
export function seedFigure(ns: Namespace, variant: string): { ms: number; role: Role; label: string } | null {
  if (!isSeedNamespace(ns)) return null;
  const row = SEED_ROWS.find((r) => r.variant === variant);
  if (!row) return null;
  return { ms: row.ms[ns.mode], role: row.fitted && ns.mode === 'fsdax' ? 'fit' : 'prediction', label: row.label };
}

/** The rows the parameters are fitted to: nd_pmem (fsdax) base, cached template, full v3. */
export const FIT_ROWS: readonly SeedRow[] = SEED_ROWS.filter((r) => r.fitted);
