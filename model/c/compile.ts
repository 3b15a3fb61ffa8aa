// Compile the functions reachable from memmap_init_zone_device() into closures, once per file.
// A closure calls the machine directly through CRun (no generator per call, no tree walk per
// event); both sides of every #if are compiled and chosen by the scenario's config at run time.
// Anything the compiler does not understand in a reached function stops with file:line:col.
import type { CallEvent, DrainEvent } from '../events.ts';
import { VariantFault } from '../faults.ts';
import type { KernelConfig } from '../kernel/config.ts';
import { load, store } from '../kernel/mm.ts';
import type { DrainSite } from '../kernel/variants/types.ts';
import { BINDINGS, type Binding, type BoundFn, CONSTANTS } from './bindings.ts';
import { CFrontError, type CLoc } from './errors.ts';
import type { Node } from './parse.ts';
import { configSymbol } from './preprocess.ts';
import type { Field } from '../kernel/layout.ts';
import type { CRun } from './runtime.ts';
import { FieldAddr, ModelObj, PageRef, type Value, WordPtr, decode, describeValue, encode, pageField } from './values.ts';

/** Locals of one invocation: [0] the return value, [1] its first struct page stack slot, then params and locals. */
export type Frame = Value[];
export type Expr = (c: CRun, f: Frame) => Value;
/** A statement: 0 go on, 1 break, 2 continue, 3 return. */
export type Stmt = (c: CRun, f: Frame) => number;
const NEXT = 0, BREAK = 1, CONT = 2, RETURN = 3;

type Cond = (cfg: KernelConfig) => boolean;

export interface CompiledFn {
  readonly name: string;
  readonly loc: CLoc;
  readonly nparams: number;
  nslots: number;
  /** struct page locals (stack templates) */
  nTemplates: number;
  body: Stmt;
  readonly callEv: CallEvent;
  /** Frames of finished invocations, reused by the next calls (a loop calls the same functions once per page). */
  readonly spare: Frame[];
}

/** A function as called: the definition the config selects (a file may define one twice under #if). */
export type Callee = (c: CRun) => CompiledFn;

interface Def {
  readonly node: Node;
  readonly cond: Cond | null;
}

interface Var {
  readonly slot: number;
  /** a `struct page x;` local: its value is its stack address */
  readonly structPage: boolean;
  /** a `u64 *` (or `unsigned long *`): indexing it reads or addresses 8-byte words */
  readonly words?: boolean;
  /** a `struct page *`: sizeof(*x) is sizeof(struct page) */
  readonly pagePtr?: boolean;
}

class Scope {
  readonly vars = new Map<string, Var>();
  constructor(readonly parent: Scope | null) {}
  get(name: string): Var | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }
}

interface FnCtx {
  readonly name: string;
  readonly fn: CompiledFn;
  drains: number;
  /** streaming copies or drains: its statement boundaries are listed as drain points */
  fast: boolean;
  readonly points: DrainSite[];
}

export interface CompiledProgram {
  readonly file: string;
  readonly entry: Callee;
  readonly drainSites: readonly DrainSite[];
  /** statement boundaries of the functions with streaming copies or drains */
  readonly drainPoints: readonly DrainSite[];
  /** every statement boundary of a reached function (--add-drain accepts any) */
  readonly allPoints: ReadonlySet<string>;
  /** functions interpreted, in the order reached */
  readonly functions: readonly string[];
  /** parameter count of each interpreted function (a tree's signature) */
  readonly params: ReadonlyMap<string, number>;
  /** bound helpers the reached code calls */
  readonly bound: ReadonlySet<string>;
}

const STREAMING = new Set(['memcpy_nt', 'memcpy_streaming', 'memcpy_flushcache', 'memcpy_nontemporal', 'arch_optimize_store_u64']);

const truthy = (v: Value): boolean => v !== 0 && v !== null && v !== 0n && v !== undefined;
const isZero = (v: Value): boolean => v === 0 || v === null || v === 0n;

export function compileProgram(root: Node, file: string, entryName = 'memmap_init_zone_device'): CompiledProgram {
  return new Compiler(root, file).program(entryName);
}

class Compiler {
  private readonly defs = new Map<string, Def[]>();
  private readonly macros = new Map<string, Node | null>();
  private readonly fnMacros = new Set<string>();
  private readonly compiled = new Map<Node['id'], CompiledFn>();
  private readonly callees = new Map<string, Callee>();
  private readonly drainSites: DrainSite[] = [];
  /** drain points of each fast-path function, by function */
  private readonly points = new Map<string, DrainSite[]>();
  /** functions with a streaming copy or a drain, then (fastPath()) their callers */
  private readonly fast = new Set<string>();
  /** interpreted calls: caller -> callees */
  private readonly edges = new Map<string, Set<string>>();
  private readonly allPoints = new Set<string>();
  private readonly order: string[] = [];
  private readonly params = new Map<string, number>();
  private readonly bound = new Set<string>();
  private cur: FnCtx | null = null;

  constructor(private readonly root: Node, private readonly file: string) {
    this.collect(root, null);
  }

  program(entryName: string): CompiledProgram {
    if (!this.defs.has(entryName)) {
      const err = firstError(this.root);
      if (err) this.syntax(err);
      throw new CFrontError({ file: this.file, line: 1, col: 1 }, `no definition of ${entryName}() in this file`);
    }
    const entry = this.callee(entryName);
    return {
      // callers first, and in each function the last statement first: the first point that fixes
      // a failure (the witness search tries them in order) is then the one nearest the access
      file: this.file, entry, drainSites: this.drainSites, allPoints: this.allPoints,
      drainPoints: this.fastPath().flatMap((fn) => [...(this.points.get(fn) ?? [])].reverse()),
      functions: this.order, params: this.params, bound: this.bound,
    };
  }

  /** The functions on the fast path: those that stream or drain, and every caller of one (reach order). */
  private fastPath(): string[] {
    for (let grew = true; grew; ) {
      grew = false;
      for (const [caller, callees] of this.edges) {
        if (!this.fast.has(caller) && [...callees].some((x) => this.fast.has(x))) {
          this.fast.add(caller);
          grew = true;
        }
      }
    }
    return this.order.filter((f) => this.fast.has(f));
  }

  // -- top level ---------------------------------------------------------------------------------

