// The x86 hardware mode: a small operational model of x86-TSO extended with non-temporal
// (MOVNTI) stores, explored exhaustively for litmus tests (docs/x86-mode.md).
//
// State: memory (location -> value); per CPU a program counter, registers, and one buffer of
// pending entries in program order: normal stores (the x86-TSO FIFO store buffer), non-temporal
// stores (the write-combining buffer) and SFENCE markers. Keeping them in one list gives every
// rule below a single place to look.
//
// Rules, and their sources:
//   load        reads the CPU's own latest pending store to the location, normal or NT
//               (self-consistency / store forwarding), else memory.
//               [Intel SDM vol. 3 §8.2.3.5 "Intra-processor forwarding is allowed"; Raad,
//               Maranget, Vafeiadis, "Extending Intel-x86 consistency and persistency", POPL 2022]
//   normal store  enters the buffer. It propagates to memory once every earlier entry is an NT
//               store to another location: normal stores stay FIFO among themselves (x86-TSO:
//               SDM §8.2.2 "writes are not reordered with other writes"), may pass earlier NT
//               stores to other locations (the streaming-store exception of SDM §8.2.2), and never
//               pass an SFENCE or a store to the same location (coherence).
//   NT store    enters the buffer. It flushes once no earlier entry is an SFENCE or a store to
//               the same location: it may become visible after later or earlier stores to other
//               locations (SDM §8.2.2 exception; Intel Optimization Manual §9.5.1 "weakly ordered
//               - no ordering is preserved between WC stores or between WC stores and other loads
//               or stores"; MOVNTI reference, SDM vol. 2: "the WC protocol uses a weakly-ordered
//               memory consistency model"), but stores to one location keep program order
//               (coherence; write collapsing leaves "only the last write visible").
//   SFENCE      enters the buffer as a marker that leaves it when it is first: every earlier store
//               (NT included) is visible before any later store (SDM vol. 2 SFENCE). It does not
//               wait, so later loads may still pass it.
//   MFENCE, XCHG  execute only when the CPU's buffer is empty: earlier stores, NT included, are
//               visible before any later load or store (SDM vol. 2 MFENCE; SDM §8.2.2 "locked
//               instructions have a total order", "reads or writes cannot be reordered with ...
//               locked instructions"). XCHG with memory is implicitly locked.
// Values are integers; locations not initialized hold 0.
import { match } from 'ts-pattern';
import type { Atom, Cond, Instr, LitmusTest, Operand } from './litmus.ts';

/**
 * The x86 ordering rules, each of which can be switched off to show the litmus catalogue depends
 * on it (test/x86-rules.test.ts). X86_RULES is the machine.
 */
export interface Rules {
  /** a CPU reads its own pending stores, NT included (store forwarding) */
  readonly forwarding: boolean;
  /** normal stores leave the store buffer in program order (x86-TSO) */
  readonly tsoFifo: boolean;
  /** stores to one location leave in program order, NT or not (coherence) */
  readonly sameLocation: boolean;
  /** SFENCE orders earlier stores before later stores */
  readonly sfence: boolean;
  /** MFENCE and locked operations wait for an empty buffer */
  readonly fullFences: boolean;
}

export const X86_RULES: Rules = { forwarding: true, tsoFifo: true, sameLocation: true, sfence: true, fullFences: true };

export type Entry =
  | { readonly kind: 'store'; readonly loc: string; readonly value: number; readonly nt: boolean }
  | { readonly kind: 'sfence' };

export interface Cpu {
  readonly pc: number;
  readonly regs: Readonly<Record<string, number>>;
  readonly buf: readonly Entry[];
}

export interface X86State {
  readonly mem: Readonly<Record<string, number>>;
  readonly cpus: readonly Cpu[];
}

export function initialX86(t: LitmusTest): X86State {
  const mem: Record<string, number> = {};
  for (const loc of locationsOf(t)) mem[loc] = t.initMem.get(loc) ?? 0;
  const cpus = t.threads.map((_, i) => ({ pc: 0, regs: Object.fromEntries(t.initRegs[i] ?? new Map()), buf: [] }));
  return { mem, cpus };
}

