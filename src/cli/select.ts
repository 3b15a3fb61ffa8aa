// Resolve names given on the command line.
import type { KernelConfig } from '../../model/kernel/config.ts';
import { VARIANTS } from '../../model/kernel/variants/index.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { PROPERTIES, type PropertyName } from '../../properties/properties.ts';
import { UsageError, allowed } from './errors.ts';
import type { GuardOptions } from './guard.ts';
import { loadVariant } from './load-variant.ts';

/** --variant NAME|FILE: a shipped variant, or a user-written variant module (load-variant.ts). */
export async function variantOf(name: string | undefined, o: GuardOptions = {}): Promise<Variant> {
  if (name === undefined) throw new UsageError(`--variant is required; allowed: ${VARIANTS.map((v) => v.name).join(', ')}, or the path of a .ts file`);
  return loadVariant(name, o);
}

export function propertiesOf(names: string[] | undefined): PropertyName[] {
  if (!names || names.length === 0) return [...PROPERTIES];
  return names.map((n) => {
    if (!(PROPERTIES as readonly string[]).includes(n)) throw allowed('property', n, PROPERTIES);
    return n as PropertyName;
  });
}

export function drainSitesOf(v: Variant, sites: string[] | undefined): Set<string> {
  const known = v.drainSites.map((d) => d.name);
  for (const s of sites ?? []) {
    if (!known.includes(s)) throw new UsageError(`unknown drain site '${s}' for variant ${v.name}; allowed: ${known.length ? known.join(', ') : '(none: the variant has no drains)'}`);
  }
  return new Set(sites ?? []);
}

/** --debug-vm on|off: CONFIG_DEBUG_VM fixed in every generated scenario; absent: generated both ways. */
export function debugVmPinOf(value: string | undefined): Partial<KernelConfig> | undefined {
  if (value === undefined) return undefined;
  if (value !== 'on' && value !== 'off') throw new UsageError(`--debug-vm=${value} is not allowed; allowed: on, off`);
  return { debugVm: value === 'on' };
}
