// One construct per result (test/c-inputs/constructs.c): arithmetic, loops, switch, #if per config,
// IS_ENABLED, sizeof, pointer arithmetic, struct page fields, the on-stack template, model objects.
import { beforeAll, describe, expect, it } from 'vitest';
import { X86_64_DEFAULT, type KernelConfig } from '../../model/kernel/config.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import { Kernel } from '../../model/kernel/mm.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { OFF } from '../../model/kernel/layout.ts';
import { readU64 } from '../../model/kernel/bytes.ts';
import type { CVariant } from '../../model/c/variant.ts';
import { fromText, loadC } from './load.ts';

const scenario = (kconfig: Partial<KernelConfig> = {}, type: 1 | 3 = 3): Scenario => ({
  kconfig: { ...X86_64_DEFAULT, ...kconfig }, pgmap: { type, vmemmapShift: 0, altmap: null },
  startPfn: 0x100000, nrPages: 16, nid: 1, earlySection: false,
});

/** The value stored into page->private of pfn start + i. */
function results(v: CVariant, s: Scenario): number[] {
  const r = runVariant(v, s, { schedule: LAND_AT_ONCE, trace: true });
  const k = new Kernel(s);
  const out: number[] = [];
  for (const { event: e } of r.trace!) {
    if (e.kind !== 'store') continue;
    const i = (e.addr - OFF.private) / k.sizeofPage - s.startPfn;
    if (Number.isInteger(i) && i >= 0 && i < 16) out[i] = Number(readU64(e.bytes));
  }
  return out;
}

describe('C constructs', () => {
  let v: CVariant;
  beforeAll(async () => {
    v = await loadC('constructs.c', null);
  });

  it('computes every construct as C does', () => {
    const size = new Kernel(scenario()).sizeofPage;
    expect(results(v, scenario())).toEqual([11, 55, 30, 1 | 16, 14, 42, 12, 3 * size, 3, 5, 3, 0x46, 0, 1, 1, 16]);
  });

  it('selects #if branches and IS_ENABLED() by the scenario config, at run time', () => {
    // WANT_PAGE_VIRTUAL: the generic64 layout (x86_64 has none)
    const r = results(v, scenario({ memcg: false, mmId: false, numaBalancing: true, wantPageVirtual: true, arch: 'generic64' }, 1));
    expect(r[2]).toBe(12); // switch fallthrough: MEMORY_DEVICE_PRIVATE
    expect(r[3]).toBe(2 | 4);
    expect(r[12]).toBe(8); // a function defined twice under #ifdef WANT_PAGE_VIRTUAL / #else
    expect(results(v, scenario({ kasan: true }))[3]).toBe(1 | 8 | 16);
  });

  it('decides CONFIG_DEBUG_VM, the arch and the pageblock order by the scenario, and evaluates VM_BUG_ON() only with DEBUG_VM', async () => {
    const text = `void memmap_init_zone_device(struct zone *zone, unsigned long start_pfn, unsigned long nr_pages, struct dev_pagemap *pgmap)
{
	struct page *first = pfn_to_page(start_pfn);
	unsigned long bits = pageblock_nr_pages;

#ifdef CONFIG_DEBUG_VM
	bits |= 1;
#endif
#if defined(CONFIG_X86_64) && IS_ENABLED(CONFIG_HAVE_ALIGNED_STRUCT_PAGE)
	bits |= 2;
#endif
#if defined(CONFIG_HUGETLB_PAGE) || defined(CONFIG_TRANSPARENT_HUGEPAGE)
	bits |= 4;
#endif
	VM_BUG_ON_PAGE(first->index != 0, first);
	VM_WARN_ON_ONCE(pageblock_aligned(page_to_pfn(first)) && first->private);
	first->private = bits + pageblock_order;
}
`;
    const w = await fromText(text, 'debug.c', null);
    const run = (k: Partial<KernelConfig>) => {
      const s = scenario(k);
      const r = runVariant(w, s, { schedule: LAND_AT_ONCE, trace: true });
      const loads = r.trace!.filter((t) => t.event.kind === 'load').map((t) => t.event.kind === 'load' && t.event.addr - s.startPfn * new Kernel(s).sizeofPage);
      const st = r.trace!.find((t) => t.event.kind === 'store')!.event;
      return { loads, value: st.kind === 'store' ? Number(readU64(st.bytes)) : -1 };
    };
    expect(run({})).toEqual({ loads: [], value: 512 + 2 + 4 + 9 });
    expect(run({ debugVm: true })).toEqual({ loads: [OFF.index, OFF.private], value: 512 + 1 + 2 + 4 + 9 });
    expect(run({ pageblockOrder: 10, arch: 'generic64' })).toEqual({ loads: [], value: 1024 + 10 });
  });

  it('stacks each event with file:line:col of every C frame', () => {
    const r = runVariant(v, scenario(), { schedule: LAND_AT_ONCE, trace: true });
    const i = r.trace!.findIndex((t) => t.event.kind === 'store');
    expect(r.sourceStacks![i]).toEqual([
      { fn: 'memmap_init_zone_device', file: 'test/c-inputs/constructs.c', line: 72, column: 2 },
      { fn: 'result', file: 'test/c-inputs/constructs.c', line: 61, column: 2 },
    ]);
  });
});
