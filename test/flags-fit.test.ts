// page-flags-layout.h fit checks and the tree base-v7.1 follows (issue 10, point 10).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodesFit } from '../model/kernel/flags.ts';

describe('NODES_WIDTH fit (include/linux/page-flags-layout.h @ 0dccebc9)', () => {
  const w = { zones: 3, sections: 0, nrPageflags: 24 };
  it('counts LRU_GEN_WIDTH: a node id that fits beside the zone alone may not fit beside LRU_GEN too', () => {
    // 64 - 24 = 40 bits: zone 3 + node 36 = 39 fits, + LRU_GEN 3 = 42 does not
    expect(nodesFit({ ...w, lruGen: 0, nodesShift: 36 })).toBe(true);
    expect(nodesFit({ ...w, lruGen: 3, nodesShift: 36 })).toBe(false);
    expect(nodesFit({ ...w, lruGen: 3, nodesShift: 34 })).toBe(true);
  });
});

describe('base-v7.1 cites the tree whose statement order it follows', () => {
  const head = readFileSync('model/kernel/variants/base-v7_1.ts', 'utf8').split('\nimport')[0]!;
  it('linux-mm @ 00f68374 (prep_compound_head() after the tail loop), not torvalds @ 00c010e1', () => {
    expect(head).toMatch(/Statement order: linux-mm\/linux-mm\s*\/\/\s*@ 00f68374/);
    expect(head).not.toMatch(/00c010e1\s*\/\/\s*\(statement order\)/);
  });
});
