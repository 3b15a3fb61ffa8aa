// The command-line side of the C front-end: the --c/--patch/--reference options every command
// shares, and `memmap-check bindings`.
import { bindingRows } from '../../model/c/bindings.ts';
import { configSymbolNames } from '../../model/c/preprocess.ts';
import { type COptions, cSpecOf } from './c-source.ts';
import { UsageError } from './errors.ts';

export const C_OPTIONS = {
  c: { type: 'string' }, patch: { type: 'string', multiple: true }, reference: { type: 'string' },
} as const;

/** --c/--patch/--reference folded into --variant (a string, or appended to a list). */
export async function withC<T extends COptions & { variant?: string | string[] | undefined }>(a: T, multiple = false): Promise<Omit<T, 'c' | 'patch' | 'reference' | 'variant'> & { variant?: (T['variant'] extends string[] | undefined ? string[] : string) | undefined }> {
  const { c, patch, reference, ...rest } = a;
  const spec = cSpecOf({ c, patch, reference });
  if (spec === undefined) return rest as never;
  if (multiple || Array.isArray(rest.variant)) return { ...rest, variant: [...((rest.variant as string[] | undefined) ?? []), spec] } as never;
  if (rest.variant !== undefined) throw new UsageError('give --variant or --c, not both');
  return { ...rest, variant: spec } as never;
}

export function runBindings(a: { format?: string | undefined }): number {
  const format = a.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  const rows = bindingRows();
  if (format === 'json') {
    console.log(JSON.stringify({ bindings: rows, config: configSymbolNames() }, null, 2));
    return 0;
  }
  console.log('Kernel helpers a C file may call without defining them (a helper the file defines is interpreted):');
  const w = Math.max(...rows.map((r) => r.name.length)) + 2;
  for (const r of rows) console.log(`  ${r.name.padEnd(w)}${`(${r.arity})`.padEnd(8)}${r.model}`);
  console.log(`\n#if / IS_ENABLED() symbols decided by the scenario or fixed by a 64-bit build: ${configSymbolNames().join(', ')}`);
  console.log('(other CONFIG_ options are unset)');
  return 0;
}
