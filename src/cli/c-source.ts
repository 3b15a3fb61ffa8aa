// --c FILE [--patch P]... [--reference base-next|base-v7.1|BASE.c]: a C file as a variant. The
// options become one variant spec, FILE.c?patch=P&reference=R&sha256=H, that every command (and
// the exhaustive workers, and replay tokens) loads like --variant; the recorded SHA-256 makes a
// replay refuse a file that changed.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { CFrontError } from '../../model/c/errors.ts';
import { applyPatches } from '../../model/c/patch.ts';
import { type CVariant, sha256, variantFromC } from '../../model/c/variant.ts';
import type { CompiledProgram } from '../../model/c/compile.ts';
import { VARIANTS, variantByName } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { UsageError } from './errors.ts';

export interface COptions {
  c?: string | undefined;
  patch?: string[] | undefined;
  reference?: string | undefined;
}

export const isCSpec = (arg: string): boolean => /\.c(\?.*)?$/.test(arg);

const BASE_NAMES = (): string[] => VARIANTS.filter((v) => v.reference === null).map((v) => v.name);

function readText(path: string, what: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`${what} '${path}' does not exist`);
  return readFileSync(path, 'utf8');
}

/** The variant spec of --c/--patch/--reference (undefined without --c). */
export function cSpecOf(o: COptions): string | undefined {
  if (o.c === undefined) {
    if (o.patch?.length || o.reference !== undefined) throw new UsageError('--patch and --reference need --c FILE (the C file to check)');
    return undefined;
  }
  if (!isCSpec(o.c)) throw new UsageError(`--c ${o.c}: not a .c file; allowed: the path of a C file such as mm/mm_init.c`);
  const q = new URLSearchParams();
  for (const p of o.patch ?? []) q.append('patch', p);
  if (o.reference !== undefined) q.set('reference', o.reference);
  q.set('sha256', sha256(readText(o.c, '--c file')));
  return `${o.c}?${q.toString()}`;
}

const loaded = new Map<string, Promise<CVariant>>();

/**
 * The variant a spec names (compiled once per process). The file is hashed on every load, cached
 * or not, so a long-lived caller of run() refuses a file edited since the spec was recorded.
 */
export function loadCVariant(spec: string): Promise<CVariant> {
  const [file, query = ''] = spec.split('?', 2) as [string, string?];
  const text = readText(file, 'C file');
  requireRecordedSha(file, new URLSearchParams(query).get('sha256'), sha256(text));
  let v = loaded.get(spec);
  if (!v) {
    v = compileSpec(file, query, text);
    loaded.set(spec, v);
  }
  return v;
}

function requireRecordedSha(file: string, want: string | null, fileSha: string): void {
  if (want !== null && want !== fileSha) {
    throw new UsageError(`C file '${file}' changed since this was recorded (sha256 ${want.slice(0, 12)}..., now ${fileSha.slice(0, 12)}...); check it again to get a new token`);
  }
}

async function compileSpec(file: string, query: string, text: string): Promise<CVariant> {
  const q = new URLSearchParams(query);
  const fileSha = sha256(text);
  const patches = q.getAll('patch');
  try {
    const patched = patches.length ? applyPatches(text, patches.map((p) => ({ name: p, text: readText(p, 'patch') })), file) : text;
    const ref = q.get('reference');
    const probe = await variantFromC(patched, { file, reference: null, fileSha256: fileSha, patches });
    const reference = ref ?? defaultReference(probe.program);
    const refVariant = await referenceVariant(reference);
    const name = patches.length ? `${file}+${patches.join('+')}` : file;
    const v: CVariant = { ...probe, name, reference, ...(refVariant ? { referenceVariant: refVariant } : {}) };
    return v;
  } catch (e) {
    if (e instanceof CFrontError) throw new UsageError(e.message);
    throw e;
  }
}

/** The shipped base whose signature the file has: 2026 (compound_nr_pages(pfn, altmap, pgmap),
 *  pageblock_migratetype_init_range()) or v7.1 (compound_nr_pages(altmap, pgmap)). */
export function defaultReference(p: CompiledProgram): string {
  const cnp = p.params.get('compound_nr_pages');
  if (cnp === 3 || p.params.has('pageblock_migratetype_init_range') || p.bound.has('pageblock_migratetype_init_range')) return 'base-next';
  return 'base-v7.1';
}

async function referenceVariant(ref: string): Promise<Variant | null> {
  if (isCSpec(ref)) return loadCVariant(`${ref}`).then((r) => ({ ...r, reference: null, referenceVariant: undefined }) as Variant);
  const v = variantByName(ref);
  if (!v || v.reference !== null) throw new UsageError(`--reference ${ref}: not a base; allowed: ${BASE_NAMES().join(', ')}, or a base tree's C file`);
  return null;
}

/** What the header says about a C variant's reference. */
export function referenceNote(v: Variant): string | null {
  if (!v.source) return null;
  return `reference ${v.reference} (${v.referenceVariant ? 'a C file' : 'the shipped base whose signature the file matches, unless --reference named it'})`;
}