  private collect(n: Node, cond: Cond | null): void {
    for (const ch of n.namedChildren) {
      if (!ch) continue;
      switch (ch.type) {
        case 'function_definition': {
          const name = declName(ch.childForFieldName('declarator'));
          if (name) this.defs.set(name, [...(this.defs.get(name) ?? []), { node: ch, cond }]);
          break;
        }
        case 'preproc_def': {
          const name = ch.childForFieldName('name')?.text;
          if (name) this.macros.set(name, ch.childForFieldName('value'));
          break;
        }
        case 'preproc_function_def': {
          const name = ch.childForFieldName('name')?.text;
          if (name) this.fnMacros.add(name);
          break;
        }
        case 'preproc_if': case 'preproc_ifdef': case 'preproc_elif': case 'preproc_elifdef':
          this.collectBranches(ch, cond);
          break;
        default:
          break;
      }
    }
  }

  /** #if c / #elif / #else at top level: each branch under its own condition. */
  private collectBranches(n: Node, outer: Cond | null): void {
    const c = this.condOf(n);
    const and = (x: Cond): Cond => (outer ? (cfg) => outer(cfg) && x(cfg) : x);
    const body = this.branchBody(n);
    const inner = new PseudoNode(body);
    this.collect(inner as unknown as Node, and(c));
    const alt = n.childForFieldName('alternative');
    if (!alt) return;
    const notC = and((cfg) => !c(cfg));
    if (alt.type === 'preproc_else') this.collect(alt, notC);
    else this.collectBranches(alt, notC);
  }

  /** The named children of a conditional group that are its body (not its condition or alternative). */
  private branchBody(n: Node): Node[] {
    const skip = new Set([n.childForFieldName('condition')?.id, n.childForFieldName('name')?.id, n.childForFieldName('alternative')?.id]);
    return n.namedChildren.filter((x): x is Node => x !== null && !skip.has(x.id));
  }

  /** The condition of #if/#ifdef/#ifndef/#elif as a function of the config. */
  private condOf(n: Node): Cond {
    if (n.type === 'preproc_ifdef' || n.type === 'preproc_elifdef') {
      const name = n.childForFieldName('name')!.text;
      const neg = /^#\s*(ifndef|elifndef)/.test(n.text);
      const def = this.definedFn(name);
      return neg ? (cfg) => !def(cfg) : def;
    }
    const e = this.ppExpr(n.childForFieldName('condition')!);
    return (cfg) => e(cfg) !== 0;
  }

  private definedFn(name: string): Cond {
    if (this.macros.has(name) || this.fnMacros.has(name)) return () => true;
    const s = configSymbol(name);
    return (cfg) => s(cfg) !== 0;
  }

  /** A `#if` expression. */
  private ppExpr(n: Node): (cfg: KernelConfig) => number {
    switch (n.type) {
      case 'number_literal': {
        const v = parseNumber(n.text);
        return () => v;
      }
      case 'identifier': {
        const m = this.macros.get(n.text);
        if (m && m.type === 'preproc_arg' && /^\s*\d+[uUlL]*\s*$/.test(m.text)) {
          const v = parseNumber(m.text.trim());
          return () => v;
        }
        return configSymbol(n.text);
      }
      case 'preproc_defined': {
        const id = n.namedChildren.find((x) => x?.type === 'identifier');
        const d = this.definedFn(id!.text);
        return (cfg) => +d(cfg);
      }
      case 'parenthesized_expression':
        return this.ppExpr(n.namedChildren[0]!);
      case 'call_expression': {
        const fn = n.childForFieldName('function')!.text;
        const arg = n.childForFieldName('arguments')!.namedChildren[0];
        if ((fn === 'IS_ENABLED' || fn === 'IS_BUILTIN' || fn === 'IS_REACHABLE') && arg) return configSymbol(arg.text);
        throw new CFrontError(this.loc(n), `unknown macro '${fn}()' in a #if condition`);
      }
      case 'unary_expression': {
        const a = this.ppExpr(n.childForFieldName('argument')!);
        const op = n.childForFieldName('operator')!.type;
        if (op === '!') return (cfg) => +(a(cfg) === 0);
        if (op === '-') return (cfg) => -a(cfg);
        if (op === '~') return (cfg) => ~a(cfg);
        return a;
      }
      case 'binary_expression': {
        const l = this.ppExpr(n.childForFieldName('left')!);
        const r = this.ppExpr(n.childForFieldName('right')!);
        const op = n.childForFieldName('operator')!.type;
        const f = PP_OPS[op];
        if (!f) throw new CFrontError(this.loc(n), `operator '${op}' in a #if condition is not supported`);
        if (op === '&&') return (cfg) => +(l(cfg) !== 0 && r(cfg) !== 0);
        if (op === '||') return (cfg) => +(l(cfg) !== 0 || r(cfg) !== 0);
        return (cfg) => f(l(cfg), r(cfg));
      }
      default:
        throw new CFrontError(this.loc(n), `unsupported ${n.type} in a #if condition`);
    }
  }

  // -- functions ---------------------------------------------------------------------------------

  /** A function of the file by name, compiled on first use (every definition, for the #if choice). */
  private callee(name: string): Callee {
    const known = this.callees.get(name);
    if (known) return known;
    const defs = this.defs.get(name)!;
    const fns = defs.map((d) => this.compileFn(name, d.node));
    const conds = defs.map((d) => d.cond);
    let callee: Callee;
    if (fns.length === 1 && conds[0] === null) {
      const fn = fns[0]!;
      callee = () => fn;
    } else {
      callee = (c) => {
        for (let i = 0; i < fns.length; i++) if (conds[i] === null || conds[i]!(c.k.cfg)) return fns[i]!;
        throw new VariantFault('threw', `${name}() is not defined in this configuration (${this.file}: every definition is under a false #if)`);
      };
    }
    this.callees.set(name, callee);
    return callee;
  }

  private compileFn(name: string, node: Node): CompiledFn {
    const done = this.compiled.get(node.id);
    if (done) return done;
    const err = firstError(node);
    if (err) this.syntax(err);
    const decl = funcDeclarator(node.childForFieldName('declarator'))!;
    const paramDecls = (decl.childForFieldName('parameters')?.namedChildren ?? [])
      .filter((p): p is Node => p !== null && p.type === 'parameter_declaration' && declName(p.childForFieldName('declarator')) !== null);
    const params = paramDecls.map((p) => declName(p.childForFieldName('declarator'))!);
    const fn: CompiledFn = {
      name, loc: this.loc(node), nparams: params.length, nslots: 2 + params.length, nTemplates: 0,
      body: () => NEXT, callEv: { kind: 'call', fn: name }, spare: [],
    };
    this.compiled.set(node.id, fn);
    this.order.push(name);
    this.params.set(name, params.length);
    const outer = this.cur;
    const ctx: FnCtx = { name, fn, drains: 0, fast: false, points: [] };
    this.cur = ctx;
    const scope = new Scope(null);
    paramDecls.forEach((p, i) => scope.vars.set(params[i]!, { slot: 2 + i, structPage: false, pagePtr: isPagePtr(p.childForFieldName('type'), p.childForFieldName('declarator')) }));
    fn.body = this.block(node.childForFieldName('body')!, scope, true);
    this.points.set(name, ctx.points);
    if (ctx.fast) this.fast.add(name);
    this.cur = outer;
    return fn;
  }

