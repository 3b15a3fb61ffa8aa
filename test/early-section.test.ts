// early_section() per memory section (SECTION_SIZE_BITS 27: 32768 pfns on x86_64): the kernel asks
// early_section(__pfn_to_section(pfn)) per compound page in compound_nr_pages(), and the vmemmap
// dedup backs only the hot-added sections. A range may straddle a boot and a hot-added section.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { describeScenario } from '../model/kernel/describe.ts';
import { runVariant } from '../model/kernel/harness.ts';
import { ConfigError } from '../model/kernel/config.ts';
import { type Scenario, earlySectionList, validateScenario, withEarlySections } from '../model/kernel/scenario.ts';
import { baseNext } from '../model/kernel/variants/base-next.ts';
import { baseV7_1 } from '../model/kernel/variants/base-v7_1.ts';
import { LAND_AT_ONCE } from '../model/schedule.ts';
import { scenarioArb } from '../properties/arbitraries.ts';
import { checkInvariants } from '../properties/invariants.ts';
import { explainInvariants } from '../properties/known-bugs.ts';
import { smallerNeighbours } from '../properties/minimal.ts';
import { decodeToken, encodeToken } from '../src/report/token.ts';

// two order-8 compound pages, the first in the last 256 pfns of a boot section, the second in
// the first 256 pfns of the next, hot-added, section
const straddle = (early: boolean[]): Scenario => withEarlySections({
  kconfig: X86_64_DEFAULT, pgmap: { type: 3, vmemmapShift: 8, altmap: null },
  startPfn: 0x107f00, nrPages: 512, nid: 0, earlySection: false,
}, early);

describe('early_section() per section', () => {
  it('compound_nr_pages() and the dedup follow each compound page\'s section', () => {
    const r = runVariant(baseNext, straddle([true, false]), { schedule: LAND_AT_ONCE });
    expect([r.kernel.early_section(0x107f00), r.kernel.early_section(0x108000)]).toEqual([true, false]);
    // boot section: all 256 struct pages distinct and written; hot-added: 128, the rest alias page B
    expect(r.image.pfns.filter((p) => p < 0x108000)).toHaveLength(256);
    expect(r.image.pfns.filter((p) => p >= 0x108000)).toHaveLength(128);
    expect(checkInvariants(straddle([true, false]), r.image).total).toBe(0);
  });
  it('base-v7.1 (no early_section() test) leaves tails uninitialized in the boot section only', () => {
    const s = straddle([true, false]);
    const img = runVariant(baseV7_1, s, { schedule: LAND_AT_ONCE }).image;
    const pfns = new Set(checkInvariants(s, img).violations.map((v) => v.pfn));
    expect([...pfns].every((p) => p >= 0x107f00 + 128 && p < 0x108000)).toBe(true);
    expect(explainInvariants(['base-v7.1'], s, img)).toMatchObject({ unexplained: 0, bugs: [expect.objectContaining({ id: 'early-section-dedup' })] });
    // hot-added then boot: the bug shows in the second compound page
    const t = straddle([false, true]);
    const later = checkInvariants(t, runVariant(baseV7_1, t, { schedule: LAND_AT_ONCE }).image).violations.map((v) => v.pfn);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((p) => p >= 0x108000 + 128)).toBe(true);
  });
  it('has one canonical encoding, named in the config line and the replay token', () => {
    expect(straddle([true])).toMatchObject({ earlySection: true });
    expect(straddle([true])).not.toHaveProperty('earlySections');
    expect(straddle([true, true, false]).earlySections).toBeUndefined(); // two sections only: all early
    const s = straddle([true, false]);
    expect(s).toMatchObject({ earlySection: true, earlySections: [true, false] });
    expect(earlySectionList(s)).toEqual([true, false]);
    expect(describeScenario(s)).toContain('early_section=1,0');
    const cx = { variant: 'base-next', property: 'invariants' as const, scenario: s, schedule: { base: 0 as const, late: [] }, removed: [], added: [] };
    expect(decodeToken(encodeToken(cx)).scenario).toEqual(s);
    // a token made before the per-section form decodes as before
    const old = { ...cx, scenario: straddle([true]) };
    const payload = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(payload(encodeToken(old))).toMatchObject({ e: true });
    expect(payload(encodeToken(old))).not.toHaveProperty('es');
    expect(payload(encodeToken(cx))).toMatchObject({ e: true, es: [true, false] });
    expect(decodeToken(encodeToken(old)).scenario).toEqual(straddle([true]));
    expect(() => validateScenario({ ...s, earlySections: [false, false] })).toThrow(ConfigError);
    expect(() => validateScenario({ ...s, earlySections: [true, false, true] })).toThrow(/earlySections=\[true,false,true\] is not allowed/);
  });
  it('the arbitraries straddle boot and hot-added sections, and shrink towards no early section', () => {
    const samples = fc.sample(scenarioArb(), { numRuns: 2000, seed: 3 });
    const kinds = new Set(samples.map((s) => JSON.stringify(s.earlySections ?? null)));
    expect(kinds).toEqual(new Set(['null', '[true,false]', '[false,true]']));
    const r = fc.check(fc.property(scenarioArb(), () => false), { seed: 3 });
    const min = r.counterexample![0] as Scenario;
    expect([min.earlySection, min.earlySections]).toEqual([false, undefined]);
    // one step smaller: each early section in turn made hot-added
    expect(smallerNeighbours(straddle([true, false])).filter((n) => n.pgmap.vmemmapShift === 8 && n.nrPages === 512).map(earlySectionList))
      .toContainEqual([false, false]);
  });
});