/** Every memory location the test names, sorted. */
export function locationsOf(t: LitmusTest): string[] {
  const s = new Set<string>(t.initMem.keys());
  for (const th of t.threads) {
    for (const i of th) if ('loc' in i) s.add(i.loc);
  }
  const walk = (c: Cond): void => {
    if (c.kind === 'atom' && c.atom.kind === 'mem') s.add(c.atom.loc);
    if (c.kind === 'and' || c.kind === 'or') { walk(c.left); walk(c.right); }
    if (c.kind === 'not') walk(c.inner);
  };
  walk(t.exists);
  return [...s].sort();
}

/** The value a CPU sees for a location: its own latest pending store, else memory. */
export function readOwn(st: X86State, cpu: number, loc: string): number {
  const buf = st.cpus[cpu]!.buf;
  for (let j = buf.length - 1; j >= 0; j--) {
    const e = buf[j]!;
    if (e.kind === 'store' && e.loc === loc) return e.value;
  }
  return st.mem[loc] ?? 0;
}

/** May buffer entry i of this CPU leave the buffer now? */
export function canFlush(buf: readonly Entry[], i: number, rules: Rules = X86_RULES): boolean {
  const e = buf[i]!;
  if (e.kind === 'sfence') return i === 0;
  for (let j = 0; j < i; j++) {
    const p = buf[j]!;
    if (p.kind === 'sfence') {
      if (rules.sfence) return false;
      continue;
    }
    if (rules.sameLocation && p.loc === e.loc) return false;
    if (rules.tsoFifo && !e.nt && !p.nt) return false; // TSO: normal stores leave in FIFO order
  }
  return true;
}

const value = (regs: Readonly<Record<string, number>>, o: Operand): number =>
  o.kind === 'imm' ? o.value : o.kind === 'reg' ? (regs[o.reg] ?? 0) : 0;

function withCpu(st: X86State, i: number, cpu: Cpu, mem = st.mem): X86State {
  const cpus = st.cpus.slice();
  cpus[i] = cpu;
  return { mem, cpus };
}

/** Execute the next instruction of CPU i, or null when it cannot now (fence waiting, or done). */
export function issue(t: LitmusTest, st: X86State, i: number, rules: Rules = X86_RULES): X86State | null {
  const cpu = st.cpus[i]!;
  const ins: Instr | undefined = t.threads[i]![cpu.pc];
  if (!ins) return null;
  const pc = cpu.pc + 1;
  return match(ins)
    .with({ op: 'store' }, { op: 'storeNT' }, (x) =>
      withCpu(st, i, { ...cpu, pc, buf: [...cpu.buf, { kind: 'store', loc: x.loc, value: value(cpu.regs, x.src), nt: x.op === 'storeNT' }] }))
    .with({ op: 'load' }, (x) => withCpu(st, i, { ...cpu, pc, regs: { ...cpu.regs, [x.reg]: rules.forwarding ? readOwn(st, i, x.loc) : (st.mem[x.loc] ?? 0) } }))
    .with({ op: 'movReg' }, (x) => withCpu(st, i, { ...cpu, pc, regs: { ...cpu.regs, [x.reg]: value(cpu.regs, x.src) } }))
    .with({ op: 'sfence' }, () => withCpu(st, i, { ...cpu, pc, buf: cpu.buf.length ? [...cpu.buf, { kind: 'sfence' }] : cpu.buf }))
    .with({ op: 'mfence' }, () => (rules.fullFences && cpu.buf.length ? null : withCpu(st, i, { ...cpu, pc })))
    .with({ op: 'xchg' }, (x) => {
      if (rules.fullFences && cpu.buf.length) return null;
      const old = st.mem[x.loc] ?? 0;
      return withCpu(st, i, { ...cpu, pc, regs: { ...cpu.regs, [x.reg]: old } }, { ...st.mem, [x.loc]: cpu.regs[x.reg] ?? 0 });
    })
    .exhaustive();
}

