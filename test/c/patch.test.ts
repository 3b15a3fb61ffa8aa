// --patch: unified diffs applied in memory (git format-patch or git diff output), hunks of other
// files skipped, a moved hunk found at its offset, a hunk that does not apply named in one line.
import { describe, expect, it } from 'vitest';
import { CFrontError } from '../../model/c/errors.ts';
import { applyPatches } from '../../model/c/patch.ts';

const FILE = 'linux/mm/mm_init.c';
const TEXT = ['int a;', 'int b;', 'int c;', 'int d;', 'int e;', 'int f;', 'int g;', ''].join('\n');

const formatPatch = `From 0123456789abcdef Mon Sep 17 00:00:00 2001
From: A Reviewer <r@example.org>
Subject: [PATCH 3/8] mm: change b and f

Changelog text.
---
 include/linux/string.h | 1 +
 mm/mm_init.c           | 4 ++--
 2 files changed

diff --git a/include/linux/string.h b/include/linux/string.h
index 1111111..2222222 100644
--- a/include/linux/string.h
+++ b/include/linux/string.h
@@ -1,1 +1,2 @@
 int s;
+int t;
diff --git a/mm/mm_init.c b/mm/mm_init.c
index 3333333..4444444 100644
--- a/mm/mm_init.c
+++ b/mm/mm_init.c
@@ -1,3 +1,3 @@
 int a;
-int b;
+long b;
 int c;
@@ -5,3 +5,4 @@
 int e;
-int f;
+long f;
+long f2;
 int g;
-- 
2.43.0
`;

describe('applyPatches', () => {
  it('applies the hunks of the file and skips other files', () => {
    expect(applyPatches(TEXT, [{ name: '0003.patch', text: formatPatch }], FILE)).toBe(
      ['int a;', 'long b;', 'int c;', 'int d;', 'int e;', 'long f;', 'long f2;', 'int g;', ''].join('\n'));
  });

  it('finds a hunk whose lines moved (offset), as patch does', () => {
    const moved = `--- a/mm/mm_init.c\n+++ b/mm/mm_init.c\n@@ -2,2 +2,2 @@\n int e;\n-int f;\n+long f;\n`;
    expect(applyPatches(TEXT, [{ name: 'm.patch', text: moved }], FILE)).toBe(TEXT.replace('int f;', 'long f;'));
  });

  it('names the hunk and the line it expected when it does not apply', () => {
    const stale = `--- a/mm/mm_init.c\n+++ b/mm/mm_init.c\n@@ -3,2 +3,2 @@\n int c;\n-int x;\n+int y;\n`;
    expect(() => applyPatches(TEXT, [{ name: 'stale.patch', text: stale }], FILE)).toThrow(
      new CFrontError(null, "stale.patch:3: hunk #1 (@@ -3,2 +3,2 @@) does not apply to linux/mm/mm_init.c: expected line 4 to be 'int x;'"));
  });

  it('refuses patches none of which changes the file', () => {
    const other = `--- a/include/linux/string.h\n+++ b/include/linux/string.h\n@@ -1,1 +1,2 @@\n int s;\n+int t;\n`;
    expect(() => applyPatches(TEXT, [{ name: 'x86.patch', text: other }], FILE)).toThrow('x86.patch: no hunk changes linux/mm/mm_init.c');
  });
});
