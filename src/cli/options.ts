// Every command's options, in one table: the parser takes them from here, and so do the help
// texts, so an option cannot be accepted without being documented (or documented without being
// accepted). An unknown option is one line listing the allowed ones.
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export interface OptionDoc {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** the allowed values, as the help shows them */
  readonly values: string;
  readonly help: string;
}

export interface CommandDoc {
  readonly summary: string;
  /** what follows the command name besides options */
  readonly positionals?: string;
  readonly options: Readonly<Record<string, OptionDoc>>;
  /** what exit code 1 means for this command (or that it never exits 1) */
  readonly fails: string;
}

const VARIANT = 'base-v7.1, base-next, v1, v3, v5, or the path of a variant file (.ts)';
const RUNS = (d: number) => `1..100,000 (default ${d})`;
const C_FILE: Record<string, OptionDoc> = {
  c: { type: 'string', values: 'a kernel C file such as mm/mm_init.c', help: 'check the C file itself instead of a --variant (docs/c-frontend.md)' },
  patch: { type: 'string', multiple: true, values: 'a git format-patch or git diff file', help: 'apply to the --c file in memory first, repeatable' },
  reference: { type: 'string', values: 'base-next, base-v7.1, or a base C file (default: the shipped base whose signature matches)', help: 'what identical compares the --c file against' },
};
const MAX_EVENTS: OptionDoc = { type: 'string', values: '1..2^31 (default 256 per struct page written + 65,536)', help: 'event budget of one run of a variant file' };

