// memmap-check replay TOKEN | FILE.json: rerun a counterexample exactly (the model is
// deterministic) and print its report. A saved file also says whether the case still fails the
// way it did when it was saved.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { VARIANTS, variantByName } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { type Counterexample, ReplayInputError } from '../report/counterexample.ts';
import { dotReport } from '../report/dot-report.ts';
import { explain } from '../report/explain.ts';
import type { Explanation } from '../report/explanation.ts';
import { counterexampleDoc } from '../report/json-report.ts';
import { caseOfDocument, differenceFrom, documentsIn, signatureOf, signatureOfExplanation } from '../report/saved.ts';
import { textReport } from '../report/text-report.ts';
import { decodeToken } from '../report/token.ts';
import { UsageError, allowed, maxEventsOf } from './errors.ts';
import { formatOf, saveCounterexample, saveDirOf } from './format.ts';
import { isCSpec } from './c-source.ts';
import { isVariantPath, loadVariant, sha256Of, variantFileOf } from './load-variant.ts';
import { parseCommand } from './options.ts';

export const REPLAY_USAGE = 'replay TOKEN|FILE.json [--variant FILE] [--format text|json|dot] [--save DIR] [--max-events N]';

/** The largest range replay runs: 1 GiB of 4 KiB pages (a found counterexample has a handful). */
export const MAX_REPLAY_PAGES = 262_144;

interface Replayed {
  readonly x: Explanation;
  /** for a saved document: null if it fails the same way, else what changed */
  readonly drift?: string | null;
}

export interface ReplayOptions {
  /** --variant FILE: the variant file the user hands over explicitly */
  readonly variantFile?: string | undefined;
  /** --max-events N */
  readonly maxEvents?: number | undefined;
  /** where a saved JSON lives: its relative variant path resolves against this folder */
  readonly baseDir?: string | undefined;
  /** what the case came from, for messages: 'the token' or the JSON file's name */
  readonly from?: string | undefined;
}

export async function runReplay(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv);
  const format = formatOf(values.format);
  const saveDir = saveDirOf(values.save);
  const o: ReplayOptions = {
    variantFile: values.variant,
    maxEvents: values['max-events'] === undefined ? undefined : maxEventsOf(values['max-events']),
  };
  if (positionals.length === 0) throw new UsageError(`replay needs a token or a file; usage: memmap-check ${REPLAY_USAGE}`);
  const replayed = await replayInput(positionals, o);
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
async function replayInput(args: string[], o: ReplayOptions): Promise<Replayed[]> {
  try {
    if (args.length === 1 && /\.json$/i.test(args[0]!)) return await replayFile(args[0]!, o);
    if (args.some((a) => /\.json$/i.test(a))) throw new UsageError(`replay takes one token or one .json file; got ${args.length} arguments`);
    return [{ x: await replayCase(decodeToken(args.join('')), { ...o, from: 'the token' }) }];
  } catch (e) {
    if (e instanceof ReplayInputError) throw new UsageError(e.message);
    throw e;
  }
}

async function replayFile(file: string, o: ReplayOptions): Promise<Replayed[]> {
  let text: string;
  try {
    if (statSync(file).size > 64 * 1024 * 1024) throw new UsageError(`'${file}' is larger than 64 MiB; allowed: a file written by check --save or check --format json`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UsageError) throw e;
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
    const cx = caseOfDocument(doc, file);
    // the document's own token records the variant file's hash
    const token = (doc as { token?: unknown }).token;
    let sha: string | undefined;
    try {
      sha = typeof token === 'string' ? decodeToken(token).variantSha256 : undefined;
    } catch {
      sha = undefined;
    }
    const x = await replayCase(sha ? { ...cx, variantSha256: sha } : cx, { ...o, baseDir: dirname(resolve(file)), from: file });
    const saved = doc as Parameters<typeof signatureOf>[0];
    out.push({ x, drift: differenceFrom(signatureOf(saved), signatureOfExplanation(x)) });
  }
  return out;
}

