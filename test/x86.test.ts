// The x86 hardware mode: its rules one by one, the litmus parser, the kernel-trace analysis and
// the per-mode drain table (docs/x86-mode.md).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Event } from '../model/events.ts';
import { variantByName } from '../model/kernel/variants/index.ts';
import { type Entry, canFlush, explore } from '../model/x86/machine.ts';
import { type TraceItem, x86OfTrace } from '../model/x86/kernel-trace.ts';
import { UsageError } from '../src/cli/errors.ts';
import { analyzeModes, modesText } from '../src/x86/drains-x86.ts';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import { runVariant } from '../model/kernel/harness.ts';
import { LAND_AT_ONCE } from '../model/schedule.ts';
import { parseLitmus } from '../src/x86/parse.ts';
import { inProcess } from './in-process.ts';

const st = (loc: string, nt: boolean): Entry => ({ kind: 'store', loc, value: 1, nt });

describe('x86 buffer rules', () => {
  it('normal stores leave in FIFO order, NT stores pass other locations, SFENCE and same-location stores block', () => {
    expect(canFlush([st('x', false), st('y', false)], 1)).toBe(false); // TSO
    expect(canFlush([st('x', true), st('y', false)], 1)).toBe(true); // later normal store passes an NT store
    expect(canFlush([st('x', false), st('y', true)], 1)).toBe(true); // NT store passes an earlier normal store
    expect(canFlush([st('x', true), st('x', false)], 1)).toBe(false); // coherence
    expect(canFlush([st('x', true), st('x', true)], 1)).toBe(false); // coherence (write collapsing)
    expect(canFlush([st('x', true), { kind: 'sfence' }, st('y', false)], 2)).toBe(false);
    expect(canFlush([st('x', true), { kind: 'sfence' }], 1)).toBe(false);
    expect(canFlush([{ kind: 'sfence' }, st('y', true)], 0)).toBe(true);
  });

  it('lists every final state of a test once', () => {
    const t = parseLitmus('X86_64 T\n{ x=0; }\n P0 | P1 ;\n movl $1,(x) | movl (x),%eax ;\nexists (1:eax=1)\n');
    const e = explore(t);
    expect(e.outcomes.map((o) => o.text)).toEqual(['1:rax=0; x=1;', '1:rax=1; x=1;']);
    expect(e.verdict).toBe('Allowed');
  });
});

