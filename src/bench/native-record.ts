// Run a variant on the model and record its ops as a call tree: one node per kernel function
// invocation, holding that invocation's ops and callees in order. The tree is what the folder
// turns into loops (a kernel loop calls the same function once per page), so the harness's code
// has the shape of the kernel's: straight-line field stores inside, loops around.
import type { Event, Program } from '../../model/events.ts';
import { ALL_DRAINS } from '../../model/kernel/copy.ts';
import { kernelArgs, zeroedUsemap } from '../../model/kernel/harness.ts';
import { Kernel } from '../../model/kernel/mm.ts';
import { type Scenario, validateScenario } from '../../model/kernel/scenario.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { execute, initialState } from '../../model/machine.ts';
import { LAND_AT_ONCE } from '../../model/schedule.ts';
import { type Op, opOf } from './native-ops.ts';

export interface CallNode {
  readonly kind: 'call';
  readonly fn: string;
  readonly items: (Op | CallNode)[];
}

/**
 * Pass a program's events through to the machine, recording each into the tree. Call events go
 * on as plain call events, so the machine applies them without running the body itself (see
 * KernelCall.adopt): every event of every callee comes through here.
 */
function* recorder(p: Program, root: CallNode): Program {
  const stack: CallNode[] = [root];
  let sent: Uint8Array | undefined;
  for (;;) {
    const r = p.next(sent);
    if (r.done) return;
    const ev: Event = r.value;
    const top = stack[stack.length - 1]!;
    if (ev.kind === 'call') {
      const node: CallNode = { kind: 'call', fn: ev.fn, items: [] };
      top.items.push(node);
      stack.push(node);
      sent = yield { kind: 'call', fn: ev.fn };
      continue;
    }
    if (ev.kind === 'ret') stack.pop();
    else {
      const o = opOf(ev);
      if (o) top.items.push(o);
    }
    sent = yield ev;
  }
}

/**
 * The call tree of memmap_init_zone_device() for a scenario, every streaming store landing at
 * once (as the cost runs do: what the ops are does not depend on when stores land).
 */
export function recordCalls(v: Variant, s: Scenario): CallNode {
  validateScenario(s);
  const k = new Kernel(s);
  const { zone, pgmap } = kernelArgs(s);
  const root: CallNode = { kind: 'call', fn: 'pagemap_range', items: [] };
  const init = initialState({ schedule: LAND_AT_ONCE, fill: 0xff, preset: zeroedUsemap(s) });
  const body = v.memmap_init_zone_device(k, ALL_DRAINS, zone, s.startPfn, s.nrPages, pgmap);
  execute(recorder(body, root), init);
  return root;
}
