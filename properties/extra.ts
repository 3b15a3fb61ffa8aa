// Three properties beyond DESIGN.md §5, about how a variant writes rather than what it leaves:
// each is a kernel rule the memmap image cannot show, read from the run's event trace.
//   instrumented  KASAN/KMSAN builds issue no streaming stores (MOVNTI in inline asm is not
//                 instrumented), and with the page_ref_set tracepoint active every struct page's
//                 refcount is set through set_page_count()/init_page_count(), so the tracepoint sees
//                 it (zone_device_page_init_optimization_enabled(), li-zhe-series.md §4).
//   init-once     no struct page is initialized twice: with the vmemmap dedup (vmemmap_dedup.rst)
//                 the tails past the first two vmemmap pages alias page B, and compound_nr_pages()
//                 exists so that they are not written again.
//   in-range      stores land only on the struct pages of [start_pfn + vmem_altmap_offset(), end),
//                 their pageblock bits and the stack: the altmap pfns' memmap belongs to the caller.
import { match } from 'ts-pattern';
import { hexNum } from '../model/kernel/bytes.ts';
import { STACK_BASE, USEMAP_BASE } from '../model/kernel/constants.ts';
import { describeAddr, describePfn } from '../model/kernel/describe.ts';
import { OFF } from '../model/kernel/layout.ts';
import type { StoreEvent } from '../model/events.ts';
import { stackNames } from '../model/events.ts';
import type { TraceEntry } from '../model/machine.ts';
import type { Evaluation } from './evaluate.ts';
import { formatStack } from './format.ts';
import type { Verdict } from './properties.ts';

export const EXTRA_PROPERTIES = ['instrumented', 'init-once', 'in-range'] as const;
export type ExtraPropertyName = (typeof EXTRA_PROPERTIES)[number];

const OK: Verdict = { ok: true, lines: [] };

/** The page_ref helpers that fire the page_ref_set tracepoint (include/linux/page_ref.h). */
const TRACED_REFCOUNT = new Set(['set_page_count', 'init_page_count']);

interface Store {
  readonly entry: TraceEntry;
  readonly ev: StoreEvent;
}

function storesOf(e: Evaluation): Store[] {
  const trace = e.trace();
  const out: Store[] = [];
  for (const entry of trace) if (entry.event.kind === 'store') out.push({ entry, ev: entry.event });
  return out;
}

const by = (s: Store): string => formatStack(stackNames(s.entry.stack, s.ev.fn));
const isMemmap = (addr: number): boolean => addr < USEMAP_BASE;

export function extraVerdict(p: ExtraPropertyName, e: Evaluation): Verdict {
  return match(p)
    .with('instrumented', () => instrumented(e))
    .with('init-once', () => initOnce(e))
    .with('in-range', () => inRange(e))
    .exhaustive();
}

function instrumented(e: Evaluation): Verdict {
  const c = e.case.scenario.kconfig;
  const k = e.run.kernel;
  const stores = storesOf(e);
  if (c.kasan || c.kmsan) {
    const s = stores.find((x) => x.ev.via === 'streaming');
    if (s) {
      return {
        ok: false,
        lines: [
          `${c.kasan ? 'KASAN' : 'KMSAN'} build: streaming store of ${s.ev.bytes.length} B to ${describeAddr(k, s.ev.addr)} (event #${s.entry.index})`,
          `  by ${by(s)}`,
          '  MOVNTI in inline asm is not instrumented: a sanitized build must stay on the slow path',
        ],
      };
    }
  }
  if (!c.pageRefTracepoint) return OK;
  const size = k.sizeofPage;
  const written = new Map<number, Store>(); // struct page index -> first store to it
  const traced = new Set<number>();
  const refWriter = new Map<number, Store>(); // last untraced writer of the refcount
  for (const s of stores) {
    if (!isMemmap(s.ev.addr)) continue;
    const first = Math.floor(s.ev.addr / size);
    const last = Math.floor((s.ev.addr + s.ev.bytes.length - 1) / size);
    for (let i = first; i <= last; i++) {
      if (!written.has(i)) written.set(i, s);
      const ref = i * size + OFF._refcount;
      if (s.ev.addr < ref + 4 && s.ev.addr + s.ev.bytes.length > ref) {
        if (TRACED_REFCOUNT.has(s.ev.fn ?? '')) traced.add(i);
        else refWriter.set(i, s);
      }
    }
  }
  const missed = [...written.keys()].filter((i) => !traced.has(i));
  if (missed.length === 0) return OK;
  const i = missed[0]!;
  const w = refWriter.get(i) ?? written.get(i)!;
  return {
    ok: false,
    lines: [
      `page_ref_set tracepoint active: ${describePfn(k, i)} _refcount never set through set_page_count()/init_page_count()`,
      `  written by ${by(w)} (event #${w.entry.index}): the tracepoint does not see it`,
      ...(missed.length > 1 ? [`  (${missed.length} such struct pages in this run)`] : []),
    ],
  };
}

