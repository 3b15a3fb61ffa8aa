// Hostile input: malformed flags, tokens, JSON and litmus files, and variant files that throw, loop,
// spin, yield garbage or ask for absurd work. Each must end in its exit code and exactly one line,
// with no stack trace and no hang. In process through run(argv, io) (the binary's own entry);
// the real binary only where a process is the point (the watchdog, Ctrl-C).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROPERTIES } from '../properties/properties.ts';
import { run } from '../src/cli/main.ts';

const REPO = resolve('.');
const DIR = mkdtempSync(join(tmpdir(), 'memmap-check-hostile-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
const at = (f: string) => join(DIR, f);

interface Result { code: number; lines: string[]; out: string[] }

async function cli(...argv: string[]): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (l) => out.push(...l.split('\n')), err: (l) => err.push(...l.split('\n')) });
  return { code, out, lines: [...out, ...err].filter((l) => l.trim() !== '') };
}

/** The contract of every rejection: the code, one line, memmap-check's prefix, no stack trace. */
function rejected(r: Result, code: number, message?: RegExp): void {
  expect(r.lines, r.lines.join('\n')).toHaveLength(1);
  expect(r.code, r.lines[0]).toBe(code);
  expect(r.lines[0]).toMatch(/^memmap-check: /);
  expect(r.lines[0]).not.toMatch(/\bat .*:\d+:\d+\)?$|node:internal|^\s+at /);
  if (message) expect(r.lines[0]).toMatch(message);
}

// -- tokens, made the way token.ts makes them, with whatever payload an attacker likes ----------
const sum = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 8);
function token(payload: unknown): string {
  const body = `mmc1.${Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url')}`;
  return `${body}.${sum(body)}`;
}
const GOOD = { v: 'v5', p: 'identical', n: 2 };

// -- variant files -------------------------------------------------------------------------------
const head = `import { v5 } from '${REPO}/model/kernel/variants/v5.ts';\nimport { call } from '${REPO}/model/events.ts';\n`;
const variant = (name: string, body: string, extra = '') =>
  writeFileSync(at(`${name}.ts`), `${head}${extra}export default { ...v5, name: '${name}', reference: 'base-next', memmap_init_zone_device: ${body} };\n`);
const LOAD = "{ kind: 'load', addr: 4096, size: 8 }";

variant('throws', `function* () { yield ${LOAD}; yield* call('my_init_tail', (function* () { yield ${LOAD}; throw new Error('tail exploded'); })()); }`);
variant('throws-string', `function* () { throw 'just a string'; }`);
variant('throws-sync', `() => { throw new TypeError('not even a generator'); }`);
variant('not-generator', `() => 5`);
variant('loops', `function* () { for (;;) yield ${LOAD}; }`);
variant('loops-in-call', `function* () { yield* call('zone_device_page_init', (function* () { for (;;) yield ${LOAD}; })()); }`);
variant('garbage-number', `function* () { yield 42; }`);
variant('garbage-null', `function* () { yield null; }`);
variant('garbage-kind', `function* () { yield { kind: 'nuke', addr: 0 }; }`);
variant('negative-addr', `function* () { yield { kind: 'store', addr: -8, bytes: new Uint8Array(8), via: 'cached' }; }`);
variant('nan-addr', `function* () { yield { kind: 'load', addr: NaN, size: 8 }; }`);
variant('bytes-array', `function* () { yield { kind: 'store', addr: 0, bytes: [1, 2, 3], via: 'cached' }; }`);
variant('empty-store', `function* () { yield { kind: 'store', addr: 0, bytes: new Uint8Array(0), via: 'cached' }; }`);
variant('bad-via', `function* () { yield { kind: 'store', addr: 0, bytes: new Uint8Array(8), via: 'warp' }; }`);
variant('bad-granule', `function* () { yield { kind: 'store', addr: 0, bytes: new Uint8Array(8), via: 'streaming', granule: 3 }; }`);
variant('gigabyte-load', `function* () { yield { kind: 'load', addr: 0, size: 2 ** 30 }; }`);
variant('gigabyte-store', `function* () { yield { kind: 'store', addr: 0, bytes: new Uint8Array(2 ** 20), via: 'cached' }; }`);
variant('drain-no-site', `function* () { yield { kind: 'drain' }; }`);
variant('call-no-fn', `function* () { yield { kind: 'call' }; }`);
variant('spins', `function* () { yield ${LOAD}; for (;;) {} }`);
// declares a drain its code never runs: the code drains under a misspelled name
writeFileSync(at('misspelled.ts'), `${head}import { drain } from '${REPO}/model/kernel/copy.ts';
export default { ...v5, name: 'misspelled', reference: 'base-next',
  drainSites: [...v5.drainSites, { name: 'before-publish', where: 'end' }],
  memmap_init_zone_device: function* (k, d, ...rest) { yield* v5.memmap_init_zone_device(k, d, ...rest); yield* drain(d, 'before-pubilsh'); } };\n`);
