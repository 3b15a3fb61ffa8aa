// drains --c gives the same necessity table as drains --variant v5: each drain call removed in
// turn and each pair, the same verdicts, hazard classes and minimal counterexamples; the drains
// are named function#n with file:line, and a drain point function:LINE can be filled.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CVariant } from '../../model/c/variant.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import { X86_64_DEFAULT } from '../../model/kernel/config.ts';
import { v5 } from '../../model/kernel/variants/v5.ts';
import { UNTIL_DRAIN } from '../../model/schedule.ts';
import { analyzeDrains, type DrainVerdict } from '../../properties/drains.ts';
import { loadC } from './load.ts';

const NAMES: Record<string, string> = {
  'memmap_init_zone_device#1': 'before-memmap_init_compound',
  'memmap_init_compound#1': 'before-prep_compound_head',
  'memmap_init_zone_device#2': 'before-return',
};

const row = (d: DrainVerdict, rename: (s: string) => string) => ({
  removed: d.removed.map(rename).sort(), necessary: d.necessary, opens: d.opens,
  primary: d.primary ? { property: d.primary.property, scenario: d.primary.counterexample!.scenario } : null,
});

describe('drain necessity of the C v5 shape', () => {
  let c: CVariant;
  beforeAll(async () => {
    c = await loadC('v5.c');
  });

  it('equals the TypeScript v5\'s, drain by drain and pair by pair', () => {
    const o = { numRuns: 8, seed: 5, prove: null };
    const a = analyzeDrains(c, o);
    const b = analyzeDrains(v5, o);
    const sort = (rows: ReturnType<typeof row>[]) => rows.sort((x, y) => x.removed.join().localeCompare(y.removed.join()));
    expect(sort(a.singles.map((d) => row(d, (s) => NAMES[s]!)))).toEqual(sort(b.singles.map((d) => row(d, (s) => s))));
    expect(sort(a.pairs.map((d) => row(d, (s) => NAMES[s]!)))).toEqual(sort(b.pairs.map((d) => row(d, (s) => s))));
    expect(a.singles.filter((d) => d.necessary).length).toBeGreaterThanOrEqual(2);
  });

  it('lists the statement boundaries of the fast-path functions as drain points, and fills one', () => {
    const names = c.drainPoints!.map((d) => d.name);
    expect(names).toContain('memmap_init_compound:135'); // prep_compound_head(hd, ord)
    expect(names.some((n) => n.startsWith('zone_device_page_init_from_template:'))).toBe(true);
    const s = { kconfig: X86_64_DEFAULT, pgmap: { type: 3 as const, vmemmapShift: 2, altmap: null }, startPfn: 0x100000, nrPages: 4, nid: 0, earlySection: false };
    const without = runVariant(c, s, { schedule: UNTIL_DRAIN, drains: { removed: new Set(['memmap_init_compound#1']) } });
    const filled = runVariant(c, s, { schedule: UNTIL_DRAIN, drains: { removed: new Set(['memmap_init_compound#1']), added: new Set(['memmap_init_compound:135']) } });
    expect(without.end.hazards.some((h) => h.kind === 'write-after-streaming')).toBe(true);
    expect(filled.end.hazards.filter((h) => h.kind === 'write-after-streaming')).toEqual([]);
  });
});
