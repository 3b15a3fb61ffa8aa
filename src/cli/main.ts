// memmap-check: the command line as a function, run(argv, io) -> exit code. No arguments runs the
// main job on every shipped variant. The binary is cli.ts.
import { match } from 'ts-pattern';
import { VariantFault } from '../../model/faults.ts';
import { ConfigError } from '../../model/kernel/config.ts';
import { SweepError } from '../exhaustive/sweep.ts';
import { ReplayInputError } from '../report/counterexample.ts';
import { UsageError } from './errors.ts';
import { isVariantPath, loadVariant } from './load-variant.ts';
import { commandHelp, generalHelp, optionsOf, parseCommand } from './options.ts';
import { type CheckArgs, runCheck } from './check.ts';
import { runCost } from './cost.ts';
import { type DrainsArgs, runDrains } from './drains.ts';
import { runExhaustiveCommand } from './exhaustive.ts';
import { runLitmus } from './litmus.ts';
import { modeOf, runDrainsX86 } from '../x86/drains-cli.ts';
import { runMain } from './main-job.ts';
import { runReplay } from './replay.ts';
import { runVariants } from './variants.ts';
import { runBindings, withC } from './c-cli.ts';
import type { COptions } from './c-source.ts';
import { isCSpec } from './c-source.ts';

export const COMMANDS = ['check', 'replay', 'drains', 'exhaustive', 'litmus', 'variants', 'cost', 'bindings', 'help'] as const;

export interface IO {
  out(line: string): void;
  err(line: string): void;
}

/** Dispatch one command; throws UsageError and friends for run() to turn into exit codes. */
export async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  const cmd = first !== undefined && !first.startsWith('-') ? first : undefined;
  const rest = cmd === undefined ? argv : argv.slice(1);
  if (cmd !== undefined && !(COMMANDS as readonly string[]).includes(cmd)) {
    throw new UsageError(`unknown command '${cmd}'; allowed: ${COMMANDS.join(', ')} (or none for the main job)`);
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(cmd === undefined ? generalHelp() : cmd === 'help' ? generalHelp() : commandHelp(cmd));
    return 0;
  }
  const args = <T>(c: string): T => parseCommand(c, rest, optionsOf(c)).values as T;
  return match(cmd)
    .with(undefined, async () => runMain(await withC(args<Parameters<typeof runMain>[0] & COptions>('(none)'))))
    .with('check', async () => runCheck(await withC(args<CheckArgs & COptions>('check'))))
    .with('replay', () => runReplay(rest))
    .with('drains', async () => {
      const { mode, ...a } = await withC(args<DrainsArgs & { mode?: string; 'max-events'?: string; c?: string; patch?: string[]; reference?: string }>('drains'));
      if (a.synthesize) return runDrains({ ...a, mode });
      if (modeOf(mode) === 'x86') {
        if (a['debug-vm'] !== undefined) throw new UsageError('--debug-vm is not used with --mode x86; allowed with --mode contract');
        return runDrainsX86(a);
      }
      return runDrains(a);
    })
    .with('litmus', () => runLitmus(rest))
    .with('exhaustive', async () => runExhaustiveCommand(await withC(args<Parameters<typeof runExhaustiveCommand>[0] & COptions>('exhaustive'), true)))
    .with('variants', () => runVariants(args('variants')))
    .with('cost', async () => {
      const a = await withC(args<Parameters<typeof runCost>[0] & { c?: string; patch?: string[]; reference?: string }>('cost'), true);
      // a C file (--c) is loaded here: cost itself only knows variants by name
      const loaded = await Promise.all((a.variant ?? []).filter(isCSpec).map((x) => loadVariant(x)));
      return runCost(a, loaded);
    })
    .with('bindings', () => runBindings(args('bindings')))
    .with('help', () => {
      const topic = rest[0];
      if (rest.length > 1) throw new UsageError(`help takes one command; allowed: ${COMMANDS.join(', ')}`);
      if (topic !== undefined && !(COMMANDS as readonly string[]).includes(topic)) {
        throw new UsageError(`unknown command '${topic}'; allowed: ${COMMANDS.join(', ')}`);
      }
      console.log(topic === undefined || topic === 'help' ? generalHelp() : commandHelp(topic));
      return 0;
    })
    .otherwise((c) => {
      throw new UsageError(`unknown command '${c}'; allowed: ${COMMANDS.join(', ')} (or none for the main job)`);
    });
}

const prefix = (s: string): string => `memmap-check: ${s}`;
const oneLine = (s: string): string => s.split('\n').map((l) => l.trim()).filter((l) => l !== '')[0] ?? 'unknown error';

/** The variant file named on the command line, if any (its runs then go to a worker thread). */
export function variantFileArg(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === '--variant' ? argv[i + 1] : a.startsWith('--variant=') ? a.slice('--variant='.length) : undefined;
    if (v !== undefined && isVariantPath(v)) return v;
  }
  return undefined;
}

export interface RunOptions {
  /**
   * Run a command that names a variant file on a worker thread under a watchdog (the default
   * from the binary), so that a variant spinning without yielding cannot hang the tool.
   */
  readonly isolate?: boolean;
  /** the watchdog's limit for an isolated run (default: sandbox.ts WATCHDOG_MS) */
  readonly watchdogMs?: number;
}

/**
 * The command line as a function: arguments in, lines out through `io`, an exit code back. The
 * binary and the tests share it. Commands print with console.log/error; run() points console at
 * `io` for the duration.
 */
export async function run(argv: string[], io: IO, o: RunOptions = {}): Promise<number> {
  const file = variantFileArg(argv);
  if (o.isolate && file !== undefined && !argv.includes('--help') && !argv.includes('-h')) {
    const { runIsolated } = await import('./sandbox.ts');
    return runIsolated(argv, io, file, o.watchdogMs);
  }
  const { log, error, warn } = console;
  const text = (xs: unknown[]) => xs.map((x) => (typeof x === 'string' ? x : String(x))).join(' ');
  console.log = (...xs: unknown[]) => io.out(text(xs));
  console.error = console.warn = (...xs: unknown[]) => io.err(text(xs));
  try {
    return await main(argv);
  } catch (e) {
    return failure(e, file, io);
  } finally {
    Object.assign(console, { log, error, warn });
  }
}

export function failure(e: unknown, file: string | undefined, io: IO): number {
  if (e instanceof UsageError || e instanceof ConfigError || e instanceof ReplayInputError) {
    io.err(prefix(oneLine(e.message)));
    return 2;
  }
  if (e instanceof VariantFault) {
    // the guard names the file; a fault the machine raises (bad event, budget) may not
    const named = file === undefined || e.message.includes(file) ? '' : `variant file '${file}': `;
    const where = e.stack_?.length && !e.message.includes(e.stack_.at(-1)!) ? ` (in ${e.stack_.join(' > ')})` : '';
    io.err(prefix(`${named}${oneLine(e.message)}${where}`));
    return 3;
  }
  if (e instanceof SweepError && file !== undefined) {
    io.err(prefix(oneLine(e.message)));
    return 3;
  }
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (file !== undefined) {
    // whatever else escapes a run of a variant file came from that file's code
    io.err(prefix(`variant file '${file}' crashed the run: ${oneLine(msg)}`));
    return 3;
  }
  io.err(prefix(`internal error: ${oneLine(msg)} (please report it)`));
  return 70;
}
