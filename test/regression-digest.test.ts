// A digest of every shipped variant on a spread of scenarios: image, hazards, cost and event count.
// It pins behaviour across refactors of the machine and the kernel model (performance work must
// keep it byte for byte; a deliberate model change updates the snapshot in the same commit).
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { buildScenario } from '../properties/arbitraries.ts';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { runVariant } from '../model/kernel/harness.ts';
import { VARIANTS } from '../model/kernel/variants/index.ts';
import { UNTIL_DRAIN } from '../model/schedule.ts';

const g = (vmemmapShift: number, o: Record<string, unknown> = {}) => ({
  kconfig: { ...X86_64_DEFAULT, ...(o.kconfig as object) }, vmemmapShift,
  altmap: (o.altmap as { reserve: number; free: number }) ?? null, earlySection: (o.early as boolean) ?? false,
});
const SCENARIOS = [
  buildScenario(g(0), 3, 5, 'pageblock-end', 0),
  buildScenario(g(2), 4, 3, 'section', 1),
  buildScenario(g(9, { altmap: { reserve: 2, free: 1 } }), 1, 2, 'compound', 0),
  buildScenario(g(8, { early: true }), 5, 1, 'section', 0),
  buildScenario(g(10), 4, 1, 'section', 0),
  buildScenario(g(3, { kconfig: { arch: 'generic64', wantPageVirtual: true, numaBalancing: true, compoundInfoMask: false } }), 2, 3, 'pageblock', 1),
  buildScenario(g(1, { kconfig: { memcg: false, mmId: false, pageMapcount: false, zoneDma: false } }), 3, 4, 'section', 0),
  buildScenario(g(4, { kconfig: { kasan: true } }), 4, 2, 'section', 0),
];

it('digest of every variant on fixed scenarios', () => {
  const rows = VARIANTS.flatMap((v) => SCENARIOS.map((s, i) => {
    const r = runVariant(v, s, { schedule: UNTIL_DRAIN });
    const h = createHash('sha256').update(r.image.bytes).update(JSON.stringify([...r.image.pageblocks])).digest('hex').slice(0, 16);
    const hazards = r.end.hazards.map((x) => `${x.kind}/${x.cls}@${x.eventIndex}`).join(',');
    return `${v.name} #${i} events=${r.end.now} image=${h} hazards=${r.end.hazardCount}[${hazards.slice(0, 120)}] cost=${JSON.stringify(r.settled.cost)}`;
  }));
  expect(rows).toMatchSnapshot();
});
