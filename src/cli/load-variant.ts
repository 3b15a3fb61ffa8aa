// --variant NAME|FILE: a shipped variant by name, or a user-written variant module (.ts or .js,
// anywhere on disk) whose default export, or named export `variant`, is a Variant. Whatever is
// wrong with the file ends in one line naming it (docs/variant-api.md). A file's runs are fenced
// (guard.ts): an event budget, event checks, and its throws turned into VariantFaults (exit 3).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VARIANTS, variantByName } from '../../model/kernel/variants/index.ts';
import type { DrainSite, Variant } from '../../model/kernel/variants/types.ts';
import { recordVariantFile } from '../report/token.ts';
import { UsageError, allowed } from './errors.ts';
import { type GuardOptions, guardVariant } from './guard.ts';
import { heartbeat } from './heartbeat.ts';
import { isCSpec, loadCVariant } from './c-source.ts';

/** What was passed to --variant for each loaded file variant, so reruns name the file. */
const sources = new WeakMap<Variant, string>();
/** The absolute path and SHA-256 of each loaded file variant. */
const files = new WeakMap<Variant, VariantFile>();

export interface VariantFile {
  readonly path: string;
  readonly sha256: string;
}

/** The --variant argument that selects `v` again: its path for a file, else its name. */
export function variantArg(v: Variant): string {
  return sources.get(v) ?? v.name;
}

/** The file a variant was loaded from, or undefined for a shipped one. */
export const variantFileOf = (v: Variant): VariantFile | undefined => files.get(v);

/** SHA-256 (hex) of a file's bytes: what a token records so replay runs the very same file. */
export const sha256Of = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

export const isVariantPath = (arg: string): boolean => /[\\/]/.test(arg) || /\.[cm]?[jt]s$/.test(arg) || isCSpec(arg);

export async function loadVariant(nameOrPath: string, o: GuardOptions = {}): Promise<Variant> {
  if (isCSpec(nameOrPath)) {
    // a C file (--c): compiled by the C front-end (c-source.ts)
    const v = await loadCVariant(nameOrPath);
    sources.set(v, nameOrPath);
    return v;
  }
  if (!isVariantPath(nameOrPath)) {
    const v = variantByName(nameOrPath);
    if (!v) throw allowed('variant', nameOrPath, [...VARIANTS.map((x) => x.name), 'or the path of a .ts file']);
    return v;
  }
  const file = resolve(process.cwd(), nameOrPath);
  if (!existsSync(file) || !statSync(file).isFile()) throw new UsageError(`variant file '${nameOrPath}' does not exist`);
  if (/\.ts$/.test(file) && !inModuleScope(file)) treatTypeScriptAsModules();
  let mod: Record<string, unknown>;
  heartbeat.loading(true);
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`variant file '${nameOrPath}' does not load: ${firstLine(e)}`);
  } finally {
    heartbeat.loading(false);
  }
  const v = guardVariant(validate(nameOrPath, mod), nameOrPath, o);
  const sha256 = sha256Of(file);
  sources.set(v, nameOrPath);
  files.set(v, { path: file, sha256 });
  recordVariantFile(file, sha256);
  return v;
}

/** The line of a load error that says what is wrong (esbuild puts it after "Transform failed"). */
function firstLine(e: unknown): string {
  const lines = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines.find((l) => /ERROR: /.test(l)) ?? lines[0] ?? 'unknown error';
}

/** Is the file under a package.json with "type": "module" (its .ts files are ES modules)? */
function inModuleScope(file: string): boolean {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}

/**
 * A variant file outside any "type": "module" package (say ~/patches/my-patch.ts) would load as
 * CommonJS, which its `import` statements cannot be. Resolve such .ts files as ES modules: a
 * resolve hook ahead of tsx's, registered once, only when such a file is loaded.
 */
let esmHook = false;
function treatTypeScriptAsModules(): void {
  if (esmHook) return;
  esmHook = true;
  const hook = `export async function resolve(specifier, context, next) {
    const r = await next(specifier, context);
    if (r.url.startsWith('file:') && /\\.ts$/.test(new URL(r.url).pathname) && !r.url.includes('/node_modules/') && r.format !== 'module') {
      return { ...r, format: 'module' };
    }
    return r;
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

const BASES = (): string[] => VARIANTS.filter((v) => v.reference === null).map((v) => v.name);

function validate(arg: string, mod: Record<string, unknown>): Variant {
  const exported = mod.default !== undefined ? 'default export' : mod.variant !== undefined ? 'export `variant`' : null;
  if (exported === null) {
    const names = Object.keys(mod).filter((k) => k !== 'default');
    throw new UsageError(`variant file '${arg}' has no Variant as its default export or as \`export const variant\` (its exports: ${names.length ? names.join(', ') : 'none'})`);
  }
  const x = (mod.default ?? mod.variant) as Record<string, unknown>;
  if (typeof x !== 'object' || x === null || Array.isArray(x)) {
    throw new UsageError(`variant file '${arg}' has no Variant as its ${exported}: it is ${x === null ? 'null' : Array.isArray(x) ? 'an array' : `a ${typeof x}`}, not an object { name, reference, drainSites, memmap_init_zone_device }`);
  }
  const missing: string[] = [];
  if (typeof x.name !== 'string' || x.name.trim() === '') missing.push('name (a non-empty string)');
  if (x.summary !== undefined && typeof x.summary !== 'string') missing.push('summary (a string, or leave it out)');
  if (!('reference' in x) || !(x.reference === null || typeof x.reference === 'string')) {
    missing.push(`reference (the base it was written against: ${BASES().join(' or ')}; null for a base)`);
  }
  if (!isSites(x.drainSites)) missing.push('drainSites (an array of { name, where } strings; [] for none)');
  if (x.drainPoints !== undefined && !isSites(x.drainPoints)) missing.push('drainPoints (an array of { name, where } strings, or leave it out)');
  if (typeof x.memmap_init_zone_device !== 'function') missing.push('memmap_init_zone_device (a generator function (k, d, zone, start_pfn, nr_pages, pgmap))');
  if (missing.length) throw new UsageError(`variant file '${arg}': its ${exported} is not a valid Variant: missing or invalid ${missing.join('; ')}`);

  const name = x.name as string;
  if (variantByName(name)) throw new UsageError(`variant file '${arg}': name '${name}' is a shipped variant's; give the file's variant its own name`);
  const ref = x.reference as string | null;
  if (ref !== null && !BASES().includes(ref)) {
    throw new UsageError(`variant file '${arg}': reference '${ref}' is not a shipped base; allowed: ${BASES().join(', ')} (or null for a base)`);
  }
  const sites = [...(x.drainSites as DrainSite[]), ...((x.drainPoints as DrainSite[] | undefined) ?? [])];
  const dup = sites.map((s) => s.name).find((n, i, all) => all.indexOf(n) !== i);
  if (dup !== undefined) throw new UsageError(`variant file '${arg}': drain site '${dup}' is listed twice; drain site names must be unique`);
  if (typeof x.summary === 'string') return x as unknown as Variant;
  return { ...(x as unknown as Variant), summary: `user variant from ${arg}` };
}

function isSites(x: unknown): x is DrainSite[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'object' && s !== null &&
    typeof (s as DrainSite).name === 'string' && (s as DrainSite).name !== '' && typeof (s as DrainSite).where === 'string');
}
