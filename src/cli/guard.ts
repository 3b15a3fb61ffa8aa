// A fence around a user's variant file: the file is code the checker did not write, so every run
// of it counts its events against a budget derived from the configuration, checks each event's
// shape, turns anything it throws into a VariantFault naming the kernel function on its stack, and
// ticks a heartbeat the watchdog (sandbox.ts) reads to catch a loop that never yields.
import { type Event, KernelCall, type Program, call } from '../../model/events.ts';
import { VariantFault } from '../../model/faults.ts';
import { KernelBug } from '../../model/kernel/mm.ts';
import { eventBudget } from '../../model/kernel/harness.ts';
import type { Variant } from '../../model/kernel/variants/types.ts';
import { heartbeat } from './heartbeat.ts';

/** Largest load or store one event may carry: a struct page is 64 bytes, a line 64. */
export const MAX_ACCESS_BYTES = 4096;

export interface GuardOptions {
  /** --max-events: the budget of one run, instead of the one derived from nr_pages */
  readonly maxEvents?: number | undefined;
}

/** One run's bookkeeping. */
interface Run {
  readonly file: string;
  readonly budget: number;
  events: number;
  readonly stack: string[];
}

const where = (r: Run): string => r.stack.length ? r.stack[r.stack.length - 1]! : 'memmap_init_zone_device';

function faultOf(r: Run, reason: 'bad-event' | 'budget' | 'threw', what: string): VariantFault {
  const stack = ['memmap_init_zone_device', ...r.stack].join(' > ');
  return new VariantFault(reason, `variant file '${r.file}' at event ${r.events} in ${where(r)} (stack ${stack}): ${what}`, r.events, [...r.stack]);
}

const short = (x: unknown): string => {
  const s = typeof x === 'string' ? JSON.stringify(x) : typeof x === 'object' && x !== null ? (Array.isArray(x) ? 'an array' : 'an object') : String(x);
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
};

const isAddr = (a: unknown): a is number => typeof a === 'number' && Number.isSafeInteger(a) && a >= 0;

/** What is wrong with an event, or null. The machine validates again; this names the variant. */
export function eventProblem(ev: unknown): string | null {
  if (typeof ev !== 'object' || ev === null) return `yielded ${short(ev)}, not an event`;
  const e = ev as Record<string, unknown>;
  switch (e.kind) {
    case 'call':
      return typeof e.fn === 'string' && e.fn !== '' ? null : `yielded a call event without a function name (fn=${short(e.fn)})`;
    case 'ret':
      return null;
    case 'publish':
    case 'drain':
      return typeof e.site === 'string' ? null : `yielded a ${e.kind} event without a site name (site=${short(e.site)})`;
    case 'load':
      if (!isAddr(e.addr)) return `yielded a load at address ${short(e.addr)}; allowed: an integer address >= 0`;
      if (!Number.isSafeInteger(e.size) || (e.size as number) < 1 || (e.size as number) > MAX_ACCESS_BYTES) {
        return `yielded a load of size ${short(e.size)}; allowed: 1..${MAX_ACCESS_BYTES} bytes`;
      }
      return null;
    case 'store': {
      if (!isAddr(e.addr)) return `yielded a store at address ${short(e.addr)}; allowed: an integer address >= 0`;
      if (!(e.bytes instanceof Uint8Array)) return `yielded a store whose bytes are ${short(e.bytes)}; allowed: a Uint8Array`;
      if (e.bytes.length < 1 || e.bytes.length > MAX_ACCESS_BYTES) return `yielded a store of ${e.bytes.length} bytes; allowed: 1..${MAX_ACCESS_BYTES}`;
      if (e.via !== 'cached' && e.via !== 'streaming') return `yielded a store via ${short(e.via)}; allowed: cached, streaming`;
      if (e.via === 'streaming' && e.granule !== undefined && e.granule !== 4 && e.granule !== 8) {
        return `yielded a streaming store with granule ${short(e.granule)}; allowed: 4, 8 (MOVNTI)`;
      }
      return null;
    }
    default:
      return `yielded an event of kind ${short(e.kind)}; allowed: store, load, drain, publish, call, ret`;
  }
}

/** Drive `p`, checking each event; a KernelCall's body is guarded too (the machine runs bodies directly). */
function* guarded(p: Program<unknown>, r: Run): Program<unknown> {
  let sent: Uint8Array | undefined;
  for (;;) {
    let next: IteratorResult<Event, unknown>;
    heartbeat.enter();
    try {
      next = p.next(sent);
    } catch (e) {
      heartbeat.leave();
      if (e instanceof KernelBug || e instanceof VariantFault) throw e;
      const msg = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0]!.slice(0, 160);
      throw faultOf(r, 'threw', `threw ${msg}`);
    }
    heartbeat.leave();
    if (next.done) return next.value;
    const ev = next.value;
    r.events++;
    if (r.events > r.budget) {
      throw faultOf(r, 'budget', `ran past its event budget of ${r.budget} events (raise it with --max-events N)`);
    }
    const problem = eventProblem(ev);
    if (problem !== null) throw faultOf(r, 'bad-event', problem);
    if (ev instanceof KernelCall) {
      const body = KernelCall.adopt(ev);
      if (body !== null) {
        r.stack.push(ev.fn);
        heartbeat.at(ev.fn);
        const result: unknown = yield* call(ev.fn, guarded(body, r));
        r.stack.pop();
        heartbeat.at(where(r));
        KernelCall.finish(ev, result);
        sent = ev as unknown as Uint8Array; // resumes the caller's call(): see KernelCall.adopt
        continue;
      }
    }
    sent = yield ev;
  }
}

/**
 * The variant with its runs fenced. After the first fault every later run throws it at once, so a
 * property search does not spend its shrinking on a variant that is broken everywhere.
 */
export function guardVariant(v: Variant, file: string, o: GuardOptions = {}): Variant {
  let fault: VariantFault | null = null;
  const mizd = v.memmap_init_zone_device;
  return {
    ...v,
    ...(o.maxEvents !== undefined ? { maxEvents: o.maxEvents } : {}),
    memmap_init_zone_device: function* (k, d, zone, start_pfn, nr_pages, pgmap) {
      if (fault) throw fault;
      const r: Run = { file, budget: o.maxEvents ?? eventBudget(k.scenario, k), events: 0, stack: [] };
      try {
        let p: Program<unknown>;
        try {
          p = mizd(k, d, zone, start_pfn, nr_pages, pgmap) as Program<unknown>;
        } catch (e) {
          const msg = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split('\n')[0]!.slice(0, 160);
          throw faultOf(r, 'threw', `threw ${msg}`);
        }
        if (typeof p !== 'object' || p === null || typeof p.next !== 'function') {
          throw faultOf(r, 'bad-event', `memmap_init_zone_device returned ${short(p)}, not a generator (write it as function*)`);
        }
        yield* guarded(p, r);
      } catch (e) {
        if (e instanceof VariantFault) fault = e;
        throw e;
      }
    },
  };
}
