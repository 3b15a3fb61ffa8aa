// Name addresses and pfns in kernel terms: "pfn 0x100002 (tail 2 of head 0x100000) _deferred_list.next @+16".
import { hexNum } from './bytes.ts';
import { describeKernelConfig } from './config.ts';
import { MEMORY_TYPE_NAMES, STACK_BASE, USEMAP_BASE } from './constants.ts';
import { type Field, fieldAt } from './layout.ts';
import type { Kernel } from './mm.ts';
import type { Scenario } from './scenario.ts';

/** Head pfn and tail index of `pfn`, or null for an order-0 page. */
export function roleOf(k: Kernel, pfn: number): { head: number; tail: number } | null {
  if (k.compoundShift === 0) return null;
  const cs = 2 ** k.compoundShift;
  const head = pfn - (pfn % cs);
  return { head, tail: pfn - head };
}

export function describePfn(k: Kernel, pfn: number): string {
  const r = roleOf(k, pfn);
  if (!r) return `pfn ${hexNum(pfn)}`;
  if (r.tail === 0) return `pfn ${hexNum(pfn)} (head)`;
  return `pfn ${hexNum(pfn)} (tail ${r.tail} of head ${hexNum(r.head)})`;
}

/** The struct page or folio field holding byte `off` of struct page `pfn`. */
export function fieldOf(k: Kernel, pfn: number, off: number): Field | undefined {
  const r = roleOf(k, pfn);
  return fieldAt(k.L, off, r && r.tail > 0 ? r.tail : null);
}

export function describeField(k: Kernel, pfn: number, off: number): string {
  const f = fieldOf(k, pfn, off);
  if (!f) return `@+${off}`;
  const within = off - f.offset;
  return `${f.name} @+${f.offset}${within ? `+${within}` : ''}`;
}

/** Describe a model address (struct page in the memmap, a template on the stack, or the usemap). */
export function describeAddr(k: Kernel, addr: number, pfnOf?: (addr: number) => number): string {
  if (addr >= STACK_BASE) {
    const off = addr - STACK_BASE;
    return `stack template ${Math.floor(off / 128)} @+${off % 128}`;
  }
  if (addr >= USEMAP_BASE) return `pageblock bits of pfn ${hexNum((addr - USEMAP_BASE) * 2 ** k.cfg.pageblockOrder)}`;
  const size = k.sizeofPage;
  const physPfn = Math.floor(addr / size);
  const pfn = pfnOf ? pfnOf(addr) : physPfn;
  return `${describePfn(k, pfn)} ${describeField(k, pfn, addr - physPfn * size)}`;
}

/** " early_section" (every section of the range), or per section from the first: " early_section=1,0". */
export function earlyText(s: Scenario): string {
  if (s.earlySections) return ` early_section=${s.earlySections.map((e) => (e ? 1 : 0)).join(',')}`;
  return s.earlySection ? ' early_section' : '';
}

/** The scenario in one line, in kernel terms. */
export function describeScenario(s: Scenario): string {
  const a = s.pgmap.altmap;
  const altmap = a ? `reserve=${a.reserve},free=${a.free}` : 'none';
  return `vmemmap_shift=${s.pgmap.vmemmapShift} pgmap=${MEMORY_TYPE_NAMES[s.pgmap.type]} altmap=${altmap} ` +
    `start_pfn=${hexNum(s.startPfn)} nr_pages=${s.nrPages} nid=${s.nid}${earlyText(s)} ` +
    `config: ${describeKernelConfig(s.kconfig)}`;
}
