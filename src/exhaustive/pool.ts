// Spread batches over worker threads: each worker holds one batch at a time and gets the next
// when it reports, so a slow batch never holds up the others. The tally does not depend on which
// worker checked what (tally.ts), only on the batches.
import { Worker } from 'node:worker_threads';
import type { Batch } from './batches.ts';
import { SweepError, type SweepTarget, checkBatch } from './sweep.ts';
import { type Tally, emptyTally, mergeTallies } from './tally.ts';
import type { FromWorker, ToWorker, WorkerInit } from './worker-main.ts';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Called after each batch with the tally so far and the batch's work. */
export type OnBatch = (sofar: Tally, batch: Batch) => void;

/** Check every batch on the main thread, yielding to the event loop between batches (progress timers). */
export async function runInProcess(t: SweepTarget, batches: Iterable<Batch>, onBatch: OnBatch): Promise<Tally> {
  let tally = emptyTally();
  for (const b of batches) {
    tally = mergeTallies(tally, checkBatch(t, b.configs));
    onBatch(tally, b);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return tally;
}

export function runOnWorkers(t: SweepTarget, n: number, batches: Iterable<Batch>, onBatch: OnBatch): Promise<Tally> {
  const init: WorkerInit = { variantArg: t.variantArg, removed: t.removed, ...(t.added ? { added: t.added } : {}) };
  const it = batches[Symbol.iterator]();
  const workers: Worker[] = [];
  return new Promise<Tally>((resolve, reject) => {
    let tally = emptyTally();
    let busy = 0;
    let failed = false;
    let nextId = 0;
    const inFlight = new Map<number, Batch>();
    const stopAll = () => Promise.all(workers.map((w) => w.terminate()));
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      void stopAll().then(() => reject(e));
    };
    const feed = (w: Worker): void => {
      const next = it.next();
      if (next.done) {
        if (busy === 0) void stopAll().then(() => resolve(tally));
        return;
      }
      const id = nextId++;
      inFlight.set(id, next.value);
      busy++;
      const msg: ToWorker = { id, batch: next.value.configs };
      w.postMessage(msg);
    };
    for (let i = 0; i < n; i++) {
      const w = new Worker(WORKER_URL, { workerData: init });
      workers.push(w);
      w.on('message', (m: FromWorker) => {
        if (failed) return;
        busy--;
        const batch = inFlight.get(m.id)!;
        inFlight.delete(m.id);
        if (m.kind === 'error') return fail(new SweepError(m.message));
        tally = mergeTallies(tally, m.tally);
        onBatch(tally, batch);
        feed(w);
      });
      w.on('error', (e) => fail(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => {
        if (code !== 0 && !failed && inFlight.size > 0) fail(new Error(`exhaustive: a worker thread exited with code ${code}`));
      });
    }
    for (const w of workers) feed(w);
  });
}
