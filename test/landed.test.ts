// The memory-only driver (model/machine/landed.ts) that reference runs use: for every variant,
// shipped, mutant and C, its image and crash are the machine's under LAND_AT_ONCE; its event
// checks and budget are the machine's.
import { describe, expect, it } from 'vitest';
import { type Event, type Program, call } from '../model/events.ts';
import { VariantFault } from '../model/faults.ts';
import { type RunResult, landedImage, runVariant } from '../model/kernel/harness.ts';
import type { Scenario } from '../model/kernel/scenario.ts';
import { VARIANTS } from '../model/kernel/variants/index.ts';
import type { Variant } from '../model/kernel/variants/types.ts';
import { drive } from '../model/machine/execute.ts';
import { Landed } from '../model/machine/landed.ts';
import { execute, initialState } from '../model/machine.ts';
import { LAND_AT_ONCE } from '../model/schedule.ts';
import { configurations } from '../properties/exhaustive-configs.ts';
import { cSpecOf, loadCVariant } from '../src/cli/c-source.ts';
import { budget } from './budget.ts';
import { CATALOG } from './mutants/catalog.ts';

/** Every k-th configuration of orders 0..3 over the default kernel configs: all arches, layouts, pageblock orders. */
const STEP = budget(97, 7);
const SCENARIOS: Scenario[] = [...configurations({ maxOrder: 3, maxCompoundPages: 2, configs: 'default' })]
  .filter((c) => c.index % STEP === 0).map((c) => c.scenario);

const machineOf = (r: RunResult) => ({ image: r.image, crash: r.crash });

function expectSame(v: Variant, s: Scenario) {
  const want = machineOf(runVariant(v, s, { schedule: LAND_AT_ONCE }));
  const got = landedImage(v, s);
  expect(got.crash, `${v.name} crash`).toBe(want.crash);
  expect(got.image.pfns).toEqual(want.image.pfns);
  expect(Buffer.from(got.image.bytes).equals(Buffer.from(want.image.bytes)), `${v.name} bytes on ${JSON.stringify(s)}`).toBe(true);
  expect(got.image.pageblocks).toEqual(want.image.pageblocks);
}

describe('landedImage() is the machine under LAND_AT_ONCE', () => {
  it(`on every shipped variant, ${SCENARIOS.length} configurations each`, () => {
    expect(SCENARIOS.length).toBeGreaterThan(100);
    for (const v of VARIANTS) for (const s of SCENARIOS) expectSame(v, s);
  });

  it('on every mutant of the catalog (wrong images, crashes, misplaced drains)', () => {
    for (const m of CATALOG) for (const s of SCENARIOS.filter((_, i) => i % 4 === 0)) expectSame(m.variant, s);
  });

  it('on C variants run directly (base-next.c, v5.c)', async () => {
    for (const file of ['test/c-inputs/base-next.c', 'test/c-inputs/v5.c']) {
      const v = await loadCVariant(cSpecOf({ c: file })!);
      for (const s of SCENARIOS.filter((_, i) => i % 3 === 0)) expectSame(v, s);
    }
  });

  it('the comparison sees a wrong image: a mutant that differs from its base differs here too', () => {
    const m = CATALOG.find((x) => x.file.includes('v5-no-template-refresh'))!.variant;
    const differs = SCENARIOS.some((s) => {
      const a = landedImage(m, s).image.bytes;
      const b = runVariant(VARIANTS.find((v) => v.name === 'base-next')!, s, { schedule: LAND_AT_ONCE }).image.bytes;
      return !Buffer.from(a).equals(Buffer.from(b));
    });
    expect(differs).toBe(true);
  });
});

describe('landed runs check events as the machine does', () => {
  function* yields(evs: unknown[]): Program {
    for (const e of evs) yield e as Event;
  }
  const faultOf = (run: () => void): VariantFault => {
    try {
      run();
    } catch (e) {
      if (e instanceof VariantFault) return e;
      throw e;
    }
    throw new Error('no fault');
  };
  const prog = (bad: unknown) => call('memmap_init_zone_device', yields([{ kind: 'store', via: 'cached', addr: 0, bytes: new Uint8Array(8) }, bad]));
  const init = () => initialState({ schedule: LAND_AT_ONCE, fill: 0 });

  for (const bad of [
    { kind: 'load', addr: 0, size: 2 ** 30 },
    { kind: 'store', via: 'streaming', addr: 2, bytes: new Uint8Array(8) },
    { kind: 'fence', site: 'x' },
    { kind: 'drain' },
    { kind: 'ret' },
    null,
  ]) {
    it(`the same fault for ${JSON.stringify(bad)}`, () => {
      const m = faultOf(() => execute(call('x', prog(bad)), init()));
      const l = faultOf(() => drive(call('x', prog(bad)), new Landed(init())));
      expect(l.message).toBe(m.message);
      expect(l.reason).toBe(m.reason);
      expect(l.eventIndex).toBe(m.eventIndex);
      expect(l.stack_).toEqual(m.stack_);
    });
  }

  it('the same budget fault', () => {
    const loop = function* (): Program {
      for (;;) yield { kind: 'load', addr: 0, size: 8 };
    };
    const m = faultOf(() => execute(loop(), init(), { maxEvents: 100 }));
    const t = new Landed(init());
    t.maxEvents = 100;
    const l = faultOf(() => drive(loop(), t));
    expect(l.reason).toBe('budget');
    expect(l.message).toBe(m.message);
  });
});
