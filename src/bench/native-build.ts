// Building and running the C in bench/native/ with the system compiler, in a temporary directory
// (binaries are never written into the repository).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NATIVE_DIR = fileURLToPath(new URL('../../bench/native/', import.meta.url));

/** Why native code cannot run here, or null: no `cc`, or not x86-64 (MOVNTI, SFENCE). */
export function nativeUnavailable(): string | null {
  if (process.arch !== 'x64') return `this machine is ${process.arch}, not x86-64: MOVNTI and SFENCE are x86 instructions`;
  const r = spawnSync('cc', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'no C compiler: `cc` was not found on PATH';
  return null;
}

export class NativeError extends Error {
  override readonly name = 'NativeError';
}

/** A scratch directory for one build, removed by `done()`. */
export function scratchDir(): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'memmap-check-native-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const CFLAGS = ['-O2', '-fno-tree-vectorize', '-Wall', '-Wno-unused-variable', '-Wno-unused-but-set-variable'];

/** Compile bench/native/<source> (with prog.h from `dir` when given) into dir/<out>. */
export function compile(source: string, dir: string, out: string, defines: readonly string[] = []): string {
  const bin = path.join(dir, out);
  // a trace build only prints: no need to optimize it
  const flags = defines.includes('TRACE') ? ['-O0', ...CFLAGS.slice(1)] : CFLAGS;
  const r = spawnSync('cc', [...flags, ...defines.map((d) => `-D${d}`), `-I${dir}`, '-o', bin, path.join(NATIVE_DIR, source)], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new NativeError(`cc failed on ${source}: ${(r.stderr || String(r.error)).trim().split('\n').slice(0, 5).join(' | ')}`);
  return bin;
}

/** Run a built binary; its stdout. */
export function runBinary(bin: string, args: readonly string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error || r.status !== 0) throw new NativeError(`${path.basename(bin)} failed (exit ${r.status}): ${(r.stderr || String(r.error)).trim()}`);
  return r.stdout;
}

export interface HarnessTiming {
  /** Thread CPU time of each timed run, ns. */
  readonly runsNs: readonly number[];
  readonly wallNs: readonly number[];
  readonly medianNs: number;
  readonly bytes: readonly [number, number, number];
}

/** Build the harness for a generated prog.h and time it. */
export function timeHarness(progH: string, runs: number): HarnessTiming {
  const { dir, done } = scratchDir();
  try {
    writeFileSync(path.join(dir, 'prog.h'), progH);
    const bin = compile('harness.c', dir, 'harness');
    const j = JSON.parse(runBinary(bin, ['--runs', String(runs)])) as { runs_ns: number[]; wall_ns: number[]; median_ns: number; bytes: [number, number, number] };
    return { runsNs: j.runs_ns, wallNs: j.wall_ns, medianNs: j.median_ns, bytes: j.bytes };
  } finally {
    done();
  }
}

/** Build the harness in trace mode for a generated prog.h; the ops it prints, one per line. */
export function traceHarness(progH: string): string[] {
  const { dir, done } = scratchDir();
  try {
    writeFileSync(path.join(dir, 'prog.h'), progH);
    const bin = compile('harness.c', dir, 'harness-trace', ['TRACE']);
    return runBinary(bin, []).split('\n').filter((l) => l !== '');
  } finally {
    done();
  }
}
