// A command that names a variant file runs on a worker thread, watched from this one: the file is
// code the checker did not write, and a loop in it that never yields would otherwise hang the
// tool. The guard (guard.ts) ticks a heartbeat in shared memory each time the variant's code is
// resumed and clears a flag when it yields; when the flag stays set with no tick for
// WATCHDOG_MS, the worker is terminated and the run ends in one line with exit code 3.
import { Worker } from 'node:worker_threads';
import { HEARTBEAT_BYTES, readHeartbeat } from './heartbeat.ts';
import type { IO } from './main.ts';

const WORKER_URL = new URL('./sandbox-worker.js', import.meta.url);

/** How long the variant's own code may run without yielding an event. */
export const WATCHDOG_MS = Number(process.env.MEMMAP_CHECK_WATCHDOG_MS ?? 5000);

const LOADING_FACTOR = 10;

export type FromSandbox =
  | { readonly kind: 'out' | 'err'; readonly line: string }
  | { readonly kind: 'exit'; readonly code: number };

export interface SandboxInit {
  readonly argv: readonly string[];
  readonly heartbeat: SharedArrayBuffer;
}

export function runIsolated(argv: readonly string[], io: IO, file: string, watchdogMs: number = WATCHDOG_MS): Promise<number> {
  const heartbeat = new SharedArrayBuffer(HEARTBEAT_BYTES);
  const init: SandboxInit = { argv, heartbeat };
  const worker = new Worker(WORKER_URL, { workerData: init, stdout: false, stderr: false });
  return new Promise<number>((resolve) => {
    let done = false;
    let last = -1;
    let since = Date.now();
    const finish = (code: number) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      void worker.terminate().then(() => resolve(code));
    };
    const timer = setInterval(() => {
      const h = readHeartbeat(heartbeat);
      if (!(h.inside || h.loading) || h.ticks !== last) {
        last = h.ticks;
        since = Date.now();
        return;
      }
      // compiling a module takes longer than any one step of a variant: loading gets ten times as long
      if (h.loading && Date.now() - since >= LOADING_FACTOR * watchdogMs) {
        io.err(`memmap-check: variant file '${file}' did not finish loading in ${(LOADING_FACTOR * watchdogMs) / 1000} s (a loop at its top level?): stopped`);
        finish(3);
      } else if (h.inside && Date.now() - since >= watchdogMs) {
        io.err(`memmap-check: variant file '${file}' ran ${watchdogMs / 1000} s without yielding an event (after ${h.ticks} resumptions), in ${h.fn}: stopped`);
        finish(3);
      }
    }, Math.min(200, Math.max(10, watchdogMs / 10)));
    worker.on('message', (m: FromSandbox) => {
      if (m.kind === 'exit') finish(m.code);
      else if (m.kind === 'out') io.out(m.line);
      else io.err(m.line);
    });
    worker.on('error', (e) => {
      io.err(`memmap-check: variant file '${file}' crashed the run: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
      finish(3);
    });
    worker.on('exit', (code) => {
      if (done) return;
      io.err(`memmap-check: variant file '${file}' ended the run (worker exit code ${code})`);
      finish(3);
    });
  });
}
