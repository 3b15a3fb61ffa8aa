// The heartbeat a guarded variant ticks in shared memory, for the watchdog on the main thread
// (sandbox.ts). Without a shared buffer (in-process runs, tests) every tick is a no-op.
// Layout: Int32 [0] ticks (one per resumption of the variant), [1] 1 while the variant's own code runs
// (2 while its module loads), [2] length of the name
// of the kernel function on top of its stack, then that name's UTF-8 bytes.
const NAME_OFFSET = 12;
export const HEARTBEAT_BYTES = NAME_OFFSET + 128;

let words: Int32Array | null = null;
let name: Uint8Array | null = null;
const encoder = new TextEncoder();

export const heartbeat = {
  /** Use this buffer (a worker thread gets it from the main thread). */
  install(buffer: SharedArrayBuffer): void {
    words = new Int32Array(buffer, 0, 3);
    name = new Uint8Array(buffer, NAME_OFFSET);
  },
  installed(): boolean {
    return words !== null;
  },
  enter(): void {
    if (words === null) return;
    Atomics.add(words, 0, 1);
    Atomics.store(words, 1, 1);
  },
  leave(): void {
    if (words !== null) Atomics.store(words, 1, 0);
  },
  /** While a variant file's module is imported (its top level is the file's code too). */
  loading(on: boolean): void {
    if (words === null) return;
    Atomics.add(words, 0, 1);
    Atomics.store(words, 1, on ? 2 : 0);
  },
  at(fn: string): void {
    if (words === null || name === null) return;
    const { written } = encoder.encodeInto(fn, name);
    Atomics.store(words, 2, written);
  },
};

/** The main thread's view: is the variant inside its own code, after how many events, in which function? */
export function readHeartbeat(buffer: SharedArrayBuffer): { ticks: number; inside: boolean; loading: boolean; fn: string } {
  const w = new Int32Array(buffer, 0, 3);
  const len = Atomics.load(w, 2);
  const bytes = new Uint8Array(buffer, NAME_OFFSET, Math.min(len, HEARTBEAT_BYTES - NAME_OFFSET)).slice();
  return { ticks: Atomics.load(w, 0), inside: Atomics.load(w, 1) === 1, loading: Atomics.load(w, 1) === 2, fn: len ? new TextDecoder().decode(bytes) : 'memmap_init_zone_device' };
}
