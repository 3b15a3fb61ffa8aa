// memmap-check variants: what ships, against which reference, with which drain sites.
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import { UsageError } from './errors.ts';

export function runVariants(o: { format?: string | undefined }): number {
  const format = o.format ?? 'text';
  if (format === 'json') {
    console.log(JSON.stringify(VARIANTS.map((v) => ({ name: v.name, reference: v.reference, summary: v.summary, drainSites: v.drainSites })), null, 2));
    return 0;
  }
  if (format !== 'text') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  for (const v of VARIANTS) {
    console.log(`${v.name.padEnd(10)} reference: ${v.reference ?? '(a base: itself)'}`);
    console.log(`           ${v.summary}`);
    for (const d of v.drainSites) console.log(`           drain ${d.name}: ${d.where}`);
  }
  return 0;
}
