// The one-line replay token: mmc1.<payload>.<checksum>. The payload is base64url of compact JSON;
// the checksum is the first 8 hex digits of sha256 over "mmc1.<payload>". No whitespace, so it
// survives e-mail; whitespace a mail client inserts by wrapping is dropped before decoding, and
// any other change to the text fails the checksum instead of replaying a different case.
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { X86_64_DEFAULT, type KernelConfig, kernelConfigOf } from '../../model/kernel/config.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Delay, Schedule } from '../../model/schedule.ts';
import { PROPERTIES, type PropertyName } from '../../properties/properties.ts';
import { type Counterexample, ReplayInputError } from './counterexample.ts';

export const TOKEN_PREFIX = 'mmc1';

/** A token that cannot be replayed; the message is one line. */
export class TokenError extends ReplayInputError {
  override readonly name = 'TokenError';
}

// Compact payload: short keys, and the scenario's defaults (typical x86_64 build, FS_DAX, no
// altmap, pfn 0x100000, node 0, not an early section) left out.
interface Payload {
  /** a shipped variant's name, or a variant file's absolute path */
  v: string;
  /** a variant file's SHA-256: replay runs the file only when given it explicitly, and only this one */
  h?: string;
  p: string;
  /** kernel config options that differ from X86_64_DEFAULT */
  k?: Partial<KernelConfig>;
  t?: number;
  o?: number;
  m?: { reserve: number; free: number };
  f?: number;
  n: number;
  i?: number;
  e?: true;
  /** earlySections, when the range straddles sections that differ (e stays entry 0) */
  es?: boolean[];
  /** schedule: base delay (default 0) and exceptions */
  b?: Delay;
  l?: [number, Delay][];
  r?: string[];
  a?: string[];
}

const DEFAULT_START_PFN = 0x100000;
const DEFAULT_TYPE = 3;

/** SHA-256 of the variant files loaded in this process, by absolute path (load-variant.ts records them). */
const fileHashes = new Map<string, string>();

export function recordVariantFile(absPath: string, sha256: string): void {
  fileHashes.set(absPath, sha256);
}

/** The SHA-256 a token records for the case's variant: known for a variant file this process loaded. */
function hashOf(cx: Counterexample): string | undefined {
  if (cx.variantSha256 !== undefined) return cx.variantSha256;
  if (!/[\\/]|\.[cm]?[jt]s$/.test(cx.variant)) return undefined;
  return fileHashes.get(isAbsolute(cx.variant) ? cx.variant : resolve(cx.variant));
}

function toPayload(cx: Counterexample): Payload {
  const s = cx.scenario;
  const k: Partial<KernelConfig> = {};
  for (const key of Object.keys(X86_64_DEFAULT) as (keyof KernelConfig)[]) {
    if (s.kconfig[key] !== X86_64_DEFAULT[key]) (k as Record<string, unknown>)[key] = s.kconfig[key];
  }
  // the arch WANT_PAGE_VIRTUAL implies is left out, so tokens made before the option stay the same
  if (k.arch !== undefined && kernelConfigOf({ ...k, arch: undefined }).arch === k.arch) delete (k as { arch?: unknown }).arch;
  const h = hashOf(cx);
  return {
    v: cx.variant,
    ...(h !== undefined ? { h } : {}),
    p: cx.property,
    ...(Object.keys(k).length ? { k } : {}),
    ...(s.pgmap.type !== DEFAULT_TYPE ? { t: s.pgmap.type } : {}),
    ...(s.pgmap.vmemmapShift !== 0 ? { o: s.pgmap.vmemmapShift } : {}),
    ...(s.pgmap.altmap ? { m: { reserve: s.pgmap.altmap.reserve, free: s.pgmap.altmap.free } } : {}),
    ...(s.startPfn !== DEFAULT_START_PFN ? { f: s.startPfn } : {}),
    n: s.nrPages,
    ...(s.nid !== 0 ? { i: s.nid } : {}),
    ...(s.earlySection ? { e: true as const } : {}),
    ...(s.earlySections ? { es: [...s.earlySections] } : {}),
    ...(cx.schedule.base !== 0 ? { b: cx.schedule.base } : {}),
    ...(cx.schedule.late.length ? { l: cx.schedule.late.map(([kk, d]) => [kk, d] as [number, Delay]) } : {}),
    ...(cx.removed.length ? { r: [...cx.removed] } : {}),
    ...(cx.added.length ? { a: [...cx.added] } : {}),
  };
}

const checksum = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

export function encodeToken(cx: Counterexample): string {
  const body = `${TOKEN_PREFIX}.${Buffer.from(JSON.stringify(toPayload(cx)), 'utf8').toString('base64url')}`;
  return `${body}.${checksum(body)}`;
}

