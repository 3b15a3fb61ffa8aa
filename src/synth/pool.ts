// The verification sweeps of a drain synthesis on worker threads that live as long as the
// synthesis: they start (and compile the variant) while the main thread prices the candidates and
// collects the first hazards, and every sweep of the synthesis, in either mode, reuses them. Each
// batch carries its placement (as the variant's Drains: sites removed, points added) and mode; a
// worker answers with the batch's first failing configuration. Batches go out in index order and
// none is sent past a failure already found, so the answer is the scope's lowest-indexed failing
// configuration: the one firstFailure() finds on the main thread. Workers send back the image
// verdicts of each configuration they check, and get them with the configuration in later sweeps
// (image-verdicts.ts): a sweep after the first skips the reference runs where the image is the same.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { type Bounds, configurations } from '../../properties/exhaustive-configs.ts';
import { type Batch, batchesOf } from '../exhaustive/batches.ts';
import { SweepError } from '../exhaustive/sweep.ts';
import { type Candidate, type Placement, drainsOf } from './placement.ts';
import type { ImageVerdicts } from './image-verdicts.ts';
import type { Mode } from './safety.ts';
import type { Scope } from './synthesize.ts';
import type { FromSynthWorker, SynthBatch, SynthWorkerInit } from './worker-main.ts';

/** Below this many configurations a sweep runs on the main thread (a batch round trip costs more). */
export const POOL_MIN_CONFIGURATIONS = 1000;

export const defaultWorkers = (): number => Math.min(availableParallelism(), 8);

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Does a scope go to the pool: whole bounds, big enough to pay for the workers. */
export const pooled = (scope: Scope): scope is Scope & { bounds: Bounds } => scope.bounds !== undefined && scope.count >= POOL_MIN_CONFIGURATIONS;

export class SweepPool {
  private readonly workers: Worker[];
  private job: { onReply: (w: Worker, m: FromSynthWorker) => void; fail: (e: Error) => void } | null = null;
  /** Batch ids, unique over the pool's life: a late reply to an abandoned sweep is ignored. */
  private nextId = 0;
  /** The image verdicts of each configuration checked so far (image-verdicts.ts), by index, for `bounds`. */
  private known = new Map<number, ImageVerdicts>();
  private bounds = '';
  /** Configurations checked, and those of them whose image verdicts were reused, over the pool's life. */
  readonly stats = { checked: 0, reused: 0 };

  /** `variantArg`: what the workers load (a shipped variant's name, a file, a C spec). */
  constructor(variantArg: string, n: number) {
    const init: SynthWorkerInit = { variantArg };
    this.workers = Array.from({ length: n }, () => {
      const w = new Worker(WORKER_URL, { workerData: init });
      w.on('message', (m: FromSynthWorker) => this.job?.onReply(w, m));
      w.on('error', (e) => this.job?.fail(new SweepError(`${variantArg}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`)));
      w.on('exit', (code) => {
        if (code !== 0) this.job?.fail(new SweepError(`drain synthesis: a worker thread exited with code ${code}`));
      });
      return w;
    });
  }

  /** The lowest-indexed configuration of the bounds where the placement fails in the mode, or null. */
  firstFailure(mode: Mode, removed: readonly string[], added: readonly string[], bounds: Bounds): Promise<Scenario | null> {
    if (this.job) throw new Error('SweepPool: one sweep at a time');
    if (JSON.stringify(bounds) !== this.bounds) {
      this.bounds = JSON.stringify(bounds);
      this.known = new Map(); // indices name other configurations
    }
    const known = this.known;
    const batches = batchesOf(configurations(bounds))[Symbol.iterator]();
    const inFlight = new Map<number, Batch>();
    let best: { index: number; scenario: Scenario } | null = null;
    let exhausted = false;
    return new Promise<Scenario | null>((resolve, reject) => {
      const finish = (f: () => void) => {
        this.job = null;
        f();
      };
      const feed = (w: Worker): void => {
        const next = exhausted ? undefined : batches.next();
        if (next === undefined || next.done || (best !== null && next.value.configs[0]!.index > best.index)) {
          exhausted = true; // batches come in index order: none after a failure can lower it
          if (inFlight.size === 0) finish(() => resolve(best?.scenario ?? null));
          return;
        }
        const id = this.nextId++;
        inFlight.set(id, next.value);
        const configs = next.value.configs;
        const msg: SynthBatch = { id, mode, removed, added, configs, known: configs.map((c) => known.get(c.index) ?? null) };
        w.postMessage(msg);
      };
      this.job = {
        onReply: (w, m) => {
          const batch = inFlight.get(m.id);
          if (!batch) return;
          inFlight.delete(m.id);
          if (m.kind === 'error') return this.job?.fail(new SweepError(m.message));
          for (const [index, v] of m.seen) known.set(index, v);
          this.stats.checked += m.seen.length;
          this.stats.reused += m.reused;
          if (m.failing !== null && (best === null || m.failing < best.index)) {
            best = { index: m.failing, scenario: batch.configs.find((c) => c.index === m.failing)!.scenario };
          }
          feed(w);
        },
        fail: (e) => finish(() => reject(e)),
      };
      for (const w of this.workers) feed(w);
    });
  }

  async close(): Promise<void> {
    this.job = null;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The sweep function synthesizeWith() takes, on a pool: whole-bounds scopes of at least
 * POOL_MIN_CONFIGURATIONS go to the workers, anything else stays on the main thread (null).
 */
export function poolSweep(pool: SweepPool, cs: readonly Candidate[], mode: Mode) {
  return (p: Placement, scope: Scope): Promise<Scenario | null> | null => {
    if (!pooled(scope)) return null;
    const d = drainsOf(cs, p);
    return pool.firstFailure(mode, [...d.removed], [...(d.added ?? [])], scope.bounds);
  };
}