  // -- statements --------------------------------------------------------------------------------

  private block(n: Node, outer: Scope, fnBody = false): Stmt {
    const scope = fnBody ? outer : new Scope(outer);
    const items = n.namedChildren.filter((x): x is Node => x !== null && x.type !== 'comment');
    return this.seq(items, scope);
  }

  /**
   * Statements in order, each preceded by its drain point (function:LINE). The points are checked
   * here, not by a closure around each statement: a run with no added drain pays one test per
   * statement (CRun.added), not a call.
   */
  private seq(items: readonly Node[], scope: Scope): Stmt {
    const stmts: Stmt[] = [];
    const points: (DrainEvent | null)[] = [];
    for (const it of items) {
      const s = this.stmt(it, scope);
      if (it.type === 'comment') continue;
      stmts.push(s);
      points.push(this.point(it));
    }
    const n = stmts.length;
    if (n === 0) return () => NEXT;
    if (n === 1) {
      const s = stmts[0]!;
      const p = points[0]!;
      if (p === null) return s;
      return (c, f) => {
        if (c.added !== null && c.added.has(p.site)) c.emit(p);
        return s(c, f);
      };
    }
    return (c, f) => {
      const added = c.added;
      for (let i = 0; i < n; i++) {
        if (added !== null) {
          const p = points[i]!;
          if (p !== null && added.has(p.site)) c.emit(p);
        }
        const r = stmts[i]!(c, f);
        if (r !== NEXT) return r;
      }
      return NEXT;
    };
  }

  /** The drain point before a statement (empty unless --add-drain names it), or null if it has none. */
  private point(n: Node): DrainEvent | null {
    const ctx = this.cur!;
    if (n.type.startsWith('preproc_') || n.type === 'declaration' && !n.text.includes('=')) return null;
    const line = n.startPosition.row + 1;
    const name = `${ctx.name}:${line}`;
    if (this.allPoints.has(name)) return null;
    this.allPoints.add(name);
    ctx.points.push({ name, where: `${this.file}:${line}: before the statement, in ${ctx.name}()` });
    return { kind: 'drain', site: name, fn: 'memcpy_streaming_drain' };
  }

  private stmt(n: Node, scope: Scope): Stmt {
    switch (n.type) {
      case 'compound_statement':
        return this.block(n, scope);
      case 'expression_statement': {
        const e = n.namedChildren[0];
        if (!e) return () => NEXT;
        const x = this.expr(e, scope);
        return (c, f) => (x(c, f), NEXT);
      }
      case 'declaration':
        return this.declaration(n, scope);
      case 'if_statement': {
        const cond = this.expr(n.childForFieldName('condition')!, scope);
        const then = this.stmt(n.childForFieldName('consequence')!, new Scope(scope));
        const altNode = n.childForFieldName('alternative');
        if (!altNode) return (c, f) => (truthy(cond(c, f)) ? then(c, f) : NEXT);
        const alt = this.stmt(altNode.type === 'else_clause' ? altNode.namedChildren[0]! : altNode, new Scope(scope));
        return (c, f) => (truthy(cond(c, f)) ? then(c, f) : alt(c, f));
      }
      case 'for_statement':
        return this.forStmt(n, scope);
      case 'while_statement': {
        const cond = this.expr(n.childForFieldName('condition')!, scope);
        const body = this.stmt(n.childForFieldName('body')!, new Scope(scope));
        return (c, f) => {
          while (truthy(cond(c, f))) {
            c.tick();
            const r = body(c, f);
            if (r === BREAK) break;
            if (r === RETURN) return r;
          }
          return NEXT;
        };
      }
      case 'do_statement': {
        const cond = this.expr(n.childForFieldName('condition')!, scope);
        const body = this.stmt(n.childForFieldName('body')!, new Scope(scope));
        return (c, f) => {
          do {
            c.tick();
            const r = body(c, f);
            if (r === BREAK) break;
            if (r === RETURN) return r;
          } while (truthy(cond(c, f)));
          return NEXT;
        };
      }
      case 'return_statement': {
        const e = n.namedChildren[0];
        if (!e) return () => RETURN;
        const x = this.expr(e, scope);
        return (c, f) => {
          f[0] = x(c, f);
          return RETURN;
        };
      }
      case 'break_statement':
        return () => BREAK;
      case 'continue_statement':
        return () => CONT;
      case 'switch_statement':
        return this.switchStmt(n, scope);
      case 'preproc_if': case 'preproc_ifdef': case 'preproc_elif': case 'preproc_elifdef':
        return this.ppStmt(n, scope);
      case 'preproc_else':
        return this.seq(n.namedChildren.filter((x): x is Node => x !== null && x.type !== 'comment'), scope);
      case 'comment': case 'preproc_call': case 'preproc_def':
        return () => NEXT;
      case 'ERROR':
        return this.syntax(n);
      default:
        throw new CFrontError(this.loc(n), `unsupported C construct '${n.type}' in ${this.cur!.name}()`);
    }
  }

  /** #if inside a function: both sides compiled, the config picks at run time. */
  private ppStmt(n: Node, scope: Scope): Stmt {
    const cond = this.condOf(n);
    const body = this.seq(this.branchBody(n).filter((x) => x.type !== 'comment'), scope);
    const altNode = n.childForFieldName('alternative');
    const alt = altNode ? this.stmt(altNode, scope) : () => NEXT;
    return (c, f) => (cond(c.k.cfg) ? body(c, f) : alt(c, f));
  }

  private forStmt(n: Node, scope: Scope): Stmt {
    const inner = new Scope(scope);
    const initNode = n.childForFieldName('initializer');
    const init: Stmt = !initNode ? () => NEXT
      : initNode.type === 'declaration' ? this.declaration(initNode, inner)
        : ((x) => (c: CRun, f: Frame) => (x(c, f), NEXT))(this.expr(initNode, inner));
    const condNode = n.childForFieldName('condition');
    const cond = condNode ? this.expr(condNode, inner) : () => 1;
    const updNode = n.childForFieldName('update');
    const upd = updNode ? this.expr(updNode, inner) : () => 0;
    const body = this.stmt(n.childForFieldName('body')!, new Scope(inner));
    return (c, f) => {
      for (init(c, f); truthy(cond(c, f)); upd(c, f)) {
        c.tick();
        const r = body(c, f);
        if (r === BREAK) break;
        if (r === RETURN) return r;
      }
      return NEXT;
    };
  }

