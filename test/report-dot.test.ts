// --format dot: a herd7-style execution graph. Rendered with the real `dot` when it is installed
// (Debian: graphviz), otherwise checked against the dot grammar the renderer uses.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { replayCase } from '../src/cli/replay.ts';
import { caseOfDocument } from '../src/report/saved.ts';
import { dotReport } from '../src/report/dot-report.ts';
import { REPORT_CASES, handOverSaved, readSaved } from './report-cases.ts';

const hasDot = spawnSync('dot', ['-V'], { encoding: 'utf8' }).status === 0;

/**
 * The subset of the dot language dotReport() writes: one digraph, attribute statements, nodes
 * and edges with [a=b, ...] lists, one cluster, every quoted string closed. Returns the problems.
 */
function dotSyntaxProblems(text: string): string[] {
  const problems: string[] = [];
  const id = String.raw`[A-Za-z_][A-Za-z0-9_]*`;
  const str = String.raw`"(?:[^"\\]|\\.)*"`;
  const value = `(?:${id}|${str}|[0-9.]+)`;
  const attrs = String.raw`\[\s*${id}=${value}(?:\s*,\s*${id}=${value})*\s*\]`;
  const statement = new RegExp(`^(?:(?:graph|node|edge) ${attrs}|${id}(?: -> ${id})?(?: ${attrs})?|${id}=${value}(?:; ${id}=${value})*);$`);
  const lines = text.split('\n').map((l) => l.trim());
  if (!new RegExp(`^digraph ${str} \\{$`).test(lines[0] ?? '')) problems.push(`line 1: not a digraph header: ${lines[0]}`);
  if (lines[lines.length - 1] !== '}') problems.push('the graph is not closed');
  let depth = 0;
  lines.forEach((l, i) => {
    if (i === 0 || i === lines.length - 1) return;
    if (/^subgraph cluster_[A-Za-z0-9_]+ \{$/.test(l)) depth++;
    else if (l === '}') depth--;
    else if (!statement.test(l)) problems.push(`line ${i + 1}: ${l}`);
    if (depth < 0) problems.push(`line ${i + 1}: unbalanced }`);
  });
  if (depth !== 0) problems.push('unbalanced subgraph');
  const ids = new Set([...text.matchAll(new RegExp(`^\\s*(${id}) \\[`, 'gm'))].map((m) => m[1]));
  for (const m of text.matchAll(new RegExp(`^\\s*(${id}) -> (${id})`, 'gm'))) {
    for (const end of [m[1], m[2]]) if (!ids.has(end)) problems.push(`edge to undeclared node ${end}`);
  }
  return problems;
}

describe.each(REPORT_CASES)('dot graph of $spec $property', (c) => {
  it('is a valid graph with the store, the missing drain, the access and the late commit', async () => {
    const doc = readSaved(c.file) as { variant: string };
    const x = await replayCase(caseOfDocument(doc, c.file), handOverSaved(doc));
    const dot = dotReport(x);
    expect(dotSyntaxProblems(dot)).toEqual([]);
    const kinds = x.steps.map((s) => s.kind);
    if (kinds.includes('missing-drain')) expect(dot).toMatch(/F MISSING before #\d+: [^"]+", tooltip="[^"]*", color=red/);
    if (kinds.includes('streaming-store')) {
      expect(dot).toContain('label="late commit", color=blue');
      expect(dot).toMatch(/-> e\d+ \[label="(read-after-streaming|write-after-streaming|unpublished)/);
    }
    if (x.steps.length > 1) expect(dot).toMatch(/e1 -> e2 \[label="po"\]/);
    if (hasDot) {
      const r = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('<svg');
    }
  });
});

describe('dot syntax check', () => {
  // dot itself accepts the last two (it declares nodes on first use, semicolons are optional);
  // the renderer never writes them, so the check is stricter
  it.each([
    ['an unclosed graph', 'digraph "g" {\n  a [label="x"];', true],
    ['an unclosed string', 'digraph "g" {\n  a [label="x];\n}', true],
    ['an edge to an undeclared node', 'digraph "g" {\n  a [label="x"];\n  a -> b [label="po"];\n}', false],
    ['a missing semicolon', 'digraph "g" {\n  a [label="x"]\n}', false],
  ])('rejects %s', (_, text, dotRejects) => {
    expect(dotSyntaxProblems(text)).not.toEqual([]);
    if (hasDot && dotRejects) expect(spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf8' }).status).not.toBe(0);
  });
});
