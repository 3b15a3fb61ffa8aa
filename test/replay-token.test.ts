// The replay token survives e-mail and rejects every mangling with one clear line, never
// replaying a different case.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { X86_64_DEFAULT } from '../model/kernel/config.ts';
import type { Counterexample } from '../src/report/counterexample.ts';
import { TokenError, decodeToken, encodeToken } from '../src/report/token.ts';
import { REPORT_CASES, readSaved } from './report-cases.ts';

const saved = REPORT_CASES.map((c) => (readSaved(c.file) as { token: string }).token);

const odd: Counterexample = {
  variant: 'test/mutants/never-loaded-in-this-process.ts', // no file hash recorded: the suite shares modules across files
  property: 'identical',
  scenario: {
    kconfig: { ...X86_64_DEFAULT, numaBalancing: true, nrCpusBits: 6, nodesShift: 0, nrPageflags: 22, memcg: false },
    pgmap: { type: 4, vmemmapShift: 3, altmap: { reserve: 2, free: 6 } },
    startPfn: 0x100200, nrPages: 24, nid: 0, earlySection: true,
  },
  schedule: { base: 'drain', late: [[3, 0], [7, 12]] },
  removed: ['before-return'],
  added: ['before-prep_compound_head'],
};

/** A token with a valid checksum over an arbitrary payload: what a buggy encoder could make. */
const forge = (payload: string): string => {
  const body = `mmc1.${Buffer.from(payload).toString('base64url')}`;
  return `${body}.${createHash('sha256').update(body).digest('hex').slice(0, 8)}`;
};

const rejects = (token: string, message: RegExp) => {
  let err: unknown;
  try {
    decodeToken(token);
  } catch (e) {
    err = e;
  }
  expect(err, token).toBeInstanceOf(TokenError);
  expect((err as Error).message).toMatch(message);
  expect((err as Error).message).not.toContain('\n');
};

describe('replay token', () => {
  it('round-trips every field, defaults left out', () => {
    expect(decodeToken(encodeToken(odd))).toEqual(odd);
    for (const t of saved) expect(encodeToken(decodeToken(t))).toBe(t);
  });
  it('has no whitespace, and tolerates whitespace a mail client inserts', () => {
    const t = encodeToken(odd);
    expect(t).not.toMatch(/\s/);
    const wrapped = `${t.slice(0, 30)}\n  ${t.slice(30, 70)} \r\n${t.slice(70)}`;
    expect(decodeToken(wrapped)).toEqual(odd);
  });
  it('rejects every single-character change', () => {
    const t = saved[0]!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    for (let i = 0; i < t.length; i++) {
      const c = alphabet[(alphabet.indexOf(t[i]!) + 1) % alphabet.length]!;
      expect(() => decodeToken(t.slice(0, i) + c + t.slice(i + 1)), `position ${i}`).toThrow(TokenError);
    }
  });
  it.each([
    ['truncated', (t: string) => t.slice(0, -5), /checksum does not match/],
    ['cut in the payload', (t: string) => t.slice(0, 40), /malformed/],
    ['checksum dropped', (t: string) => t.slice(0, t.lastIndexOf('.')), /malformed/],
    ['another tool', () => 'https://lore.kernel.org/linux-mm/', /is not a replay token; allowed: a token starting with 'mmc1\.'/],
    ['a future version', (t: string) => t.replace(/^mmc1/, 'mmc2'), /version mmc2 is not supported; allowed: mmc1/],
    ['not base64url', (t: string) => t.replace(/^mmc1\.(.)/, 'mmc1.*'), /not base64url/],
    ['a quoted-printable soft break', (t: string) => `${t.slice(0, 30)}=${t.slice(30)}`, /not base64url/],
    ['checksum changed', (t: string) => t.slice(0, -1) + (t.endsWith('0') ? '1' : '0'), /checksum does not match/],
  ])('rejects a token %s, in one line', (_, mangle, message) => rejects(mangle(saved[0]!), message));
  it.each([
    ['not JSON', 'hello', /not valid JSON/],
    ['a list', '[]', /invalid payload/],
    ['an unknown property', '{"v":"v1","p":"fast","n":2}', /invalid property/],
    ['no variant', '{"p":"identical","n":2}', /invalid variant/],
    ['an unknown config option', '{"v":"v1","p":"identical","n":2,"k":{"smp":true}}', /invalid kernel config option 'smp'/],
    ['a config option of the wrong type', '{"v":"v1","p":"identical","n":2,"k":{"memcg":"yes"}}', /invalid kernel config option 'memcg'/],
    ['a negative nr_pages', '{"v":"v1","p":"identical","n":-2}', /invalid nr_pages/],
    ['a bad schedule', '{"v":"v1","p":"identical","n":2,"l":[[0,"soon"]]}', /invalid schedule/],
  ])('rejects a checksummed payload with %s', (_, payload, message) => rejects(forge(payload), message));
});
