// The text of an exhaustive sweep: what it covered, what it found, and how to replay a violation.
import { match } from 'ts-pattern';
import { LAST_PLAIN_ORDER, DEFAULT_KCONFIGS } from '../../properties/exhaustive-configs.ts';
import { PROPERTIES } from '../../properties/properties.ts';
import type { Summary } from './run.ts';
import { shardText } from './shard.ts';

/** Lines shown per failing property. */
const MAX_LINES = 6;

const fmt = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`): string => `${fmt(n)} ${n === 1 ? one : many}`;

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

function boundsText(s: Summary): string {
  const b = s.bounds;
  const orders = b.maxOrder <= LAST_PLAIN_ORDER
    ? `orders 0..${b.maxOrder}`
    : `orders 0..${b.maxOrder} (above ${LAST_PLAIN_ORDER} with the vmemmap dedup)`;
  const configs = match(b.configs)
    .with('typical', () => 'the typical x86_64 kernel config')
    .with('default', () => `the ${DEFAULT_KCONFIGS.length} default kernel configs`)
    .with('all', () => 'every kernel config')
    .exhaustive();
  return `${orders}, 1..${b.maxCompoundPages} compound pages, ${configs}`;
}

export function summaryText(s: Summary): string[] {
  const t = s.tally;
  const label = s.removedDrains.length ? `${s.variant} without ${s.removedDrains.join(', ')}` : s.variant;
  const whole = s.shard.count === 1;
  const covered = whole ? plural(t.configurations, 'configuration') : `shard ${shardText(s.shard)}: ${fmt(t.configurations)} of ${plural(s.total, 'configuration')}`;
  const out = [
    `exhaustive: ${label} (reference ${s.reference}), ${boundsText(s)}`,
    `${covered}, all schedules up to reduction, ${plural(t.violations, 'violation')}, ${seconds(s.wallMs)}`,
    `  ${plural(s.workers, 'worker')}, ${fmt(t.structPages)} struct pages, fingerprint ${t.fingerprint.toString(16).padStart(12, '0')}`,
  ];
  if (t.expectedFailures > 0) {
    const bugs = Object.entries(t.knownBugs).map(([id, n]) => `${id} ${fmt(n)}`).join(', ');
    out.push(`  expected: ${plural(t.expectedFailures, 'configuration')} fail only through known kernel bugs the base still has (${bugs})`);
  }
  if (t.violations === 0) return out;
  const by = PROPERTIES.filter((p) => t.byProperty[p] > 0).map((p) => `${p} ${fmt(t.byProperty[p])}`).join(', ');
  out.push(`  violations by property: ${by}`);
  if (t.byProperty['no-write-after-streaming'] > 0) {
    out.push('  (after a write-after-streaming hazard the other counts are lower bounds: docs/exhaustive.md, Theorem 4)');
  }
  out.push('', 'first violating configuration of each property (schedule: every streaming store lands at the next drain):');
  for (const v of t.first) {
    out.push(`#${v.index} ${v.config}`);
    for (const f of v.failures) {
      out.push(`  fails ${f.property}: ${f.lines[0] ?? ''}`);
      out.push(...f.lines.slice(1, MAX_LINES).map((l) => `  ${l}`));
      if (f.lines.length > MAX_LINES) out.push(`    (${plural(f.lines.length - MAX_LINES, 'more line')}: replay the token)`);
    }
    out.push(`  replay: memmap-check replay ${v.token}`);
  }
  return out;
}
