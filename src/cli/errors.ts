// Bad input ends in one line naming the value and what is allowed, and exit code 2.
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const allowed = (what: string, value: string, options: readonly string[]): UsageError =>
  new UsageError(`unknown ${what} '${value}'; allowed: ${options.join(', ')}`);

export function positiveInt(flag: string, value: string | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  if (!/^[1-9][0-9]*$/.test(value)) throw new UsageError(`--${flag}=${value} is not allowed; allowed: a positive integer`);
  return Number(value);
}

export function seedOf(value: string | undefined, dflt: number): number {
  if (value === undefined) return dflt;
  if (!/^(0x[0-9a-f]+|-?[0-9]+)$/i.test(value)) throw new UsageError(`--seed=${value} is not allowed; allowed: an integer (decimal or 0x hex)`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 31) throw new UsageError(`--seed=${value} is out of range; allowed: -2^31..2^31`);
  return n;
}

/** A positive integer flag with an upper bound past which the run would not finish in sane time. */
export function boundedInt(flag: string, value: string | undefined, dflt: number, max: number, why: string): number {
  const n = positiveInt(flag, value, dflt);
  if (n > max) throw new UsageError(`--${flag}=${value} is too large (${why}); allowed: 1..${max.toLocaleString('en-US')}`);
  return n;
}

/** --runs: beyond this a check takes hours; fast-check's shrinking does not need more. */
export const MAX_RUNS = 100_000;
export const runsOf = (value: string | undefined, dflt: number): number =>
  boundedInt('runs', value, dflt, MAX_RUNS, 'a run that long takes hours');

/** --max-events: an event budget past 2^31 is not a budget. */
export const MAX_EVENTS_LIMIT = 2 ** 31;
export const maxEventsOf = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : boundedInt('max-events', value, 0, MAX_EVENTS_LIMIT, 'not a budget any more');