/**
 * The variant a case names, loaded without ever running code the user did not hand over: a
 * shipped variant by name; a variant file only when given with --variant FILE, and only if it is
 * the file the case was found with (its SHA-256, when the case records one).
 */
export async function variantForCase(cx: Counterexample, o: ReplayOptions = {}): Promise<Variant> {
  const from = o.from ?? 'the counterexample';
  const shipped = variantByName(cx.variant);
  if (shipped) {
    if (o.variantFile !== undefined && o.variantFile !== cx.variant) {
      throw new UsageError(`${from} is for the shipped variant ${cx.variant}; --variant ${o.variantFile} is not allowed with it (leave --variant out)`);
    }
    return shipped;
  }
  if (!isVariantPath(cx.variant)) {
    throw allowed('variant', cx.variant, [...VARIANTS.map((v) => v.name), 'or a variant file passed with --variant FILE']);
  }
  const recorded = o.baseDir !== undefined ? resolve(o.baseDir, cx.variant) : cx.variant;
  // a C spec records FILE.c?patch=..&sha256=..: the user hands over FILE.c, the spec keeps the rest
  const recordedFile = isCSpec(recorded) ? recorded.split('?', 1)[0]! : recorded;
  if (o.variantFile === undefined) {
    const input = o.from === 'the token' || o.from === undefined ? 'TOKEN' : o.from;
    throw new UsageError(`${from} names the variant file '${recordedFile}'; replay runs a file only when you pass it: memmap-check replay ${input} --variant ${recordedFile}`);
  }
  if (!isVariantPath(o.variantFile)) {
    throw new UsageError(`--variant ${o.variantFile} is not a file, but ${from} names the variant file '${recordedFile}'; allowed: --variant FILE with that file`);
  }
  if (isCSpec(recorded)) {
    // the recorded spec, so its patches, reference and SHA-256 check (c-source.ts) apply
    const given = o.variantFile.split('?', 1)[0]!;
    if (resolve(given) !== resolve(recordedFile)) {
      throw new UsageError(`--variant ${o.variantFile} is not the C file ${from} was made with ('${recordedFile}'); allowed: that file`);
    }
    return loadVariant(`${given}${recorded.slice(recordedFile.length)}`, { maxEvents: o.maxEvents });
  }
  if (cx.variantSha256 !== undefined) {
    const file = resolve(o.variantFile);
    if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`variant file '${o.variantFile}' does not exist`);
    const sha = sha256Of(file);
    if (sha !== cx.variantSha256) {
      throw new UsageError(`variant file '${o.variantFile}' (SHA-256 ${sha.slice(0, 12)}...) is not the file ${from} was made with (SHA-256 ${cx.variantSha256.slice(0, 12)}...); allowed: that very file`);
    }
  }
  return loadVariant(o.variantFile, { maxEvents: o.maxEvents });
}

/** Load the variant, check its drains exist, and explain the case. */
export async function replayCase(cx: Counterexample, o: ReplayOptions = {}): Promise<Explanation> {
  const n = cx.scenario.nrPages;
  if (n > MAX_REPLAY_PAGES) throw new UsageError(`nr_pages=${n} in ${o.from ?? 'the counterexample'} is too large to replay; allowed: 1..${MAX_REPLAY_PAGES}`);
  const v = await variantForCase(cx, o);
  checkDrains(v, cx);
  // the report's token records the file that was run
  const file = variantFileOf(v);
  return explain(v, file ? { ...cx, variantSha256: file.sha256 } : cx);
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

export const REPLAY_OPTIONS = {
  format: { type: 'string' }, save: { type: 'string' }, variant: { type: 'string' }, 'max-events': { type: 'string' },
} as const;

function parse(argv: string[]) {
  return parseCommand('replay', argv, REPLAY_OPTIONS, true);
}