/** A store that starts a new image of a struct page: the zeroing, or a whole-page copy. */
function initializes(s: StoreEvent, size: number): boolean {
  if (!isMemmap(s.addr) || s.addr % size !== 0) return false;
  return s.fn === 'mm_zero_struct_page' || s.bytes.length >= size;
}

function initOnce(e: Evaluation): Verdict {
  const k = e.run.kernel;
  const size = k.sizeofPage;
  const inits = new Map<number, Store[]>();
  for (const s of storesOf(e)) {
    if (!initializes(s.ev, size)) continue;
    const i = s.ev.addr / size;
    const l = inits.get(i);
    if (l) l.push(s);
    else inits.set(i, [s]);
  }
  const twice = [...inits].filter(([, l]) => l.length > 1);
  if (twice.length === 0) return OK;
  const [i, l] = twice[0]!;
  return {
    ok: false,
    lines: [
      `struct page of ${describePfn(k, i)} initialized ${l.length} times (a vmemmap alias written again, or a repeated init)`,
      `  first at event #${l[0]!.entry.index} by ${by(l[0]!)}`,
      `  again at event #${l[1]!.entry.index} by ${by(l[1]!)}`,
      ...(twice.length > 1 ? [`  (${twice.length} such struct pages in this run)`] : []),
    ],
  };
}

function inRange(e: Evaluation): Verdict {
  const k = e.run.kernel;
  const img = e.run.image;
  const size = k.sizeofPage;
  const pages = new Set(img.pfns);
  // every byte must belong to an on-stack template, a struct page of the range (a dedup alias is
  // stored through its page B, which is in the image; altmap pfns are not), or the pageblock bits
  // of a pageblock that starts in the range
  const out = (s: Store): boolean => {
    const a = s.ev.addr;
    const end = a + s.ev.bytes.length - 1;
    if (a >= STACK_BASE) return false;
    if (a >= USEMAP_BASE) {
      for (let b = a; b <= end; b++) if (!img.pageblocks.has((b - USEMAP_BASE) * 2 ** k.cfg.pageblockOrder)) return true;
      return false;
    }
    for (let i = Math.floor(a / size); i <= Math.floor(end / size); i++) if (!pages.has(i)) return true;
    return end >= USEMAP_BASE;
  };
  const bad = storesOf(e).filter(out);
  if (bad.length === 0) return OK;
  const s = bad[0]!;
  return {
    ok: false,
    lines: [
      `store of ${s.ev.bytes.length} B to ${describeAddr(k, s.ev.addr)} at event #${s.entry.index}: outside the device range ` +
        `${hexNum(img.startPfn)}..${hexNum(img.endPfn - 1)}`,
      `  by ${by(s)}`,
      ...(bad.length > 1 ? [`  (${bad.length} such stores in this run)`] : []),
    ],
  };
}
