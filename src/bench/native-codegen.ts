// A native program as C (prog.h for bench/native/harness.c): one statement group per model op,
// in the model's order, storing the model's values (copies store what their loads read); the folded loops stay loops, short ones (a few field stores, as in
// mm_zero_struct_page()) are written out as the kernel's code writes them. Every op group starts
// with TR(), which prints the op in a -DTRACE build and is empty otherwise.
import { type Op, REGIONS } from './native-ops.ts';
import { type Item, type NativeProgram, NativeProgramError, regionBytes, totals } from './native-program.ts';

/** Loops of at most this many ops are written out. */
const UNROLL_OPS = 32;
/** Temporaries for copies: up to 16 qwords (a 128-byte struct page). */
const MAX_QWORDS = 16;

type Vec = readonly [number, number, number];
const PTR = ['m', 'u', 's'] as const;

function ptr(r: number, depth: number, off: number): string {
  const base = `${PTR[r]!}${depth}`;
  return off === 0 ? base : off > 0 ? `${base} + ${off}` : `${base} - ${-off}`;
}

const qwords = (n: number): number => {
  if (n % 8 !== 0 || n / 8 > MAX_QWORDS) throw new NativeProgramError(`a ${n}-byte access: only 1, 2, 4, 8 or up to ${8 * MAX_QWORDS} bytes in qwords are supported`);
  return n / 8;
};

const SMALL: Record<number, string> = { 1: '8', 2: '16', 4: '32', 8: '64' };

/** The model's value of a store of at most 8 bytes, as a C constant. */
const lit = (o: Op): string => `0x${BigInt.asUintN(8 * Math.min(o.n, 8), o.val).toString(16)}ULL`;

/**
 * Qwords of the last multi-qword load and how many 8-byte MOVNTIs have used them since: v1 streams
 * a copy one u64 at a time (arch_optimize_store_u64(&dst[i], src[i]) in the reconstructed loop,
 * model/kernel/copy.ts), so the data comes from the registers the template was loaded into, not
 * from immediates.
 */
interface Regs {
  loaded: number;
  used: number;
}

/** The statements of one op at `p`. */
function opStatements(o: Op, p: string, regs: Regs): string[] {
  if (o.op === 'sfence') return ['TRF();', 'SFENCE();'];
  const tr = `TR("${o.op}", ${o.r}, ${p}, ${o.n}, ${o.g});`;
  const at = (off: number) => (off === 0 ? p : `${p} + ${off}`);
  const small = SMALL[o.n];
  switch (o.op) {
    case 'ld':
      if (small) return [tr, `v = LD${small}(${p});`];
      regs.loaded = qwords(o.n);
      regs.used = 0;
      return [tr, Array.from({ length: qwords(o.n) }, (_, i) => `t${i} = LD64(${at(8 * i)});`).join(' ')];
    case 'st':
      if (small) return [tr, `ST${small}(${p}, ${lit(o)});`];
      return [tr, Array.from({ length: qwords(o.n) }, (_, i) => `ST64(${at(8 * i)}, t${i});`).join(' ')];
    case 'cas':
      if (o.n !== 1 && o.n !== 8) throw new NativeProgramError(`a ${o.n}-byte cmpxchg: only 1 or 8 bytes are supported`);
      return [tr, `CAS${SMALL[o.n]!}(${p}, v);`];
    case 'nt': {
      if (o.g === 8) {
        if (o.n === 8) return [tr, `NT64(${p}, ${regs.used < regs.loaded ? `t${regs.used++}` : lit(o)});`];
        return [tr, Array.from({ length: qwords(o.n) }, (_, i) => `NT64(${at(8 * i)}, t${i});`).join(' ')];
      }
      if (o.g !== 4 || o.n % 4 !== 0) throw new NativeProgramError(`a streaming store of ${o.n} bytes in ${o.g}-byte MOVNTIs`);
      if (o.n === 4) return [tr, `NT32(${p}, ${lit(o)});`];
      qwords(Math.ceil(o.n / 8) * 8);
      return [tr, Array.from({ length: o.n / 4 }, (_, i) => `NT32(${at(4 * i)}, t${i >> 1} >> ${32 * (i & 1)});`).join(' ')];
    }
  }
}

