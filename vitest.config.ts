import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'threads',
    // the suite is CPU-bound: use both cores of the 2-core CI machine
    maxWorkers: 2,
    // files share one module graph per worker: importing the model again for each of 66 files was
    // a third of the suite's CPU. Tests must leave no state behind (env, spies, recorded files).
    isolate: false,
    reporters: ['default'],
  },
});