const shown = (s: string): string => (s.length > 24 ? `${s.slice(0, 24)}...` : s);

/** Decode a token; every way it can be wrong is a TokenError naming what is allowed. */
export function decodeToken(raw: string): Counterexample {
  const token = raw.replace(/\s+/g, '');
  const version = /^mmc([0-9]+)\./.exec(token);
  if (!version) throw new TokenError(`'${shown(token)}' is not a replay token; allowed: a token starting with '${TOKEN_PREFIX}.', or a .json file`);
  if (`mmc${version[1]}` !== TOKEN_PREFIX) throw new TokenError(`replay token version mmc${version[1]} is not supported; allowed: ${TOKEN_PREFIX}`);
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1] || !parts[2]) throw new TokenError(`replay token '${shown(token)}' is malformed; allowed: ${TOKEN_PREFIX}.<payload>.<checksum>`);
  const [, payload, sum] = parts as [string, string, string];
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) throw new TokenError('replay token payload is not base64url; the token was altered in transit: copy it again');
  if (!/^[0-9a-f]{8}$/.test(sum) || sum !== checksum(`${TOKEN_PREFIX}.${payload}`)) {
    throw new TokenError('replay token checksum does not match; the token was altered or cut in transit: copy it again');
  }
  let p: unknown;
  try {
    p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('replay token payload is not valid JSON (the checksum matched: was it made by another tool?)');
  }
  return fromPayload(p);
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isDelay = (x: unknown): x is Delay => x === 'drain' || (Number.isInteger(x) && (x as number) >= 0);
const isStrings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

function fromPayload(p: unknown): Counterexample {
  const bad = (what: string) => new TokenError(`replay token payload has an invalid ${what}`);
  if (!isObject(p)) throw bad('payload');
  if (typeof p.v !== 'string' || p.v === '') throw bad('variant');
  if (p.h !== undefined && !(typeof p.h === 'string' && /^[0-9a-f]{64}$/.test(p.h))) throw bad('variant file hash');
  if (typeof p.p !== 'string' || !(PROPERTIES as readonly string[]).includes(p.p)) throw bad('property');
  if (p.k !== undefined && !isObject(p.k)) throw bad('kernel config');
  for (const [key, value] of Object.entries(p.k ?? {})) {
    if (!(key in X86_64_DEFAULT) || typeof value !== typeof X86_64_DEFAULT[key as keyof KernelConfig]) throw bad(`kernel config option '${key}'`);
  }
  const int = (x: unknown) => Number.isSafeInteger(x) && (x as number) >= 0;
  for (const key of ['t', 'o', 'f', 'i'] as const) if (p[key] !== undefined && !int(p[key])) throw bad(`field '${key}'`);
  if (!int(p.n)) throw bad('nr_pages');
  if (p.m !== undefined && !(isObject(p.m) && int(p.m.reserve) && int(p.m.free))) throw bad('altmap');
  if (p.e !== undefined && p.e !== true) throw bad('early_section');
  if (p.es !== undefined && !(Array.isArray(p.es) && p.es.every((x) => typeof x === 'boolean'))) throw bad('early_section list');
  if (p.b !== undefined && !isDelay(p.b)) throw bad('schedule');
  if (p.l !== undefined && !(Array.isArray(p.l) && p.l.every((x) => Array.isArray(x) && x.length === 2 && int(x[0]) && isDelay(x[1])))) throw bad('schedule');
  if (p.r !== undefined && !isStrings(p.r)) throw bad('drain list');
  if (p.a !== undefined && !isStrings(p.a)) throw bad('drain list');
  const m = p.m as { reserve: number; free: number } | undefined;
  const scenario: Scenario = {
    kconfig: kernelConfigOf((p.k ?? {}) as Partial<KernelConfig>),
    pgmap: { type: (p.t ?? DEFAULT_TYPE) as Scenario['pgmap']['type'], vmemmapShift: (p.o ?? 0) as number, altmap: m ? { reserve: m.reserve, free: m.free } : null },
    startPfn: (p.f ?? DEFAULT_START_PFN) as number,
    nrPages: p.n as number,
    nid: (p.i ?? 0) as number,
    earlySection: p.e === true,
    ...(p.es !== undefined ? { earlySections: p.es as boolean[] } : {}),
  };
  const schedule: Schedule = { base: (p.b ?? 0) as Delay, late: ((p.l ?? []) as [number, Delay][]).map(([k, d]) => [k, d] as const) };
  return { variant: p.v, ...(p.h !== undefined ? { variantSha256: p.h as string } : {}), property: p.p as PropertyName, scenario, schedule, removed: (p.r ?? []) as string[], added: (p.a ?? []) as string[] };
}