function emit(items: readonly Item[], depth: number, shift: Vec, ind: string, out: string[], regs: Regs = { loaded: 0, used: 0 }): void {
  for (const it of items) {
    if (it.kind === 'op') {
      const p = it.op === 'sfence' ? '' : ptr(it.r, depth, it.a + shift[it.r]);
      for (const s of opStatements(it, p, regs)) out.push(ind + s);
    } else if (it.kind === 'call') {
      out.push(`${ind}/* ${it.fn}() */`);
      emit(it.items, depth, shift, ind, out, regs);
    } else if (totals([it]).ops <= UNROLL_OPS) {
      for (let i = 0; i < it.count; i++) {
        emit(it.body, depth, [0, 1, 2].map((r) => shift[r]! + i * it.stride[r]!) as unknown as Vec, ind, out, regs);
      }
    } else {
      regs.loaded = 0; // a C loop: the body starts without known registers
      const d = depth + 1;
      const init = [0, 1, 2].map((r) => `*${PTR[r]}${d} = ${ptr(r, depth, shift[r]!)}`).join(', ');
      const step = [0, 1, 2].filter((r) => it.stride[r] !== 0).map((r) => `${PTR[r]}${d} += ${it.stride[r]}`);
      out.push(`${ind}for (unsigned char ${init}; n${d} < ${it.count}L; n${d}++${step.map((s) => `, ${s}`).join('')}) {`);
      emit(it.body, d, [0, 0, 0], `${ind}\t`, out);
      out.push(`${ind}}`);
    }
  }
}

/** Deepest loop nesting that is written as a C loop. */
function maxDepth(items: readonly Item[], depth = 0): number {
  let m = depth;
  for (const it of items) {
    if (it.kind === 'call') m = Math.max(m, maxDepth(it.items, depth));
    else if (it.kind === 'loop') m = Math.max(m, totals([it]).ops <= UNROLL_OPS ? maxDepth(it.body, depth) : maxDepth(it.body, depth + 1));
  }
  return m;
}

/** prog.h for a program: its region sizes, op count and the function prog(memmap, usemap, stack). */
export function generateC(p: NativeProgram, title: string): string {
  const bytes = regionBytes(p.items);
  const t = totals(p.items);
  const body: string[] = [];
  emit(p.items, 0, [0, 0, 0], '\t', body);
  // loop counters are declared once and reset before each loop: a for-init declares one type
  const counters = Array.from({ length: maxDepth(p.items) }, (_, i) => `n${i + 1}`);
  const lines = body.flatMap((l) => {
    const m = /^(\t*)for \(unsigned char .*?; n(\d+) < /.exec(l);
    return m ? [`${m[1]}n${m[2]} = 0;`, l] : [l];
  });
  return [
    `/* Generated by memmap-check (src/bench/native-codegen.ts) from the model: ${title}. Do not edit. */`,
    `#define PROG_TITLE ${JSON.stringify(title)}`,
    ...bytes.map((b, r) => `#define PROG_BYTES_${r} ${b}ULL /* ${REGIONS[r]} */`),
    `#define PROG_OPS ${t.ops}ULL`,
    '',
    'static void prog(unsigned char *const m0, unsigned char *const u0, unsigned char *const s0)',
    '{',
    `\tuint64_t v = 0, ${Array.from({ length: MAX_QWORDS }, (_, i) => `t${i} = 0`).join(', ')};`,
    ...(counters.length ? [`\tlong ${counters.join(', ')};`] : []),
    '\t(void)m0; (void)u0; (void)s0;',
    ...lines,
    '}',
    '',
  ].join('\n');
}
