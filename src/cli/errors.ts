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
