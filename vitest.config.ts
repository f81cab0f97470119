import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests (and the integration global setup) run on the TypeScript sources of sibling packages: each
// @dataplat package resolves to what its "@dataplat/source" export condition names, so no build is
// needed before testing; `pnpm check:packages` checks the built output separately.
const packagesDir = join(import.meta.dirname, 'packages');
const sourceAliases = readdirSync(packagesDir).flatMap((folder) => {
  const manifest = JSON.parse(readFileSync(join(packagesDir, folder, 'package.json'), 'utf8')) as {
    name: string;
    exports?: Record<string, string | Record<string, string>>;
  };
  return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
    const source = typeof target === 'object' ? target['@dataplat/source'] : undefined;
    return source ? [{ find: new RegExp(`^${manifest.name}${subpath.slice(1)}$`), replacement: join(packagesDir, folder, source) }] : [];
  });
});
const resolve = { alias: sourceAliases };

export default defineConfig({
  resolve,
  test: {
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/tools/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          // docs/test: the guides' commands, run as written (docs/test/getting-started.test.ts).
          include: ['packages/*/test/integration/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'docs/test/**/*.test.ts'],
          // Boots the real local stack once for every integration test file (see packages/stack/test/global-setup.ts).
          globalSetup: ['packages/stack/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          // Runs before the restart tests, never beside them (groups run one after the other, lowest first).
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve,
        test: {
          // Tests that kill and restart the stack's servers (NiFi mid-apply, Airflow's api-server, Trino's
          // coordinator): after every other integration test, one file at a time, on the same stack.
          name: 'restarts',
          include: ['packages/*/test/restarts/**/*.test.ts'],
          globalSetup: ['packages/stack/test/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
      {
        resolve,
        test: {
          // Tests on the cluster profile (3 NiFi nodes with ZooKeeper, Trino coordinator + worker) beside the stack, once
          // the single-node tests are done; its boot runs meanwhile at a lower CPU priority (packages/stack/test/cluster-setup.ts).
          name: 'cluster',
          include: ['packages/*/test/cluster/**/*.test.ts'],
          // Starts the cluster's boot in the background as the run begins (the first cluster test waits for it).
          globalSetup: ['packages/stack/test/global-setup.ts', 'packages/stack/test/cluster-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 1_200_000,
          maxWorkers: 1,
          sequence: { groupOrder: 3 },
        },
      },
      {
        resolve,
        test: {
          // Tests that kill, disconnect or remove cluster nodes: last, one file at a time; each leaves the cluster whole.
          name: 'cluster-restarts',
          include: ['packages/*/test/cluster-restarts/**/*.test.ts'],
          globalSetup: ['packages/stack/test/global-setup.ts', 'packages/stack/test/cluster-teardown.ts'],
          testTimeout: 600_000,
          hookTimeout: 1_200_000,
          maxWorkers: 1,
          sequence: { groupOrder: 4 },
        },
      },
    ],
  },
});
