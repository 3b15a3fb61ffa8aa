// memmap-check drains --mode x86: the per-mode drain table (src/x86/drains-x86.ts).
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { UsageError, maxEventsOf } from '../cli/errors.ts';
import { variantOf } from '../cli/select.ts';
import { MODES, type Mode, X86_BOUNDS, analyzeModes, modesJson, modesText } from './drains-x86.ts';

export interface DrainsModeArgs {
  mode?: string | undefined;
  variant?: string | undefined;
  format?: string | undefined;
  'add-drain'?: string[] | undefined;
  runs?: string | undefined;
  seed?: string | undefined;
  exhaustive?: string | undefined;
  'max-events'?: string | undefined;
}

export function modeOf(value: string | undefined): Mode {
  const m = value ?? 'contract';
  if (!(MODES as readonly string[]).includes(m)) throw new UsageError(`--mode=${m} is not allowed; allowed: ${MODES.join(', ')}`);
  return m as Mode;
}

export async function runDrainsX86(args: DrainsModeArgs): Promise<number> {
  for (const flag of ['runs', 'seed', 'exhaustive'] as const) {
    if (args[flag] !== undefined) throw new UsageError(`--${flag} is not used with --mode x86 (it checks every configuration within its bounds); allowed: --variant, --add-drain, --format`);
  }
  const format = args.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  const variants: Variant[] = args.variant === undefined ? VARIANTS.filter((v) => v.drainSites.length > 0) : [await variantOf(args.variant, { maxEvents: maxEventsOf(args['max-events']) })];
  if (args['add-drain']?.length && args.variant === undefined) throw new UsageError('--add-drain needs --variant: drain points belong to one variant');
  const analyses = variants.map((v) => {
    const known = (v.drainPoints ?? []).map((d) => d.name);
    for (const n of args['add-drain'] ?? []) {
      if (!known.includes(n)) throw new UsageError(`unknown drain point '${n}' for variant ${v.name}; allowed: ${known.length ? known.join(', ') : '(none)'}`);
    }
    return analyzeModes(v, X86_BOUNDS, new Set(args['add-drain'] ?? []));
  });
  if (format === 'json') console.log(JSON.stringify(analyses.map(modesJson), null, 2));
  else console.log(analyses.map((a) => modesText(a, 'x86').join('\n')).join('\n\n'));
  return 0;
}
