// How thorough a test run is: `npm test` runs reduced-but-real versions of the long sweeps (fewer
// generated cases, the same generators and properties); `npm run test:full` (MMC_FULL=1) the thorough ones.
export const FULL = process.env['MMC_FULL'] === '1';

/** `quick` cases under `npm test`, `full` under `npm run test:full`. */
export const budget = (quick: number, full: number): number => (FULL ? full : quick);
