// The counterexample as a Graphviz execution graph in the style of herd7: one node per event
// that matters (Wnt streaming store, W store, R load, F drain, C commit), program order (po)
// inside the CPU's cluster, the streaming store's late commit, the conflicting access, and the
// missing drain drawn in red. Render with: memmap-check ... --format dot | dot -Tpng -o out.png
import { match } from 'ts-pattern';
import { variantLabel } from './counterexample.ts';
import type { Explanation, Step } from './explanation.ts';
import { witnessText } from './text-report.ts';
import { wrap } from './wrap.ts';

/** A double-quoted dot string; `\l` ends a left-justified line. */
const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const lines = (...ls: string[]): string => `"${ls.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join('\\l')}\\l"`;

const lastFrames = (stack: readonly string[], n = 2): string => stack.slice(-n).join(' > ');

interface Node {
  readonly id: string;
  readonly label: string;
  readonly attrs: string;
  readonly inCpu: boolean;
}

export function dotReport(x: Explanation): string {
  const letter = (i: number) => String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '');
  const nodes = x.steps.map((s, i) => node(s, `e${i + 1}`, `${letter(i)}: `));
  const edges: string[] = [];
  const cpu = nodes.filter((n) => n.inCpu);
  for (let i = 1; i < cpu.length; i++) edges.push(`  ${cpu[i - 1]!.id} -> ${cpu[i]!.id} [label="po"];`);
  const idOf = (pred: (s: Step) => boolean): string | undefined => {
    const i = x.steps.findIndex(pred);
    return i < 0 ? undefined : nodes[i]!.id;
  };
  const store = idOf((s) => s.kind === 'streaming-store');
  const access = idOf((s) => s.kind === 'access' || s.kind === 'publish');
  const lands = idOf((s) => s.kind === 'lands' || s.kind === 'replaced');
  const accessStep = x.steps.find((s) => s.kind === 'access' || s.kind === 'publish');
  if (store && access && accessStep) {
    const what = accessStep.kind === 'access' ? `${accessStep.hazard}\\n(${accessStep.cls})` : 'unpublished';
    edges.push(`  ${store} -> ${access} [label="${what}", color=red, fontcolor=red, penwidth=2, constraint=false];`);
  }
  if (store && lands) edges.push(`  ${store} -> ${lands} [label="late commit", color=blue, fontcolor=blue, style=dashed, constraint=false];`);
  if (access && lands && accessStep?.kind === 'access' && accessStep.op === 'store') {
    edges.push(`  ${access} -> ${lands} [label="co", color=brown, fontcolor=brown, constraint=false];`);
  }
  // for a failure without a hazard: the expected value is overwritten by the last store
  x.steps.forEach((s, i) => {
    if (s.kind !== 'writer' || s.role !== 'expected') return;
    const j = x.steps.findIndex((t, jj) => jj > i && t.kind === 'writer' && t.role === 'last' && t.field === s.field);
    if (j >= 0) edges.push(`  ${nodes[i]!.id} -> ${nodes[j]!.id} [label="co: overwritten", color=brown, fontcolor=brown, constraint=false];`);
  });
  const title = `${variantLabel(x.variantName, x.cx)} fails ${x.cx.property}`;
  const diff = x.diff.lines.slice(0, 3).flatMap((l) => [l.where, `  expected ${l.expected}, actual ${l.actual}`]);
  const last = cpu[cpu.length - 1] ?? nodes[nodes.length - 1];
  // notes below the graph, one under the other
  const notes = [...(diff.length ? ['result'] : []), ...(x.witness ? ['witness'] : [])];
  notes.forEach((n, i) => {
    const from = i === 0 ? last?.id : notes[i - 1];
    if (from) edges.push(`  ${from} -> ${n} [style=invis];`);
  });
  return [
    `digraph ${q('memmap-check counterexample')} {`,
    `  graph [label=${lines(title, ...wrap('', x.config, '  ', 90), ...wrap('schedule: ', x.scheduleText, '  ', 90))}, labelloc=t, labeljust=l, fontname="Helvetica", fontsize=11, nodesep=0.5, ranksep=0.45];`,
    '  node [shape=box, style=rounded, fontname="Courier", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9];',
    `  subgraph cluster_cpu0 {`,
    `    label="CPU 0: pagemap_range() > memmap_init_zone_device()"; labeljust=l; style=dashed; color=gray50; fontname="Helvetica"; fontsize=10;`,
    ...cpu.map((n) => `    ${n.id} [label=${n.label}${n.attrs}];`),
    '  }',
    ...nodes.filter((n) => !n.inCpu).map((n) => `  ${n.id} [label=${n.label}${n.attrs}];`),
    ...(diff.length ? [`  result [shape=note, style="", fontname="Courier", label=${lines('final memmap:', ...diff)}];`] : []),
    ...(x.witness ? [`  witness [shape=note, style="", fontname="Helvetica", color=darkgreen, fontcolor=darkgreen, label=${lines(...wrap('witness: ', witnessText(x.witness, x), '  ', 64))}];`] : []),
    ...edges,
    '}',
  ].join('\n');
}

