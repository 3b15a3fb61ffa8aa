// Drain necessity per mode (docs/x86-mode.md §3): remove each drain site of a variant and ask,
// over every configuration within small bounds, whether the removal opens a hazard
//   contract: the contract machine under the worst schedule (UNTIL_DRAIN: every streaming store
//             lands at the next drain) reports a read-after-streaming, write-after-streaming or
//             unpublished hazard that the variant with every drain does not have;
//   x86:      CPU 0 runs the kernel's trace under the x86 rules and a reader CPU reads the struct
//             pages after the publish (model/x86/kernel-trace.ts): some NT store may still be
//             invisible to it. The pageblock update's LOCK CMPXCHG drains the write-combining
//             buffers; the report says per drain whether that locked instruction alone makes the
//             drain redundant, and the smallest configuration where it does not.
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

/**
 * Does the pageblock update's LOCK CMPXCHG (a locked instruction between the last streaming store
 * and the publish) make the drain redundant on x86?
 *   n/a:     the drain is not needed on x86 even with locked instructions taken as plain stores;
 *   covered: wherever the drain is needed without the lock, the lock drains what it would;
 *   partly:  it does in `covered` of `needed` configurations, not in the rest (first: `uncovered`).
 */
export interface LockVerdict {
  readonly covers: 'n/a' | 'covered' | 'partly';
  /** Configurations where removing the drain leaves NT stores unpublished with the lock taken as a plain store. */
  readonly needed: number;
  /** Of those, the configurations where the LOCK CMPXCHG drains them all. */
  readonly covered: number;
  /** The smallest configuration (sweep order: order, pages, ...) where the lock does not cover it. */
  readonly uncovered: Scenario | null;
  readonly why: string | null;
}

export interface SiteVerdict {
  readonly site: string;
  readonly where: string;
  readonly contract: ModeVerdict;
  /** x86 with the pageblock update as a locked instruction (the machine). */
  readonly x86: ModeVerdict;
  readonly lock: LockVerdict;
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

interface X86Run {
  /** locked instructions honoured (the x86 machine) */
  readonly res: X86TraceResult;
  readonly why: string | null;
  /** locked instructions taken as plain stores */
  readonly plain: X86TraceResult;
}

function x86Of(v: Variant, s: Scenario, removed: ReadonlySet<string>, added: ReadonlySet<string>): X86Run {
  const r = runVariant(v, s, { schedule: LAND_AT_ONCE, drains: { removed, added }, trace: true });
  const res = x86OfTrace(r.trace ?? []);
  const plain = x86OfTrace(r.trace ?? [], { locked: false });
  const first = res.unpublished[0];
  const why = first
    ? `${res.unpublished.length} NT store(s) may be invisible to the reader CPU after the publish, first ${describeAddr(r.kernel, first.addr)} (${first.fn ?? '?'}); ` +
      (res.lockedStores === 0
        ? 'the range has no pageblock start, so no LOCK CMPXCHG runs before the publish'
        : 'they are issued after the last pageblock LOCK CMPXCHG')
    : null;
  return { res, why, plain };
}

export function analyzeModes(v: Variant, bounds: Bounds = X86_BOUNDS, added: ReadonlySet<string> = new Set()): ModeAnalysis {
  const sites = v.drainSites.map((d) => d.name);
  const contract = new Map<string, ModeVerdict>();
  const x86 = new Map<string, ModeVerdict>();
  const notes = new Map<string, { forwarded: number; coherent: number }>();
  const locks = new Map<string, { needed: number; covered: number; uncovered: Scenario | null; why: string | null }>();
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
      // every configuration: the lock verdict counts where the LOCK CMPXCHG covers the drain
      const { res, why, plain } = x86Of(v, scenario, removed, added);
      const note = notes.get(site) ?? { forwarded: 0, coherent: 0 };
      notes.set(site, { forwarded: note.forwarded + res.forwardedLoads, coherent: note.coherent + res.coherentStores });
      if (why && bx.res.unpublished.length === 0 && !x86.has(site)) x86.set(site, { needed: true, reason: why, scenario });
      if (plain.unpublished.length > 0 && bx.plain.unpublished.length === 0) {
        const l = locks.get(site) ?? { needed: 0, covered: 0, uncovered: null, why: null };
        const covered = res.unpublished.length === 0;
        locks.set(site, {
          needed: l.needed + 1, covered: l.covered + (covered ? 1 : 0),
          uncovered: l.uncovered ?? (covered ? null : scenario), why: l.why ?? (covered ? null : why),
        });
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
        lock: lockVerdict(locks.get(d.name)),
        x86: x86.get(d.name) ?? notNeeded(
          `every NT store is drained by a later SFENCE or locked instruction, or forced by a later normal store, before the publish; ` +
          `the contract hazards are own-CPU only (${note.forwarded} forwarded load(s), ${note.coherent} same-address normal store(s), summed over ${n} configurations)`),
      };
    }),
  };
}

function lockVerdict(l: { needed: number; covered: number; uncovered: Scenario | null; why: string | null } | undefined): LockVerdict {
  if (!l) return { covers: 'n/a', needed: 0, covered: 0, uncovered: null, why: null };
  return { covers: l.covered === l.needed ? 'covered' : 'partly', ...l };
}

/** The lock column of the table. */
function lockCell(l: LockVerdict): string {
  if (l.covers === 'n/a') return 'n/a';
  if (l.covers === 'covered') return 'redundant';
  return `not always (${l.covered}/${l.needed})`;
}

/** One line: does the pageblock LOCK CMPXCHG make this drain redundant on x86, and where not. */
export function lockText(l: LockVerdict): string {
  if (l.covers === 'n/a') return 'n/a: the drain is not needed on x86 even with the pageblock update taken as a plain store';
  if (l.covers === 'covered') {
    return `redundant: in every one of the ${l.needed} configurations where the drain is needed without it, the pageblock LOCK CMPXCHG drains the pending NT stores`;
  }
  return `does not cover it: the lock drains them in ${l.covered} of the ${l.needed} configurations where the drain is needed without it; ` +
    `smallest where it does not: ${l.why} [${describeScenario(l.uncovered!)}]`;
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
  const rows = [['drain site', 'contract', 'x86', 'pageblock LOCK CMPXCHG'],
    ...a.sites.map((s) => [s.site, s.contract.needed ? 'needed' : 'not needed', s.x86.needed ? 'needed' : 'not needed', lockCell(s.lock)])];
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  out.push(...rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ')));
  for (const s of a.sites) {
    out.push('', `${s.site}: contract ${s.contract.needed ? 'NEEDED' : 'not needed'}, x86 ${s.x86.needed ? 'NEEDED' : 'not needed'}`, `  where:    ${s.where}`);
    out.push(`  contract: ${s.contract.reason}${s.contract.scenario ? ` [${describeScenario(s.contract.scenario)}]` : ''}`);
    out.push(`  x86:      ${s.x86.reason}${s.x86.scenario ? ` [${describeScenario(s.x86.scenario)}]` : ''}`);
    out.push(`  lock:     ${lockText(s.lock)}`);
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
    sites: a.sites.map((s) => ({
      site: s.site, where: s.where, contract: j(s.contract), x86: j(s.x86),
      lock: { covers: s.lock.covers, needed: s.lock.needed, covered: s.lock.covered, reason: s.lock.why, config: s.lock.uncovered ? describeScenario(s.lock.uncovered) : null },
    })),
  };
}
