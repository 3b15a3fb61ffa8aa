// Litmus tests for the x86 hardware mode (docs/x86-mode.md): the instructions of the herd7
// X86_64 subset the parser accepts, a test, and its exists condition. Data only.

/** An operand: an immediate, a register (64-bit name, "rax"), or a memory location ("x"). */
export type Operand =
  | { readonly kind: 'imm'; readonly value: number }
  | { readonly kind: 'reg'; readonly reg: string }
  | { readonly kind: 'mem'; readonly loc: string };

export type Instr =
  /** mov/movl/movq to memory: a normal (write-back, TSO) store */
  | { readonly op: 'store'; readonly loc: string; readonly src: Operand }
  /** movnti: a non-temporal store through the write-combining buffer */
  | { readonly op: 'storeNT'; readonly loc: string; readonly src: Operand }
  /** mov/movl/movq from memory */
  | { readonly op: 'load'; readonly reg: string; readonly loc: string }
  /** mov $imm,%reg or mov %reg,%reg */
  | { readonly op: 'movReg'; readonly reg: string; readonly src: Operand }
  | { readonly op: 'sfence' }
  | { readonly op: 'mfence' }
  /** xchg %reg,(loc): a locked read-modify-write */
  | { readonly op: 'xchg'; readonly reg: string; readonly loc: string };

/** An atom of the condition: "1:rax=0" (register of thread 1) or "x=1" (final memory). */
export type Atom =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: string; readonly value: number }
  | { readonly kind: 'mem'; readonly loc: string; readonly value: number };

export type Cond =
  | { readonly kind: 'atom'; readonly atom: Atom }
  | { readonly kind: 'and'; readonly left: Cond; readonly right: Cond }
  | { readonly kind: 'or'; readonly left: Cond; readonly right: Cond }
  | { readonly kind: 'not'; readonly inner: Cond }
  | { readonly kind: 'true' };

export interface LitmusTest {
  readonly name: string;
  /** initial memory values (others start at 0) */
  readonly initMem: ReadonlyMap<string, number>;
  /** initial register values per thread */
  readonly initRegs: readonly ReadonlyMap<string, number>[];
  readonly threads: readonly (readonly Instr[])[];
  readonly exists: Cond;
}
