// A sweep worker: loads the variant once, then checks the batches the main thread sends.
import { parentPort, workerData } from 'node:worker_threads';
import { loadVariant } from '../cli/load-variant.ts';
import type { Configuration } from '../../properties/exhaustive-configs.ts';
import { type SweepTarget, checkBatch } from './sweep.ts';

export interface WorkerInit {
  readonly variantArg: string;
  readonly removed: readonly string[];
  readonly added?: readonly string[];
}

export type ToWorker = { readonly id: number; readonly batch: readonly Configuration[] };
export type FromWorker =
  | { readonly kind: 'done'; readonly id: number; readonly tally: ReturnType<typeof checkBatch> }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

const init = workerData as WorkerInit;
const port = parentPort!;
const target: Promise<SweepTarget> = loadVariant(init.variantArg).then((variant) => ({ variant, variantArg: init.variantArg, removed: init.removed, ...(init.added ? { added: init.added } : {}) }));

port.on('message', async (m: ToWorker) => {
  let reply: FromWorker;
  try {
    reply = { kind: 'done', id: m.id, tally: checkBatch(await target, m.batch) };
  } catch (e) {
    reply = { kind: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
