// `memmap-check cost` as text: one table per configuration, for e-mail review.
import { PAGE_SIZE } from '../../model/kernel/constants.ts';
import type { CostParams } from './model.ts';
import { describeNamespace } from './namespace.ts';
import type { CostReport, CostRow } from './report.ts';

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const fixed = (x: number, digits: number): string => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** Bytes in decimal units, three or four significant digits. */
export function bytesText(b: number): string {
  if (b < 1e4) return `${int(b)} B`;
  if (b < 1e6) return `${fixed(b / 1e3, 1)} KB`;
  if (b < 1e9) return `${fixed(b / 1e6, 1)} MB`;
  return `${fixed(b / 1e9, 3)} GB`;
}
const count = (x: number): string => (x < 1e6 ? int(x) : `${fixed(x / 1e6, 1)}M`);
const msText = (ms: number): string => `${ms < 10 ? ms.toPrecision(3) : ms.toFixed(2)} ms`;
const signed = (x: number, digits: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;

export function describeParams(p: CostParams): string {
  const mem = `read / ${p.bwRead.toFixed(2)} GB/s + written / ${p.bwWrite.toFixed(2)} GB/s`;
  const cpu = `ops x ${p.tOp.toFixed(3)} ns`;
  const drains = `drains after streaming x ${Number(p.tDrain.toFixed(1))} ns`;
  if (p.overlap === undefined) return `time = max(${mem}, ${cpu}) + ${drains}`;
  const n = p.overlap.toFixed(2);
  return `time = ((${mem})^${n} + (${cpu})^${n})^(1/${n}) + ${drains}`;
}

function header(r: CostReport): string[] {
  const s = r.scenario;
  const alt = s.pgmap.altmap;
  const first = r.rows[0];
  const size = first?.exact.sizeofPage ?? 64;
  const pages = first?.exact.counts.pages ?? r.devicePfns;
  const lines = [
    `${describeNamespace(r.namespace)}`,
    `  ${int(r.devicePfns)} pfns initialized${alt ? ` after the altmap (${int(alt.reserve)} reserved + ${int(alt.free)} memmap pfns)` : ''}, ${int(pages)} struct pages of ${size} B`,
    `  lower bound ${bytesText(pages * size)}: every struct page written once, no read-for-ownership`,
  ];
  if (first?.exact.method === 'extrapolated') {
    const e = first.exact;
    lines.push(`  counts exact: prefixes simulated and extrapolated over ${int(e.periods)} periods of ${int(e.period)} pfns (${int(e.period * PAGE_SIZE / 2 ** 20)} MiB)`);
  } else if (first) lines.push('  counts exact: the whole range simulated');
  lines.push(`  model: ${describeParams(r.params)}`);
  return lines;
}

const COLUMNS = ['variant', 'written', 'RFO', 'traffic', 'drains (waiting)', 'ops', 'bound', 'predicted', 'measured', 'error', 'reduction vs base: predicted / measured'];

function cells(row: CostRow): string[] {
  const c = row.exact.counts;
  const red = row.reduction;
  const reduction = !red || row.variant === 'base-v7.1' ? '-'
    : red.measuredPct === null ? `${red.predictedPct.toFixed(1)}%`
      : `${red.predictedPct.toFixed(1)}% / ${red.measuredPct.toFixed(1)}% (${signed(red.errorPp!, 1)} pp)`;
  return [
    row.variant,
    bytesText(row.prediction.writeBytes),
    bytesText(c.rfoLines * 64),
    `${(row.trafficBytes / row.lowerBoundBytes).toFixed(3)}x`,
    `${int(c.drains)} (${int(c.drainsAfterStreaming)})`,
    count(c.fieldOps),
    row.prediction.bound,
    msText(row.prediction.ms),
    row.seed ? `${msText(row.seed.ms)} ${row.seed.role === 'fit' ? '(fit)' : '(predicted)'}` : '-',
    row.errorPct === null ? '-' : `${signed(row.errorPct, 1)}%`,
    reduction,
  ];
}

export function costTable(r: CostReport): string[] {
  const body = r.rows.map(cells);
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cs: string[]) => cs.map((c, i) => (i === cs.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const notes: string[] = [];
  if (r.rows.some((x) => x.seed)) {
    notes.push('measured: the seeds (Ice Lake VM, average of 29 rebinds); "(fit)" rows fix the parameters, "(predicted)" rows are predictions.');
  }
  notes.push('written: bytes written to memory (dirty lines written back, streamed lines); RFO: lines a cached store read for ownership;');
  notes.push('traffic: bytes read and written, as a multiple of the lower bound; drains (waiting): all, and those with streaming stores in flight.');
  return [...header(r), '', line(COLUMNS), ...body.map(line), '', ...notes];
}
