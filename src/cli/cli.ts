// The binary: run the command line on this process's arguments and streams (main.ts does the work).
import { run } from './main.ts';
import { onInterrupt } from './terminal.ts';

// `memmap-check ... | head` closes the pipe early: stop quietly, not with a stack trace
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});
onInterrupt(process.stderr);
process.exitCode = await run(process.argv.slice(2), {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
}, { isolate: true });
