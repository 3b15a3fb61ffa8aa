// Drain necessity per mode (docs/x86-mode.md §3): remove each drain site of a variant and ask,
// over every configuration within small bounds, whether the removal opens a hazard
//   contract: the contract machine under the worst schedule (UNTIL_DRAIN: every streaming store
//             lands at the next drain) reports a read-after-streaming, write-after-streaming or
//             unpublished hazard that the variant with every drain does not have;
//   x86:      CPU 0 runs the kernel's trace under the x86 rules and a reader CPU reads the struct
//             pages after the publish (model/x86/kernel-trace.ts): some NT store may still be
//             invisible to it.
import { describeAddr, describeScenario } from '../../model/kernel/describe.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { LAND_AT_ONCE, UNTIL_DRAIN } from '../../model/schedule.ts';
import type { HazardKind } from '../../model/hazards.ts';
import { type X86TraceResult, x86OfTrace } from '../../model/x86/kernel-trace.ts';
import { type Bounds, configurations } from '../../properties/exhaustive-configs.ts';

export type Mode = 'contract' | 'x86';
export const MODES: readonly Mode[] = ['contract', 'x86'];

/** Orders 0..10 (the dedup'd large orders add nothing new to the drain question), 1..2 pages. */
export const X86_BOUNDS: Bounds = { maxOrder: 10, maxCompoundPages: 2, configs: 'typical' };

export interface ModeVerdict {
  readonly needed: boolean;
  /** Why, in one line (the first configuration that shows it), or what was checked. */
  readonly reason: string;
  /** The first configuration showing it. */
  readonly scenario: Scenario | null;
}

export interface SiteVerdict {
  readonly site: string;
  readonly where: string;
  readonly contract: ModeVerdict;
  readonly x86: ModeVerdict;
}

export interface ModeAnalysis {
  readonly variant: string;
  readonly configurations: number;
  readonly bounds: Bounds;
  /** With every drain: contract hazards and x86 unpublished stores found (both should be 0). */
  readonly baseline: { readonly contractHazards: number; readonly x86Unpublished: number };
  readonly sites: readonly SiteVerdict[];
  /** The sites x86 does not need, removed together, and whether x86 then still misses nothing. */
  readonly together: { readonly removed: readonly string[]; readonly x86Clean: boolean; readonly reason: string | null };
}

function contractKinds(v: Variant, s: Scenario, removed: ReadonlySet<string>, added: ReadonlySet<string>): Map<HazardKind, string> {
  const r = runVariant(v, s, { schedule: UNTIL_DRAIN, drains: { removed, added } });
  const out = new Map<HazardKind, string>();
  for (const h of r.end.hazards) {
    if (!out.has(h.kind)) {
      const what = h.kind === 'unpublished' ? 'publish' : `${h.access.op} of ${describeAddr(r.kernel, h.access.addr)}`;
      out.set(h.kind, `${h.kind}: ${what} while the streaming store of ${describeAddr(r.kernel, h.pending.addr)} (${h.pending.fn ?? '?'}) is pending`);
    }
  }
  return out;
}

function x86Of(v: Variant, s: Scenario, removed: ReadonlySet<string>, added: ReadonlySet<string>): { res: X86TraceResult; why: string | null } {
  const r = runVariant(v, s, { schedule: LAND_AT_ONCE, drains: { removed, added }, trace: true });
  const res = x86OfTrace(r.trace ?? []);
  const first = res.unpublished[0];
  const why = first
    ? `${res.unpublished.length} NT store(s) may be invisible to the reader CPU after the publish, first ${describeAddr(r.kernel, first.addr)} (${first.fn ?? '?'})`
    : null;
  return { res, why };
}

