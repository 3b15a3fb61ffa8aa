// Ctrl-C on a terminal: the cursor a progress bar hid comes back, one line says so, exit code 130.
import { describe, expect, it } from 'vitest';
import { SHOW_CURSOR, onInterrupt } from '../src/cli/terminal.ts';

describe('Ctrl-C', () => {
  it.each([true, false])('restores the cursor on a terminal (isTTY %s) and exits 130 with one line', (tty) => {
    const written: string[] = [];
    const stream = { isTTY: tty, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream;
    let code: number | undefined;
    onInterrupt(stream, (c) => {
      code = c;
    });
    process.emit('SIGINT');
    expect(code).toBe(130);
    expect(written.join('').includes(SHOW_CURSOR)).toBe(tty);
    expect(written.join('').trim().split('\n').at(-1)).toBe('memmap-check: interrupted');
  });
});
