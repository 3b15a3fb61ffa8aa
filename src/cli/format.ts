// Output formats of check and replay (text for e-mail, JSON, Graphviz dot) and --save DIR.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { variantByName } from '../../model/kernel/variants/index.ts';
import type { CounterexampleDoc } from '../report/json-report.ts';
import { UsageError } from './errors.ts';

export const FORMATS = ['text', 'json', 'dot'] as const;
export type Format = (typeof FORMATS)[number];

export function formatOf(value: string | undefined): Format {
  if (value === undefined) return 'text';
  if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`--format=${value} is not allowed; allowed: ${FORMATS.join(', ')}`);
  return value as Format;
}

/**
 * How reports, tokens and reruns name the variant: a shipped name, or the file's absolute path, so
 * that a token or rerun line works from any directory (replay still runs a file only when given it).
 */
export function variantSpecOf(nameOrPath: string): string {
  if (variantByName(nameOrPath)) return nameOrPath;
  return resolve(nameOrPath);
}

/** A directory for --save, created if missing. */
export function saveDirOf(dir: string | undefined): string | undefined {
  if (dir === undefined) return undefined;
  if (dir === '') throw new UsageError('--save needs a directory; allowed: a path');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--save=${dir} is not a directory; allowed: a directory (created if missing)`);
  return dir;
}

/** v1-no-write-after-streaming.json, v5-without-before-return-published-clean.json */
export function savedFileName(doc: CounterexampleDoc): string {
  const parts = [doc.variantName];
  if (doc.drains.removed.length) parts.push('without', ...doc.drains.removed);
  if (doc.drains.added.length) parts.push('with', ...doc.drains.added);
  parts.push(doc.property);
  return `${parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '_')}.json`;
}

/** Write a counterexample document into `dir`; returns the path. */
export function saveCounterexample(dir: string, doc: CounterexampleDoc): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, savedFileName(doc));
  // a variant file is named relative to the saved file's folder, where replay resolves it
  const variant = variantByName(doc.variant) ? doc.variant : relative(resolve(dir), resolve(doc.variant)).split(sep).join('/');
  writeFileSync(file, `${JSON.stringify({ ...doc, variant }, null, 2)}\n`);
  return file;
}
