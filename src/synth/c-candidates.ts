// Where each candidate of a C variant sits in its file, for the unified diff of a placement
// (docs/synthesis.md §9): a drain point `function:LINE` is the statement starting at LINE, and a
// drain site `function#n` is its drain call's statement. Dropping a site deletes the smallest
// statement that holds only the drain: the call's own statement, or an `if` whose only branch it is
// and whose condition has no side effect (`if (use_template) memcpy_nt_drain();`), with the comment
// lines right above it. The file is parsed again here (the compiler keeps no syntax tree).
import { type Node, parseC } from '../../model/c/parse.ts';
import { eraseAttributes } from '../../model/c/preprocess.ts';
import type { CVariant } from '../../model/c/variant.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import type { SourceCandidate } from './diff.ts';

const DRAIN_FNS = ['memcpy_nt_drain', 'memcpy_streaming_drain', 'arch_optimize_store_drain'];
/** Where a statement is one of a list (a drain can go on its own line before it): a block, or a #if branch in one. */
const BLOCKS = new Set(['compound_statement', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif']);

/** The candidates of a C variant in its source, and the points a diff cannot place (left out). */
export interface CSourceCandidates {
  readonly candidates: readonly SourceCandidate[];
  /** Points whose statement does not begin its line: a drain inserted before the line would land elsewhere. */
  readonly unplaceable: readonly string[];
  /** The statement a diff inserts: the file's own drain function. */
  readonly drainCall: string;
  /** Sites a diff cannot delete (the drain call is not a statement of its own); kept in every placement. */
  readonly fixed: readonly string[];
}

const lineOf = (where: string): number | null => {
  const m = /:(\d+): /.exec(where);
  return m ? Number(m[1]) : null;
};

function* walk(n: Node): Generator<Node> {
  yield n;
  for (const ch of n.namedChildren) if (ch) yield* walk(ch);
}

/** An expression with no call, assignment or increment: evaluating it or not changes nothing. */
const pure = (n: Node): boolean => ![...walk(n)].some((x) => x.type === 'call_expression' || x.type === 'assignment_expression' || x.type === 'update_expression');

/** 1-based [first, last] lines to delete to drop the drain call `call`, or null. */
function removable(call: Node, text: readonly string[]): [number, number] | null {
  let st = call.parent;
  while (st && st.type === 'parenthesized_expression') st = st.parent;
  if (!st || st.type !== 'expression_statement' || st.namedChildren[0]?.id !== call.id) return null;
  const p = st.parent;
  if (p && p.type === 'if_statement' && p.childForFieldName('consequence')?.id === st.id &&
    !p.childForFieldName('alternative') && pure(p.childForFieldName('condition')!)) st = p;
  const row0 = st.startPosition.row;
  const row1 = st.endPosition.row;
  // the statement must own its lines
  const before = text[row0]!.slice(0, st.startPosition.column);
  const after = text[row1]!.slice(st.endPosition.column);
  if (before.trim() !== '' || after.trim() !== '') return null;
  // a comment right above (no blank line between) speaks of this drain: it goes too
  let first = row0;
  let prev = st.previousNamedSibling;
  while (prev && prev.type === 'comment' && prev.endPosition.row === first - 1 && text[prev.startPosition.row]!.slice(0, prev.startPosition.column).trim() === '') {
    first = prev.startPosition.row;
    prev = prev.previousNamedSibling;
  }
  return [first + 1, row1 + 1];
}

/** The drain call a diff inserts: the file's own drain function, else the one for its streaming copy. */
function drainCallOf(v: Variant, source: string): string {
  const own = v.drainSites.map((d) => /: (\w+)\(\) in /.exec(d.where)?.[1]).find((x) => x !== undefined);
  if (own) return `${own}();`;
  if (/\barch_optimize_store_u64\s*\(/.test(source)) return 'arch_optimize_store_drain();';
  if (/\bmemcpy_nt\s*\(/.test(source)) return 'memcpy_nt_drain();';
  return 'memcpy_streaming_drain();';
}

/** The source places of a C variant's candidates; `source` is the text it was compiled from (patches applied). */
export async function cSourceCandidates(v: CVariant, source: string): Promise<CSourceCandidates> {
  const text = source.split('\n');
  const tree = await parseC(eraseAttributes(source));
  try {
    const nodes = [...walk(tree.rootNode)];
    const candidates: SourceCandidate[] = [];
    const fixed: string[] = [];
    for (const d of v.drainSites) {
      const line = lineOf(d.where);
      const call = nodes.find((n) => n.type === 'call_expression' && n.startPosition.row + 1 === line &&
        DRAIN_FNS.includes(n.childForFieldName('function')?.text ?? ''));
      const range = call ? removable(call, text) : null;
      if (line === null || !range) {
        fixed.push(d.name);
        continue;
      }
      candidates.push({ name: d.name, line, site: true, lines: range });
    }
    const unplaceable: string[] = [];
    for (const p of v.drainPoints ?? []) {
      const line = Number(/:(\d+)$/.exec(p.name)?.[1]);
      const row = line - 1;
      const starts = nodes.some((n) => n.startPosition.row === row && BLOCKS.has(n.parent?.type ?? '') && n.type !== 'comment' &&
        text[row]!.slice(0, n.startPosition.column).trim() === '');
      if (!Number.isInteger(line) || !starts) unplaceable.push(p.name);
      else candidates.push({ name: p.name, line, site: false });
    }
    return { candidates, unplaceable, fixed, drainCall: drainCallOf(v, source) };
  } finally {
    tree.delete();
  }
}

/** The variant with only the candidates a diff can express: a site it cannot delete is no candidate (always drains). */
export function placeableVariant<V extends Variant>(v: V, c: CSourceCandidates): V {
  const out = new Set([...c.unplaceable, ...c.fixed]);
  return { ...v, drainSites: v.drainSites.filter((d) => !out.has(d.name)), drainPoints: (v.drainPoints ?? []).filter((p) => !out.has(p.name)) };
}
