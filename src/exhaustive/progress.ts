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

/**
 * Fraction of the sweep's time done. Configurations come in order of size, so neither their
 * count nor the struct pages track time alone (a default-config sweep of v5 is 27% through its
 * configurations but 1% through its struct pages at a tenth of its time); a run's time is close to
 * 0.3 x its share of configurations + 0.7 x its share of struct pages (measured on that sweep).
 */
export function timeFraction(t: ProgressTotal, d: ProgressDone): number {
  const configs = d.configurations / Math.max(1, t.configurations);
  if (t.work === null) return configs;
  return 0.3 * configs + 0.7 * (d.work / Math.max(1, t.work));
}

/** Seconds left, or null before 3 s and 1% have passed (an earlier guess is mostly noise). */
export function etaSeconds(elapsedMs: number, fraction: number): number | null {
  if (elapsedMs < 3000 || fraction < 0.01) return null;
  return Math.round((elapsedMs * (1 - fraction)) / fraction / 1000);
}

export function durationText(s: number | null): string {
  if (s === null) return 'estimating';
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

const pct = (d: ProgressDone, t: ProgressTotal): number => Math.floor((100 * d.configurations) / Math.max(1, t.configurations));

export function terminalProgress(stream: NodeJS.WriteStream, now: () => number = Date.now): ProgressSink {
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'exhaustive [{bar}] {percentage}% of {total} configurations | {violations} violations | ETA {eta}',
    hideCursor: true,
    clearOnComplete: true,
    formatValue: (v, _o, type) => (type === 'total' ? fmt(v) : String(v)),
  }, cliProgress.Presets.shades_classic);
  let total: ProgressTotal = { configurations: 0, work: null };
  let t0 = 0;
  return {
    start(t) {
      total = t;
      t0 = now();
      bar.start(Math.max(1, t.configurations), 0, { violations: 0, eta: durationText(null) });
    },
    update(d) {
      bar.update(d.configurations, { violations: fmt(d.violations), eta: durationText(etaSeconds(now() - t0, timeFraction(total, d))) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** A line at every tenth of the configurations, and at least every 30 s. */
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
      const whole = Math.max(1, total.configurations);
      const tenth = Math.floor((10 * d.configurations) / whole);
      const t = now();
      if (tenth <= lastTenth && t - lastLine < 30_000) return;
      if (tenth >= 10) return; // the summary says it
      lastTenth = tenth;
      lastLine = t;
      const eta = etaSeconds(t - t0, timeFraction(total, d));
      write(`exhaustive: ${fmt(d.configurations)}/${fmt(total.configurations)} configurations (${pct(d, total)}%), ${fmt(d.violations)} violations, ${Math.round((t - t0) / 1000)} s, ETA ${durationText(eta)}`);
    },
    stop() {},
  };
}

/** The bar on a terminal, lines elsewhere; nothing when quiet. */
export function progressFor(stream: NodeJS.WriteStream, quiet: boolean): ProgressSink {
  if (quiet) return NO_PROGRESS;
  return stream.isTTY ? terminalProgress(stream) : lineProgress((l) => stream.write(`${l}\n`));
}