/** `(none)` is the main job. */
export const COMMAND_DOCS: Readonly<Record<string, CommandDoc>> = {
  '(none)': {
    summary: 'check every shipped variant against every property; print one table',
    options: {
      ...C_FILE,
      runs: { type: 'string', values: RUNS(150), help: 'generated scenarios per property' },
      seed: { type: 'string', values: 'an integer, decimal or 0x hex, -2^31..2^31', help: 'fast-check seed' },
    },
    fails: 'never (known kernel bugs of the bases are reported as expected-fail)',
  },
  check: {
    summary: 'check one variant against chosen properties; shrink and explain each failure',
    options: {
      ...C_FILE,
      variant: { type: 'string', values: VARIANT, help: 'the variant to check (required)' },
      property: { type: 'string', multiple: true, values: 'a property name (see the README\'s property table; default: all)', help: 'property to check, repeatable' },
      runs: { type: 'string', values: RUNS(300), help: 'generated scenarios per property' },
      seed: { type: 'string', values: 'an integer, decimal or 0x hex', help: 'fast-check seed' },
      'remove-drain': { type: 'string', multiple: true, values: 'a drain site of the variant (memmap-check variants)', help: 'check without this drain, repeatable' },
      format: { type: 'string', values: 'text, json, dot', help: 'output format (default text)' },
      save: { type: 'string', values: 'a directory (created if missing)', help: 'write each counterexample there as JSON' },
      'debug-vm': { type: 'string', values: 'on, off (default: generated both ways)', help: 'fix CONFIG_DEBUG_VM (pageblock init reads page->flags only with it)' },
      'max-events': MAX_EVENTS,
    },
    fails: 'a property fails other than through a known kernel bug of the reference',
  },
  replay: {
    summary: 'rerun a counterexample exactly from its token or saved JSON file',
    positionals: 'TOKEN|FILE.json',
    options: {
      variant: { type: 'string', values: 'the variant file the token or JSON names', help: 'replay runs a variant file only when passed here, and only the very file (SHA-256) the case was found with' },
      format: { type: 'string', values: 'text, json, dot', help: 'output format (default text)' },
      save: { type: 'string', values: 'a directory (created if missing)', help: 'write the counterexample there as JSON' },
      'max-events': MAX_EVENTS,
    },
    fails: 'the case still fails, or a saved file no longer fails the way it was saved',
  },
  drains: {
    summary: 'drain necessity: remove each drain site (and each pair), check, count drains per GiB',
    options: {
      ...C_FILE,
      variant: { type: 'string', values: `${VARIANT} (default: every shipped variant with drains)`, help: 'the variant to analyse' },
      runs: { type: 'string', values: RUNS(300), help: 'generated scenarios per property and removal' },
      seed: { type: 'string', values: 'an integer, decimal or 0x hex', help: 'fast-check seed' },
      'add-drain': { type: 'string', multiple: true, values: 'a drain point the variant leaves empty', help: 'judge the variant as if this drain were filled, repeatable' },
      exhaustive: { type: 'string', values: 'typical, default, all, off (default typical)', help: 'kernel configs of the exhaustive check of a drain not shown necessary' },
      mode: { type: 'string', values: 'contract, x86 (default contract)', help: 'memory semantics (docs/x86-mode.md)' },
      synthesize: { type: 'boolean', values: 'a flag', help: 'the cheapest safe drain placement instead, verified exhaustively, against the variant\'s own (docs/synthesis.md)' },
      format: { type: 'string', values: 'text, json', help: 'output format (default text)' },
      'debug-vm': { type: 'string', values: 'on, off (default: generated both ways)', help: 'fix CONFIG_DEBUG_VM (contract mode; each necessary drain otherwise says which failures need it)' },
      'max-events': MAX_EVENTS,
    },
    fails: 'never: necessity is a finding, not a failure',
  },
  exhaustive: {
    summary: 'every configuration within small bounds, every schedule up to reduction (docs/exhaustive.md)',
    options: {
      ...C_FILE,
      variant: { type: 'string', multiple: true, values: `${VARIANT} (default: every shipped variant)`, help: 'variant to sweep, repeatable' },
      'max-order': { type: 'string', values: '0..18 (default 18)', help: 'largest vmemmap_shift' },
      'max-compound-pages': { type: 'string', values: '1..64 (default 2), and at most 500,000 configurations per run', help: 'compound pages per range' },
      configs: { type: 'string', values: 'typical, default, all (default default)', help: 'kernel configs swept' },
      workers: { type: 'string', values: '1..256 (default: one per core)', help: 'worker threads' },
      shard: { type: 'string', values: 'i/n with 1 <= i <= n', help: 'check only shard i of n of the sweep' },
      'remove-drain': { type: 'string', multiple: true, values: 'a drain site of the one --variant', help: 'sweep without this drain, repeatable' },
    },
    fails: 'a configuration violates a property other than through a known kernel bug',
  },
  litmus: {
    summary: 'run herd7-style X86_64 litmus tests under the x86 hardware mode',
    positionals: 'FILE...',
    options: {
      format: { type: 'string', values: 'text, json', help: 'output format (default text)' },
      'max-states': { type: 'string', values: '1..10,000,000 (default 1,000,000)', help: 'states explored before giving up' },
    },
    fails: 'never: Allowed and Forbidden are both answers',
  },
  variants: {
    summary: 'list the shipped variants, their references and drain sites',
    options: { format: { type: 'string', values: 'text, json', help: 'output format (default text)' } },
    fails: 'never',
  },
  cost: {
    summary: 'exact counts and predicted time at a real PMEM configuration',
    options: {
      ...C_FILE,
      namespace: { type: 'string', values: 'a size such as 512M, 100G or 1T', help: 'namespace size (required)' },
      mode: { type: 'string', multiple: true, values: 'fsdax, devdax', help: 'namespace mode (required), repeatable' },
      align: { type: 'string', values: '2M, 1G (default 2M)', help: 'namespace alignment' },
      altmap: { type: 'boolean', values: 'a flag', help: 'memmap on the device (--map=dev)' },
      variant: { type: 'string', multiple: true, values: 'a cost variant (default: the seeds\')', help: 'variant to price, repeatable' },
      chart: { type: 'string', values: 'a writable file name ending in .svg', help: 'draw the model against the seeds' },
      format: { type: 'string', values: 'text, json', help: 'output format (default text)' },
      calibrate: { type: 'boolean', values: 'a flag', help: 'measure the model\'s parameters on this machine (needs cc, x86-64) and save them' },
      params: { type: 'string', values: 'a JSON file (default ./.memmap-check/calibration.json)', help: 'where calibrated parameters are saved and read' },
    },
    fails: 'never',
  },
  bindings: {
    summary: 'the kernel helpers the C front-end models (--c), and the TypeScript they run',
    options: { format: { type: 'string', values: 'text, json', help: 'output format (default text)' } },
    fails: 'never',
  },
  help: { summary: 'print this text, or one command\'s: help COMMAND', positionals: '[COMMAND]', options: {}, fails: 'never' },
};

