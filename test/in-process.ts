// run(argv, io), the binary's own entry, in process: what the binary prints, without the second of
// start-up each spawn costs. Tests keep one real-binary run per command family where starting it is the point.
import { run } from '../src/cli/main.ts';

export async function inProcess(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (l) => out.push(`${l}\n`), err: (l) => err.push(`${l}\n`) });
  return { code, out: out.join(''), err: err.join('') };
}