  private switchStmt(n: Node, scope: Scope): Stmt {
    const cond = this.expr(n.childForFieldName('condition')!, scope);
    const inner = new Scope(scope);
    const cases: { value: Expr | null; body: Stmt }[] = [];
    for (const cs of n.childForFieldName('body')!.namedChildren) {
      if (!cs || cs.type === 'comment') continue;
      if (cs.type !== 'case_statement') throw new CFrontError(this.loc(cs), `unsupported ${cs.type} directly in a switch in ${this.cur!.name}()`);
      const v = cs.childForFieldName('value');
      const stmts = cs.namedChildren.filter((x): x is Node => x !== null && x.id !== v?.id && x.type !== 'comment');
      cases.push({ value: v ? this.expr(v, inner) : null, body: this.seq(stmts, inner) });
    }
    return (c, f) => {
      const x = cond(c, f);
      let start = cases.findIndex((k) => k.value !== null && k.value(c, f) === x);
      if (start < 0) start = cases.findIndex((k) => k.value === null);
      if (start < 0) return NEXT;
      for (let i = start; i < cases.length; i++) {
        const r = cases[i]!.body(c, f);
        if (r === BREAK) return NEXT;
        if (r !== NEXT) return r;
      }
      return NEXT;
    };
  }

  private declaration(n: Node, scope: Scope): Stmt {
    const type = n.childForFieldName('type');
    const structPageType = type?.type === 'struct_specifier' && type.childForFieldName('name')?.text === 'page';
    const parts: Stmt[] = [];
    for (const d of n.childrenForFieldName('declarator')) {
      if (!d) continue;
      const target = d.type === 'init_declarator' ? d.childForFieldName('declarator')! : d;
      const name = declName(target);
      if (name === null) throw new CFrontError(this.loc(d), `unsupported declarator '${target.text}' in ${this.cur!.name}()`);
      if (target.type === 'array_declarator' || target.type === 'function_declarator') {
        throw new CFrontError(this.loc(d), `unsupported declaration of '${name}' (${target.type.replace('_declarator', '')}) in ${this.cur!.name}()`);
      }
      const fn = this.cur!.fn;
      const slot = fn.nslots++;
      const isTemplate = structPageType && target.type === 'identifier';
      const words = target.type === 'pointer_declarator' && WORD_TYPES.has(type?.text.replace(/\s+/g, ' ') ?? '');
      const init = d.type === 'init_declarator' ? this.expr(d.childForFieldName('value')!, scope) : null;
      // `u64 *dst = (u64 *)page`: a word pointer into the struct page
      const value: Expr | null = init && words ? (c, f) => {
        const v = init(c, f);
        return v instanceof PageRef ? new WordPtr(v, 0) : v;
      } : init;
      scope.vars.set(name, { slot, structPage: isTemplate, words, pagePtr: isPagePtr(type, target) });
      if (isTemplate) {
        if (value) throw new CFrontError(this.loc(d), `an initialized struct page local ('${name}') is not supported`);
        const idx = fn.nTemplates++;
        parts.push((c, f) => {
          f[slot] = c.k.stackPage((f[1] as number) + idx);
          return NEXT;
        });
      } else if (value) parts.push((c, f) => ((f[slot] = value(c, f)), NEXT));
      else parts.push((_c, f) => ((f[slot] = 0), NEXT));
    }
    if (parts.length === 1) return parts[0]!;
    return (c, f) => {
      for (const p of parts) p(c, f);
      return NEXT;
    };
  }

  // -- expressions -------------------------------------------------------------------------------

  private expr(n: Node, scope: Scope): Expr {
    switch (n.type) {
      case 'number_literal': {
        const v = parseNumber(n.text);
        if (Number.isNaN(v)) throw new CFrontError(this.loc(n), `unsupported number '${n.text}'`);
        return () => v;
      }
      case 'char_literal': {
        const v = n.text.length === 3 ? n.text.charCodeAt(1) : NaN;
        if (Number.isNaN(v)) throw new CFrontError(this.loc(n), `unsupported character literal ${n.text}`);
        return () => v;
      }
      case 'string_literal': case 'concatenated_string': {
        const s = n.text;
        return () => s;
      }
      case 'true':
        return () => 1;
      case 'false':
        return () => 0;
      case 'null':
        return () => null;
      case 'identifier':
        return this.ident(n, scope);
      case 'parenthesized_expression':
        return this.expr(n.namedChildren[0]!, scope);
      case 'cast_expression':
        return this.expr(n.childForFieldName('value')!, scope);
      case 'comma_expression': {
        const l = this.expr(n.childForFieldName('left')!, scope);
        const r = this.expr(n.childForFieldName('right')!, scope);
        return (c, f) => (l(c, f), r(c, f));
      }
      case 'conditional_expression': {
        const cond = this.expr(n.childForFieldName('condition')!, scope);
        const a = this.expr(n.childForFieldName('consequence')!, scope);
        const b = this.expr(n.childForFieldName('alternative')!, scope);
        return (c, f) => (truthy(cond(c, f)) ? a(c, f) : b(c, f));
      }
      case 'binary_expression':
        return this.binary(n, scope);
      case 'unary_expression': {
        const a = this.expr(n.childForFieldName('argument')!, scope);
        const op = n.childForFieldName('operator')!.type;
        if (op === '!') return (c, f) => (truthy(a(c, f)) ? 0 : 1);
        if (op === '-') return (c, f) => -this.int(a(c, f), n);
        if (op === '+') return a;
        if (op === '~') return (c, f) => bitNot(this.int(a(c, f), n));
        throw new CFrontError(this.loc(n), `unsupported operator '${op}'`);
      }
      case 'pointer_expression':
        return this.pointer(n, scope);
      case 'field_expression':
        return this.fieldLoad(n, scope);
      case 'assignment_expression':
        return this.assign(n, scope);
      case 'update_expression':
        return this.update(n, scope);
      case 'sizeof_expression':
        return this.sizeof(n, scope);
      case 'call_expression':
        return this.call(n, scope);
      case 'subscript_expression': {
        // page[i]: the struct page i after page (its fields are then read with '.');
        // words[i] of a u64 *: an 8-byte load
        const [an, in_] = n.namedChildren.filter((x): x is Node => x !== null && x.type !== 'comment');
        const a = this.expr(an!, scope);
        const i = this.expr(in_!, scope);
        const where = this.locText(n);
        const loc = this.loc(n);
        return (c, f) => {
          const p = a(c, f);
          if (p instanceof WordPtr) {
            c.pos[c.depth - 1] = loc;
            return decode(c.emit(load(p.page.addr + p.off + 8 * this.int(i(c, f), n), 8, 'u64 load'))!);
          }
          if (!(p instanceof PageRef)) throw new VariantFault('threw', `${where}: subscript of ${describeValue(p)}; only struct page arrays are modeled`);
          return add(c, p, i(c, f), 1, where);
        };
      }
      case 'ERROR':
        return this.syntax(n);
      default:
        throw new CFrontError(this.loc(n), `unsupported C construct '${n.type}' in ${this.cur!.name}()`);
    }
  }