/** Entry j of CPU i leaves its buffer (a store lands in memory; an SFENCE marker retires). */
export function flush(st: X86State, i: number, j: number): X86State {
  const cpu = st.cpus[i]!;
  const e = cpu.buf[j]!;
  const buf = cpu.buf.filter((_, k) => k !== j);
  const mem = e.kind === 'store' ? { ...st.mem, [e.loc]: e.value } : st.mem;
  return withCpu(st, i, { ...cpu, buf }, mem);
}

export function successors(t: LitmusTest, st: X86State, rules: Rules = X86_RULES): X86State[] {
  const out: X86State[] = [];
  st.cpus.forEach((cpu, i) => {
    const n = issue(t, st, i, rules);
    if (n) out.push(n);
    for (let j = 0; j < cpu.buf.length; j++) if (canFlush(cpu.buf, j, rules)) out.push(flush(st, i, j));
  });
  return out;
}

/** A final state: registers per thread and memory, printed herd7-style. */
export interface Outcome {
  readonly regs: readonly Readonly<Record<string, number>>[];
  readonly mem: Readonly<Record<string, number>>;
  readonly text: string;
  readonly satisfies: boolean;
}

export interface Exploration {
  readonly outcomes: readonly Outcome[];
  readonly states: number;
  /** "Allowed" when some final state satisfies the exists clause (herd7's vocabulary). */
  readonly verdict: 'Allowed' | 'Forbidden';
}

export function evalCond(c: Cond, regs: readonly Readonly<Record<string, number>>[], mem: Readonly<Record<string, number>>): boolean {
  const atom = (a: Atom): boolean => (a.kind === 'reg' ? (regs[a.thread]?.[a.reg] ?? 0) === a.value : (mem[a.loc] ?? 0) === a.value);
  return match(c)
    .with({ kind: 'atom' }, (x) => atom(x.atom))
    .with({ kind: 'and' }, (x) => evalCond(x.left, regs, mem) && evalCond(x.right, regs, mem))
    .with({ kind: 'or' }, (x) => evalCond(x.left, regs, mem) || evalCond(x.right, regs, mem))
    .with({ kind: 'not' }, (x) => !evalCond(x.inner, regs, mem))
    .with({ kind: 'true' }, () => true)
    .exhaustive();
}

function outcomeText(regs: readonly Readonly<Record<string, number>>[], mem: Readonly<Record<string, number>>): string {
  const parts: string[] = [];
  regs.forEach((r, i) => { for (const k of Object.keys(r).sort()) parts.push(`${i}:${k}=${r[k]}`); });
  for (const k of Object.keys(mem).sort()) parts.push(`${k}=${mem[k]}`);
  return parts.map((p) => `${p};`).join(' ');
}

/** Every interleaving of issue and flush steps, states deduplicated; the final states. */
export function explore(t: LitmusTest, limit = 1_000_000, rules: Rules = X86_RULES): Exploration {
  const seen = new Set<string>();
  const finals = new Map<string, Outcome>();
  const stack: X86State[] = [initialX86(t)];
  while (stack.length) {
    const st = stack.pop()!;
    const key = JSON.stringify(st);
    if (seen.has(key)) continue;
    seen.add(key);
    if (seen.size > limit) throw new Error(`litmus ${t.name}: more than ${limit} states`);
    const next = successors(t, st, rules);
    if (next.length === 0) {
      const done = st.cpus.every((c, i) => c.pc === t.threads[i]!.length && c.buf.length === 0);
      if (!done) throw new Error(`litmus ${t.name}: stuck state ${key}`);
      const regs = st.cpus.map((c) => c.regs);
      const text = outcomeText(regs, st.mem);
      if (!finals.has(text)) finals.set(text, { regs, mem: st.mem, text, satisfies: evalCond(t.exists, regs, st.mem) });
    }
    stack.push(...next);
  }
  const outcomes = [...finals.values()].sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return { outcomes, states: seen.size, verdict: outcomes.some((o) => o.satisfies) ? 'Allowed' : 'Forbidden' };
}
