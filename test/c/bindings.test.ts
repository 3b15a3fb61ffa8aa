// Every binding is called by one of our C inputs, and the ones no whole-function input uses
// give their model's values and events here (test/c-inputs/bindings.c).
import { readFileSync, readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BINDINGS } from '../../model/c/bindings.ts';
import type { CVariant } from '../../model/c/variant.ts';
import { readU64 } from '../../model/kernel/bytes.ts';
import { X86_64_DEFAULT } from '../../model/kernel/config.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import { OFF } from '../../model/kernel/layout.ts';
import { Kernel } from '../../model/kernel/mm.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { loadC } from './load.ts';

const scenario = (type: 3 | 4, kasan = false) => ({
  kconfig: { ...X86_64_DEFAULT, kasan }, pgmap: { type, vmemmapShift: 0, altmap: null },
  startPfn: 0x100000, nrPages: 4, nid: 0, earlySection: false,
});

describe('bindings', () => {
  let v: CVariant;
  beforeAll(async () => {
    v = await loadC('bindings.c', null);
  });

  it('every binding is called by a test input', () => {
    const text = readdirSync('test/c-inputs').filter((f) => f.endsWith('.c')).map((f) => readFileSync(`test/c-inputs/${f}`, 'utf8')).join('\n');
    const uncalled = [...BINDINGS.keys()].filter((n) => !new RegExp(`\\b${n}\\(`).test(text));
    expect(uncalled).toEqual([]);
  });

  it('give their model\'s values and events', () => {
    for (const [type, kasan, want] of [[3, false, 11018], [4, false, 11118], [3, true, 10018]] as const) {
      const s = scenario(type, kasan);
      const size = new Kernel(s).sizeofPage;
      const r = runVariant(v, s, { schedule: LAND_AT_ONCE, trace: true });
      const events = r.trace!.map((t) => t.event);
      const priv = events.find((e) => e.kind === 'store' && e.addr === 0x100000 * size + OFF.private);
      expect(priv && priv.kind === 'store' ? Number(readU64(priv.bytes)) : null).toBe(want);
      const mapcount = events.find((e) => e.kind === 'store' && e.fn === 'page_mapcount_reset');
      expect(mapcount && mapcount.kind === 'store' ? [mapcount.addr, [...mapcount.bytes]] : null).toEqual([0x100001 * size + OFF._mapcount, [255, 255, 255, 255]]);
      const copies = events.filter((e) => e.kind === 'store' && e.via === 'streaming').map((e) => e.kind === 'store' && [e.addr, e.bytes.length, e.fn]);
      expect(copies).toEqual([[0x100002 * size, size, 'memcpy_flushcache'], [0x100003 * size, size, 'memcpy_nontemporal']]);
      expect(events.filter((e) => e.kind === 'drain').map((e) => e.kind === 'drain' && e.site)).toEqual(['memmap_init_zone_device#1']);
    }
  });
});