writeFileSync(at('syntax.ts'), 'export default { name: \n');
writeFileSync(at('top-throws.ts'), "throw new Error('module refuses to load');\n");
writeFileSync(at('nothing.ts'), 'export const x = 1;\n');
// a file that must never run unless the user passes it: it leaves a mark if imported
const MARK = at('PWNED');
writeFileSync(at('evil.ts'), `import { writeFileSync } from 'node:fs';\nwriteFileSync('${MARK}', 'ran');\n${head}export default { ...v5, name: 'evil', reference: 'base-next' };\n`);
writeFileSync(at('other.ts'), `${head}export default { ...v5, name: 'other', reference: 'base-next' };\n`);

// -- saved JSON -------------------------------------------------------------------------------------
const saved = JSON.parse(readFileSync('test/counterexamples/v1-no-write-after-streaming.json', 'utf8')) as Record<string, unknown>;
mkdirSync(at('inbox'));
const json = (name: string, doc: unknown) => {
  writeFileSync(at(`inbox/${name}.json`), typeof doc === 'string' ? doc : JSON.stringify(doc));
  return at(`inbox/${name}.json`);
};

// -- litmus -------------------------------------------------------------------------------------------
const MP = readFileSync('test/litmus/2+2W+nts.litmus', 'utf8');
const litmus = (name: string, text: string) => {
  writeFileSync(at(`${name}.litmus`), text);
  return at(`${name}.litmus`);
};

