// Global setup of the `cluster` test project. Every project's global setup runs before any test, so booting the
// cluster here and waiting would hold up every test; instead the boot starts in the background (its JVMs run at
// nice 10, so the single-node tests that run meanwhile keep the CPU) and the first cluster test waits for it
// (useTestCluster). After the last test the cluster is stopped (cluster-teardown.ts).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { clusterServiceNames, startStack } from '../src/index.ts';
import { clusterBootFile, type ClusterBoot } from './cluster-stack.ts';
import stopTestCluster from './cluster-teardown.ts';
import { testStackOptions } from './global-setup.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const record = (boot: ClusterBoot) => writeFile(clusterBootFile, JSON.stringify(boot));
  await mkdir(dirname(clusterBootFile), { recursive: true });
  await record({ pid: process.pid, state: 'booting' });
  const booted = startStack({ ...testStackOptions, profile: 'cluster', services: clusterServiceNames }).then(
    () => record({ pid: process.pid, state: 'ready' }),
    (error: unknown) => record({ pid: process.pid, state: 'failed', error: error instanceof Error ? error.message : String(error) }),
  );
  const teardown = stopTestCluster();
  return async () => {
    await booted;
    await teardown();
  };
}
