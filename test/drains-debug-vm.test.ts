// Which drain verdicts need CONFIG_DEBUG_VM (issue 10, point 4): the drains analysis rechecks each
// failure of a necessary drain with DEBUG_VM off, and the CLI can fix DEBUG_VM either way.
import { describe, expect, it } from 'vitest';
import { v5 } from '../model/kernel/variants/v5.ts';
import { checkProperty } from '../properties/check.ts';
import { analyzeDrains } from '../properties/drains.ts';
import streamPageblockAligned from './mutants/v3-stream-pageblock-aligned.ts';
import { inProcess } from './in-process.ts';


describe('drain verdicts and CONFIG_DEBUG_VM', () => {
  const a = analyzeDrains(v5, { numRuns: 40, prove: null, splitDebugVm: true });
  const site = (name: string) => a.singles.find((d) => d.removed[0] === name)!;
  it("v5's before-return: unpublished on every kernel, the read-after-streaming only with DEBUG_VM", () => {
    const d = site('before-return');
    expect(d.failures.map((f) => f.property).sort()).toEqual(['no-read-after-streaming', 'published-clean']);
    expect(d.debugVmOnly).toEqual(['no-read-after-streaming']);
  });
  it("v5's other drains are needed on every kernel", () => {
    for (const name of ['before-prep_compound_head', 'before-memmap_init_compound']) expect(site(name).debugVmOnly, name).toEqual([]);
  });
  it('a pinned option holds in every generated scenario and in the reported case', () => {
    expect(checkProperty(streamPageblockAligned, 'no-read-after-streaming', { numRuns: 100, pin: { debugVm: false } }).ok).toBe(true);
    const on = checkProperty(streamPageblockAligned, 'no-read-after-streaming', { numRuns: 100, pin: { debugVm: true } });
    expect(on.ok).toBe(false);
    expect(on.counterexample!.scenario.kconfig.debugVm).toBe(true);
    // a failure that needs no DEBUG_VM: the lattice below the found case must keep the pin too
    const pinnedOn = checkProperty(v5, 'no-write-after-streaming', { numRuns: 100, drains: { removed: new Set(['before-prep_compound_head']) }, pin: { debugVm: true } });
    expect(pinnedOn.ok).toBe(false);
    expect(pinnedOn.counterexample!.scenario.kconfig.debugVm).toBe(true);
  });
  it('--debug-vm takes on or off; anything else is one line and exit code 2', async () => {
    const r = await inProcess('check', '--variant', 'v5', '--debug-vm', 'maybe');
    expect([r.code, r.err.trim()]).toEqual([2, 'memmap-check: --debug-vm=maybe is not allowed; allowed: on, off']);
    const x = await inProcess('drains', '--mode', 'x86', '--debug-vm', 'on');
    expect([x.code, x.err.trim()]).toEqual([2, 'memmap-check: --debug-vm is not used with --mode x86; allowed with --mode contract']);
  });
});
