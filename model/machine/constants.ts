// Geometry and limits shared by the specification (reference.ts) and the fast engine.

/** Bytes per cache line: the unit of the cache, of write combining and of the engine's memory. */
export const LINE = 64;
/** Streaming stores are tracked per 4-byte unit, the smallest MOVNTI. */
export const UNIT = 4;
export const UNITS = LINE / UNIT;
/** Hazards kept in full per kind; further ones are only counted. */
export const MAX_HAZARDS = 64;
/** Store instruction sizes a streaming store may be split into: MOVNTI of a u32 or a u64. */
export const GRANULES: readonly number[] = [4, 8];
/** Largest load or store, in bytes (a struct page is 64 to 80): a bigger one is a variant's bug. */
export const MAX_ACCESS = 4096;
/**
 * Model addresses are below 2^52 (struct pages below 2^43, the usemap at 2^50, the template stack
 * at 2^51: model/kernel/constants.ts), so that every address and line index is an exact integer.
 */
export const ADDRESS_SPACE = 2 ** 52;
/** Write-combining mask of a line whose 16 units were all streamed. */
export const FULL_LINE = (1 << UNITS) - 1;
