// memmap-check drains --synthesize: the cheapest safe drain placement of a variant (docs/synthesis.md).
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { UsageError } from '../cli/errors.ts';
import { variantOf } from '../cli/select.ts';
import { CostModel } from './cost.ts';
import { needsText, synthesisJson, synthesisText } from './format.ts';
import { candidatesOf } from './placement.ts';
import type { Mode } from './safety.ts';
import { type Synthesis, synthesize } from './synthesize.ts';

export interface SynthesizeArgs {
  variant?: string | undefined;
  mode?: string | undefined;
  format?: string | undefined;
  runs?: string | undefined;
  seed?: string | undefined;
  exhaustive?: string | undefined;
  'add-drain'?: string[] | undefined;
}

const MODES: readonly Mode[] = ['contract', 'x86'];

/** One variant: its synthesis in the mode, and in x86 mode the contract's too, for the comparison. */
export function synthesizeModes(v: Variant, mode: Mode): { main: Synthesis; contract: Synthesis | null } {
  const costModel = new CostModel(v, candidatesOf(v));
  const main = synthesize(v, { mode, costModel });
  return { main, contract: mode === 'x86' ? synthesize(v, { mode: 'contract', costModel }) : null };
}

export async function runSynthesize(args: SynthesizeArgs): Promise<number> {
  for (const flag of ['runs', 'seed', 'exhaustive', 'add-drain'] as const) {
    if (args[flag] !== undefined) throw new UsageError(`--${flag} is not used with --synthesize (every drain point is a candidate, every configuration within its bounds is checked); allowed: --variant, --mode, --format`);
  }
  const mode = (args.mode ?? 'contract') as Mode;
  if (!MODES.includes(mode)) throw new UsageError(`--mode=${args.mode} is not allowed; allowed: ${MODES.join(', ')}`);
  const format = args.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  const variants: Variant[] = args.variant === undefined
    ? VARIANTS.filter((v) => v.drainSites.length > 0 || (v.drainPoints ?? []).length > 0)
    : [await variantOf(args.variant)];
  const results = variants.map((v) => synthesizeModes(v, mode));
  if (format === 'json') {
    console.log(JSON.stringify(results.map(({ main, contract }) => ({
      ...synthesisJson(main), ...(contract ? { contract: synthesisJson(contract) } : {}),
    })), null, 2));
  } else {
    console.log(results.map(({ main, contract }) => [
      ...synthesisText(main),
      ...(contract ? ['', ...synthesisText(contract), '', ...needsText(main, contract)] : []),
    ].join('\n')).join('\n\n'));
  }
  return 0;
}
