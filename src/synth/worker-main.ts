// A synthesis sweep worker: loads the variant once, then for each batch it is sent says the first
// configuration where the batch's placement fails in the batch's mode (src/synth/pool.ts).
import { parentPort, workerData } from 'node:worker_threads';
import type { Configuration } from '../../properties/exhaustive-configs.ts';
import { describeScenario } from '../../model/kernel/describe.ts';
import { variantByName } from '../../model/kernel/variants/index.ts';
import type { ImageVerdicts } from './image-verdicts.ts';
import { type Mode, holds } from './safety.ts';

export interface SynthWorkerInit {
  readonly variantArg: string;
}

export interface SynthBatch {
  readonly id: number;
  readonly mode: Mode;
  /** The placement as the variant's Drains: sites removed, points added (by name). */
  readonly removed: readonly string[];
  readonly added: readonly string[];
  readonly configs: readonly Configuration[];
  /** Per configuration, its image verdicts from an earlier sweep, or null. */
  readonly known: readonly (ImageVerdicts | null)[];
}

export type FromSynthWorker =
  | {
    readonly kind: 'done'; readonly id: number; readonly failing: number | null;
    /** The image verdicts of the configurations checked whose run got as far as the image. */
    readonly seen: readonly (readonly [number, ImageVerdicts])[];
    /** Configurations whose known image verdicts were taken (the image was the same). */
    readonly reused: number;
  }
  | { readonly kind: 'error'; readonly id: number; readonly message: string };

const init = workerData as SynthWorkerInit;
const port = parentPort!;
// a shipped variant by name without the module graph of file and C loading (a worker's start is
// most of its cost on a short sweep); anything else as the CLI loads it
const shipped = variantByName(init.variantArg);
const variant = shipped ? Promise.resolve(shipped) : import('../cli/load-variant.ts').then((m) => m.loadVariant(init.variantArg));
variant.catch(() => {}); // told with the first batch's reply, not as an unhandled rejection

port.on('message', async (m: SynthBatch) => {
  let reply: FromSynthWorker;
  let at: Configuration | undefined;
  try {
    const v = await variant;
    const d = { removed: new Set(m.removed), added: new Set(m.added) };
    let failing: number | null = null;
    const seen: [number, ImageVerdicts][] = [];
    let reused = 0;
    for (const [i, c] of m.configs.entries()) { // in index order: the first failure is the batch's lowest
      at = c;
      const r = holds(m.mode, v, c.scenario, d, { known: m.known[i] ?? null });
      if (r.image) seen.push([c.index, r.image]);
      if (r.image !== null && r.image === m.known[i]) reused++;
      if (!r.ok) {
        failing = c.index;
        break;
      }
    }
    reply = { kind: 'done', id: m.id, failing, seen, reused };
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    reply = { kind: 'error', id: m.id, message: at ? `configuration #${at.index} (${describeScenario(at.scenario)}): ${init.variantArg} threw: ${msg}` : `${init.variantArg}: ${msg}` };
  }
  port.postMessage(reply);
});
