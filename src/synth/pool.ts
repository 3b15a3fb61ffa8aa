// The verification sweep of a drain synthesis on the exhaustive mode's worker pool
// (src/exhaustive/pool.ts): the placement is the variant's Drains (sites removed, points added),
// each worker loads the variant by the name or file the command was given (a C file by its spec),
// and the tally's lowest-indexed violation is the first configuration where the placement fails,
// the one firstFailure() finds on the main thread. A sweep too small to pay for starting workers,
// or a scope that is not a whole set of bounds, stays on the main thread (null).
import { availableParallelism } from 'node:os';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { configurations } from '../../properties/exhaustive-configs.ts';
import { batchesOf } from '../exhaustive/batches.ts';
import { runOnWorkers } from '../exhaustive/pool.ts';
import { type Candidate, type Placement, drainsOf } from './placement.ts';
import type { Scope } from './synthesize.ts';

/** Below this many configurations a sweep runs on the main thread (a worker takes about a second to start). */
export const POOL_MIN_CONFIGURATIONS = 1000;

export const defaultWorkers = (): number => Math.min(availableParallelism(), 8);

export function poolSweep(v: Variant, variantArg: string, cs: readonly Candidate[], workers = defaultWorkers()) {
  return (p: Placement, scope: Scope): Promise<Scenario | null> | null => {
    if (workers < 2 || !scope.bounds || scope.count < POOL_MIN_CONFIGURATIONS) return null;
    const d = drainsOf(cs, p);
    const target = { variant: v, variantArg, removed: [...d.removed], added: [...(d.added ?? [])] };
    return runOnWorkers(target, workers, batchesOf(configurations(scope.bounds)), () => {})
      .then((t) => t.first[0]?.scenario ?? null);
  };
}
