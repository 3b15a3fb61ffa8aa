// Benchmark of the model (npm run bench): modeled struct pages per second on the slow path
// (base-next) and the template path (v5), order-0 and 2 MiB compound pages, under the worst-case
// schedule (every streaming store pending until the next drain) and with every store landing at
// once; peak RSS; and property scenarios per second. It prints figures only (no assertion on
// time): machines differ, and a shared machine's figures vary from run to run.
//
// Each page-rate row runs in a child process of its own, so that its peak RSS (getrusage maxrss)
// and its heap are its own: one warm-up run on a smaller range, then the best of three full runs.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { variantFromC } from '../../model/c/variant.ts';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { X86_64_DEFAULT } from '../../model/kernel/config.ts';
import { MEMORY_DEVICE_GENERIC } from '../../model/kernel/constants.ts';
import { runVariant } from '../../model/kernel/harness.ts';
import type { Scenario } from '../../model/kernel/scenario.ts';
import { variantByName } from '../../model/kernel/variants/index.ts';
import { LAND_AT_ONCE, type Schedule, UNTIL_DRAIN } from '../../model/schedule.ts';
import { checkProperty } from '../../properties/check.ts';
import { PROPERTIES } from '../../properties/properties.ts';
import { sweepFigures } from './exhaustive.ts';
import { median, mutantFigures } from './mutants.ts';
import { defaultWorkers } from '../synth/pool.ts';
import { synthFigures } from './synth.ts';

/** 1 GiB of order-0 pages, and the same range as 512 compound pages of 2 MiB. */
const PFNS = 262_144;
const RUNS = 3;
const WARMUP_PFNS = 32_768;
const PROPERTY_VARIANT = 'v5';
const PROPERTY_RUNS = 300;
const PROPERTY_SEED = 0x6d656d;

interface Row {
  readonly variant: string;
  /** the C front-end's run of one of our C inputs (test/c-inputs) instead of the TypeScript variant */
  readonly file?: string;
  readonly shift: number;
  readonly schedule: 'UNTIL_DRAIN' | 'LAND_AT_ONCE';
}

const rowsOf = (variant: string, file?: string): Row[] =>
  [0, 9].flatMap((shift) => (['UNTIL_DRAIN', 'LAND_AT_ONCE'] as const).map((schedule) => ({ variant, shift, schedule, ...(file ? { file } : {}) })));

/** `npm run bench -- --c-only`: only the C front-end's rows. */
const C_ONLY = process.argv.includes('--c-only');
/** `npm run bench -- --pages-only`: only the struct pages per second (TypeScript and C rows). */
const PAGES_ONLY = process.argv.includes('--pages-only');

const ROWS: readonly Row[] = [
  ...(C_ONLY ? [] : ['base-next', 'v5'].flatMap((v) => rowsOf(v))),
  ...rowsOf('C base-next.c', 'test/c-inputs/base-next.c'),
  ...rowsOf('C v5.c', 'test/c-inputs/v5.c'),
];

const SCHEDULES: Record<Row['schedule'], Schedule> = { UNTIL_DRAIN, LAND_AT_ONCE };

interface RowResult {
  readonly pfns: number;
  /** distinct struct pages written (the vmemmap dedup leaves tails 128.. of a compound page aliased) */
  readonly written: number;
  readonly events: number;
  readonly times: readonly number[];
  readonly maxRssKiB: number;
}

function scenario(shift: number, nrPages: number): Scenario {
  return {
    kconfig: X86_64_DEFAULT,
    pgmap: { type: MEMORY_DEVICE_GENERIC, vmemmapShift: shift, altmap: null },
    startPfn: 0x100000,
    nrPages,
    nid: 0,
    earlySection: false,
  };
}

/** In a child: time one row. */
async function measureRow(row: Row): Promise<RowResult> {
  const v = row.file
    ? await variantFromC(readFileSync(row.file, 'utf8'), { file: row.file, reference: 'base-next' })
    : variantByName(row.variant);
  if (!v) throw new Error(`no variant ${row.variant}`);
  const schedule = SCHEDULES[row.schedule];
  runVariant(v, scenario(row.shift, WARMUP_PFNS), { schedule });
  const s = scenario(row.shift, PFNS);
  const times: number[] = [];
  let written = 0;
  let events = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = runVariant(v, s, { schedule });
    times.push((performance.now() - t0) / 1000);
    written = r.image.pfns.length;
    events = r.end.now;
    if (r.crash) throw new Error(`${row.variant}: ${r.crash}`);
  }
  return { pfns: PFNS, written, events, times, maxRssKiB: process.resourceUsage().maxRSS };
}

function runChild(index: number): Promise<RowResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--row', String(index), ...(C_ONLY ? ['--c-only'] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: RowResult | undefined;
    child.on('message', (m) => (result = m as RowResult));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`bench row ${index} exited with ${code}`))));
  });
}

const fmtInt = (n: number): string => Math.round(n).toLocaleString('en-US');
const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