describe('hostile flags: exit 2, one line naming what is allowed', () => {
  it.each<[string[], RegExp]>([
    [['--bogus'], /unknown option '--bogus' for the main job; allowed: --c, --patch, --reference, --runs, --seed, --help/],
    [['frobnicate'], /unknown command 'frobnicate'; allowed: check, replay/],
    [['help', 'frobnicate'], /unknown command 'frobnicate'/],
    [['help', 'check', 'replay'], /help takes one command/],
    [['check'], /--variant is required; allowed: base-v7\.1/],
    [['check', '--variant'], /--variant needs a value; allowed: base-v7\.1/],
    [['check', '--variant', 'v9'], /unknown variant 'v9'/],
    [['check', '--variant', 'v5', 'extra'], /unexpected argument 'extra' for check/],
    [['check', '--variant', 'v5', '--colour'], /unknown option '--colour' for check; allowed: --c, --patch, --reference, --variant, --property, .*--max-events, --help/],
    [['check', '--variant', 'v5', '--runs', '0'], /--runs=0 is not allowed; allowed: a positive integer/],
    [['check', '--variant', 'v5', '--runs', '1.5'], /--runs=1\.5 is not allowed/],
    [['check', '--variant', 'v5', '--runs', '1e9'], /--runs=1e9 is not allowed/],
    [['check', '--variant', 'v5', '--runs', '1000000000'], /--runs=1000000000 is too large .*allowed: 1\.\.100,000/],
    [['check', '--variant', 'v5', '--seed', 'abc'], /--seed=abc is not allowed/],
    [['check', '--variant', 'v5', '--seed', '99999999999'], /--seed=99999999999 is out of range/],
    [['check', '--variant', 'v5', '--property', 'fast'], /unknown property 'fast'/],
    [['check', '--variant', 'v5', '--format', 'xml'], /--format=xml is not allowed; allowed: text, json, dot/],
    [['check', '--variant', 'v5', '--remove-drain', 'nope'], /unknown drain site 'nope' for variant v5/],
    [['check', '--variant', 'v5', '--save', '/dev/null'], /--save=\/dev\/null is not a directory/],
    [['check', '--variant', 'v5', '--max-events', '0'], /--max-events=0 is not allowed/],
    [['check', '--variant', 'v5', '--max-events', '99999999999'], /--max-events=99999999999 is too large/],
    [['main', '--runs', '5'], /unknown command 'main'/],
    [['--runs', '0'], /--runs=0 is not allowed/],
    [['exhaustive', '--max-order', '19'], /--max-order=19 is not allowed; allowed: 0\.\.18/],
    [['exhaustive', '--max-compound-pages', '1000'], /--max-compound-pages=1000 is too large .*allowed: 1\.\.64/],
    [['exhaustive', '--max-compound-pages', '64'], /these bounds give about 2,305,280 configurations, at least [0-9.]+ hours on one core; allowed: at most 500,000 per run: .*--shard i\/n, n >= 5/],
    [['exhaustive', '--configs', 'all'], /--configs all only with --shard i\/n, n >= 64/],
    [['exhaustive', '--configs', 'some'], /--configs=some is not allowed/],
    [['exhaustive', '--shard', '3/2'], /shard/],
    [['exhaustive', '--workers', '1000'], /--workers=1000 is not allowed; allowed: 1\.\.256/],
    [['exhaustive', '--variant', 'v5', '--variant', 'v3', '--remove-drain', 'before-return'], /--remove-drain needs exactly one --variant/],
    [['drains', '--exhaustive', 'maybe'], /--exhaustive=maybe is not allowed/],
    [['drains', '--mode', 'arm'], /--mode=arm is not allowed; allowed: contract, x86/],
    [['drains', '--mode', 'x86', '--runs', '5'], /--runs is not used with --mode x86/],
    [['drains', '--add-drain', 'x'], /--add-drain needs --variant/],
    [['cost'], /--namespace is required/],
    [['cost', '--namespace', '12Q', '--mode', 'fsdax'], /--namespace=12Q is not allowed/],
    [['cost', '--namespace', '100G', '--mode', 'fsdax', '--chart', 'out.txt'], /--chart=out\.txt is not allowed; allowed: a file name ending in \.svg/],
    [['cost', '--namespace', '100G', '--mode', 'fsdax', '--chart', '/nonexistent-dir/chart.svg'], /--chart=\/nonexistent-dir\/chart\.svg cannot be written \(no directory/],
    [['variants', '--format', 'yaml'], /--format=yaml is not allowed/],
  ])('%j', async (argv, message) => {
    rejected(await cli(...argv), 2, message);
  });
});

describe('hostile tokens: exit 2, one line', () => {
  const good = token(GOOD);
  it.each<[string, string[], RegExp]>([
    ['no token', [], /replay needs a token or a file/],
    ['a word', ['hello'], /'hello' is not a replay token/],
    ['another version', ['mmc2.e30.00000000'], /version mmc2 is not supported/],
    ['two parts', ['mmc1.abc'], /malformed/],
    ['not base64url', ['mmc1.ab!c.12345678'], /not base64url/],
    ['one character changed', [good.replace(/.(?=\.[0-9a-f]{8}$)/, (c) => (c === 'A' ? 'B' : 'A'))], /checksum does not match/],
    ['payload not JSON', [(() => { const b = `mmc1.${Buffer.from('{nope').toString('base64url')}`; return `${b}.${sum(b)}`; })()], /not valid JSON/],
    ['an array payload', [token([1, 2])], /invalid payload/],
    ['an unknown variant', [token({ ...GOOD, v: 'v9' })], /unknown variant 'v9'/],
    ['an unknown property', [token({ ...GOOD, p: 'fast' })], /invalid property/],
    ['nr_pages = 10^9', [token({ ...GOOD, n: 1e9 })], /nr_pages=1000000000 in the token is too large to replay; allowed: 1\.\.262,?144/],
    ['negative nr_pages', [token({ ...GOOD, n: -4 })], /invalid nr_pages/],
    ['nr_pages 0', [token({ ...GOOD, n: 0 })], /nr_pages=0 is not allowed/],
    ['an impossible order', [token({ ...GOOD, o: 40 })], /vmemmap_shift=40 is not allowed/],
    ['an unknown config option', [token({ ...GOOD, k: { smp: true } })], /invalid kernel config option 'smp'/],
    ['a bad schedule', [token({ ...GOOD, b: 'later' })], /invalid schedule/],
    ['an unknown drain site', [token({ ...GOOD, r: ['nope'] })], /unknown drain site 'nope' for variant v5/],
    ['a malformed file hash', [token({ ...GOOD, v: '/x/y.ts', h: 'zz' })], /invalid variant file hash/],
    ['a shipped variant with --variant FILE', [good, '--variant', at('other.ts')], /is for the shipped variant v5; --variant .* is not allowed/],
  ])('%s', async (_, argv, message) => {
    rejected(await cli('replay', ...argv), 2, message);
  });
});

describe('replay never runs code it was not handed', () => {
  it('a token naming a variant file is refused in one line saying how to pass it, and the file does not run', async () => {
    const r = await cli('replay', token({ ...GOOD, v: at('evil.ts') }));
    rejected(r, 2, new RegExp(`the token names the variant file '${at('evil.ts')}'; replay runs a file only when you pass it: memmap-check replay TOKEN --variant ${at('evil.ts')}`));
    expect(existsSync(MARK)).toBe(false);
  });
  it('a relative path in a token is refused too', async () => {
    rejected(await cli('replay', token({ ...GOOD, v: '../../evil.ts' })), 2, /names the variant file '\.\.\/\.\.\/evil\.ts'/);
    expect(existsSync(MARK)).toBe(false);
  });
  it('with --variant, the file must be the one the token recorded (SHA-256)', async () => {
    const sha = createHash('sha256').update(readFileSync(at('evil.ts'))).digest('hex');
    const r = await cli('replay', token({ ...GOOD, v: at('evil.ts'), h: sha }), '--variant', at('other.ts'));
    rejected(r, 2, /variant file '.*other\.ts' \(SHA-256 [0-9a-f]{12}\.\.\.\) is not the file the token was made with/);
    expect(existsSync(MARK)).toBe(false);
  });
  it('a saved JSON never loads the code its variant field names; relative paths name the JSON\'s own folder', async () => {
    const f = json('evil-case', { ...saved, variant: '../evil.ts', token: token({ ...GOOD, v: '../evil.ts' }) });
    rejected(await cli('replay', f), 2, new RegExp(`names the variant file '${at('evil.ts')}'; replay runs a file only when you pass it: memmap-check replay ${f} --variant ${at('evil.ts')}`));
    expect(existsSync(MARK)).toBe(false);
  });
  it('the file a token recorded, passed explicitly, replays from any directory', async () => {
    const sha = createHash('sha256').update(readFileSync(at('other.ts'))).digest('hex');
    // a case of that file, as a token records it: absolute path and hash
    const t = token({ v: at('other.ts'), h: sha, p: 'identical', n: 2 });
    const r = await cli('replay', t, '--variant', at('other.ts'));
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/passes identical|pass/);
  });
});

