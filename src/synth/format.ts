// Text and JSON of a synthesis (JSON schema: docs/synthesis.md §7).
import { describeScenario } from '../../model/kernel/describe.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import { type PlacementCost, WORKLOADS } from './cost.ts';
import { type Placement, placementText } from './placement.ts';
import type { Synthesis } from './synthesize.ts';
import { PREDICT_GIB, msAt, msText, verdictOf } from './verdict.ts';

export const SYNTHESIS_SCHEMA = 'memmap-check/synthesis/1';

const num = (x: number): string => x.toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

const SEMANTICS = {
  contract: 'contract semantics: a streaming store may land at any time until a drain; every schedule',
  x86: 'x86 semantics: only a reader CPU after the publish can miss an NT store not drained or forced',
} as const;

function table(rows: string[][], right = true): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 || !right ? (i === r.length - 1 ? c : c.padEnd(w[i]!)) : c.padStart(w[i]!))).join('  ').trimEnd());
}

function costRow(label: string, c: PlacementCost): string[] {
  return [label, ...c.byWorkload.map((w) => `${num(w.drains)} (${num(w.stalls)})`), msText(msAt(c))];
}

export function synthesisText(s: Synthesis): string[] {
  const cs = s.candidates;
  const out = [
    `drain synthesis: ${s.variant} (${SEMANTICS[s.mode]})`,
    `candidates: ${cs.length} (${cs.filter((c) => c.own).length} drain sites of the variant, ${cs.filter((c) => !c.own).length} empty drain points)`,
    ...table(cs.map((c) => [`  ${c.name}`, `${c.own ? 'site ' : 'point'}  ${c.where}`]), false),
    '',
  ];
  const head = ['placement', ...WORKLOADS.map((w) => `${w.name} drains/GiB (stalling)`), `ms at ${PREDICT_GIB} GiB`];
  const rows = [head];
  const own = `${s.variant}'s own`;
  if (s.status === 'ok') rows.push(costRow('synthesized', s.cost));
  rows.push(costRow(own, s.own.cost));
  out.push(...table(rows));
  const w = Math.max(own.length, 'synthesized'.length) + 1;
  if (s.status === 'ok') out.push(`  ${'synthesized:'.padEnd(w)} ${placementText(cs, s.placement)}`);
  out.push(`  ${`${own}:`.padEnd(w)} ${placementText(cs, s.own.placement)}`);
  out.push(`  cost: drains executed per GiB of namespace (in brackets those with streaming stores in flight, which stall ` +
    `t_drain = 100 ns each: src/cost/model.ts); ms: the stalls of a ${PREDICT_GIB} GiB namespace of each workload, summed`);
  out.push('', `verdict: ${verdictOf(s).text}`, '');
  const cfg = (x: Scenario | null) => (x ? ` [${describeScenario(x)}]` : '');
  if (s.status === 'ok') {
    out.push(`proof: the placement passes ${num(s.verified)} configurations (${s.scope.text}), ` +
      `${s.mode === 'contract' ? 'each for every schedule (docs/exhaustive.md)' : 'each under the x86 rules (docs/x86-mode.md)'}; ` +
      `it is a least-cost cover of ${s.constraints.length} hazard constraint(s) (${s.rounds} round(s), ${s.nodes} branch-and-bound nodes), ` +
      'each necessary for safety (docs/synthesis.md)');
    out.push('every drain is needed:');
    for (const r of s.removals) out.push(`  without ${cs[r.candidate]!.name}: ${r.reason ?? 'NOT SHOWN (a bug: please report)'}${cfg(r.witness)}`);
  } else {
    out.push(`why: ${s.reason}${cfg(s.scenario)}`);
  }
  if (!s.own.safe && s.own.reason) out.push(`${s.variant}'s own drains: ${s.own.reason}${cfg(s.own.scenario)}`);
  out.push(`time: ${secs(s.ms.total)} (cost ${secs(s.ms.cost)}, hazards of the drain-free variant ${secs(s.ms.constraints)}, ` +
    `solve and verify ${secs(s.ms.verify)}, the variant's own drains ${secs(s.ms.own)}, removals ${secs(s.ms.removals)})`);
  return out;
}

/** Per drain: which mode needs it (x86 mode's summary). */
export function needsText(x86: Synthesis, contract: Synthesis): string[] {
  const cs = x86.candidates;
  const has = (s: Synthesis, i: number) => (s.status === 'ok' ? (s.placement.includes(i) ? 'needed' : '-') : '?');
  return [
    'which drains each semantics needs (cheapest safe placements):',
    ...table([['drain', 'contract', 'x86'], ...cs.map((c, i) => [c.name, has(contract, i), has(x86, i)])], false).map((l) => `  ${l}`),
    ...(x86.status === 'ok' && contract.status === 'ok'
      ? [`  x86 needs ${placementText(cs, x86.placement)}; the portable contract needs ${placementText(cs, contract.placement)}` +
        (contract.placement.some((i) => !x86.placement.includes(i))
          ? ` (the rest order this CPU's own accesses after the streaming stores, which x86 does by itself: store forwarding and same-address order)`
          : '')]
      : []),
  ];
}

function costJson(c: PlacementCost) {
  return {
    perGiB: c.byWorkload.map((w) => ({ workload: w.workload, drains: w.drains, stalling: w.stalls, ms: w.ms })),
    drainsPerGiB: c.drains, stallingPerGiB: c.stalls, msPerGiB: c.ms, msAt100GiB: msAt(c), sites: c.sites,
  };
}

export function synthesisJson(s: Synthesis) {
  const names = (p: Placement) => p.map((i) => s.candidates[i]!.name);
  const cfg = (x: Scenario | null) => (x ? describeScenario(x) : null);
  return {
    schema: SYNTHESIS_SCHEMA,
    variant: s.variant,
    mode: s.mode,
    scope: s.scope,
    workloads: WORKLOADS.map((w) => ({ name: w.name, what: w.what, config: describeScenario(w.scenario) })),
    candidates: s.candidates.map((c) => ({ name: c.name, kind: c.own ? 'site' : 'point', where: c.where })),
    status: s.status,
    placement: s.status === 'ok' ? { drains: names(s.placement), cost: costJson(s.cost) } : null,
    own: { drains: names(s.own.placement), cost: costJson(s.own.cost), safe: s.own.safe, reason: s.own.reason, config: cfg(s.own.scenario) },
    verdict: verdictOf(s),
    proof: s.status === 'ok'
      ? {
        configurations: s.verified,
        constraints: s.constraints.map((k) => ({ drains: names(k.hits), hazard: k.what, config: describeScenario(k.scenario) })),
        rounds: s.rounds, nodes: s.nodes,
        removals: s.removals.map((r) => ({ drain: s.candidates[r.candidate]!.name, reason: r.reason, config: cfg(r.witness) })),
      }
      : null,
    noSafePlacement: s.status === 'ok' ? null : { reason: s.reason, config: cfg(s.scenario) },
    timeMs: s.ms,
  };
}
