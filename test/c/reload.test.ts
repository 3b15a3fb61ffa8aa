// A C spec records its file's SHA-256; a process that compiled the file once must still refuse it
// after an edit (run() is a library entry: the compiled-file cache must not hide the change).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cSpecOf, loadCVariant } from '../../src/cli/c-source.ts';

describe('C file reload', () => {
  it('refuses a file edited after its spec was recorded, even when it is compiled in this process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmc-reload-'));
    const file = join(dir, 'mm_init.c');
    writeFileSync(file, readFileSync('test/c-inputs/v5.c', 'utf8'));
    const spec = cSpecOf({ c: file })!;
    const v = await loadCVariant(spec);
    expect(v.name).toBe(file);
    expect(await loadCVariant(spec)).toBe(v); // compiled once
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n/* edited */\n`);
    await expect(async () => loadCVariant(spec)).rejects.toThrow(/changed since this was recorded/);
  });
});
