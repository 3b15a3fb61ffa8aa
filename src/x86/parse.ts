// A parser for the subset of herd7's X86_64 litmus syntax the x86 mode runs (docs/x86-mode.md).
// Bad input ends in a UsageError naming the file, the line and what is allowed.
import type { Atom, Cond, Instr, LitmusTest, Operand } from '../../model/x86/litmus.ts';
import { UsageError } from '../cli/errors.ts';

export const ALLOWED_INSTRUCTIONS =
  'movl/movq/mov $imm|%reg,(loc); movl/movq/mov (loc),%reg; movl/movq/mov $imm|%reg,%reg; movnti/movntil/movntiq %reg,(loc); sfence; mfence; xchg/xchgl/xchgq %reg,(loc)';

const MNEMONICS = ['mov', 'movl', 'movq', 'movnti', 'movntil', 'movntiq', 'sfence', 'mfence', 'xchg', 'xchgl', 'xchgq'];

const REG64 = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** "%eax" / "eax" / "rax" -> "rax"; null when not a general-purpose register. */
export function regName(s: string): string | null {
  const r = s.replace(/^%/, '').toLowerCase();
  if (REG64.includes(r)) return r;
  const m32 = /^e(ax|bx|cx|dx|si|di)$/.exec(r);
  if (m32) return `r${m32[1]}`;
  const mr = /^(r(?:8|9|1[0-5]))d$/.exec(r);
  return mr ? mr[1]! : null;
}

class LineError extends Error {}

function operand(s: string): Operand {
  const t = s.trim();
  let m = /^\$(-?(?:0x[0-9a-f]+|[0-9]+))$/i.exec(t);
  if (m) return { kind: 'imm', value: Number(m[1]) };
  m = /^\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(t);
  if (m) return { kind: 'mem', loc: m[1]! };
  if (t.startsWith('%')) {
    const r = regName(t);
    if (r) return { kind: 'reg', reg: r };
    throw new LineError(`unknown register '${t}'; allowed: %rax..%rdi, %r8..%r15 and their 32-bit names`);
  }
  throw new LineError(`bad operand '${t}'; allowed: $imm, %reg, (location)`);
}

/** One instruction in AT&T order (source, destination). */
export function parseInstr(text: string): Instr {
  const m = /^([a-z]+)\s*(.*)$/i.exec(text.trim());
  if (!m) throw new LineError(`bad instruction '${text.trim()}'; allowed: ${ALLOWED_INSTRUCTIONS}`);
  const mn = m[1]!.toLowerCase();
  const bad = (): never => {
    throw new LineError(`bad instruction '${text.trim()}'; allowed: ${ALLOWED_INSTRUCTIONS}`);
  };
  if (!MNEMONICS.includes(mn)) return bad();
  const ops = m[2]!.trim() === '' ? [] : m[2]!.split(',').map(operand);
  if (mn === 'sfence' || mn === 'mfence') return ops.length === 0 ? { op: mn } : bad();
  if (ops.length !== 2) return bad();
  const [src, dst] = ops as [Operand, Operand];
  if (['mov', 'movl', 'movq'].includes(mn)) {
    if (dst.kind === 'mem' && src.kind !== 'mem') return { op: 'store', loc: dst.loc, src };
    if (dst.kind === 'reg' && src.kind === 'mem') return { op: 'load', reg: dst.reg, loc: src.loc };
    if (dst.kind === 'reg') return { op: 'movReg', reg: dst.reg, src };
    return bad();
  }
  if (['movnti', 'movntil', 'movntiq'].includes(mn)) {
    // MOVNTI m32/m64, r32/r64: the source is a register (SDM vol. 2, MOVNTI)
    if (dst.kind === 'mem' && src.kind === 'reg') return { op: 'storeNT', loc: dst.loc, src };
    throw new LineError(`bad instruction '${text.trim()}'; allowed: movnti %reg,(location) (MOVNTI stores a register)`);
  }
  if (['xchg', 'xchgl', 'xchgq'].includes(mn)) {
    if (src.kind === 'reg' && dst.kind === 'mem') return { op: 'xchg', reg: src.reg, loc: dst.loc };
    if (src.kind === 'mem' && dst.kind === 'reg') return { op: 'xchg', reg: dst.reg, loc: src.loc };
    return bad();
  }
  return bad();
}

