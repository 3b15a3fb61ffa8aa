// Reports at C lines (C variants): the kernel-test-robot style first line of a counterexample and
// the C frames under each step of the timeline.
import type { SourceFrame } from '../../model/kernel/variants/direct.ts';
import type { Explanation, Step } from './explanation.ts';

const at = (f: SourceFrame): string => `${f.file}:${f.line}:${f.column}`;

/** `FILE:LINE:COL fn > LINE:COL fn ...`, outermost first (the file named once). */
export function srcText(src: readonly SourceFrame[]): string {
  return src.map((f, i) => `${i === 0 || f.file !== src[i - 1]!.file ? `${f.file}:` : ''}${f.line}:${f.column} ${f.fn}()`).join(' > ');
}

/** "pfn 0x100002 (tail 2 of head 0x100000) _deferred_list.next @+16" -> "tail 2 _deferred_list.next" */
export function shortField(field: string): string {
  const m = /\((tail \d+) of head 0x[0-9a-f]+\) (\S+)/.exec(field) ?? /\((head)\) (\S+)/.exec(field);
  return m ? `${m[1]} ${m[2]}` : field;
}

type Located = Extract<Step, { src?: readonly SourceFrame[] }>;

/** What ran at the innermost C frame of a step: the helper it called (or the C function itself). */
function actor(s: Located): string {
  const n = s.src!.length;
  return s.stack[n] ?? s.src![n - 1]!.fn;
}

/**
 * `mm/mm_init.c:1208:2: error: prep_compound_head() stores 8 B into ... while the MOVNTI stores
 * of mm/mm_init.c:1131 (zone_device_page_init_from_template) are still pending [kind, class]`
 */
export function robotLine(x: Explanation): string | null {
  if (!x.hazard) return null;
  const pend = x.steps.find((s): s is Extract<Step, { kind: 'streaming-store' }> => s.kind === 'streaming-store');
  const acc = x.steps.find((s): s is Extract<Step, { kind: 'access' | 'publish' }> => s.kind === 'access' || s.kind === 'publish');
  if (!pend?.src?.length || !acc?.src?.length) return null;
  const a = acc.src[acc.src.length - 1]!;
  const p = pend.src[pend.src.length - 1]!;
  const what = acc.kind === 'publish'
    ? `${a.fn}() returns and the pages are published`
    : acc.op === 'store' ? `${actor(acc)}() stores ${acc.size} B into ${shortField(acc.field)}` : `${actor(acc)}() loads ${acc.size} B of ${shortField(acc.field)}`;
  return `${at(a)}: error: ${what} while the MOVNTI stores of ${p.file}:${p.line} (${p.fn}) are still pending [${x.hazard.kind}, ${x.hazard.cls}]`;
}