describe('hostile saved JSON: exit 2, one line', () => {
  it.each<[string, () => string, RegExp]>([
    ['a missing file', () => at('inbox/none.json'), /cannot read/],
    ['not JSON', () => json('garbage', '{"schema": '), /is not JSON/],
    ['an empty object', () => json('empty', {}), /is not a memmap-check counterexample/],
    ['a newer version', () => json('v99', { ...saved, version: 99 }), /counterexample version 99 is not supported/],
    ['a passing check result', () => json('passing', [{ schema: 'memmap-check/check-result', counterexample: null }]), /no counterexample|not a memmap-check counterexample/],
    ['nrPages 10^9', () => json('huge', { ...saved, scenario: { ...(saved.scenario as object), nrPages: 1e9 } }), /nr_pages=1000000000 in .* is too large to replay/],
    ['a string nrPages', () => json('string-pages', { ...saved, scenario: { ...(saved.scenario as object), nrPages: '4' } }), /invalid scenario\.nrPages/],
    ['an unknown variant name', () => json('v9', { ...saved, variant: 'v9' }), /unknown variant 'v9'/],
  ])('%s', async (_, file, message) => {
    rejected(await cli('replay', file()), 2, message);
  });
});

describe('hostile litmus files: exit 2, one line', () => {
  it.each<[string, () => string[], RegExp]>([
    ['no file', () => [], /litmus needs a FILE/],
    ['a missing file', () => [at('none.litmus')], /cannot read/],
    ['an unknown option', () => ['--bogus', at('x.litmus')], /unknown option '--bogus' for litmus; allowed: --format, --max-states, --help/],
    ['another architecture', () => [litmus('arm', MP.replace('X86_64', 'AArch64'))], /expected the header 'X86_64 NAME'/],
    ['a bad instruction', () => [litmus('badins', MP.replace('movl $2,(y)', 'jmp  somewhere'))], /bad instruction 'jmp/],
    ['a missing condition', () => [litmus('nocond', MP.replace(/exists.*$/s, ''))], /expected 'exists/],
    ['a condition naming thread 5', () => [litmus('thread5', MP.replace('exists (x=1 /\\ y=1)', 'exists (5:rax=1)'))], /the condition names thread 5, the test has 2/],
    ['a condition naming a location the test lacks', () => [litmus('noloc', MP.replace('exists (x=1 /\\ y=1)', 'exists (x=1 /\\ z=1)'))], /the condition names location 'z', which the test does not have; allowed: x, y/],
    ['a state budget too small', () => ['--max-states', '3', litmus('ok', MP)], /has more than 3 states; allowed: a smaller test, or raise --max-states/],
    ['an absurd state budget', () => ['--max-states', '99999999999', litmus('ok2', MP)], /--max-states=99999999999 is too large/],
    ['an unknown format', () => ['--format=xml', litmus('ok3', MP)], /--format=xml is not allowed/],
  ])('%s', async (_, argv, message) => {
    rejected(await cli('litmus', ...argv()), 2, message);
  });
});

describe('hostile variant files: exit 3, one line naming the file, the event and the kernel function', () => {
  it.each<[string, RegExp]>([
    ['throws', /variant file '.*throws\.ts' at event 3 in my_init_tail \(stack memmap_init_zone_device > my_init_tail\): threw Error: tail exploded$/],
    ['throws-string', /variant file '.*throws-string\.ts' at event 0 in memmap_init_zone_device .*: threw just a string$/],
    ['throws-sync', /threw TypeError: not even a generator$/],
    ['not-generator', /memmap_init_zone_device returned 5, not a generator/],
    ['loops', /at event 65537 in memmap_init_zone_device .*: ran past its event budget of 65536 events \(raise it with --max-events N\)$/],
    ['loops-in-call', /in zone_device_page_init \(stack memmap_init_zone_device > zone_device_page_init\): ran past its event budget/],
    ['garbage-number', /at event 1 in memmap_init_zone_device .*: yielded 42, not an event$/],
    ['garbage-null', /yielded null, not an event$/],
    ['garbage-kind', /yielded an event of kind "nuke"; allowed: store, load, drain, publish, call, ret$/],
    ['negative-addr', /yielded a store at address -8; allowed: an integer address >= 0$/],
    ['nan-addr', /yielded a load at address NaN/],
    ['bytes-array', /yielded a store whose bytes are an array; allowed: a Uint8Array$/],
    ['empty-store', /yielded a store of 0 bytes; allowed: 1\.\.4096$/],
    ['bad-via', /yielded a store via "warp"; allowed: cached, streaming$/],
    ['bad-granule', /yielded a streaming store with granule 3; allowed: 4, 8 \(MOVNTI\)$/],
    ['gigabyte-load', /yielded a load of size 1073741824; allowed: 1\.\.4096 bytes$/],
    ['gigabyte-store', /yielded a store of 1048576 bytes; allowed: 1\.\.4096$/],
    ['drain-no-site', /yielded a drain event without a site name/],
    ['call-no-fn', /yielded a call event without a function name/],
  ])('%s', async (name, message) => {
    const argv = ['check', '--variant', at(`${name}.ts`), '--runs', '20', '--property', 'identical'];
    if (name.startsWith('loops')) argv.push('--max-events', '65536');
    rejected(await cli(...argv), 3, message);
  });
  it('the budget is derived from the configuration and --max-events lowers or raises it', async () => {
    rejected(await cli('check', '--variant', at('loops.ts'), '--runs', '5'), 3, /ran past its event budget of [0-9]+ events/);
    rejected(await cli('check', '--variant', at('other.ts'), '--max-events', '10', '--runs', '5'), 3, /variant file '.*other\.ts' at event 11 in .*: ran past its event budget of 10 events/);
  });
  it('drains and exhaustive report the crash the same way', async () => {
    rejected(await cli('drains', '--variant', at('throws.ts'), '--runs', '5', '--exhaustive', 'off'), 3, /threw Error: tail exploded$/);
    rejected(await cli('exhaustive', '--variant', at('throws.ts'), '--max-order', '0', '--max-compound-pages', '1', '--configs', 'typical', '--workers', '1'), 3, /threw Error: tail exploded/);
  });
  it.each<[string, string[], RegExp]>([
    ['syntax.ts', [], /variant file '.*syntax\.ts' does not load/],
    ['top-throws.ts', [], /variant file '.*top-throws\.ts' does not load: .*module refuses to load/],
    ['nothing.ts', [], /has no Variant as its default export/],
    ['missing.ts', [], /variant file '.*missing\.ts' does not exist/],
    ['misspelled.ts', [], /declares drain site 'before-publish' but never executes it \(in [0-9]+ configurations of .*\); its code drains at undeclared 'before-pubilsh' \(a misspelling\?\)/],
    ['misspelled.ts', ['--remove-drain', 'before-publish'], /--remove-drain before-publish: variant file '.*' never executes drain site 'before-publish' .* so removing it would change nothing/],
  ])('bad variant file %s %j: exit 2', async (file, extra, message) => {
    rejected(await cli('check', '--variant', at(file), '--runs', '5', ...extra), 2, message);
  });
});

// stores 8 bytes into the struct page just past the range, or just before it
for (const [name, pfn] of [['after-range', 'start_pfn + nr_pages'], ['before-range', 'start_pfn - 1']] as const) {
  variant(name, `function* (k, d, zone, start_pfn, nr_pages, pgmap) { yield* v5.memmap_init_zone_device(k, d, zone, start_pfn, nr_pages, pgmap); ` +
    `yield { kind: 'store', addr: (${pfn}) * k.sizeofPage, bytes: new Uint8Array(8).fill(0xab), via: 'cached' }; }`);
}

describe('a variant file writing outside the range', () => {
  it('in-range is a property of the checker', () => {
    expect(PROPERTIES as readonly string[]).toContain('in-range');
  });
  it.each(['after-range', 'before-range'])('%s fails in-range: exit 1', async (name) => {
    const r = await cli('check', '--variant', at(`${name}.ts`), '--property', 'in-range', '--runs', '30');
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toMatch(/in-range +FAIL/);
  });
});

// The watchdog: the binary runs a command naming a variant file on a worker thread, as run() does
// with isolate; here from this process, two at once, without paying for a process each.
describe('spinning variant files and Ctrl-C: one line, no hang', () => {
  const isolated = async (...argv: string[]): Promise<Result> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, { isolate: true, watchdogMs: 400 });
    return { code, out, lines: [...out, ...err].filter((l) => l.trim() !== '') };
  };
  writeFileSync(at('spins-on-import.ts'), `${head}for (;;) {}\nexport default v5;\n`);
  it.concurrent('a variant that spins in a run is stopped by the watchdog: exit 3', async () => {
    rejected(await isolated('check', '--variant', at('spins.ts'), '--runs', '5'), 3,
      /^memmap-check: variant file '.*spins\.ts' ran 0\.4 s without yielding an event \(after [0-9]+ resumptions\), in memmap_init_zone_device: stopped$/);
  });
  // the real binary: its SIGINT handler
  it.concurrent('Ctrl-C ends a sweep with one line and exit code 130', async () => {
    const child = spawn(process.execPath, [join(REPO, 'bin/memmap-check.js'), 'exhaustive', '--variant', 'v1', '--workers', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      // the first progress line says the sweep started
      if (!sent && /configurations to check/.test(err)) sent = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(code).toBe(130);
    expect(err.trim().split('\n').at(-1)).toBe('memmap-check: interrupted');
  });
  it.concurrent('a variant that spins at its top level is stopped too: exit 3', async () => {
    rejected(await isolated('check', '--variant', at('spins-on-import.ts'), '--runs', '5'), 3,
      /^memmap-check: variant file '.*spins-on-import\.ts' did not finish loading in 4 s \(a loop at its top level\?\): stopped$/);
  });
});
