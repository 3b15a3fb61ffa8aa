// Empty arrays standing for "not allocated yet" (never written: growing copies into new arrays).
export const NO_LINE = new Uint8Array(0);
export const NO_F64 = new Float64Array(0);
export const NO_I32 = new Int32Array(0);
