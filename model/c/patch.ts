// Apply unified diffs (git format-patch or git diff output) to one file's text, in memory. Hunks of
// other files are skipped; a hunk whose old lines are not found is one line naming the hunk and
// the line it expected.
import { CFrontError } from './errors.ts';

export interface PatchText {
  /** as given on the command line */
  readonly name: string;
  readonly text: string;
}

interface Hunk {
  readonly header: string;
  readonly oldStart: number;
  readonly lines: readonly string[];
  /** 1-based line of the @@ header in the patch file */
  readonly at: number;
}

/** Does a diff path (a/mm/mm_init.c) name the file under check (mm/mm_init.c, /tree/mm/mm_init.c)? */
function sameFile(diffPath: string, file: string): boolean {
  const p = diffPath.replace(/^[ab]\//, '').replace(/\t.*$/, '');
  const f = file.replace(/\\/g, '/');
  return f === p || f.endsWith(`/${p}`) || p.endsWith(`/${f.split('/').pop()}`) && f.split('/').pop() === p.split('/').pop();
}

/** The hunks of `file` in a patch, or null when the patch does not touch it. */
function hunksFor(patch: PatchText, file: string): Hunk[] | null {
  const lines = patch.text.split('\n');
  const out: Hunk[] = [];
  let target = false;
  let sawFile = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const path = lines[i + 1]!.slice(4).trim();
      target = sameFile(path === '/dev/null' ? l.slice(4).trim() : path, file);
      sawFile ||= target;
      i++;
      continue;
    }
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(l);
    if (!m || !target) continue;
    let oldLeft = m[2] === undefined ? 1 : Number(m[2]);
    let newLeft = m[4] === undefined ? 1 : Number(m[4]);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && (oldLeft > 0 || newLeft > 0); j++) {
      const b = lines[j]!;
      if (b.startsWith('\\')) continue; // "\ No newline at end of file"
      const kind = b[0] ?? ' ';
      if (kind === ' ' || b === '') { oldLeft--; newLeft--; } else if (kind === '-') oldLeft--; else if (kind === '+') newLeft--; else break;
      body.push(b === '' ? ' ' : b);
    }
    out.push({ header: m[0], oldStart: Number(m[1]), lines: body, at: i + 1 });
    i = j - 1;
  }
  return sawFile ? out : null;
}

/** The text with every patch applied in order. */
export function applyPatches(text: string, patches: readonly PatchText[], file: string): string {
  let lines = text.split('\n');
  let touched = false;
  for (const p of patches) {
    // a series also has patches of other files (string.h, string_64.h): they are skipped
    const hunks = hunksFor(p, file);
    if (hunks === null) continue;
    touched = true;
    let delta = 0;
    hunks.forEach((h, n) => {
      const old = h.lines.filter((l) => l[0] !== '+').map((l) => l.slice(1));
      const neu = h.lines.filter((l) => l[0] !== '-').map((l) => l.slice(1));
      const want = Math.max(0, h.oldStart - 1 + delta);
      const at = findBlock(lines, old, want);
      if (at < 0) {
        // name the first old line that is not where the hunk expects it
        const k = old.findIndex((l, i) => lines[want + i] !== l);
        const line = want + Math.max(k, 0) + 1;
        throw new CFrontError(null, `${p.name}:${h.at}: hunk #${n + 1} (${h.header}) does not apply to ${file}: expected line ${line} to be '${(old[Math.max(k, 0)] ?? '').trim()}'`);
      }
      lines = [...lines.slice(0, at), ...neu, ...lines.slice(at + old.length)];
      delta += at - (h.oldStart - 1 + delta) + neu.length - old.length;
    });
  }
  if (!touched) throw new CFrontError(null, `${patches.map((p) => p.name).join(', ')}: no hunk changes ${file}`);
  return lines.join('\n');
}

/** Where the block of old lines sits: at `want`, else the nearest exact match (patch's offset). */
function findBlock(lines: readonly string[], old: readonly string[], want: number): number {
  const fits = (s: number) => s >= 0 && s + old.length <= lines.length && old.every((l, i) => lines[s + i] === l);
  if (fits(want)) return want;
  for (let d = 1; d < lines.length; d++) {
    if (fits(want - d)) return want - d;
    if (fits(want + d)) return want + d;
  }
  return -1;
}