  private ident(n: Node, scope: Scope): Expr {
    const name = n.text;
    const v = scope.get(name);
    if (v) {
      const slot = v.slot;
      return (_c, f) => f[slot]!;
    }
    if (name === '__func__') {
      const fn = this.cur!.name;
      return () => fn;
    }
    const k = CONSTANTS.get(name);
    if (k) return k;
    const m = this.macros.get(name);
    if (m && m.type === 'preproc_arg') {
      const v2 = parseNumber(m.text.trim());
      if (!Number.isNaN(v2)) return () => v2;
    }
    if (this.defs.has(name) || BINDINGS.has(name)) throw new CFrontError(this.loc(n), `function '${name}' used as a value in ${this.cur!.name}(); only calls are modeled`);
    throw new CFrontError(this.loc(n), `unknown identifier '${name}' in ${this.cur!.name}() (not a local, a parameter or a constant memmap-check knows)`);
  }

  private int(v: Value, n: Node): number {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    throw new VariantFault('threw', `${this.locText(n)}: arithmetic on ${describeValue(v)}`);
  }

  private binary(n: Node, scope: Scope): Expr {
    const l = this.expr(n.childForFieldName('left')!, scope);
    const r = this.expr(n.childForFieldName('right')!, scope);
    const op = n.childForFieldName('operator')!.type;
    const where = this.locText(n);
    const num = (v: Value): number => {
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      throw new VariantFault('threw', `${where}: operator '${op}' on ${describeValue(v)}`);
    };
    switch (op) {
      case '&&': return (c, f) => (truthy(l(c, f)) && truthy(r(c, f)) ? 1 : 0);
      case '||': return (c, f) => (truthy(l(c, f)) || truthy(r(c, f)) ? 1 : 0);
      case '==': return (c, f) => (same(l(c, f), r(c, f)) ? 1 : 0);
      case '!=': return (c, f) => (same(l(c, f), r(c, f)) ? 0 : 1);
      case '<': return (c, f) => (ord(l(c, f), r(c, f), where) < 0 ? 1 : 0);
      case '<=': return (c, f) => (ord(l(c, f), r(c, f), where) <= 0 ? 1 : 0);
      case '>': return (c, f) => (ord(l(c, f), r(c, f), where) > 0 ? 1 : 0);
      case '>=': return (c, f) => (ord(l(c, f), r(c, f), where) >= 0 ? 1 : 0);
      case '+': return (c, f) => add(c, l(c, f), r(c, f), 1, where);
      case '-': return (c, f) => add(c, l(c, f), r(c, f), -1, where);
      case '*': return (c, f) => num(l(c, f)) * num(r(c, f));
      case '/': return (c, f) => {
        const b = num(r(c, f));
        if (b === 0) throw new VariantFault('threw', `${where}: division by zero`);
        return Math.trunc(num(l(c, f)) / b);
      };
      case '%': return (c, f) => {
        const b = num(r(c, f));
        if (b === 0) throw new VariantFault('threw', `${where}: division by zero`);
        return num(l(c, f)) % b;
      };
      case '<<': return (c, f) => num(l(c, f)) * 2 ** num(r(c, f));
      case '>>': return (c, f) => Math.floor(num(l(c, f)) / 2 ** num(r(c, f)));
      case '&': return (c, f) => bitOp(num(l(c, f)), num(r(c, f)), '&');
      case '|': return (c, f) => bitOp(num(l(c, f)), num(r(c, f)), '|');
      case '^': return (c, f) => bitOp(num(l(c, f)), num(r(c, f)), '^');
      default:
        throw new CFrontError(this.loc(n), `unsupported operator '${op}'`);
    }
  }

  private pointer(n: Node, scope: Scope): Expr {
    const op = n.childForFieldName('operator')!.type;
    const arg = n.childForFieldName('argument')!;
    if (op === '&') {
      if (arg.type === 'identifier') {
        const v = scope.get(arg.text);
        if (v?.structPage) return this.ident(arg, scope);
        throw new CFrontError(this.loc(n), `'&${arg.text}': only the address of a struct page local or of a struct page field is modeled`);
      }
      if (arg.type === 'subscript_expression') {
        // &words[i]: the address of a word
        const [an, in_] = arg.namedChildren.filter((x): x is Node => x !== null && x.type !== 'comment');
        const a = this.expr(an!, scope);
        const i = this.expr(in_!, scope);
        const where = this.locText(arg);
        return (c, f) => {
          const p = a(c, f);
          const k = this.int(i(c, f), arg);
          if (p instanceof WordPtr) return new WordPtr(p.page, p.off + 8 * k);
          if (p instanceof PageRef) return add(c, p, k, 1, where);
          throw new VariantFault('threw', `${where}: '&x[i]' of ${describeValue(p)}`);
        };
      }
      if (arg.type === 'field_expression') {
        const base = this.expr(arg.childForFieldName('argument')!, scope);
        const name = arg.childForFieldName('field')!.text;
        const where = this.locText(arg);
        return (c, f) => new FieldAddr(this.pageOf(base(c, f), where, name), this.fieldOf(c, name, where));
      }
      throw new CFrontError(this.loc(n), `unsupported address-of '${n.text}'`);
    }
    throw new CFrontError(this.loc(n), `unsupported dereference '${n.text}': struct pages are read and written through their fields`);
  }

  private pageOf(v: Value, where: string, field: string): PageRef {
    if (v instanceof PageRef) return v;
    throw new VariantFault('threw', `${where}: '->${field}' on ${describeValue(v)}`);
  }

  private fieldOf(c: CRun, name: string, where: string) {
    const fd = pageField(c.k, name);
    if (!fd) throw new VariantFault('threw', `${where}: struct page has no field '${name}' in this configuration`);
    return fd;
  }

