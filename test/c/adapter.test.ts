// The Program form of a C variant (Variant.memmap_init_zone_device, for code that composes
// variants as generators) yields exactly the events of the direct run.
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT } from '../../model/kernel/config.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { UNTIL_DRAIN } from '../../model/schedule.ts';
import { loadC } from './load.ts';

describe('the Program adapter of a C variant', () => {
  it('gives the direct run\'s events, hazards and image', async () => {
    const c = await loadC('v5.c');
    const { direct: _direct, ...rest } = c;
    const asProgram: Variant = rest;
    const s = { kconfig: X86_64_DEFAULT, pgmap: { type: 3 as const, vmemmapShift: 1, altmap: null }, startPfn: 0x100000, nrPages: 4, nid: 0, earlySection: false };
    const o = { schedule: UNTIL_DRAIN, trace: true, drains: { removed: new Set(['memmap_init_compound#1']) } };
    const a = runVariant(c, s, o);
    const b = runVariant(asProgram, s, o);
    expect(b.trace!.map((t) => [t.index, t.event.kind, t.stack?.fn])).toEqual(a.trace!.map((t) => [t.index, t.event.kind, t.stack?.fn]));
    expect(b.end.hazards).toEqual(a.end.hazards);
    expect(b.image.bytes).toEqual(a.image.bytes);
  });
});
