// A placement as a unified diff against a C file (issue 13, output for C input): a drain call inserted
// before the statement of each candidate the placement adds, the drain statement of each site it
// drops deleted. The C front-end supplies where each candidate sits; this file knows nothing of C
// beyond lines, so `git apply` takes the result as it is.

/** A candidate's place in the source. */
export interface SourceCandidate {
  readonly name: string;
  /** 1-based line: a drain site's own drain statement, or the statement a drain point precedes. */
  readonly line: number;
  /** A drain site: `line` holds its drain call (deleted when the placement drops it). */
  readonly site: boolean;
  /** A site's lines deleted when the placement drops it, 1-based inclusive (default: `line` alone),
   *  e.g. the `if` it is the only branch of and the comment above. */
  readonly lines?: readonly [number, number];
}

export interface DiffOptions {
  /** The drain statement to insert, without indentation (default: the file's own, else memcpy_streaming_drain();). */
  readonly drainCall?: string;
  readonly context?: number;
}

interface Edit {
  /** 0-based line index the edit applies at. */
  readonly at: number;
  readonly kind: 'insert' | 'delete';
  readonly text: string;
}

const indentOf = (line: string): string => /^\s*/.exec(line)![0];

/** The unified diff that turns `source` (at `path`) into the placement; '' when nothing changes. */
export function placementToDiff(path: string, source: string, candidates: readonly SourceCandidate[],
  placement: ReadonlySet<string>, o: DiffOptions = {}): string {
  const lines = source.split('\n');
  const finalNewline = source.endsWith('\n');
  if (finalNewline) lines.pop();
  for (const c of candidates) {
    if (c.line < 1 || c.line > lines.length + (c.site ? 0 : 1)) throw new RangeError(`candidate ${c.name}: line ${c.line} is outside ${path} (${lines.length} lines)`);
    if (c.lines && (c.lines[0] < 1 || c.lines[1] > lines.length || c.lines[0] > c.lines[1])) throw new RangeError(`candidate ${c.name}: lines ${c.lines[0]}-${c.lines[1]} are outside ${path} (${lines.length} lines)`);
  }
  const own = candidates.find((c) => c.site);
  const call = o.drainCall ?? (own ? lines[own.line - 1]!.trim() : 'memcpy_streaming_drain();');
  const edits: Edit[] = [];
  for (const c of candidates) {
    const want = placement.has(c.name);
    if (c.site && !want) {
      const [a, b] = c.lines ?? [c.line, c.line];
      for (let l = a; l <= b; l++) edits.push({ at: l - 1, kind: 'delete', text: lines[l - 1]! });
    }
    if (!c.site && want) edits.push({ at: c.line - 1, kind: 'insert', text: indentOf(lines[c.line - 1] ?? '') + call });
  }
  if (edits.length === 0) return '';
  // two dropped sites never share a line, but a line is deleted once whatever the input
  const deleted = new Set<number>();
  for (let i = edits.length - 1; i >= 0; i--) {
    const e = edits[i]!;
    if (e.kind !== 'delete') continue;
    if (deleted.has(e.at)) edits.splice(i, 1);
    else deleted.add(e.at);
  }
  edits.sort((a, b) => a.at - b.at || (a.kind === 'insert' ? -1 : 1));
  const ctx = o.context ?? 3;
  // group edits whose context overlaps into hunks
  const hunks: Edit[][] = [];
  for (const e of edits) {
    const last = hunks[hunks.length - 1];
    if (last && e.at - last[last.length - 1]!.at <= 2 * ctx) last.push(e);
    else hunks.push([e]);
  }
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let shift = 0; // lines added minus removed before the current hunk
  for (const h of hunks) {
    const from = Math.max(0, h[0]!.at - ctx);
    const lastAt = h[h.length - 1]!.at;
    const to = Math.min(lines.length, lastAt + (h[h.length - 1]!.kind === 'delete' ? 1 : 0) + ctx);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let i = from;
    for (const e of h) {
      for (; i < e.at; i++, oldCount++, newCount++) body.push(` ${lines[i]}`);
      if (e.kind === 'insert') {
        body.push(`+${e.text}`);
        newCount++;
      } else {
        body.push(`-${e.text}`);
        oldCount++;
        i++;
      }
    }
    for (; i < to; i++, oldCount++, newCount++) body.push(` ${lines[i]}`);
    const oldStart = oldCount ? from + 1 : from;
    const newStart = newCount ? from + 1 + shift : from + shift;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...body);
    if (to === lines.length && !finalNewline) out.push('\\ No newline at end of file');
    shift += newCount - oldCount;
  }
  return `${out.join('\n')}\n`;
}