  /** fieldOf() for one access site: the field looked up again only when the layout changes (a new run's config). */
  private fieldAt(name: string, where: string): (c: CRun) => Field {
    let layout: readonly Field[] | null = null;
    let fd: Field | null = null;
    return (c) => {
      if (c.k.L.fields !== layout) {
        fd = this.fieldOf(c, name, where);
        layout = c.k.L.fields;
      }
      return fd!;
    };
  }

  /** `p->field` (or `p->flags.f`): the base expression and the field name. */
  private fieldParts(n: Node, scope: Scope): { base: Expr; name: string; label: string } {
    let arg = n.childForFieldName('argument')!;
    let name = n.childForFieldName('field')!.text;
    // page->flags.f: the word itself (struct page's memdesc_flags_t wrapper)
    if (name === 'f' && arg.type === 'field_expression' && arg.childForFieldName('field')!.text === 'flags') {
      name = 'flags';
      arg = arg.childForFieldName('argument')!;
    }
    const label = `${arg.type === 'call_expression' ? `${arg.childForFieldName('function')!.text}()` : arg.text}->${name}`;
    return { base: this.expr(arg, scope), name, label };
  }

  private fieldLoad(n: Node, scope: Scope): Expr {
    const { base, name, label } = this.fieldParts(n, scope);
    const where = this.locText(n);
    const loc = this.loc(n);
    const field = this.fieldAt(name, where);
    return (c, f) => {
      const b = base(c, f);
      if (b instanceof ModelObj) {
        if (!(name in b.fields)) throw new VariantFault('threw', `${where}: struct ${b.struct} has no field '${name}' in the model (it has: ${Object.keys(b.fields).join(', ')})`);
        return b.fields[name] as Value;
      }
      const p = this.pageOf(b, where, name);
      const fd = field(c);
      c.pos[c.depth - 1] = loc;
      return decode(c.emit(load(p.addr + fd.offset, fd.size, label))!);
    };
  }

  private assign(n: Node, scope: Scope): Expr {
    const left = n.childForFieldName('left')!;
    const op = n.childForFieldName('operator')!.type;
    const rhs = this.expr(n.childForFieldName('right')!, scope);
    const where = this.locText(n);
    const combine = this.combiner(op, n);
    if (left.type === 'identifier') {
      const v = scope.get(left.text);
      if (!v) {
        this.ident(left, scope); // throws the unknown-identifier error
        throw new CFrontError(this.loc(left), `cannot assign to '${left.text}'`);
      }
      const slot = v.slot;
      if (!combine) return (c, f) => (f[slot] = rhs(c, f));
      return (c, f) => (f[slot] = combine(c, f[slot]!, rhs(c, f)));
    }
    if (left.type === 'field_expression') {
      const { base, name, label } = this.fieldParts(left, scope);
      const loc = this.loc(n);
      const field = this.fieldAt(name, where);
      return (c, f) => {
        const b = base(c, f);
        if (b instanceof ModelObj) throw new VariantFault('threw', `${where}: struct ${b.struct} is read-only in the model`);
        const p = this.pageOf(b, where, name);
        const fd = field(c);
        c.pos[c.depth - 1] = loc;
        let v = rhs(c, f);
        if (combine) v = combine(c, decode(c.emit(load(p.addr + fd.offset, fd.size, label))!), v);
        c.emit(store(p.addr + fd.offset, encode(v, fd.size), label));
        return v;
      };
    }
    throw new CFrontError(this.loc(left), `unsupported assignment target '${left.text}'`);
  }

  private combiner(op: string, n: Node): ((c: CRun, a: Value, b: Value) => Value) | null {
    if (op === '=') return null;
    const where = this.locText(n);
    const i = (v: Value): number => this.int(v, n);
    switch (op) {
      case '+=': return (c, a, b) => add(c, a, b, 1, where);
      case '-=': return (c, a, b) => add(c, a, b, -1, where);
      case '*=': return (_c, a, b) => i(a) * i(b);
      case '|=': return (_c, a, b) => bitOp(i(a), i(b), '|');
      case '&=': return (_c, a, b) => bitOp(i(a), i(b), '&');
      case '^=': return (_c, a, b) => bitOp(i(a), i(b), '^');
      case '<<=': return (_c, a, b) => i(a) * 2 ** i(b);
      case '>>=': return (_c, a, b) => Math.floor(i(a) / 2 ** i(b));
      default:
        throw new CFrontError(this.loc(n), `unsupported operator '${op}'`);
    }
  }

  private update(n: Node, scope: Scope): Expr {
    const arg = n.childForFieldName('argument')!;
    const op = n.childForFieldName('operator')!.type;
    const v = arg.type === 'identifier' ? scope.get(arg.text) : undefined;
    if (!v) {
      if (arg.type === 'identifier') this.ident(arg, scope);
      throw new CFrontError(this.loc(n), `unsupported '${op}' on '${arg.text}': only locals are incremented`);
    }
    const slot = v.slot;
    const d = op === '++' ? 1 : -1;
    const prefix = n.text.startsWith(op);
    const where = this.locText(n);
    return (c, f) => {
      const old = f[slot]!;
      const nv = typeof old === 'number' ? old + d : add(c, old, 1, d, where);
      f[slot] = nv;
      return prefix ? nv : old;
    };
  }

  private sizeof(n: Node, scope: Scope): Expr {
    const t = n.childForFieldName('type');
    const v = n.childForFieldName('value');
    const page: Expr = (c) => c.k.sizeofPage;
    if (t) {
      const text = t.text.replace(/\s+/g, ' ').trim();
      if (text === 'struct page') return page;
      const fixed = SIZES[text];
      if (fixed !== undefined) return () => fixed;
      throw new CFrontError(this.loc(n), `sizeof(${text}) is not modeled (known: struct page, ${Object.keys(SIZES).join(', ')})`);
    }
    let e = v!;
    while (e.type === 'parenthesized_expression') e = e.namedChildren[0]!;
    if (e.type === 'pointer_expression' && e.childForFieldName('operator')!.type === '*') {
      let x = e.childForFieldName('argument')!;
      while (x.type === 'parenthesized_expression') x = x.namedChildren[0]!;
      if (x.type === 'identifier' && scope.get(x.text)?.pagePtr) return page;
      throw new CFrontError(this.loc(n), `sizeof(*${x.text}) is not modeled: only a struct page pointer's target is`);
    }
    if (e.type === 'identifier' && scope.get(e.text)?.structPage) return page;
    // sizeof(u64): a typedef name tree-sitter cannot tell from a variable
    if (e.type === 'identifier' && !scope.get(e.text) && SIZES[e.text] !== undefined) {
      const size = SIZES[e.text]!;
      return () => size;
    }
    throw new CFrontError(this.loc(n), `sizeof ${e.text} is not modeled (known: sizeof(*page), sizeof(struct page), a struct page local)`);
  }

