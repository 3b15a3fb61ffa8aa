// Time and scenarios to the first counterexample for every mutant of the catalog, median over seeds.
import { detect } from '../../properties/any.ts';
import { CATALOG } from '../../test/mutants/catalog.ts';

export interface MutantFigure {
  readonly mutant: string;
  readonly property: string;
  readonly caught: number;
  readonly medianScenarios: number;
  readonly medianMs: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Each mutant under `seeds` seeds, stopping at the first failing scenario (no shrinking). */
export function mutantFigures(seeds: number, maxRuns = 2000): MutantFigure[] {
  return CATALOG.map((m) => {
    const scenarios: number[] = [];
    const ms: number[] = [];
    let caught = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const t0 = performance.now();
      const d = detect(m.variant, m.property, { seed, numRuns: maxRuns, ...(m.bounds ? { bounds: m.bounds } : {}) });
      ms.push(performance.now() - t0);
      scenarios.push(d.failedAt ?? maxRuns);
      if (d.caught) caught++;
    }
    return { mutant: m.file, property: m.property, caught, medianScenarios: median(scenarios), medianMs: median(ms) };
  });
}

export { median };
