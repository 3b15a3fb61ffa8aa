// Wall time of the default exhaustive sweep of v5 with 1 and 2 workers.
import { runExhaustive } from '../exhaustive/run.ts';

export interface SweepFigure {
  readonly workers: number;
  readonly configurations: number;
  readonly violations: number;
  readonly seconds: number;
}

export async function sweepFigures(variant: string, workerCounts: readonly number[]): Promise<SweepFigure[]> {
  const out: SweepFigure[] = [];
  for (const workers of workerCounts) {
    const s = await runExhaustive({ variant, workers });
    out.push({ workers, configurations: s.total, violations: s.tally.violations, seconds: s.wallMs / 1000 });
  }
  return out;
}
