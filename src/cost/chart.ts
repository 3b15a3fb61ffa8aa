// `memmap-check cost --chart FILE.svg`: predicted against measured time, one group of bars per
// configuration. Hand-written SVG, no dependencies.
import type { CostReport } from './report.ts';

const W = 920;
const H = 420;
const TOP = 64;
const BOTTOM = 96;
const LEFT = 64;
const RIGHT = 16;
const BAR = 22;
const PAIR_GAP = 14;
const GROUP_GAP = 40;

const COLOR = { fit: '#9ecae1', prediction: '#3182bd', measured: '#737373' } as const;

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const f = (x: number): string => (Math.round(x * 10) / 10).toString();

/** A round axis step giving 4 to 8 gridlines up to `max`. */
function step(max: number): number {
  for (const s of [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000]) if (max / s <= 8) return s;
  return 10 ** Math.ceil(Math.log10(max / 8));
}

export function costChart(reports: readonly CostReport[], title: string): string {
  const groups = reports.map((r) => ({
    name: r.namespace.mode === 'fsdax' ? 'nd_pmem (fsdax, order-0 pages)' : 'dax_pmem (devdax, compound pages)',
    rows: r.rows,
  }));
  const max = Math.max(1, ...groups.flatMap((g) => g.rows.flatMap((r) => [r.prediction.ms, r.seed?.ms ?? 0])));
  const s = step(max);
  const top = Math.ceil(max / s) * s;
  const plotH = H - TOP - BOTTOM;
  const y = (ms: number) => TOP + plotH * (1 - ms / top);
  const pairs = groups.reduce((n, g) => n + g.rows.length, 0);
  const plotW = W - LEFT - RIGHT;
  const pairW = 2 * BAR + PAIR_GAP;
  const scale = Math.min(1.6, (plotW - GROUP_GAP * groups.length) / (pairs * pairW));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`);
  // legend
  const legend: [string, string][] = [[COLOR.fit, 'model, fitted row'], [COLOR.prediction, 'model, prediction'], [COLOR.measured, 'measured (seeds)']];
  legend.forEach(([c, label], i) => {
    const x = LEFT + 8 + i * 180;
    out.push(`<rect x="${x}" y="36" width="12" height="12" fill="${c}"/><text x="${x + 18}" y="46">${esc(label)}</text>`);
  });
  // axis and gridlines
  for (let v = 0; v <= top; v += s) {
    out.push(`<line x1="${LEFT}" y1="${f(y(v))}" x2="${W - RIGHT}" y2="${f(y(v))}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end">${v}</text>`);
  }
  out.push(`<text x="16" y="${f(TOP + plotH / 2)}" transform="rotate(-90 16 ${f(TOP + plotH / 2)})" text-anchor="middle">ms</text>`);
  let x = LEFT + GROUP_GAP / 2;
  for (const g of groups) {
    const start = x;
    for (const r of g.rows) {
      const w = BAR * scale;
      const predColor = r.seed?.role === 'fit' ? COLOR.fit : COLOR.prediction;
      const bars: [number, string, string][] = [[r.prediction.ms, predColor, 'predicted']];
      if (r.seed) bars.push([r.seed.ms, COLOR.measured, 'measured']);
      bars.forEach(([ms, color, what], i) => {
        const bx = x + i * w;
        out.push(`<rect x="${f(bx)}" y="${f(y(ms))}" width="${f(w - 1)}" height="${f(y(0) - y(ms))}" fill="${color}"><title>${esc(`${r.variant} ${what}: ${ms.toFixed(2)} ms`)}</title></rect>`);
        out.push(`<text x="${f(bx + w / 2)}" y="${f(y(ms) - 4)}" text-anchor="middle" font-size="10">${Math.round(ms)}</text>`);
      });
      out.push(`<text x="${f(x + w)}" y="${f(y(0) + 14)}" text-anchor="middle" font-size="11">${esc(r.variant)}</text>`);
      x += pairW * scale;
    }
    out.push(`<text x="${f((start + x - PAIR_GAP * scale) / 2)}" y="${f(y(0) + 34)}" text-anchor="middle" font-weight="bold">${esc(g.name)}</text>`);
    x += GROUP_GAP;
  }
  out.push(`<line x1="${LEFT}" y1="${f(y(0))}" x2="${W - RIGHT}" y2="${f(y(0))}" stroke="#000000"/>`);
  const err = reports.flatMap((r) => r.rows.filter((row) => row.reduction?.errorPp != null && row.seed?.role === 'prediction' && row.variant !== 'base-v7.1')
    .map((row) => `${r.namespace.mode === 'fsdax' ? 'nd' : 'dax'}_pmem ${row.variant} ${row.reduction!.errorPp! >= 0 ? '+' : ''}${row.reduction!.errorPp!.toFixed(1)} pp`));
  if (err.length) out.push(`<text x="${W / 2}" y="${H - 16}" text-anchor="middle" font-size="11">${esc(`prediction error in points of reduction against the base: ${err.join(', ')}`)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