function table(header: readonly string[], rows: readonly (readonly string[])[], right: readonly boolean[]): string[] {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => (right[i] ? lpad(c, w[i]!) : pad(c, w[i]!))).join('  ').trimEnd();
  return [line(header), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)];
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(`memmap-check bench: node ${process.version}, ${os.cpus().length} CPU(s), ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
  console.log(`struct pages per second: ${fmtInt(PFNS)} pfns (1 GiB), GENERIC pgmap, X86_64_DEFAULT; best of ${RUNS} after a warm-up`);
  console.log('');
  const results: RowResult[] = [];
  for (let i = 0; i < ROWS.length; i++) results.push(await runChild(i));
  const rows = ROWS.map((row, i) => {
    const r = results[i]!;
    const best = Math.min(...r.times);
    return [
      row.variant, row.shift === 0 ? 'order-0' : `2 MiB (shift ${row.shift})`, row.schedule,
      fmtInt(r.pfns), fmtInt(r.written), fmtInt(r.events), best.toFixed(3),
      fmtInt(r.pfns / best), fmtInt(r.written / best), fmtInt(r.maxRssKiB / 1024),
    ];
  });
  for (const l of table(
    ['variant', 'pages', 'schedule', 'pfns', 'written', 'mem events', 'best s', 'pfns/s', 'written/s', 'peak RSS MiB'],
    rows, [false, false, false, true, true, true, true, true, true, true])) console.log(l);
  console.log('(written: distinct struct pages in the image; with the vmemmap dedup a 2 MiB page writes 128 of its 512)');
  console.log('(C rows: the C front-end compiling test/c-inputs/*.c to closures, against the TypeScript rows above)');
  console.log('');
  if (C_ONLY || PAGES_ONLY) return;

  // Property scenarios per second, in this process.
  const v = variantByName(PROPERTY_VARIANT)!;
  for (const p of PROPERTIES) checkProperty(v, p, { numRuns: 20, seed: PROPERTY_SEED + 1 }); // warm-up
  const prop: string[][] = [];
  let totalRuns = 0;
  let totalBest = 0;
  for (const p of PROPERTIES) {
    let best = Infinity;
    let runs = 0;
    let ok = true;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const r = checkProperty(v, p, { numRuns: PROPERTY_RUNS, seed: PROPERTY_SEED });
      best = Math.min(best, (performance.now() - t0) / 1000);
      runs = r.numRuns;
      ok = r.ok;
    }
    totalRuns += runs;
    totalBest += best;
    prop.push([p, ok ? 'ok' : 'FAILS', fmtInt(runs), best.toFixed(3), fmtInt(runs / best)]);
  }
  prop.push(['all', '', fmtInt(totalRuns), totalBest.toFixed(3), fmtInt(totalRuns / totalBest)]);
  console.log(`property scenarios per second: ${PROPERTY_VARIANT}, numRuns ${PROPERTY_RUNS}, seed ${PROPERTY_SEED}, best of ${RUNS} after a warm-up`);
  for (const l of table(['property', 'result', 'scenarios', 'best s', 'scenarios/s'], prop, [false, false, true, true, true])) console.log(l);
  console.log('');
  const seeds = 20;
  const mutants = mutantFigures(seeds);
  console.log(`mutant catalog: first counterexample (no shrinking), median over ${seeds} seeds; target < 1 s each`);
  for (const l of table(['mutant', 'property', 'caught', 'scenarios', 'ms'],
    mutants.map((m) => [m.mutant, m.property, `${m.caught}/${seeds}`, String(m.medianScenarios), m.medianMs.toFixed(0)]),
    [false, false, true, true, true])) console.log(l);
  console.log(`median over mutants: ${median(mutants.map((m) => m.medianScenarios))} scenarios, ${median(mutants.map((m) => m.medianMs)).toFixed(0)} ms; slowest ${Math.max(...mutants.map((m) => m.medianMs)).toFixed(0)} ms`);
  console.log('');

  const sweeps = await sweepFigures('v5', [1, 2]);
  console.log('exhaustive sweep of v5, default bounds; target < 60 s');
  for (const l of table(['workers', 'configurations', 'violations', 'wall s'],
    sweeps.map((x) => [String(x.workers), fmtInt(x.configurations), fmtInt(x.violations), x.seconds.toFixed(1)]),
    [true, true, true, true])) console.log(l);
  console.log('');
  await printSynth();
  console.log(`peak RSS of the property process: ${fmtInt(process.resourceUsage().maxRSS / 1024)} MiB; bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** The drain synthesis rows (`npm run bench -- --synth-only` prints only these). */
async function printSynth(): Promise<void> {
  const pool = defaultWorkers();
  const synth = await synthFigures([
    { variant: 'v5', mode: 'contract' }, { variant: 'v5', mode: 'contract', workers: pool }, { variant: 'v5', mode: 'x86', workers: pool },
    { variant: 'v3', mode: 'contract', workers: pool }, { variant: 'v1', mode: 'contract', workers: pool },
    { variant: 'test/c-inputs/v5.c', mode: 'contract', workers: pool },
  ]);
  console.log('drain synthesis (drains --synthesize, SYNTH_BOUNDS): wall and CPU seconds (all threads of the process), by phase; target v5 contract < 10 s');
  console.log(`(workers 1: every sweep on the main thread; ${pool}: the sweeps of both modes on the synthesis' worker pool, as the CLI does; x86 mode includes the contract synthesis it compares with)`);
  for (const l of table(['variant', 'mode', 'workers', 'placement', 'configurations', 'wall s', 'cpu s', 'cost s', 'hazards s', 'verify s'],
    synth.map((x) => [x.variant, x.mode, String(x.workers), x.placement, fmtInt(x.configurations), x.wallS.toFixed(1), x.cpuS.toFixed(1),
      x.phases.cost.toFixed(1), x.phases.constraints.toFixed(1), x.phases.verify.toFixed(1)]),
    [false, false, true, false, true, true, true, true, true, true])) console.log(l);
  console.log('');
}

const rowArg = process.argv.indexOf('--row');
if (process.argv.includes('--synth-only')) {
  await printSynth();
} else if (rowArg >= 0) {
  const result = await measureRow(ROWS[Number(process.argv[rowArg + 1])]!);
  process.send!(result, () => process.exit(0));
} else {
  await main();
}
