// `npm run test:full`: the same files as `npm test`, with the thorough sweeps (test/budget.ts).
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(base, defineConfig({
  test: {
    env: { MMC_FULL: '1' },
    testTimeout: 600_000,
  },
}));
