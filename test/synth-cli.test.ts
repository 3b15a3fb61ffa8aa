// drains --synthesize in process through run(argv, io): bad input is one line and exit code 2 (the
// synthesis itself is covered in test/synth.test.ts on small bounds; the CLI's bounds take seconds
// per variant; the real binary runs drains --synthesize in test/synth-c.test.ts).
import { describe, expect, it } from 'vitest';
import { inProcess } from './in-process.ts';

describe('memmap-check drains --synthesize: bad input', () => {
  it.each([
    [['--mode', 'arm'], '--mode=arm is not allowed; allowed: contract, x86'],
    [['--runs', '5'], '--runs is not used with --synthesize'],
    [['--variant', 'v9'], "unknown variant 'v9'"],
    [['--format', 'dot'], '--format=dot is not allowed; allowed: text, json'],
  ])('%j', async (args, message) => {
    const r = await inProcess('drains', '--synthesize', ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(message);
  });
});
