// The synthesis' worker pool (src/synth/pool.ts): its sweeps give the main thread's answers, in both
// modes, so a synthesis on the pool is the synthesis on the main thread; its failures are one line.
import { afterAll, describe, expect, it } from 'vitest';
import { variantByName } from '../model/kernel/variants/index.ts';
import { SweepError } from '../src/exhaustive/sweep.ts';
import { synthesizeModesPooled } from '../src/synth/cli.ts';
import { candidatesOf } from '../src/synth/placement.ts';
import { SweepPool, pooled } from '../src/synth/pool.ts';
import { holds } from '../src/synth/safety.ts';
import { configurations } from '../properties/exhaustive-configs.ts';
import type { Mode } from '../src/synth/safety.ts';
import { type Synthesis, boundsScope, firstFailure, synthesize } from '../src/synth/synthesize.ts';
import { SMALL } from './synth/shared.ts';
import { CostModel } from '../src/synth/cost.ts';

/** Orders 0..1 of the typical config: 1,400 configurations, enough for the pool, cheap to run. */
const BOUNDS = { maxOrder: 1, maxCompoundPages: 2, configs: 'typical' } as const;
const SCOPE = boundsScope(BOUNDS);
const v5 = variantByName('v5')!;
const v1 = variantByName('v1')!;

const pools: SweepPool[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));
const poolOf = (arg: string) => {
  const p = new SweepPool(arg, 2);
  pools.push(p);
  return p;
};

/** A synthesis without its timings. */
const result = (s: Synthesis) => ({ ...s, ms: null });

describe('SweepPool', () => {
  it('the scope goes to the pool', () => {
    expect(SCOPE.count).toBe(1400);
    expect(pooled(SCOPE)).toBe(true);
    expect(pooled(boundsScope(BOUNDS, () => true))).toBe(false); // a filtered scope is not whole bounds
  });

  it('finds the lowest-indexed failing configuration, the main thread\'s, in both modes', async () => {
    const pool = poolOf('v5');
    const cs = candidatesOf(v5);
    const idx = (n: string) => cs.findIndex((c) => c.name === n);
    // unsafe placements (a safe one's null answer is in the reuse test below, and whole syntheses
    // are compared with the main thread's)
    const cases: [Mode, number[]][] = [
      ['contract', [idx('before-return')]],
      ['contract', [idx('before-prep_compound_head'), idx('before-return')]],
      ['x86', []],
    ];
    const answers: (string | null)[] = [];
    for (const [mode, p] of cases) {
      const main = firstFailure(v5, cs, p, mode, SCOPE);
      const removed = cs.filter((c, i) => c.own && !p.includes(i)).map((c) => c.name);
      const got = await pool.firstFailure(mode, removed, [], BOUNDS);
      expect(got).toEqual(main?.scenario ?? null);
      answers.push(got ? JSON.stringify(got) : null);
    }
    expect(answers.every((a) => a !== null)).toBe(true);
  }, 60_000);

  it('a synthesis on the pool is the synthesis on the main thread (v1)', async () => {
    const scope = SCOPE;
    // v1 adds a drain its own placement lacks (x86 sweeps on the pool: the tests above and below)
    const v = v1;
    const costModel = new CostModel(v, candidatesOf(v), SMALL);
    const pooledRun = await synthesizeModesPooled(v, v.name, 'contract', { scope, costModel, workers: 2 });
    const contract = synthesize(v, { mode: 'contract', scope, costModel });
    expect(result(pooledRun.main)).toEqual(result(contract));
    expect(contract.status === 'ok' && contract.placement.length > contract.own.placement.length).toBe(true);
  }, 120_000);

  it('a later sweep takes the image verdicts of configurations whose image is the same, and only those', async () => {
    const pool = poolOf('v5');
    const own = candidatesOf(v5).filter((c) => c.own).map((c) => c.name);
    // x86 with before-return only, then the contract with every drain: both safe, both leave the
    // program-order image on every configuration
    expect(await pool.firstFailure('x86', own.filter((n) => n !== 'before-return'), [], BOUNDS)).toBeNull();
    expect(pool.stats).toEqual({ checked: 1400, reused: 0 });
    expect(await pool.firstFailure('contract', [], [], BOUNDS)).toBeNull();
    expect(pool.stats).toEqual({ checked: 2800, reused: 1400 });

    // the reuse is what decides: a known verdict is taken with its digest, and ignored without it
    const s = [...configurations(BOUNDS)][3]!.scenario;
    const d = { removed: new Set<string>() };
    const real = holds('contract', v5, s, d, { known: null }).image!;
    expect(holds('contract', v5, s, d, { known: { ...real, identical: 'FAIL' } }).ok).toBe(false);
    expect(holds('contract', v5, s, d, { known: { ...real, digest: 'another image', identical: 'FAIL' } }).ok).toBe(true);
    // a known entry of another image (another configuration's) is not taken
    const other = holds('contract', v5, [...configurations(BOUNDS)][4]!.scenario, d, { known: null }).image!;
    expect(other.digest).not.toBe(real.digest);
    const r = holds('contract', v5, s, d, { known: { ...other, identical: 'FAIL' } });
    expect(r.ok).toBe(true);
    expect(r.image).toEqual(real);
  }, 60_000);

  it('a variant the workers cannot load fails the sweep with one line', async () => {
    const pool = poolOf('no-such-variant');
    const e = await pool.firstFailure('contract', [], [], BOUNDS).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SweepError);
    expect((e as Error).message).toMatch(/no-such-variant/);
    expect((e as Error).message).not.toContain('\n');
  }, 60_000);
});