export const EXIT_CODES = [
  'exit codes:',
  '  0  every property holds, or fails only through known kernel bugs of the reference',
  '  1  a property fails (the counterexample is printed)',
  '  2  bad input: an unknown command, option or value, a malformed token or file, an absurd bound',
  '  3  the variant under check crashed: it threw, yielded a bad event, ran past its event budget or',
  '     spun without yielding (one line naming the variant file, the event and the kernel function)',
];

const optionLines = (doc: CommandDoc): string[] =>
  Object.entries(doc.options).flatMap(([name, o]) => [
    `  --${name}${o.type === 'string' ? ' VALUE' : ''}${o.multiple ? ' (repeatable)' : ''}`,
    `      ${o.help}; allowed: ${o.values}`,
  ]);

/** `memmap-check help CMD`, `memmap-check CMD --help`. */
export function commandHelp(cmd: string): string {
  const doc = COMMAND_DOCS[cmd]!;
  const name = cmd === '(none)' ? 'memmap-check' : `memmap-check ${cmd}`;
  return [
    `usage: ${name}${doc.positionals ? ` ${doc.positionals}` : ''} [options]`,
    `  ${doc.summary}`,
    '',
    'options:',
    ...optionLines(doc),
    '  --help',
    '      this text',
    '',
    ...EXIT_CODES,
    `  (exit 1 for ${cmd === '(none)' ? 'the main job' : cmd}: ${doc.fails})`,
  ].join('\n');
}

/** `memmap-check --help`, `memmap-check help`. */
export function generalHelp(): string {
  const cmds = Object.entries(COMMAND_DOCS).map(([c, d]) => `  ${c.padEnd(11)} ${d.summary}`);
  return [
    'usage: memmap-check [COMMAND] [options]',
    '',
    'commands:',
    ...cmds,
    '',
    'memmap-check help COMMAND (or COMMAND --help) lists the command\'s options and their allowed values.',
    'options of the main job:',
    ...optionLines(COMMAND_DOCS['(none)']!),
    '',
    ...EXIT_CODES,
  ].join('\n');
}

type ParseOptions = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

const specOf = (doc: CommandDoc): ParseOptions =>
  Object.fromEntries(Object.entries(doc.options).map(([n, o]) => [n, { type: o.type, ...(o.multiple ? { multiple: true } : {}) }])) as ParseOptions;

const allowedOptions = (doc: CommandDoc): string =>
  [...Object.keys(doc.options).map((n) => `--${n}`), '--help'].join(', ');

/**
 * Parse a command's arguments by its table entry. `spec` is the options as the command's code
 * declares them (to type the result); it must be the table's.
 */
export function parseCommand<T extends ParseOptions>(cmd: string, args: string[], spec: T, positionals = false) {
  const doc = COMMAND_DOCS[cmd]!;
  const table = specOf(doc);
  try {
    return parseArgs({ args, options: spec ?? table, strict: true, allowPositionals: positionals });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    const unknown = /^Unknown option '([^']*)'/.exec(msg);
    if (unknown) throw new UsageError(`unknown option '${unknown[1]}' for ${cmd === '(none)' ? 'the main job' : cmd}; allowed: ${allowedOptions(doc)}`);
    const positional = /^Unexpected argument '([^']*)'/.exec(msg);
    if (positional) throw new UsageError(`unexpected argument '${positional[1]}' for ${cmd === '(none)' ? 'the main job' : cmd}; allowed options: ${allowedOptions(doc)}`);
    const missing = /^Option '(--[^ ']*)[^']*' argument missing/.exec(msg);
    if (missing) throw new UsageError(`${missing[1]} needs a value; allowed: ${doc.options[missing[1]!.slice(2)]?.values ?? 'a value'}`);
    throw new UsageError(msg.split('. To ')[0]!);
  }
}

/** The parseArgs spec of a command from the table. */
export const optionsOf = (cmd: string): ParseOptions => specOf(COMMAND_DOCS[cmd]!);
