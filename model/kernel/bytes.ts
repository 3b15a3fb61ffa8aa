// Little-endian encoding of the values struct page fields hold. Scratch buffers keep the hot
// paths free of DataView allocations; every function returns a fresh array.

const S64 = new BigUint64Array(1);
const S64B = new Uint8Array(S64.buffer);

export function u64(v: bigint): Uint8Array {
  S64[0] = v; // ToBigUint64: wraps modulo 2^64, so -1n encodes as all ones
  return S64B.slice();
}

/** The little-endian bytes of the u64 hi * 2^32 + lo (hi, lo: uint32), without a BigInt. */
export function u64Of(hi: number, lo: number): Uint8Array {
  return Uint8Array.of(lo & 0xff, (lo >>> 8) & 0xff, (lo >>> 16) & 0xff, lo >>> 24,
    hi & 0xff, (hi >>> 8) & 0xff, (hi >>> 16) & 0xff, hi >>> 24);
}

/** (old & and) | or on little-endian u64 bytes: a read-modify-write of a word with fixed masks. */
export function andOr64(old: Uint8Array, and: Uint8Array, or: Uint8Array): Uint8Array {
  const b = new Uint8Array(8);
  for (let i = 0; i < 8; i++) b[i] = (old[i]! & and[i]!) | or[i]!;
  return b;
}

export function u32(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

export function readU64(b: Uint8Array, off = 0): bigint {
  for (let i = 0; i < 8; i++) S64B[i] = b[off + i]!;
  return S64[0]!;
}

export function readU32(b: Uint8Array, off = 0): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}

export function readI32(b: Uint8Array, off = 0): number {
  return readU32(b, off) | 0;
}

/** Constant field values, encoded once. Never mutate them: the machine copies what it stores. */
export const U32_MINUS_1 = u32(-1);
export const U32_0 = u32(0);
export const U32_1 = u32(1);
export const U64_0 = u64(0n);

export function hex(b: Uint8Array): string {
  // most significant byte first, as a kernel developer reads a little-endian word
  return '0x' + [...b].reverse().map((x) => x.toString(16).padStart(2, '0')).join('');
}

export const hexNum = (n: number | bigint): string => '0x' + n.toString(16);