describe('litmus parser', () => {
  const bad = (text: string): string => {
    try {
      parseLitmus(text, 't.litmus');
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    throw new Error('parsed');
  };
  const head = 'X86_64 T\n{ x=0; }\n P0 | P1 ;\n';
  it('names the line and what is allowed', () => {
    expect(bad(`${head} lock addl $1,(x) | ;\nexists (x=1)\n`)).toMatch(/^t\.litmus:4: bad instruction 'lock addl \$1,\(x\)'; allowed: /);
    expect(bad(`${head} movl $1,(x) ;\nexists (x=1)\n`)).toBe('t.litmus:4: 1 columns, the header has 2');
    expect(bad(`${head} movl $1,(x) | ;\nexists (x=1 /\\ )\n`)).toMatch(/^t\.litmus:5: incomplete condition/);
    expect(bad('ARM T\n')).toMatch(/^t\.litmus:1: expected the header 'X86_64 NAME'/);
    expect(bad(`${head} movl $1,%zz | ;\nexists (x=1)\n`)).toMatch(/^t\.litmus:4: unknown register '%zz'/);
  });
  it('reads registers by either name, and ~, /\\, \\/ in the condition', () => {
    const t = parseLitmus(`${head} movl $1,(x) | movl (x),%ebx ;\nexists (~(1:rbx=0) \\/ x=2 /\\ 1:ebx=1)\n`);
    expect(t.threads[1]).toEqual([{ op: 'load', reg: 'rbx', loc: 'x' }]);
    expect(explore(t).verdict).toBe('Allowed');
  });
});

describe('kernel trace under x86', () => {
  const ev = (e: Event, index: number): TraceItem => ({ index, event: e, stack: null });
  const nt = (addr: number): Event => ({ kind: 'store', via: 'streaming', addr, bytes: new Uint8Array(8), granule: 8, fn: 'memcpy_nt' });
  const run = (evs: Event[]) => x86OfTrace(evs.map(ev));
  it('forwards own loads, forces NT stores a later normal store overlaps, and misses the rest at the publish', () => {
    const r = run([
      nt(0), nt(8), nt(16),
      { kind: 'load', addr: 0, size: 4 },
      { kind: 'store', via: 'cached', addr: 12, bytes: new Uint8Array(1) },
      { kind: 'publish', site: 'p' },
    ]);
    expect(r.forwardedLoads).toBe(1);
    expect(r.coherentStores).toBe(1);
    expect(r.forcedAtPublish).toBe(1);
    expect(r.unpublished.map((i) => i.addr)).toEqual([0, 16]);
  });
  it('an SFENCE before the publish leaves nothing for the reader to miss', () => {
    const r = run([nt(0), { kind: 'drain', site: 'd' }, { kind: 'publish', site: 'p' }]);
    expect(r.unpublished).toEqual([]);
  });
  it('a locked read-modify-write drains every earlier NT store (SDM §8.2.2, §11.3.1); taken as plain it does not', () => {
    const locked: Event = { kind: 'store', via: 'cached', addr: 64, bytes: new Uint8Array(1), fn: 'try_cmpxchg', locked: true };
    const r = run([nt(0), nt(8), locked, nt(16), { kind: 'publish', site: 'p' }]);
    expect(r.unpublished.map((i) => i.addr)).toEqual([16]);
    expect(r).toMatchObject({ lockedStores: 1, lockedDrains: 1 });
    const evs: Event[] = [nt(0), nt(8), locked, nt(16), { kind: 'publish', site: 'p' }];
    const plain = x86OfTrace(evs.map(ev), { locked: false });
    expect(plain.unpublished.map((i) => i.addr)).toEqual([0, 8, 16]);
  });
  it('forcing an NT store forces the older NT stores to its bytes', () => {
    const r = run([nt(0), nt(0), { kind: 'store', via: 'cached', addr: 0, bytes: new Uint8Array(8) }, { kind: 'publish', site: 'p' }]);
    expect(r.unpublished).toEqual([]);
    expect(r.forcedAtPublish).toBe(2);
  });
});

describe('drains per mode', () => {
  it('v5: only the drain before the return is needed on x86; the contract needs it too', () => {
    const a = analyzeModes(variantByName('v5')!, { maxOrder: 1, maxCompoundPages: 2, configs: 'typical' });
    expect(a.baseline).toEqual({ contractHazards: 0, x86Unpublished: 0 });
    const x86 = Object.fromEntries(a.sites.map((s) => [s.site, s.x86.needed]));
    expect(x86).toEqual({ 'before-prep_compound_head': false, 'before-memmap_init_compound': false, 'before-return': true });
    expect(a.sites.find((s) => s.site === 'before-return')!.contract.needed).toBe(true);
    expect(a.sites.find((s) => s.site === 'before-memmap_init_compound')!.contract.needed).toBe(true);
    expect(a.together).toMatchObject({ removed: ['before-prep_compound_head', 'before-memmap_init_compound'], x86Clean: true });
  });
  it('v5: the pageblock LOCK CMPXCHG covers the final drain only where the range has a pageblock start', () => {
    const a = analyzeModes(variantByName('v5')!, { maxOrder: 1, maxCompoundPages: 2, configs: 'typical' });
    const lock = Object.fromEntries(a.sites.map((s) => [s.site, s.lock.covers]));
    expect(lock).toEqual({ 'before-prep_compound_head': 'n/a', 'before-memmap_init_compound': 'n/a', 'before-return': 'partly' });
    const ret = a.sites.find((s) => s.site === 'before-return')!;
    expect(ret.lock.covered).toBeGreaterThan(0);
    expect(ret.lock.covered).toBeLessThan(ret.lock.needed);
    // the smallest uncovered case: two order-0 pages that start past a pageblock start
    const u = ret.lock.uncovered!;
    expect({ shift: u.pgmap.vmemmapShift, start: u.startPfn, nr: u.nrPages }).toEqual({ shift: 0, start: 0x100001, nr: 2 });
    expect(ret.lock.why).toMatch(/no pageblock start/);
    expect(ret.x86.scenario).toEqual(u);
    expect(modesText(a, 'x86').join('\n')).toMatch(/before-return +needed +needed +not always \(\d+\/\d+\)/);
  });
  it('the pageblock update is a locked store: the x86 mode sees try_cmpxchg() as LOCK CMPXCHG', () => {
    const s = { kconfig: X86_64_DEFAULT, pgmap: { type: 3 as const, vmemmapShift: 0, altmap: null }, startPfn: 0x100000, nrPages: 1, nid: 0, earlySection: false };
    const r = runVariant(variantByName('v5')!, s, { schedule: LAND_AT_ONCE, trace: true });
    const cmpxchg = r.trace!.map((t) => t.event).filter((e) => e.kind === 'store' && e.fn === 'try_cmpxchg');
    expect(cmpxchg).toHaveLength(1);
    expect(cmpxchg[0]).toMatchObject({ via: 'cached', locked: true });
  });
});

describe('cli', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/memmap-check.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  it('litmus prints the final states and the verdict; bad input is one line and exit 2', async () => {
    const ok = cli('litmus', 'test/litmus/MP+nt+sfence.litmus');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^States 3$/m);
    expect(ok.stdout).toMatch(/^Forbidden$/m);
    // bad input in process through run(argv, io), the binary's own entry
    const bad = await inProcess('litmus', 'test/litmus/expected.json');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    const mode = await inProcess('drains', '--mode', 'arm');
    expect(mode.code).toBe(2);
    expect(mode.err.trim()).toBe('memmap-check: --mode=arm is not allowed; allowed: contract, x86');
  });
});