function atomOf(s: string): Atom {
  let m = /^([0-9]+):(%?[a-z0-9]+)=(-?[0-9]+)$/i.exec(s);
  if (m) {
    const reg = regName(m[2]!);
    if (!reg) throw new LineError(`unknown register '${m[2]}' in the condition`);
    return { kind: 'reg', thread: Number(m[1]), reg, value: Number(m[3]) };
  }
  m = /^\[?([A-Za-z_][A-Za-z0-9_]*)\]?=(-?[0-9]+)$/.exec(s);
  if (m) return { kind: 'mem', loc: m[1]!, value: Number(m[2]) };
  throw new LineError(`bad condition atom '${s}'; allowed: T:reg=N or location=N`);
}

/** exists condition: atoms, ~, /\, \/ and parentheses (~ binds tightest, then /\, then \/). */
export function parseCond(text: string): Cond {
  const toks = text.replace(/\s+/g, '').match(/\/\\|\\\/|~|\(|\)|[^()~\/\\]+/g) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const or = (): Cond => {
    let l = and();
    while (peek() === '\\/') { i++; l = { kind: 'or', left: l, right: and() }; }
    return l;
  };
  const and = (): Cond => {
    let l = unary();
    while (peek() === '/\\') { i++; l = { kind: 'and', left: l, right: unary() }; }
    return l;
  };
  const unary = (): Cond => {
    const t = toks[i++];
    if (t === '~') return { kind: 'not', inner: unary() };
    if (t === '(') {
      const c = or();
      if (toks[i++] !== ')') throw new LineError('unbalanced parentheses in the condition');
      return c;
    }
    if (t === undefined || t === ')' || t === '/\\' || t === '\\/') throw new LineError('incomplete condition');
    if (t === 'true') return { kind: 'true' };
    return { kind: 'atom', atom: atomOf(t) };
  };
  const c = or();
  if (i !== toks.length) throw new LineError(`unexpected '${toks[i]}' in the condition`);
  return c;
}

function parseInit(text: string, threads: Map<number, Map<string, number>>, mem: Map<string, number>): void {
  for (const item of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    let m = /^([0-9]+):(%?[a-z0-9]+)\s*=\s*(-?[0-9]+)$/i.exec(item);
    if (m) {
      const reg = regName(m[2]!);
      if (!reg) throw new LineError(`unknown register '${m[2]}' in the initial state`);
      const t = Number(m[1]);
      if (!threads.has(t)) threads.set(t, new Map());
      threads.get(t)!.set(reg, Number(m[3]));
      continue;
    }
    m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(-?[0-9]+)$/.exec(item);
    if (m) { mem.set(m[1]!, Number(m[2])); continue; }
    throw new LineError(`bad initial value '${item}'; allowed: location=N or T:reg=N`);
  }
}

