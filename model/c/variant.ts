// A Variant from C text: erase attributes, parse, compile the functions memmap_init_zone_device()
// reaches, and run them directly on the machine (Variant.direct). Pure: the caller reads files.
import { createHash } from 'node:crypto';
import type { Event, Program } from '../events.ts';
import { VariantFault } from '../faults.ts';
import type { Drains } from '../kernel/copy.ts';
import type { DevPagemap, Zone } from '../kernel/init.ts';
import type { Kernel } from '../kernel/mm.ts';
import type { DirectIO, DirectRun, SourceFrame } from '../kernel/variants/direct.ts';
import type { Variant, VariantSource } from '../kernel/variants/types.ts';
import { type CompiledProgram, type Frame, compileProgram, invoke } from './compile.ts';
import { CFrontError } from './errors.ts';
import { parseC } from './parse.ts';
import { eraseAttributes } from './preprocess.ts';
import { CRun } from './runtime.ts';
import { ModelObj } from './values.ts';

export interface CVariantOptions {
  /** the path as the user gave it: every message and report names it */
  readonly file: string;
  readonly name?: string;
  readonly summary?: string;
  /** the base `identical` compares against (null: the file is a base) */
  readonly reference: string | null;
  readonly fileSha256?: string;
  readonly patches?: readonly string[];
}

export interface CVariant extends Variant {
  readonly program: CompiledProgram;
  /** every statement boundary, function:LINE (what --add-drain accepts) */
  readonly allDrainPoints: ReadonlySet<string>;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Loop iterations and calls a run may take: generous for the pages, finite for a runaway loop. */
export const stepBudget = (nr_pages: number): number => 100_000 + 64 * nr_pages;

export async function compileC(text: string, file: string): Promise<CompiledProgram> {
  const tree = await parseC(eraseAttributes(text));
  try {
    return compileProgram(tree.rootNode, file);
  } catch (e) {
    // the compiler recurses over the syntax tree: an absurdly nested file is bad input, not a crash
    if (e instanceof RangeError) throw new CFrontError(null, `${file}: the C is nested too deeply to compile`);
    throw e;
  } finally {
    tree.delete();
  }
}

export async function variantFromC(text: string, o: CVariantOptions): Promise<CVariant> {
  const program = await compileC(text, o.file);
  const direct = directRun(program);
  const sha = sha256(text);
  const source: VariantSource = { file: o.file, sha256: sha, fileSha256: o.fileSha256 ?? sha, patches: o.patches ?? [] };
  const points = program.drainPoints;
  return {
    name: o.name ?? o.file,
    summary: o.summary ?? `C: ${o.file} (${program.functions.length} functions interpreted, sha256 ${sha.slice(0, 12)})`,
    reference: o.reference,
    drainSites: program.drainSites,
    ...(points.length ? { drainPoints: points } : {}),
    memmap_init_zone_device: adapter(direct),
    direct,
    source,
    program,
    allDrainPoints: program.allPoints,
  };
}

/** The model objects the C code reads, from the harness's arguments. */
function objects(zone: Zone, pgmap: DevPagemap): { zoneObj: ModelObj; pgmapObj: ModelObj } {
  const altmap = pgmap.altmap
    ? new ModelObj('vmem_altmap', { base_pfn: pgmap.altmap.base_pfn, reserve: pgmap.altmap.reserve, free: pgmap.altmap.free, align: 0, alloc: 0 }, pgmap.altmap)
    : null;
  const pgmapObj = new ModelObj('dev_pagemap', { type: pgmap.type, vmemmap_shift: pgmap.vmemmap_shift, altmap }, pgmap);
  const pgdat = new ModelObj('pglist_data', { node_id: zone.node_id }, null);
  const zoneObj = new ModelObj('zone', { zone_idx: zone.zone_idx, zone_pgdat: pgdat, node: zone.node_id }, zone);
  return { zoneObj, pgmapObj };
}

function directRun(p: CompiledProgram): DirectRun {
  return (io: DirectIO, k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap) => {
    const { zoneObj, pgmapObj } = objects(zone, pgmap);
    let stacks: SourceFrame[][] | undefined;
    let c: CRun;
    if (io.trace) {
      stacks = [];
      const out = stacks;
      const emit = io.emit;
      c = new CRun(k, d, (ev: Event) => {
        if (ev.kind !== 'call' && ev.kind !== 'ret') out.push(c.cstack().map((x) => ({ fn: x.fn, file: x.loc.file, line: x.loc.line, column: x.loc.col })));
        return emit(ev);
      }, stepBudget(nr_pages), io.call, io.ret);
    } else c = new CRun(k, d, io.emit, stepBudget(nr_pages), io.call, io.ret);
    const fn = p.entry(c);
    const f: Frame = new Array(fn.nslots);
    f[2] = zoneObj;
    f[3] = start_pfn;
    f[4] = nr_pages;
    f[5] = pgmapObj;
    try {
      invoke(c, fn, f);
    } catch (e) {
      // a helper's complaint gets the C position of the call
      const at = c.at();
      if (e instanceof VariantFault && e.reason !== 'budget' && at && !e.message.startsWith(p.file)) throw new VariantFault(e.reason, `${at}: ${e.message}`);
      throw e;
    }
    return stacks;
  };
}

class Suspend {
  constructor(readonly ev: Event) {}
}

/**
 * The Program form, for code that composes variants as generators. It reruns the direct closure
 * from the start for each new event (answers to earlier loads replayed), so it costs O(events^2):
 * runVariant() uses `direct`, never this.
 */
function adapter(direct: DirectRun) {
  return function* memmap_init_zone_device(k: Kernel, d: Drains, zone: Zone, start_pfn: number, nr_pages: number, pgmap: DevPagemap): Program {
    const answers: (Uint8Array | undefined)[] = [];
    for (;;) {
      let i = 0;
      try {
        direct({
          trace: false,
          emit: (ev) => {
            if (i < answers.length) return answers[i++];
            throw new Suspend(ev);
          },
        }, k, d, zone, start_pfn, nr_pages, pgmap);
        return;
      } catch (e) {
        if (!(e instanceof Suspend)) throw e;
        // a bound helper's call event is its live KernelCall: hand the driver a plain one, so it
        // does not adopt (and run) a generator this rerun will drop
        const ev: Event = e.ev.kind === 'call' ? { kind: 'call', fn: e.ev.fn } : e.ev;
        answers.push(yield ev);
      }
    }
  };
}
