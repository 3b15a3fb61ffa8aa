// "Smallest" made checkable: the scenarios one step smaller than a given one, in every dimension
// the arbitraries shrink along. A shrunk counterexample is minimal when all of them pass.
import { produce } from 'immer';
import { X86_64_DEFAULT, type KernelConfig } from '../model/kernel/config.ts';
import { type Scenario, earlySectionList, validateScenario, withEarlySections } from '../model/kernel/scenario.ts';
import { RANGE_BASE_PFN } from './arbitraries.ts';

export function smallerNeighbours(s: Scenario): Scenario[] {
  const cs = 2 ** s.pgmap.vmemmapShift;
  const off = s.pgmap.altmap ? s.pgmap.altmap.reserve + s.pgmap.altmap.free : 0;
  const pages = (s.nrPages - off) / cs;
  const out: Scenario[] = [];
  if (pages > 1) out.push(produce(s, (d) => { d.nrPages = off + (pages - 1) * cs; }));
  if (s.pgmap.vmemmapShift > 0) {
    const shift = s.pgmap.vmemmapShift - 1;
    out.push(produce(s, (d) => {
      d.pgmap.vmemmapShift = shift;
      d.nrPages = off + pages * 2 ** shift;
    }));
  }
  if (s.pgmap.altmap) out.push(produce(s, (d) => { d.pgmap.altmap = null; d.nrPages = pages * cs; d.startPfn = s.startPfn; }));
  // each early section in turn made hot-added (the arbitraries shrink towards no early section)
  const early = earlySectionList(s);
  early.forEach((e, i) => { if (e) out.push(withEarlySections(s, early.map((x, j) => (j === i ? false : x)))); });
  if (s.nid !== 0) out.push(produce(s, (d) => { d.nid = 0; }));
  if (s.startPfn !== RANGE_BASE_PFN) out.push(produce(s, (d) => { d.startPfn = RANGE_BASE_PFN; }));
  if (s.pgmap.type !== 3) out.push(produce(s, (d) => { d.pgmap.type = 3; }));
  for (const key of Object.keys(X86_64_DEFAULT) as (keyof KernelConfig)[]) {
    if (s.kconfig[key] !== X86_64_DEFAULT[key]) out.push(produce(s, (d) => { (d.kconfig as Record<string, unknown>)[key] = X86_64_DEFAULT[key]; }));
  }
  return out.filter((n) => {
    try {
      validateScenario(n);
      return true;
    } catch {
      return false;
    }
  });
}
