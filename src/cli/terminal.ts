// The terminal on Ctrl-C: a progress bar hides the cursor, so show it again before exiting (130,
// the shell's code for SIGINT), and say in one line that the run was interrupted.
export const SHOW_CURSOR = '\u001b[?25h';

export function onInterrupt(stream: NodeJS.WriteStream, exit: (code: number) => void = (c) => process.exit(c)): void {
  process.once('SIGINT', () => {
    if (stream.isTTY) stream.write(`\r${SHOW_CURSOR}\n`);
    stream.write('memmap-check: interrupted\n');
    exit(130);
  });
}
