import { defineConfig } from 'vitest/config';

// Tests run on the TypeScript sources of sibling packages (the "@dataplat/source" export condition),
// so no build is needed before testing; `pnpm check:packages` checks the built output separately.
const resolve = { conditions: ['@dataplat/source'] };

export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['packages/*/test/integration/**/*.test.ts'],
          // Boots the real local stack once for every integration test file (see packages/stack/test/global-setup.ts).
          globalSetup: ['packages/stack/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
