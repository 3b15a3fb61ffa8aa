// Exact minimum-cost hitting set by branch and bound (docs/synthesis.md §4).
//
// Given sets K1..Km of candidates and a cost over placements that is monotone (P ⊆ Q implies
// cost(P) <= cost(Q), compared lexicographically), find a placement hitting every set at least cost.
// Branching: take an unhit set with the fewest open candidates and try each of its candidates c_i in
// turn, with c_1..c_(i-1) excluded in that branch: the branches partition the placements that hit
// the set, so the search is exhaustive. Bound: a branch with included set I must end above
// max over unhit K of min over open c in K of cost(I ∪ {c}), by monotonicity; it is cut when that is
// not below the best found. Instances here are small (tens of candidates, few distinct sets); an
// ILP solver would add a dependency for no gain, and the cost is not linear (a drain stalls only if
// no other drain came since the last streaming store), which a generic ILP could not price anyway.
export type Cost<C> = (placement: readonly number[]) => C;

export interface CoverResult<C> {
  readonly placement: readonly number[];
  readonly cost: C;
  /** Branch-and-bound nodes visited and cost evaluations asked for. */
  readonly nodes: number;
}

/** null when some set is empty (nothing can hit it). */
export function minCover<C>(sets: readonly (readonly number[])[], cost: Cost<C>, compare: (a: C, b: C) => number): CoverResult<C> | null {
  if (sets.some((k) => k.length === 0)) return null;
  // a set that is a superset of another is implied by it
  const uniq = [...new Map(sets.map((k) => [k.join(','), [...k].sort((a, b) => a - b)])).values()];
  const reduced = uniq.filter((k) => !uniq.some((o) => o !== k && o.length < k.length && o.every((c) => k.includes(c))));
  let best: { placement: number[]; cost: C } | null = null;
  let nodes = 0;
  const costOf = (inc: readonly number[]) => cost([...inc].sort((a, b) => a - b));

  const search = (inc: number[], excluded: ReadonlySet<number>): void => {
    nodes++;
    const here = costOf(inc);
    if (best && compare(here, best.cost) >= 0) return;
    const unhit = reduced.filter((k) => !k.some((c) => inc.includes(c)));
    if (unhit.length === 0) {
      best = { placement: [...inc].sort((a, b) => a - b), cost: here };
      return;
    }
    let pick: number[] | null = null;
    let bound = here;
    for (const k of unhit) {
      const open = k.filter((c) => !excluded.has(c));
      if (open.length === 0) return; // this branch excluded every way to hit k
      if (!pick || open.length < pick.length) pick = open;
      let cheapest: C | null = null;
      for (const c of open) {
        const x = costOf([...inc, c]);
        if (cheapest === null || compare(x, cheapest) < 0) cheapest = x;
      }
      if (compare(cheapest!, bound) > 0) bound = cheapest!;
    }
    if (best && compare(bound, best.cost) >= 0) return;
    // cheapest first, so a good incumbent comes early
    const order = [...pick!].sort((a, b) => compare(costOf([...inc, a]), costOf([...inc, b])) || a - b);
    const ex = new Set(excluded);
    for (const c of order) {
      search([...inc, c], ex);
      ex.add(c);
    }
  };
  search([], new Set());
  const b = best as { placement: number[]; cost: C } | null;
  return b ? { placement: b.placement, cost: b.cost, nodes } : null;
}
