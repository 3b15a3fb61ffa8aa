// Wrap report lines at 80 columns for e-mail. Words are never split, so a word longer than the
// width (a replay token) stays whole on a line of its own.

export const WIDTH = 80;

/** Wrap `text` after `first` (the first line's prefix); continuation lines start with `indent`. */
export function wrap(first: string, text: string, indent: string, width = WIDTH): string[] {
  return wrapWords(first, text.split(' ').filter((w) => w !== ''), ' ', indent, width);
}

/** A call stack, broken after a ' >' so each line stays readable. */
export function wrapStack(first: string, frames: readonly string[], indent: string, width = WIDTH): string[] {
  const words = frames.map((f, i) => (i < frames.length - 1 ? `${f} >` : f));
  return wrapWords(first, words, ' ', indent, width);
}

function wrapWords(first: string, words: readonly string[], sep: string, indent: string, width: number): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const w of words) {
    const candidate = empty ? line + w : line + sep + w;
    if (!empty && candidate.length > width) {
      lines.push(line);
      line = indent + w;
    } else line = candidate;
    empty = false;
  }
  lines.push(line);
  return lines;
}
