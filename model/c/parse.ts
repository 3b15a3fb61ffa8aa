// tree-sitter-c through web-tree-sitter: the grammar's shipped .wasm, no native build. The parser is
// created once per process; a tree lives only while a file is compiled (compile.ts copies what it needs).
import { createRequire } from 'node:module';
import { Language, type Node, Parser, type Tree } from 'web-tree-sitter';

export type { Node, Tree };

let parser: Promise<Parser> | null = null;

async function makeParser(): Promise<Parser> {
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve('tree-sitter-c/tree-sitter-c.wasm');
  const p = new Parser();
  p.setLanguage(await Language.load(wasm));
  return p;
}

/** Parse C text (already preprocessed by eraseAttributes). The caller deletes the tree. */
export async function parseC(text: string): Promise<Tree> {
  parser ??= makeParser();
  const tree = (await parser).parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}
