// placementToDiff (src/synth/diff.ts): the unified diff `git apply` takes, for a C file with a drain
// moved, added and removed. The C here is a made-up sketch of the shape, not kernel source.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type SourceCandidate, placementToDiff } from '../src/synth/diff.ts';

const C = [
  'static void init_tails(struct pg *head, unsigned long n)',
  '{',
  '\tunsigned long i;',
  '',
  '\tfor (i = 1; i < n; i++)',
  '\t\tstream_copy(head + i, &tmpl);',
  '\tfinish_head(head);',
  '\tstream_drain();',
  '}',
  '',
  'void init_all(struct pg *p, unsigned long n)',
  '{',
  '\tstream_copy(p, &tmpl);',
  '\tinit_tails(p, n);',
  '\tstream_drain();',
  '}',
  '',
].join('\n');

const CANDIDATES: SourceCandidate[] = [
  { name: 'before-finish_head', line: 7, site: false },
  { name: 'after-finish_head', line: 8, site: true },
  { name: 'before-init_tails', line: 14, site: false },
  { name: 'before-return', line: 15, site: true },
];

function applied(diff: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmc-diff-'));
  writeFileSync(join(dir, 'f.c'), C);
  writeFileSync(join(dir, 'p.diff'), diff);
  execFileSync('git', ['apply', '--check', 'p.diff'], { cwd: dir });
  execFileSync('git', ['apply', 'p.diff'], { cwd: dir });
  return readFileSync(join(dir, 'f.c'), 'utf8');
}

describe('placementToDiff', () => {
  it('moves a drain before the store it must precede, adds one, and git apply takes it', () => {
    const diff = placementToDiff('f.c', C, CANDIDATES, new Set(['before-finish_head', 'before-init_tails', 'before-return']));
    expect(diff).toMatch(/^--- a\/f\.c\n\+\+\+ b\/f\.c\n@@ /);
    const out = applied(diff).split('\n');
    expect(out.slice(5, 9)).toEqual(['\t\tstream_copy(head + i, &tmpl);', '\tstream_drain();', '\tfinish_head(head);', '}']);
    expect(out.slice(11, 16)).toEqual(['{', '\tstream_copy(p, &tmpl);', '\tstream_drain();', '\tinit_tails(p, n);', '\tstream_drain();']);
  });

  it('removes a drain; the same placement gives no diff', () => {
    expect(applied(placementToDiff('f.c', C, CANDIDATES, new Set(['before-return'])))).not.toContain('finish_head(head);\n\tstream_drain();');
    expect(placementToDiff('f.c', C, CANDIDATES, new Set(['after-finish_head', 'before-return']))).toBe('');
  });

  it('inserts the given drain call and rejects a line outside the file', () => {
    const out = applied(placementToDiff('f.c', C, CANDIDATES, new Set(['after-finish_head', 'before-return', 'before-init_tails']), { drainCall: 'memcpy_streaming_drain();' }));
    expect(out).toContain('\tmemcpy_streaming_drain();\n\tinit_tails(p, n);');
    expect(() => placementToDiff('f.c', C, [{ name: 'x', line: 99, site: true }], new Set())).toThrow(/line 99 is outside f\.c/);
  });
});