  // -- calls ---------------------------------------------------------------------------------------

  private call(n: Node, scope: Scope): Expr {
    const fnNode = n.childForFieldName('function')!;
    const argNodes = n.childForFieldName('arguments')!.namedChildren.filter((x): x is Node => x !== null && x.type !== 'comment');
    if (fnNode.type !== 'identifier') throw new CFrontError(this.loc(n), `unsupported call through '${fnNode.text}': only named functions are modeled`);
    const name = fnNode.text;
    const loc = this.loc(n);
    if (name === 'IS_ENABLED' || name === 'IS_BUILTIN' || name === 'IS_REACHABLE') {
      const sym = configSymbol(argNodes[0]?.text ?? '');
      return (c) => (sym(c.k.cfg) ? 1 : 0);
    }
    if (name === 'likely' || name === 'unlikely') {
      if (argNodes.length !== 1) throw new CFrontError(loc, `${name}() takes one argument, called with ${argNodes.length}`);
      // __builtin_expect(!!(x), 1): the value is !!x
      const x = this.expr(argNodes[0]!, scope);
      return (c, f) => (truthy(x(c, f)) ? 1 : 0);
    }
    const args = argNodes.map((a) => this.expr(a, scope));
    if (this.defs.has(name)) {
      const callee = this.callee(name);
      for (const d of this.defs.get(name)!) {
        const fn = this.compiled.get(d.node.id)!;
        if (fn.nparams !== args.length) throw new CFrontError(loc, `${name}() takes ${fn.nparams} argument(s) (${this.file}:${fn.loc.line}), called with ${args.length} in ${this.cur!.name}()`);
      }
      if (STREAMING.has(name)) this.cur!.fast = true;
      const from = this.cur!.name;
      if (!this.edges.has(from)) this.edges.set(from, new Set());
      this.edges.get(from)!.add(name);
      return this.interpCall(callee, args, loc);
    }
    const b = BINDINGS.get(name);
    if (!b) {
      if (this.fnMacros.has(name)) throw new CFrontError(loc, `unknown macro '${name}()' (called from ${this.cur!.name}()): memmap-check does not expand function-like macros; models exist for: ${[...BINDINGS.keys()].join(', ')}`);
      throw new CFrontError(null, `${this.file}:${loc.line}: memmap-check has no model of '${name}()' (called from ${this.cur!.name}()); models exist for: ${[...BINDINGS.keys()].join(', ')}`);
    }
    if (STREAMING.has(name)) this.cur!.fast = true;
    this.bound.add(name);
    if (b.drain) return this.drainCall(b, args, n);
    if (b.debugVmOnly) {
      // VM_BUG_ON() and friends: BUILD_BUG_ON_INVALID(cond) without CONFIG_DEBUG_VM reads nothing
      const checked = this.boundCall(b, args, n);
      return (c, f) => (c.k.cfg.debugVm ? checked(c, f) : 0);
    }
    return this.boundCall(b, args, n);
  }

  private interpCall(callee: Callee, args: Expr[], loc: CLoc): Expr {
    const n = args.length;
    return (c, f) => {
      const fn = callee(c);
      // a frame in use is never among the spares: a call made while evaluating the arguments takes another
      let nf = fn.spare.pop();
      if (nf === undefined) nf = new Array(fn.nslots);
      else nf.fill(undefined as unknown as Value); // as a new frame's holes: nothing assigned yet
      for (let i = 0; i < n; i++) nf[2 + i] = args[i]!(c, f);
      c.pos[c.depth - 1] = loc;
      const r = invoke(c, fn, nf);
      if (fn.spare.length < MAX_SPARE) fn.spare.push(nf);
      return r;
    };
  }

  private boundCall(b: Binding, args: Expr[], n: Node): Expr {
    const loc = this.loc(n);
    const impl: BoundFn | undefined = b.forms[args.length] ?? b.variadic;
    if (!impl) {
      throw new CFrontError(loc, `memmap-check models '${b.name}()' with ${Object.keys(b.forms).join(' or ')} argument(s), called with ${args.length} in ${this.cur!.name}()`);
    }
    const [a0, a1, a2, a3] = args;
    switch (args.length) {
      case 0: return (c) => ((c.pos[c.depth - 1] = loc), impl(c));
      case 1: return (c, f) => {
        const x = a0!(c, f);
        c.pos[c.depth - 1] = loc;
        return impl(c, x);
      };
      case 2: return (c, f) => {
        const x = a0!(c, f), y = a1!(c, f);
        c.pos[c.depth - 1] = loc;
        return impl(c, x, y);
      };
      case 3: return (c, f) => {
        const x = a0!(c, f), y = a1!(c, f), z = a2!(c, f);
        c.pos[c.depth - 1] = loc;
        return impl(c, x, y, z);
      };
      case 4: return (c, f) => {
        const x = a0!(c, f), y = a1!(c, f), z = a2!(c, f), w = a3!(c, f);
        c.pos[c.depth - 1] = loc;
        return impl(c, x, y, z, w);
      };
      default: return (c, f) => {
        const xs = args.map((a) => a(c, f));
        c.pos[c.depth - 1] = loc;
        return impl(c, ...xs);
      };
    }
  }

  /** A drain call: the site `function#n` (n-th drain call of the function, in source order). */
  private drainCall(b: Binding, args: Expr[], n: Node): Expr {
    if (args.length !== 0) throw new CFrontError(this.loc(n), `${b.name}() takes no arguments, called with ${args.length}`);
    const ctx = this.cur!;
    ctx.fast = true;
    const site = `${ctx.name}#${++ctx.drains}`;
    const loc = this.loc(n);
    this.drainSites.push({ name: site, where: `${this.file}:${loc.line}: ${b.name}() in ${ctx.name}()` });
    const ev: DrainEvent = { kind: 'drain', site, fn: b.name };
    const generic = b.genericUnder;
    return (c) => {
      c.pos[c.depth - 1] = loc;
      if (!generic || !generic(c.k.cfg)) c.drain(ev);
      return 0;
    };
  }

  // -- errors and positions ------------------------------------------------------------------------

  private loc(n: Node): CLoc {
    return { file: this.file, line: n.startPosition.row + 1, col: n.startPosition.column + 1 };
  }

  private locText(n: Node): string {
    const l = this.loc(n);
    return `${l.file}:${l.line}:${l.col}`;
  }

