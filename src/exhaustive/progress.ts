// Progress of a sweep on stderr: a cli-progress bar on a terminal, plain lines otherwise (logs, CI).
import cliProgress from 'cli-progress';

export interface ProgressTotal {
  readonly configurations: number;
  /** Struct pages to initialize; null when the shard is too large to count them first. */
  readonly work: number | null;
}

export interface ProgressDone {
  readonly configurations: number;
  readonly work: number;
  readonly violations: number;
}

export interface ProgressSink {
  start(total: ProgressTotal): void;
  update(done: ProgressDone): void;
  stop(): void;
}

export const NO_PROGRESS: ProgressSink = { start() {}, update() {}, stop() {} };

const fmt = (n: number): string => n.toLocaleString('en-US');

/** The bar's position: work when it is known (configurations differ in cost), else configurations. */
const position = (t: ProgressTotal, d: ProgressDone): number => (t.work === null ? d.configurations : d.work);

export function terminalProgress(stream: NodeJS.WriteStream): ProgressSink {
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'exhaustive [{bar}] {percentage}% | {configs} configurations | {violations} violations | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  let total: ProgressTotal = { configurations: 0, work: null };
  return {
    start(t) {
      total = t;
      bar.start(Math.max(1, t.work ?? t.configurations), 0, { configs: `0/${fmt(t.configurations)}`, violations: 0 });
    },
    update(d) {
      bar.update(position(total, d), { configs: `${fmt(d.configurations)}/${fmt(total.configurations)}`, violations: fmt(d.violations) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** A line at every tenth of the work, and at least every 30 s. */
export function lineProgress(write: (line: string) => void, now: () => number = Date.now): ProgressSink {
  let total: ProgressTotal = { configurations: 0, work: null };
  let t0 = 0;
  let lastTenth = 0;
  let lastLine = 0;
  return {
    start(t) {
      total = t;
      t0 = lastLine = now();
      write(`exhaustive: ${fmt(t.configurations)} configurations to check`);
    },
    update(d) {
      const whole = Math.max(1, total.work ?? total.configurations);
      const tenth = Math.floor((10 * position(total, d)) / whole);
      const t = now();
      if (tenth <= lastTenth && t - lastLine < 30_000) return;
      if (tenth >= 10) return; // the summary says it
      lastTenth = tenth;
      lastLine = t;
      const pct = Math.floor((100 * position(total, d)) / whole);
      write(`exhaustive: ${fmt(d.configurations)}/${fmt(total.configurations)} configurations (${pct}%), ${fmt(d.violations)} violations, ${Math.round((t - t0) / 1000)} s`);
    },
    stop() {},
  };
}

/** The bar on a terminal, lines elsewhere; nothing when quiet. */
export function progressFor(stream: NodeJS.WriteStream, quiet: boolean): ProgressSink {
  if (quiet) return NO_PROGRESS;
  return stream.isTTY ? terminalProgress(stream) : lineProgress((l) => stream.write(`${l}\n`));
}