export function analyzeModes(v: Variant, bounds: Bounds = X86_BOUNDS, added: ReadonlySet<string> = new Set()): ModeAnalysis {
  const sites = v.drainSites.map((d) => d.name);
  const contract = new Map<string, ModeVerdict>();
  const x86 = new Map<string, ModeVerdict>();
  const notes = new Map<string, { forwarded: number; coherent: number }>();
  let n = 0;
  let contractHazards = 0;
  let x86Unpublished = 0;
  for (const { scenario } of configurations(bounds)) {
    n++;
    const base = contractKinds(v, scenario, new Set(), added);
    contractHazards += base.size;
    const bx = x86Of(v, scenario, new Set(), added);
    x86Unpublished += bx.res.unpublished.length;
    for (const site of sites) {
      const removed = new Set([site]);
      if (!contract.has(site)) {
        const kinds = contractKinds(v, scenario, removed, added);
        const opened = [...kinds.entries()].filter(([k]) => !base.has(k));
        if (opened.length) contract.set(site, { needed: true, reason: opened.map(([, why]) => why).join('; '), scenario });
      }
      if (!x86.has(site)) {
        const { res, why } = x86Of(v, scenario, removed, added);
        const note = notes.get(site) ?? { forwarded: 0, coherent: 0 };
        notes.set(site, { forwarded: note.forwarded + res.forwardedLoads, coherent: note.coherent + res.coherentStores });
        if (why && bx.res.unpublished.length === 0) x86.set(site, { needed: true, reason: why, scenario });
      }
    }
  }
  const spare = sites.filter((s) => !x86.has(s));
  let together: ModeAnalysis['together'] = { removed: spare, x86Clean: true, reason: null };
  if (spare.length > 1) {
    for (const { scenario } of configurations(bounds)) {
      const { why } = x86Of(v, scenario, new Set(spare), added);
      if (why) {
        together = { removed: spare, x86Clean: false, reason: `${why} [${describeScenario(scenario)}]` };
        break;
      }
    }
  }
  const notNeeded = (what: string): ModeVerdict => ({ needed: false, reason: what, scenario: null });
  return {
    variant: v.name, configurations: n, bounds, baseline: { contractHazards, x86Unpublished }, together,
    sites: v.drainSites.map((d) => {
      const note = notes.get(d.name) ?? { forwarded: 0, coherent: 0 };
      return {
        site: d.name, where: d.where,
        contract: contract.get(d.name) ?? notNeeded(`no hazard in ${n} configurations under the worst schedule`),
        x86: x86.get(d.name) ?? notNeeded(
          `every NT store is drained by a later SFENCE or forced by a later normal store before the publish; ` +
          `the contract hazards are own-CPU only (${note.forwarded} forwarded load(s), ${note.coherent} same-address normal store(s), summed over ${n} configurations)`),
      };
    }),
  };
}

export function modesText(a: ModeAnalysis, mode: Mode): string[] {
  const out = [
    `drain necessity: ${a.variant}, ${mode === 'x86' ? 'x86 hardware semantics against the contract semantics' : 'contract semantics'}`,
    `every configuration within orders 0..${a.bounds.maxOrder}, 1..${a.bounds.maxCompoundPages} compound pages, the ${a.bounds.configs} kernel config (${a.configurations} configurations); ` +
      'contract: the contract machine under the worst schedule; x86: CPU 0 runs the kernel trace, a reader CPU reads the struct pages after the publish (docs/x86-mode.md)',
    `with every drain in place: ${a.baseline.contractHazards} contract hazards, ${a.baseline.x86Unpublished} NT stores unpublished under x86`,
    ...(a.baseline.contractHazards > 0
      ? [`  ${a.variant} has contract hazards with every drain in place (memmap-check check --variant ${a.variant}): the contract column counts only hazard kinds its baseline lacks, so "not needed" there is weak`]
      : []),
    '',
  ];
  const rows = [['drain site', 'contract', 'x86'], ...a.sites.map((s) => [s.site, s.contract.needed ? 'needed' : 'not needed', s.x86.needed ? 'needed' : 'not needed'])];
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  out.push(...rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ')));
  for (const s of a.sites) {
    out.push('', `${s.site}: contract ${s.contract.needed ? 'NEEDED' : 'not needed'}, x86 ${s.x86.needed ? 'NEEDED' : 'not needed'}`, `  where:    ${s.where}`);
    out.push(`  contract: ${s.contract.reason}${s.contract.scenario ? ` [${describeScenario(s.contract.scenario)}]` : ''}`);
    out.push(`  x86:      ${s.x86.reason}${s.x86.scenario ? ` [${describeScenario(s.x86.scenario)}]` : ''}`);
  }
  if (a.together.removed.length > 1) {
    out.push('', `removed together (${a.together.removed.join(' + ')}): x86 ${a.together.x86Clean ? `still misses nothing in ${a.configurations} configurations` : `NEEDS one of them: ${a.together.reason}`}`);
  }
  return out;
}

export function modesJson(a: ModeAnalysis) {
  const j = (m: ModeVerdict) => ({ needed: m.needed, reason: m.reason, config: m.scenario ? describeScenario(m.scenario) : null });
  return {
    variant: a.variant, configurations: a.configurations, bounds: a.bounds, baseline: a.baseline, together: a.together,
    sites: a.sites.map((s) => ({ site: s.site, where: s.where, contract: j(s.contract), x86: j(s.x86) })),
  };
}
