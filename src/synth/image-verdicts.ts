// What the pool remembers of a configuration between the sweeps of one synthesis: a digest of the
// image the run left and the verdicts of `identical` and `invariants` on it. Both verdicts are
// functions of the variant, the scenario and the image (with the crash, if any), and nothing else:
// a later sweep whose run leaves the same image takes them as they were, without the reference run
// and the decoding that are most of a configuration's work. A safe placement leaves the
// program-order image whatever its drains (docs/synthesis.md §3.2), so every sweep after the first
// (the other mode, a refinement round, the variant's own drains) finds it. The digest is SHA-256.
import { createHash } from 'node:crypto';
import type { RunResult } from '../../model/kernel/harness.ts';
import type { Evaluation } from '../../properties/evaluate.ts';
import { type PropertyOutcome, propertyResult } from '../../properties/exhaustive.ts';

export interface ImageVerdicts {
  readonly digest: string;
  readonly identical: PropertyOutcome;
  readonly invariants: PropertyOutcome;
}

export function imageDigest(run: RunResult): string {
  const img = run.image;
  const h = createHash('sha256');
  h.update(img.bytes);
  h.update(JSON.stringify([img.pfns.length, img.pfns[0] ?? null, [...img.pageblocks], run.crash ?? null]));
  return h.digest('base64');
}

/** The verdicts of `identical` and `invariants` on e: the known ones when e left the same image. */
export function imageVerdictsOf(e: Evaluation, known?: ImageVerdicts | null): ImageVerdicts {
  const digest = imageDigest(e.run);
  if (known && known.digest === digest) return known;
  return { digest, identical: propertyResult('identical', e).outcome, invariants: propertyResult('invariants', e).outcome };
}
