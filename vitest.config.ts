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
/** The order the server-test projects run in, one group after the other (the unit tests run with the first). */
const groupOrders = ['integration', 'restarts', 'cluster', 'cluster-restarts'] as const;

/**
 * A project of tests in packages/<package>/test/<name>/ that run one file at a time on the real servers, after the
 * projects before it in groupOrders; `setup` is a global setup of its own besides the stack's.
 */
function serialProject(name: (typeof groupOrders)[number], settings: { testTimeout: number; hookTimeout: number; setup?: string }) {
  return {
    resolve,
    test: {
      name,
      include: [`packages/*/test/${name}/**/*.test.ts`],
      globalSetup: ['packages/stack/test/global-setup.ts', ...(settings.setup ? [settings.setup] : [])],
      testTimeout: settings.testTimeout,
      hookTimeout: settings.hookTimeout,
      maxWorkers: 1,
      sequence: { groupOrder: groupOrders.indexOf(name) + 1 },
    },
  };
}

export default defineConfig({
  resolve,
  test: {
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/bench/**/*.test.ts', 'packages/*/tools/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
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
          sequence: { groupOrder: groupOrders.indexOf('integration') + 1 },
        },
      },
      // After every other integration test, one file at a time, on the same stack: tests that kill and restart the
      // stack's servers (NiFi mid-apply, Airflow's api-server, Trino's coordinator).
      serialProject('restarts', { testTimeout: 300_000, hookTimeout: 600_000 }),
      // Tests on the cluster profile (3 NiFi nodes with ZooKeeper, Trino coordinator + worker) beside the stack, once
      // the single-node tests are done; cluster-setup.ts starts the cluster's boot in the background as the run begins,
      // at a lower CPU priority (the first cluster test waits for it).
      serialProject('cluster', { testTimeout: 300_000, hookTimeout: 1_200_000, setup: 'packages/stack/test/cluster-setup.ts' }),
      // Tests that kill, disconnect or remove cluster nodes: last; each leaves the cluster whole.
      serialProject('cluster-restarts', { testTimeout: 600_000, hookTimeout: 1_200_000, setup: 'packages/stack/test/cluster-teardown.ts' }),
    ],
  },
});
