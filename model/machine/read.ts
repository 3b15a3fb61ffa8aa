// Reading a state's memory without an event (image extraction, reports): landed lines with the
// pending streaming bytes forwarded, as this CPU would read them.
import { LINE, UNIT } from './constants.ts';
import { LineMap, fillLineOf } from './lines.ts';
import type { MachineState, PendingLine } from './state.ts';

/** Copy `size` bytes at `addr` of a state's memory (pending bytes forwarded) into `out` at `at`. */
function readInto(lines: ReadonlyMap<number, Uint8Array>, pending: ReadonlyMap<number, PendingLine>,
  fillLine: Uint8Array, addr: number, size: number, out: Uint8Array, at: number): void {
  if (lines instanceof LineMap) {
    lines.readInto(addr, size, out, at);
    if (pending.size !== 0) overlayPending(pending, addr, size, out, at);
    return;
  }
  for (let i = 0; i < size; ) {
    const a = addr + i;
    const idx = Math.floor(a / LINE);
    const off = a - idx * LINE;
    const n = Math.min(LINE - off, size - i);
    const line = lines.get(idx) ?? fillLine;
    if (n === LINE) out.set(line, at + i);
    else for (let b = 0; b < n; b++) out[at + i + b] = line[off + b]!;
    if (pending.size !== 0) {
      const p = pending.get(idx);
      if (p) for (let b = off; b < off + n; b++) if (p.owner[(b / UNIT) | 0]! >= 0) out[at + i + b - off] = p.data[b]!;
    }
    i += n;
  }
}

/** Copy the pending bytes among [addr, addr+size) into out at `at`. */
function overlayPending(pending: ReadonlyMap<number, PendingLine>, addr: number, size: number, out: Uint8Array, at: number): void {
  for (let i = 0; i < size; ) {
    const a = addr + i;
    const idx = Math.floor(a / LINE);
    const off = a - idx * LINE;
    const n = Math.min(LINE - off, size - i);
    const p = pending.get(idx);
    if (p) for (let b = off; b < off + n; b++) if (p.owner[(b / UNIT) | 0]! >= 0) out[at + i + b - off] = p.data[b]!;
    i += n;
  }
}

/** Read committed memory plus forwarded pending bytes, without an event. */
export function peek(state: MachineState, addr: number, size: number): Uint8Array {
  return reader(state)(addr, size);
}

/** A reader over one state, for many reads (image extraction). */
export function reader(state: MachineState): (addr: number, size: number) => Uint8Array {
  const read = readerInto(state);
  return (addr, size) => {
    const out = new Uint8Array(size);
    read(addr, size, out, 0);
    return out;
  };
}

/** Like `reader`, but copies into `out` at `at` (no allocation per read). */
export function readerInto(state: MachineState): (addr: number, size: number, out: Uint8Array, at: number) => void {
  const fillLine = fillLineOf(state.fill);
  return (addr, size, out, at) => readInto(state.lines, state.pending, fillLine, addr, size, out, at);
}

/**
 * Copy the memory of `state` (pending bytes forwarded, as `reader` reads it) at ascending,
 * disjoint address ranges into `out`: range i, [addr, addr + size), goes to `out` at `at`. Equal to
 * a `readerInto` call per range; when the ranges cover much of the state's lines, it makes one
 * pass over the lines instead of a lookup per line (a big map's lookups miss the cache).
 */
export function readRanges(state: MachineState, ranges: readonly (readonly [addr: number, size: number, at: number])[], out: Uint8Array): void {
  let total = 0;
  for (const [, size] of ranges) total += size;
  // chunked lines: a copy per chunk of each range
  if (state.lines instanceof LineMap || 4 * total < LINE * state.lines.size) {
    const read = readerInto(state);
    for (const [addr, size, at] of ranges) read(addr, size, out, at);
    return;
  }
  for (const [, size, at] of ranges) out.fill(state.fill, at, at + size);
  // the first range ending after `a` (ranges ascending), or ranges.length
  const find = (a: number): number => {
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const [addr, size] = ranges[mid]!;
      if (addr + size <= a) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const [idx, line] of state.lines) {
    const a0 = idx * LINE;
    for (let r = find(a0); r < ranges.length; r++) {
      const [addr, size, at] = ranges[r]!;
      if (addr >= a0 + LINE) break;
      const from = Math.max(addr, a0);
      const to = Math.min(addr + size, a0 + LINE);
      if (to - from === LINE && line.length === LINE) out.set(line, at + a0 - addr);
      else for (let a = from; a < to; a++) out[at + a - addr] = line[a - a0]!;
    }
  }
  if (state.pending.size === 0) return;
  for (const [idx, p] of state.pending) {
    const a0 = idx * LINE;
    for (let r = find(a0); r < ranges.length; r++) {
      const [addr, size, at] = ranges[r]!;
      if (addr >= a0 + LINE) break;
      const from = Math.max(addr, a0);
      const to = Math.min(addr + size, a0 + LINE);
      for (let a = from; a < to; a++) if (p.owner[((a - a0) / UNIT) | 0]! >= 0) out[at + a - addr] = p.data[a - a0]!;
    }
  }
}