/** Parse a litmus file; errors are one line: "FILE:LINE: what is wrong; allowed: ...". */
export function parseLitmus(text: string, file = '<litmus>'): LitmusTest {
  const lines = text.split(/\r?\n/);
  let n = 0; // index of the current line
  const fail = (msg: string, at = n): never => {
    throw new UsageError(`${file}:${at + 1}: ${msg}`);
  };
  const wrap = <T>(f: () => T, at = n): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof LineError) return fail(e.message, at);
      throw e;
    }
  };
  const clean = (s: string) => s.replace(/\(\*.*?\*\)/g, '').trim();
  const skipBlank = () => { while (n < lines.length && clean(lines[n]!) === '') n++; };

  skipBlank();
  const head = /^X86_64\s+(\S+)\s*$/.exec(clean(lines[n] ?? ''));
  if (!head) fail(`expected the header 'X86_64 NAME'; allowed architecture: X86_64`);
  const name = head![1]!;
  n++;
  skipBlank();
  while (n < lines.length && clean(lines[n]!).startsWith('"')) {
    // a quoted comment, possibly over several lines
    const start = n;
    let s = clean(lines[n]!).slice(1);
    while (!s.includes('"')) { n++; if (n >= lines.length) fail('unterminated comment', start); s = lines[n]!; }
    n++;
    skipBlank();
  }
  const mem = new Map<string, number>();
  const regInit = new Map<number, Map<string, number>>();
  if (!clean(lines[n] ?? '').startsWith('{')) fail(`expected the initial state '{ x=0; ... }'`);
  {
    const start = n;
    let s = '';
    for (;;) {
      if (n >= lines.length) fail('unterminated initial state: missing }', start);
      s += ` ${clean(lines[n]!)}`;
      n++;
      if (s.includes('}')) break;
    }
    const body = /^\s*\{(.*)\}\s*$/.exec(s);
    if (!body) fail(`bad initial state; allowed: { location=N; T:reg=N; ... }`, start);
    wrap(() => parseInit(body![1]!, regInit, mem), start);
  }
  skipBlank();
  const cols = (s: string) => s.replace(/;\s*$/, '').split('|').map((c) => c.trim());
  const header = clean(lines[n] ?? '');
  const procs = cols(header);
  if (!/;\s*$/.test(header) || !procs.every((p, i) => p === `P${i}`)) fail(`expected the thread header 'P0 | P1 | ... ;'`);
  n++;
  const threads: Instr[][] = procs.map(() => []);
  for (; n < lines.length; n++) {
    const s = clean(lines[n]!);
    if (s === '') continue;
    if (/^(~?exists|forall|locations)\b/.test(s)) break;
    if (!s.endsWith(';')) fail(`an instruction row ends with ';' (or the condition 'exists (...)' is expected)`);
    const cs = cols(s);
    if (cs.length !== procs.length) fail(`${cs.length} columns, the header has ${procs.length}`);
    cs.forEach((c, i) => { if (c !== '') threads[i]!.push(wrap(() => parseInstr(c))); });
  }
  const rest = lines.slice(n).map(clean).join(' ').trim();
  const cm = /^exists\s*(.*)$/s.exec(rest);
  if (!cm) fail(`expected 'exists (...)'; allowed final conditions: exists only`);
  const exists = wrap(() => parseCond(cm![1]!));
  const initRegs = procs.map((_, i) => regInit.get(i) ?? new Map<string, number>());
  for (const t of regInit.keys()) if (t >= procs.length) fail(`initial state names thread ${t}, the test has ${procs.length}`);
  const problem = conditionProblem(exists, threads, mem);
  if (problem !== null) fail(problem);
  return { name, initMem: mem, initRegs, threads, exists };
}

/** Threads and locations of a condition must be the test's: a typo would make it silently false. */
function conditionProblem(c: Cond, threads: readonly (readonly Instr[])[], mem: ReadonlyMap<string, number>): string | null {
  const locs = new Set(mem.keys());
  for (const t of threads) for (const i of t) if ('loc' in i) locs.add(i.loc);
  const atoms: Atom[] = [];
  const walk = (x: Cond): void => {
    if (x.kind === 'atom') atoms.push(x.atom);
    else if (x.kind === 'and' || x.kind === 'or') { walk(x.left); walk(x.right); }
    else if (x.kind === 'not') walk(x.inner);
  };
  walk(c);
  for (const a of atoms) {
    if (a.kind === 'reg' && a.thread >= threads.length) {
      return `the condition names thread ${a.thread}, the test has ${threads.length} (allowed: 0..${threads.length - 1})`;
    }
    if (a.kind === 'mem' && !locs.has(a.loc)) {
      return `the condition names location '${a.loc}', which the test does not have; allowed: ${[...locs].join(', ') || '(none)'}`;
    }
  }
  return null;
}
