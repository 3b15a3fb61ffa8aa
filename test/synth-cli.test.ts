// drains --synthesize on the real binary: bad input is one line and exit code 2 (the synthesis
// itself is covered in test/synth.test.ts on small bounds; the CLI's bounds take seconds per variant).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/memmap-check.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('memmap-check drains --synthesize: bad input', () => {
  it.each([
    [['--mode', 'arm'], '--mode=arm is not allowed; allowed: contract, x86'],
    [['--runs', '5'], '--runs is not used with --synthesize'],
    [['--variant', 'v9'], "unknown variant 'v9'"],
    [['--format', 'dot'], '--format=dot is not allowed; allowed: text, json'],
  ])('%j', (args, message) => {
    const r = cli('drains', '--synthesize', ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(message);
  });
});
