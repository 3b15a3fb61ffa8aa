import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'threads',
    // the suite is CPU-bound: use both cores of the 2-core CI machine
    maxWorkers: 2,
    reporters: ['default'],
  },
});
