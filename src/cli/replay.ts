// memmap-check replay TOKEN | FILE.json: rerun a counterexample exactly (the model is
// deterministic) and print its report. A saved file also says whether the case still fails the
// way it did when it was saved.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { type Counterexample, ReplayInputError } from '../report/counterexample.ts';
import { dotReport } from '../report/dot-report.ts';
import { explain } from '../report/explain.ts';
import type { Explanation } from '../report/explanation.ts';
import { counterexampleDoc } from '../report/json-report.ts';
import { caseOfDocument, differenceFrom, documentsIn, signatureOf, signatureOfExplanation } from '../report/saved.ts';
import { textReport } from '../report/text-report.ts';
import { decodeToken } from '../report/token.ts';
import { UsageError } from './errors.ts';
import { formatOf, saveCounterexample, saveDirOf } from './format.ts';
import { loadVariant } from './load-variant.ts';

export const REPLAY_USAGE = 'replay TOKEN|FILE.json [--format text|json|dot] [--save DIR]';

interface Replayed {
  readonly x: Explanation;
  /** for a saved document: null if it fails the same way, else what changed */
  readonly drift?: string | null;
}

export async function runReplay(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const format = formatOf(values.format);
  const saveDir = saveDirOf(values.save);
  if (positionals.length === 0) throw new UsageError(`replay needs a token or a file; usage: memmap-check ${REPLAY_USAGE}`);
  const replayed = await replayInput(positionals);
  const note = format === 'text' ? console.log : console.error;
  if (format === 'json') {
    const docs = replayed.map((r) => counterexampleDoc(r.x));
    console.log(JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2));
  } else if (format === 'dot') console.log(replayed.map((r) => dotReport(r.x)).join('\n\n'));
  replayed.forEach((r, i) => {
    if (format === 'text') console.log([...(i > 0 ? [''] : []), ...textReport(r.x)].join('\n'));
    if (r.drift !== undefined) note(r.drift === null ? 'saved counterexample: reproduced (same property, hazard and field)' : `saved counterexample: NOT reproduced: ${r.drift}`);
  });
  if (saveDir !== undefined) for (const r of replayed) note(`saved: ${saveCounterexample(saveDir, counterexampleDoc(r.x))}`);
  return replayed.some((r) => r.x.outcome === 'FAIL' || (r.drift !== undefined && r.drift !== null)) ? 1 : 0;
}

/** A token (mail clients may split it into several arguments), or one JSON file. */
async function replayInput(args: string[]): Promise<Replayed[]> {
  try {
    if (args.length === 1 && /\.json$/i.test(args[0]!)) return await replayFile(args[0]!);
    return [{ x: await replayCase(decodeToken(args.join(''))) }];
  } catch (e) {
    if (e instanceof ReplayInputError) throw new UsageError(e.message);
    throw e;
  }
}

async function replayFile(file: string): Promise<Replayed[]> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read '${file}'; allowed: a file written by check --save or check --format json`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`'${file}' is not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  const out: Replayed[] = [];
  for (const doc of documentsIn(json, file)) {
    const x = await replayCase(caseOfDocument(doc, file));
    const saved = doc as Parameters<typeof signatureOf>[0];
    out.push({ x, drift: differenceFrom(signatureOf(saved), signatureOfExplanation(x)) });
  }
  return out;
}

/** Load the variant, check its drains exist, and explain the case. */
export async function replayCase(cx: Counterexample): Promise<Explanation> {
  const v = await loadVariant(cx.variant);
  checkDrains(v, cx);
  return explain(v, cx);
}

function checkDrains(v: Variant, cx: Counterexample): void {
  const sites = v.drainSites.map((d) => d.name);
  const points = (v.drainPoints ?? []).map((d) => d.name);
  for (const s of cx.removed) {
    if (!sites.includes(s)) throw new UsageError(`unknown drain site '${s}' for variant ${v.name}; allowed: ${sites.join(', ') || '(none)'}`);
  }
  for (const s of cx.added) {
    if (!points.includes(s)) throw new UsageError(`unknown drain point '${s}' for variant ${v.name}; allowed: ${points.join(', ') || '(none)'}`);
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { format: { type: 'string' }, save: { type: 'string' } }, strict: true, allowPositionals: true });
  } catch (e) {
    throw new UsageError((e as Error).message.split('. To ')[0]!.replace(/^Unknown option/, 'unknown option'));
  }
}
