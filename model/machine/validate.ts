// What the machine accepts. A variant is user code: every event it yields is checked as it
// arrives, by the engine (Transient.apply) and the specification alike, and anything else stops the
// run with a VariantFault naming the field, its value and what is allowed (issue 11, point 8).
import { type DrainEvent, type Frame, type LoadEvent, type PublishEvent, type StoreEvent, stackNames } from '../events.ts';
import { VariantFault } from '../faults.ts';
import { ADDRESS_SPACE, GRANULES, MAX_ACCESS, UNIT } from './constants.ts';

const KINDS = 'store, load, drain, publish, call or ret';

/**
 * Throw VariantFault('bad-event') unless `ev` is an event the machine takes. `now` is the index of
 * the next memory event and `stack` the kernel call stack, for the report. Cheap when `ev` is good:
 * it runs on every event.
 */
export function checkEvent(ev: unknown, now: number, stack: Frame | null): void {
  if (typeof ev !== 'object' || ev === null) refuse(`event ${show(ev)}`, `an event object of kind ${KINDS}`, now, stack, undefined);
  const e = ev as { readonly [k: string]: unknown };
  const fn = e.fn;
  switch (e.kind) {
    case 'store': {
      checkFn('store', fn, now, stack);
      const bytes = e.bytes;
      if (!(bytes instanceof Uint8Array)) return refuse(`store.bytes ${show(bytes)}`, 'a Uint8Array', now, stack, fn);
      const n = bytes.length;
      if (!(n > 0 && n <= MAX_ACCESS)) refuse(`store.bytes.length ${n}`, `1..${MAX_ACCESS}`, now, stack, fn);
      checkAddr('store', e.addr, n, now, stack, fn);
      checkClass('store', e.cls, now, stack, fn);
      if (e.via === 'cached') return;
      if (e.via !== 'streaming') refuse(`store.via ${show(e.via)}`, "'cached' or 'streaming'", now, stack, fn);
      const g = e.granule ?? 8;
      if (g !== 8 && g !== 4) refuse(`store.granule ${show(e.granule)}`, `${GRANULES.join(' or ')} (bytes per MOVNTI)`, now, stack, fn);
      if ((e.addr as number) % UNIT !== 0) refuse(`streaming store.addr ${show(e.addr)}`, `a multiple of ${UNIT}`, now, stack, fn);
      if (n % (g as number) !== 0) refuse(`streaming store.bytes.length ${n}`, `a multiple of the granule ${show(g)}`, now, stack, fn);
      return;
    }
    case 'load': {
      checkFn('load', fn, now, stack);
      const size = e.size;
      if (!(Number.isInteger(size) && (size as number) > 0 && (size as number) <= MAX_ACCESS)) {
        refuse(`load.size ${show(size)}`, `an integer 1..${MAX_ACCESS}`, now, stack, fn);
      }
      checkAddr('load', e.addr, size as number, now, stack, fn);
      checkClass('load', e.cls, now, stack, fn);
      return;
    }
    case 'drain':
    case 'publish':
      checkFn(e.kind, fn, now, stack);
      if (typeof e.site !== 'string') refuse(`${e.kind}.site ${show(e.site)}`, 'a site name (string)', now, stack, fn);
      return;
    case 'call':
      if (typeof fn !== 'string') refuse(`call.fn ${show(fn)}`, 'a function name (string)', now, stack, undefined);
      return;
    case 'ret':
      if (stack === null) refuse('ret', 'only inside a call (ret without a matching call)', now, stack, undefined);
      return;
    default:
      refuse(`event.kind ${show(e.kind)}`, KINDS, now, stack, undefined);
  }
}

function checkFn(kind: string, fn: unknown, now: number, stack: Frame | null): void {
  if (fn !== undefined && typeof fn !== 'string') refuse(`${kind}.fn ${show(fn)}`, 'a function name (string)', now, stack, undefined);
}

function checkAddr(kind: string, addr: unknown, size: number, now: number, stack: Frame | null, fn: unknown): void {
  if (!(Number.isInteger(addr) && (addr as number) >= 0 && (addr as number) + size <= ADDRESS_SPACE)) {
    refuse(`${kind}.addr ${show(addr)}`, `an integer 0..2^52 - ${size} (the access must end inside the model's address space)`, now, stack, fn);
  }
}

function checkClass(kind: string, cls: unknown, now: number, stack: Frame | null, fn: unknown): void {
  if (cls !== undefined && cls !== 'folio' && cls !== 'head-flags') {
    refuse(`${kind}.cls ${show(cls)}`, "undefined, 'folio' or 'head-flags'", now, stack, fn);
  }
}

function refuse(what: string, allowed: string, now: number, stack: Frame | null, fn: unknown): never {
  throw new VariantFault('bad-event', `bad event: ${what}; allowed ${allowed}`, now,
    stackNames(stack, typeof fn === 'string' ? fn : undefined));
}

// Quick checks for the engine's hot path: true only for events checkEvent accepts (when false, the
// engine calls checkEvent, which throws or, for an event they are stricter on, returns).

export function okStore(e: StoreEvent): boolean {
  const bytes = e.bytes;
  if (!(bytes instanceof Uint8Array)) return false;
  const n = bytes.length;
  const addr = e.addr;
  if (!(n > 0 && n <= MAX_ACCESS && Number.isInteger(addr) && addr >= 0 && addr + n <= ADDRESS_SPACE && okTags(e.fn, e.cls))) return false;
  if (e.via === 'cached') return true;
  const g = e.granule;
  return e.via === 'streaming' && addr % UNIT === 0 && (g === undefined || g === 8 ? n % 8 === 0 : g === 4 && n % 4 === 0);
}

export function okLoad(e: LoadEvent): boolean {
  const addr = e.addr;
  const size = e.size;
  return Number.isInteger(size) && size > 0 && size <= MAX_ACCESS && Number.isInteger(addr) && addr >= 0 &&
    addr + size <= ADDRESS_SPACE && okTags(e.fn, e.cls);
}

export function okSite(e: DrainEvent | PublishEvent): boolean {
  return typeof e.site === 'string' && okTags((e as { readonly fn?: unknown }).fn, undefined);
}

function okTags(fn: unknown, cls: unknown): boolean {
  return (fn === undefined || typeof fn === 'string') && (cls === undefined || cls === 'folio' || cls === 'head-flags');
}

/** A value in a few characters, whatever it is (never throws). */
export function show(v: unknown): string {
  try {
    if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
    if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) >= 2 ** 32 ? `${v} (0x${v.toString(16)})` : String(v);
    if (typeof v === 'bigint') return `${v}n (a bigint)`;
    if (v === null || typeof v === 'undefined' || typeof v === 'boolean') return String(v);
    if (typeof v === 'symbol' || typeof v === 'function') return `a ${typeof v}`;
    if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length ?? '?'})`;
    if (Array.isArray(v)) return `an array of ${v.length}`;
    return 'an object';
  } catch {
    return 'an unprintable value';
  }
}

/** The fault when a run yields more events than its budget. */
export function budgetFault(maxEvents: number, now: number, stack: Frame | null): VariantFault {
  return new VariantFault('budget', `the run yielded more than ${maxEvents} events (its event budget)`, now, stackNames(stack));
}
