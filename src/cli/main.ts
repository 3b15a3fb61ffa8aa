// memmap-check: the command line. No arguments runs the main job on every shipped variant.
import { parseArgs } from 'node:util';
import { match } from 'ts-pattern';
import { ConfigError } from '../../model/kernel/config.ts';
import { VariantFault } from '../../model/faults.ts';
import { UsageError } from './errors.ts';
import { runCheck } from './check.ts';
import { runCost } from './cost.ts';
import { runDrains } from './drains.ts';
import { runExhaustiveCommand } from './exhaustive.ts';
import { runLitmus } from './litmus.ts';
import { modeOf, runDrainsX86 } from '../x86/drains-cli.ts';
import { runMain } from './main-job.ts';
import { runReplay } from './replay.ts';
import { runVariants } from './variants.ts';
import { C_OPTIONS, runBindings, withC } from './c-cli.ts';
import { isCSpec } from './c-source.ts';
import { loadVariant } from './load-variant.ts';

const HELP = `usage: memmap-check [command] [options]

commands:
  (none)      check every shipped variant against every property; print one table
  check       check one variant: --variant NAME [--property P]... [--runs N] [--seed S]
              [--remove-drain SITE]... [--format text|json|dot] [--save DIR]
  replay      rerun a counterexample exactly: replay TOKEN|FILE.json [--format text|json|dot]
              [--save DIR]; TOKEN is the mmc1... line of a report, FILE one written by --save
  drains      drain necessity: remove each drain site (and each pair), check, show the minimal
              counterexample, and count drains per GiB: [--variant NAME|FILE] [--runs N]
              [--seed S] [--add-drain POINT]... [--exhaustive typical|default|all|off]
              [--format text|json]; without --variant, every shipped variant with drains
              --mode contract|x86 (default contract): x86 reports each drain as needed or not
              under x86 hardware semantics and under the contract (docs/x86-mode.md)
  exhaustive  every configuration within small bounds, every schedule up to reduction
              (docs/exhaustive.md): [--variant NAME|FILE]... [--max-order K]
              [--max-compound-pages N] [--configs typical|default|all] [--workers N (default: one
              per core)] [--shard i/n]
              [--remove-drain SITE]...; without --variant, every shipped variant
  litmus      run a herd7-style X86_64 litmus test under the x86 hardware mode: litmus FILE...
              [--format=text|json]; prints every final state and Allowed/Forbidden
  variants    list the shipped variants, their references and drain sites
  cost        exact counts and predicted time at a real PMEM configuration:
              --namespace SIZE --mode fsdax|devdax [--mode ...] [--align 2M|1G] [--altmap]
              [--variant NAME]... [--chart FILE.svg] [--format text|json]
  bindings    the kernel helpers the C front-end models (--c), and the TypeScript they run
  help        this text

a C file instead of a variant (check, drains, exhaustive, and the main job adds a row):
  --c FILE.c [--patch FILE.patch]... [--reference base-next|base-v7.1|BASE.c]

options of the main job: --runs N (scenarios per property, default 150), --seed S`;

export const COMMANDS = ['check', 'replay', 'drains', 'exhaustive', 'litmus', 'variants', 'cost', 'bindings', 'help'] as const;

export async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  const cmd = first !== undefined && !first.startsWith('-') ? first : undefined;
  const rest = cmd === undefined ? argv : argv.slice(1);
  return match(cmd)
    .with(undefined, async () => runMain(await withC(parse(rest, { runs: { type: 'string' }, seed: { type: 'string' }, ...C_OPTIONS }))))
    .with('check', async () => runCheck(await withC(parse(rest, {
      variant: { type: 'string' }, property: { type: 'string', multiple: true }, runs: { type: 'string' },
      seed: { type: 'string' }, 'remove-drain': { type: 'string', multiple: true }, format: { type: 'string' },
      save: { type: 'string' }, ...C_OPTIONS,
    }))))
    .with('replay', () => runReplay(rest))
    .with('drains', async () => {
      const { mode, ...args } = await withC(parse(rest, {
        variant: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' }, format: { type: 'string' },
        'add-drain': { type: 'string', multiple: true }, exhaustive: { type: 'string' }, mode: { type: 'string' }, ...C_OPTIONS,
      }));
      return modeOf(mode) === 'x86' ? runDrainsX86(args) : runDrains(args);
    })
    .with('litmus', () => runLitmus(rest))
    .with('exhaustive', async () => runExhaustiveCommand(await withC(parse(rest, {
      variant: { type: 'string', multiple: true }, 'max-order': { type: 'string' }, 'max-compound-pages': { type: 'string' },
      configs: { type: 'string' }, workers: { type: 'string' }, shard: { type: 'string' },
      'remove-drain': { type: 'string', multiple: true }, ...C_OPTIONS,
    }), true)))
    .with('variants', () => runVariants(parse(rest, { format: { type: 'string' } })))
    .with('cost', async () => {
      const a = await withC(parse(rest, {
        namespace: { type: 'string' }, mode: { type: 'string', multiple: true }, align: { type: 'string' },
        altmap: { type: 'boolean' }, variant: { type: 'string', multiple: true }, chart: { type: 'string' },
        format: { type: 'string' }, ...C_OPTIONS,
      }), true);
      // a C file (--c) is loaded here: cost itself only knows variants by name
      const loaded = await Promise.all((a.variant ?? []).filter(isCSpec).map(loadVariant));
      return runCost(a, loaded);
    })
    .with('bindings', () => runBindings(parse(rest, { format: { type: 'string' } })))
    .with('help', () => {
      console.log(HELP);
      return 0;
    })
    .otherwise((c) => {
      throw new UsageError(`unknown command '${c}'; allowed: ${COMMANDS.join(', ')} (or none for the main job)`);
    });
}

type Spec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse<T extends Spec>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    // node's messages are one line; drop its "To specify a positional..." advice
    throw new UsageError((e as Error).message.split('. To ')[0]!.replace(/^Unknown option/, 'unknown option'));
  }
}

async function run(): Promise<void> {
  // `memmap-check ... | head` closes the pipe early: stop quietly, not with a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError) {
      console.error(`memmap-check: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    if (e instanceof VariantFault) {
      // the code under check misbehaved (model/faults.ts): one line, exit 3
      console.error(`memmap-check: ${e.message}`);
      process.exitCode = 3;
      return;
    }
    throw e;
  }
}

await run();
