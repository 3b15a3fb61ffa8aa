// memmap-check litmus FILE: run a herd7-style X86_64 litmus test under the x86 hardware mode and
// print every reachable final state and the verdict of its exists clause (docs/x86-mode.md).
import { readFileSync, statSync } from 'node:fs';
import { match } from 'ts-pattern';
import type { Atom, Cond } from '../../model/x86/litmus.ts';
import { type Exploration, explore } from '../../model/x86/machine.ts';
import type { LitmusTest } from '../../model/x86/litmus.ts';
import { parseLitmus } from '../x86/parse.ts';
import { UsageError, boundedInt } from './errors.ts';
import { optionsOf, parseCommand } from './options.ts';

export function condText(c: Cond): string {
  const atom = (a: Atom): string => match(a)
    .with({ kind: 'reg' }, (r) => `${r.thread}:${r.reg}=${r.value}`)
    .with({ kind: 'mem' }, (m) => `${m.loc}=${m.value}`)
    .exhaustive();
  return match(c)
    .with({ kind: 'atom' }, (x) => atom(x.atom))
    .with({ kind: 'and' }, (x) => `(${condText(x.left)} /\\ ${condText(x.right)})`)
    .with({ kind: 'or' }, (x) => `(${condText(x.left)} \\/ ${condText(x.right)})`)
    .with({ kind: 'not' }, (x) => `~${condText(x.inner)}`)
    .with({ kind: 'true' }, () => 'true')
    .exhaustive();
}

export function litmusText(t: LitmusTest, e: Exploration): string[] {
  const pos = e.outcomes.filter((o) => o.satisfies).length;
  return [
    `Test ${t.name} (x86 hardware mode: x86-TSO + non-temporal stores)`,
    `States ${e.outcomes.length}`,
    ...e.outcomes.map((o) => `${o.satisfies ? '* ' : '  '}${o.text}`),
    `Condition exists ${condText(t.exists)}`,
    `Witnesses: positive ${pos}, negative ${e.outcomes.length - pos} (* marks the final states that satisfy it)`,
    `${e.verdict}`,
    `(explored ${e.states} states)`,
  ];
}

/** The exploration's state budget: past it the test is too big to answer, not a crash. */
export const MAX_STATES_DEFAULT = 1_000_000;
const MAX_STATES_LIMIT = 10_000_000;

export function runLitmus(args: string[]): number {
  const { values, positionals: files } = parseCommand('litmus', args, optionsOf('litmus'), true);
  const format = (values.format as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format=${format} is not allowed; allowed: text, json`);
  const maxStates = boundedInt('max-states', values['max-states'] as string | undefined, MAX_STATES_DEFAULT, MAX_STATES_LIMIT, 'the exploration would not fit in memory');
  if (files.length === 0) throw new UsageError('litmus needs a FILE (a herd7 X86_64 litmus test); e.g. memmap-check litmus test/litmus/MP+nt.litmus');
  const out: string[] = [];
  const json: unknown[] = [];
  for (const f of files) {
    let text: string;
    try {
      if (statSync(f).size > 1024 * 1024) throw new UsageError(`${f} is larger than 1 MiB; allowed: a herd7 X86_64 litmus test`);
      text = readFileSync(f, 'utf8');
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const t = parseLitmus(text, f);
    let e: Exploration;
    try {
      e = explore(t, maxStates);
    } catch (x) {
      if (x instanceof RangeError || /more than [0-9]+ states/.test((x as Error).message)) {
        throw new UsageError(`${f}: test ${t.name} has more than ${maxStates.toLocaleString('en-US')} states; allowed: a smaller test, or raise --max-states (up to ${MAX_STATES_LIMIT.toLocaleString('en-US')})`);
      }
      throw x;
    }
    if (format === 'json') json.push({ test: t.name, verdict: e.verdict, condition: condText(t.exists), states: e.outcomes.map((o) => ({ state: o.text, satisfies: o.satisfies })) });
    else out.push(litmusText(t, e).join('\n'));
  }
  console.log(format === 'json' ? JSON.stringify(json.length === 1 ? json[0] : json, null, 2) : out.join('\n\n'));
  return 0;
}