function node(s: Step, id: string, tag: string): Node {
  const tip = (stack: readonly string[]) => `, tooltip=${q(stack.join(' > '))}`;
  return match(s)
    .with({ kind: 'streaming-store' }, (y) => ({
      id, inCpu: true, attrs: `${tip(y.stack)}, color=blue`,
      label: lines(`${tag}Wnt #${y.event}: store #${y.k} (${y.size} B), stays pending`, `${y.field} = ${y.value}`, lastFrames(y.stack)),
    }))
    .with({ kind: 'missing-drain' }, (y) => ({
      id, inCpu: true, attrs: `${tip(y.stack)}, color=red, fontcolor=red, style="rounded,dashed,bold"`,
      label: lines(`${tag}F MISSING before #${y.event}: ${y.site}`, y.change === 'restored' ? '(removed for this check)' : '(the variant has no drain here)', lastFrames(y.stack)),
    }))
    .with({ kind: 'access' }, (y) => ({
      id, inCpu: true, attrs: `${tip(y.stack)}, color=red, penwidth=2`,
      label: lines(`${tag}${y.op === 'load' ? 'R' : 'W'} #${y.event}: ${y.op} (${y.size} B)`,
        y.op === 'load' ? `${y.field}: memory holds ${y.value}` : `${y.field} = ${y.value}`, lastFrames(y.stack)),
    }))
    .with({ kind: 'publish' }, (y) => ({
      id, inCpu: true, attrs: `${tip(y.stack)}, color=red, penwidth=2`,
      label: lines(`${tag}Pub #${y.event}: publish with store #${y.k} pending`, y.site),
    }))
    .with({ kind: 'lands' }, (y) => ({
      id, inCpu: y.event !== null, attrs: ', color=blue, style="rounded,filled", fillcolor=aliceblue',
      label: lines(`${tag}C ${y.event === null ? 'final commit' : `#${y.event}`}: store #${y.k} lands${y.drainSite ? ` (drain ${y.drainSite})` : ''}`, `${y.field} = ${y.value}`),
    }))
    .with({ kind: 'replaced' }, (y) => ({
      id, inCpu: true, attrs: ', color=blue',
      label: lines(`${tag}Wnt #${y.event}: replaces store #${y.k} before it lands`),
    }))
    .with({ kind: 'writer' }, (y) => ({
      id, inCpu: true, attrs: tip(y.stack) + (y.role === 'last' ? ', color=red' : ''),
      label: lines(`${tag}${y.via === 'streaming' ? `Wnt #${y.event}: store #${y.k}` : `W #${y.event}`} (${y.role === 'last' ? 'last store' : 'expected value'})`,
        `${y.field} = ${y.value}`, lastFrames(y.stack)),
    }))
    .exhaustive();
}