  private syntax(n: Node): never {
    if (n.isMissing) throw new CFrontError(this.loc(n), `syntax error: expected '${n.type}'`);
    const tok = n.text.split('\n')[0]!.slice(0, 40);
    throw new CFrontError(this.loc(n), `syntax error at '${tok}'`);
  }
}

/** Run one interpreted function on a prepared frame (args in place): call/ret events keep stacks. */
/** Deeper C recursion than any memmap init needs: a fault, before the JavaScript stack overflows. */
export const MAX_C_DEPTH = 256;

export function invoke(c: CRun, fn: CompiledFn, f: Frame): Value {
  c.tick();
  if (c.depth >= MAX_C_DEPTH) throw new VariantFault('budget', `the C code recursed ${MAX_C_DEPTH} calls deep (at ${c.where()})`);
  c.enter(fn.callEv);
  const d = c.depth++;
  c.fns[d] = fn.name;
  c.pos[d] = fn.loc;
  const base = c.slotTop;
  f[1] = base;
  c.slotTop = base + fn.nTemplates;
  fn.body(c, f);
  c.slotTop = base;
  c.depth = d;
  c.leave();
  const r = f[0];
  return r === undefined ? 0 : r;
}

// -- helpers -----------------------------------------------------------------------------------------

/** A stand-in node for a group of top-level items under one condition. */
class PseudoNode {
  constructor(readonly namedChildren: Node[]) {}
}

/** Spare frames kept per function (recursion deeper than this allocates). */
const MAX_SPARE = 8;

/** Element types of the word pointers v1 copies a struct page with. */
const WORD_TYPES = new Set(['u64', 'const u64', 'unsigned long', 'const unsigned long']);

const SIZES: Record<string, number> = {
  'unsigned long': 8, long: 8, u64: 8, 'unsigned long long': 8, 'long long': 8, int: 4, 'unsigned int': 4, u32: 4,
  short: 2, u16: 2, char: 1, u8: 1, bool: 1, 'void *': 8, 'struct page *': 8,
};

const PP_OPS: Record<string, (a: number, b: number) => number> = {
  '&&': () => 0, '||': () => 0,
  '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b), '<': (a, b) => +(a < b), '>': (a, b) => +(a > b),
  '<=': (a, b) => +(a <= b), '>=': (a, b) => +(a >= b), '+': (a, b) => a + b, '-': (a, b) => a - b,
  '*': (a, b) => a * b, '&': (a, b) => a & b, '|': (a, b) => a | b, '<<': (a, b) => a << b, '>>': (a, b) => a >> b,
};

function parseNumber(t: string): number {
  // tree-sitter-c folds a leading sign into the literal ('-1')
  if (/^[-+]/.test(t)) return (t[0] === '-' ? -1 : 1) * parseNumber(t.slice(1).trim());
  const s = t.replace(/[uUlL]+$/, '');
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) return Number.parseInt(s.slice(2), 16);
  if (/^0[0-7]+$/.test(s)) return Number.parseInt(s.slice(1), 8);
  if (/^[0-9]+$/.test(s)) return Number(s);
  return NaN;
}

function bitOp(a: number, b: number, op: '&' | '|' | '^'): number {
  if (a >= 0 && b >= 0 && a < 2 ** 31 && b < 2 ** 31) return op === '&' ? a & b : op === '|' ? a | b : a ^ b;
  const x = BigInt.asUintN(64, BigInt(a)), y = BigInt.asUintN(64, BigInt(b));
  return Number(op === '&' ? x & y : op === '|' ? x | y : x ^ y);
}

const bitNot = (a: number): number => (a >= 0 && a < 2 ** 31 ? ~a : Number(BigInt.asIntN(64, ~BigInt(a))));

/** `a + s*b` with pointer arithmetic on struct pages. */
function add(c: CRun, a: Value, b: Value, s: 1 | -1, where: string): Value {
  if (typeof a === 'number' && typeof b === 'number') return a + s * b;
  if (a instanceof PageRef && typeof b === 'number') return pageAdd(c, a, s * b);
  if (s === 1 && b instanceof PageRef && typeof a === 'number') return pageAdd(c, b, a);
  if (s === -1 && a instanceof PageRef && b instanceof PageRef) return (a.addr - b.addr) / c.k.sizeofPage;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
      return BigInt.asUintN(64, BigInt(a) + BigInt(s) * BigInt(b));
    }
  }
  throw new VariantFault('threw', `${where}: cannot ${s === 1 ? 'add' : 'subtract'} ${describeValue(b)} ${s === 1 ? 'to' : 'from'} ${describeValue(a)}`);
}

function pageAdd(c: CRun, p: PageRef, i: number): PageRef {
  if (p.pfn >= 0) return new PageRef(p.pfn + i, c.k.backing(p.pfn + i), c.k);
  // a stack template: plain address arithmetic
  const off = i * c.k.sizeofPage;
  return new PageRef(-1, p.addr + off, c.k, p.va + BigInt(off));
}

function same(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isZero(a) && isZero(b)) return true;
  if (a instanceof PageRef && b instanceof PageRef) return a.addr === b.addr;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    return (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number') && BigInt(a) === BigInt(b);
  }
  return false;
}

function ord(a: Value, b: Value, where: string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (a instanceof PageRef && b instanceof PageRef) return a.addr - b.addr;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    const x = BigInt(a), y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  throw new VariantFault('threw', `${where}: cannot compare ${describeValue(a)} with ${describeValue(b)}`);
}

/** Is this declaration a `struct page *` (one level of pointer)? */
function isPagePtr(type: Node | null, d: Node | null): boolean {
  return type?.type === 'struct_specifier' && type.childForFieldName('name')?.text === 'page' &&
    d?.type === 'pointer_declarator' && d.childForFieldName('declarator')?.type === 'identifier';
}

/** The declared name in a declarator (through pointers, parentheses, arrays, functions). */
export function declName(d: Node | null): string | null {
  for (let n = d; n; ) {
    if (n.type === 'identifier' || n.type === 'field_identifier') return n.text;
    const inner = n.childForFieldName('declarator') ?? n.namedChildren.find((x) => x !== null && x.type.endsWith('declarator')) ?? null;
    if (!inner) return null;
    n = inner;
  }
  return null;
}

function funcDeclarator(d: Node | null): Node | null {
  for (let n = d; n; n = n.childForFieldName('declarator')) if (n.type === 'function_declarator') return n;
  return null;
}

/** The innermost ERROR or MISSING node under n, if the parse of n failed. */
function firstError(n: Node): Node | null {
  if (!n.hasError) return null;
  for (const ch of n.children) {
    if (!ch) continue;
    const e = firstError(ch);
    if (e) return e;
  }
  return n;
}
