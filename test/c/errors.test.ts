// Every error of the C front-end is one line naming file:line(:col) and what is wrong.
import { describe, expect, it } from 'vitest';
import { CFrontError } from '../../model/c/errors.ts';
import { VariantFault } from '../../model/faults.ts';
import { X86_64_DEFAULT } from '../../model/kernel/config.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { fromText } from './load.ts';

const MIZD = 'void memmap_init_zone_device(struct zone *zone, unsigned long start_pfn, unsigned long nr_pages, struct dev_pagemap *pgmap)';
const entry = (body: string): string => `${MIZD}\n{\n${body}\n}\n`;

async function compileError(text: string): Promise<string> {
  try {
    await fromText(text, 'mm/mm_init.c');
  } catch (e) {
    expect(e).toBeInstanceOf(CFrontError);
    const m = (e as Error).message;
    expect(m.split('\n')).toHaveLength(1);
    return m;
  }
  throw new Error('compiled without an error');
}

// WANT_PAGE_VIRTUAL exists only on the generic64 layout (no x86_64 asm/page.h defines it)
const scenario = (wantPageVirtual = false) => ({
  kconfig: { ...X86_64_DEFAULT, wantPageVirtual, arch: wantPageVirtual ? 'generic64' as const : 'x86_64' as const }, pgmap: { type: 3 as const, vmemmapShift: 0, altmap: null },
  startPfn: 0x100000, nrPages: 4, nid: 0, earlySection: false,
});

async function runError(text: string, wantPageVirtual = false): Promise<VariantFault> {
  const v = await fromText(text, 'mm/mm_init.c');
  try {
    runVariant(v, scenario(wantPageVirtual), { schedule: LAND_AT_ONCE });
  } catch (e) {
    expect(e).toBeInstanceOf(VariantFault);
    return e as VariantFault;
  }
  throw new Error('ran without a fault');
}

describe('C front-end errors at compile time', () => {
  it('a helper with no binding, in the issue\'s format', async () => {
    const m = await compileError(`static void bar(void)\n{\n\tfoo(1);\n}\n${entry('\tbar();')}`);
    expect(m).toMatch(/^mm\/mm_init\.c:3: memmap-check has no model of 'foo\(\)' \(called from bar\(\)\); models exist for: pfn_to_page, page_to_pfn, .*memcpy_nt_drain/);
  });

  it('an unknown macro or identifier', async () => {
    expect(await compileError(entry('\tunsigned long x = SOME_MACRO + 1;'))).toBe(
      "mm/mm_init.c:3:20: unknown identifier 'SOME_MACRO' in memmap_init_zone_device() (not a local, a parameter or a constant memmap-check knows)");
  });

  it('a function-like macro the file defines', async () => {
    expect(await compileError(`#define twice(x) ((x) * 2)\n${entry('\ttwice(3);')}`)).toMatch(
      /^mm\/mm_init\.c:4:2: unknown macro 'twice\(\)' \(called from memmap_init_zone_device\(\)\): memmap-check does not expand function-like macros; models exist for: /);
  });

  it('a syntax error', async () => {
    expect(await compileError(entry('\tunsigned long x = (1 + ;'))).toMatch(/^mm\/mm_init\.c:3:\d+: syntax error/);
  });

  it('an unsupported construct', async () => {
    expect(await compileError(entry('again:\n\tgoto again;'))).toBe("mm/mm_init.c:3:1: unsupported C construct 'labeled_statement' in memmap_init_zone_device()");
  });

  it('a wrong argument count, for a binding and for a function of the file', async () => {
    expect(await compileError(entry('\tset_page_count(pfn_to_page(start_pfn));'))).toBe(
      "mm/mm_init.c:3:2: memmap-check models 'set_page_count()' with 2 argument(s), called with 1 in memmap_init_zone_device()");
    expect(await compileError(`static void f(int a) { }\n${entry('\tf(1, 2);')}`)).toBe(
      'mm/mm_init.c:4:2: f() takes 1 argument(s) (mm/mm_init.c:1), called with 2 in memmap_init_zone_device()');
  });

  it('sizeof of a type it does not know', async () => {
    expect(await compileError(entry('\tunsigned long x = sizeof(struct folio);'))).toMatch(/^mm\/mm_init\.c:3:20: sizeof\(struct folio\) is not modeled/);
  });

  it('a file nested too deeply to compile', async () => {
    const deep = `${'('.repeat(20000)}1${')'.repeat(20000)}`;
    const m = await compileError(entry(`\tunsigned long x = ${deep};`));
    expect(m).toBe("mm/mm_init.c: the C is nested too deeply to compile");
  });

  it('sizeof(*p) of something that is not a struct page pointer', async () => {
    expect(await compileError(entry('\tunsigned long x = sizeof(*pgmap);'))).toBe(
      'mm/mm_init.c:3:20: sizeof(*pgmap) is not modeled: only a struct page pointer\'s target is');
  });

  it('no memmap_init_zone_device()', async () => {
    expect(await compileError('static int f(void) { return 1; }\n')).toBe('mm/mm_init.c:1:1: no definition of memmap_init_zone_device() in this file');
  });
});

describe('C front-end faults at run time (one line, the C position)', () => {
  it('a struct page field the configuration does not have', async () => {
    const f = await runError(entry('\tpfn_to_page(start_pfn)->virtual = 0;'));
    expect(f.message).toBe("mm/mm_init.c:3:2: struct page has no field 'virtual' in this configuration");
    // with WANT_PAGE_VIRTUAL (generic64) it exists
    const v = await fromText(entry('\tpfn_to_page(start_pfn)->virtual = 0;'), 'mm/mm_init.c');
    expect(runVariant(v, scenario(true), { schedule: LAND_AT_ONCE }).crash).toBeUndefined();
  });

  it('a loop that never ends stops at the step budget', async () => {
    const f = await runError(entry('\tunsigned long i = 0;\n\twhile (1)\n\t\ti++;'));
    expect(f.reason).toBe('budget');
    expect(f.message).toMatch(/^the C code ran \d+ loop iterations and calls without finishing \(at mm\/mm_init\.c:\d+:\d+ in memmap_init_zone_device\(\)\)$/);
  });

  it('unbounded recursion stops at a depth limit, not a JavaScript stack overflow', async () => {
    const f = await runError(`static void again(unsigned long n)\n{\n\tagain(n + 1);\n}\n${entry('\tagain(0);')}`);
    expect(f.reason).toBe('budget');
    expect(f.message).toMatch(/^the C code recursed 256 calls deep \(at mm\/mm_init\.c:3:2 in again\(\)\)$/);
  });

  it('a model object field it does not have, and a write to one', async () => {
    expect((await runError(entry('\tunsigned long x = pgmap->owner;'))).message).toBe(
      "mm/mm_init.c:3:20: struct dev_pagemap has no field 'owner' in the model (it has: type, vmemmap_shift, altmap)");
    expect((await runError(entry('\tpgmap->type = 1;'))).message).toBe('mm/mm_init.c:3:2: struct dev_pagemap is read-only in the model');
  });

  it('a helper given the wrong kind of value', async () => {
    expect((await runError(entry('\tset_page_count(start_pfn, 0);'))).message).toBe('mm/mm_init.c:3:2: set_page_count() needs a struct page *, got the integer 1048576');
  });
});
