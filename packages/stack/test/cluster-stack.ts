// The cluster profile for the `cluster` and `cluster-restarts` test projects: its boot starts in the background with
// the test run (cluster-setup.ts) and the first cluster test waits for it; without that (a cluster-restarts file run
// alone) the first test boots it. Reused by the others, stopped once at the end (cluster-teardown.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterServiceNames, startStack, type RunningStack, type StackEndpoints } from '../src/index.ts';
import { testStackOptions } from './global-setup.ts';

/** Where the background boot says how it is going (in the test stack's folder). */
export const clusterBootFile = join(testStackOptions.stateDir!, 'test-cluster-boot.json');

export interface ClusterBoot {
  /** The vitest process that boots; a file left by an earlier run names another. */
  pid: number;
  state: 'booting' | 'ready' | 'failed';
  error?: string;
}

/** How long a background boot may take before the waiters give up (a cold boot on 2 cores took ~4 minutes). */
const clusterBootDeadlineMs = 20 * 60_000;

/** Waits while this test run's background boot is under way (returns at once when there is none). */
export async function waitForClusterBoot(): Promise<void> {
  const deadline = performance.now() + clusterBootDeadlineMs;
  for (;;) {
    const boot = await readFile(clusterBootFile, 'utf8').then((text) => JSON.parse(text) as ClusterBoot, () => undefined);
    if (!boot || boot.state !== 'booting' || !isAlive(boot.pid)) return;
    if (performance.now() > deadline) throw new Error(`The cluster's background boot (process ${boot.pid}, ${clusterBootFile}) did not end within ${clusterBootDeadlineMs / 60_000} minutes.`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface TestCluster {
  /** Every running service's endpoints: the cluster's (nifiCluster, trinoCluster, zookeeper) and the default ones. */
  endpoints: StackEndpoints & Required<Pick<StackEndpoints, 'nifiCluster' | 'trinoCluster' | 'zookeeper'>>;
  stack: RunningStack;
}

/** Starts ZooKeeper, the NiFi cluster and the Trino cluster beside the test stack, or reuses them when they run. */
export async function useTestCluster(): Promise<TestCluster> {
  const waitedAt = performance.now();
  await waitForClusterBoot();
  const waitedMs = performance.now() - waitedAt;
  if (waitedMs > 1000) console.log(`[cluster] waited ${(waitedMs / 1000).toFixed(1)} s for the background boot`);
  // Reuses what the background boot started; boots (or restarts) whatever is not running and ready.
  const stack = await startStack({ ...testStackOptions, profile: 'cluster', services: clusterServiceNames });
  for (const timing of stack.timings) {
    if (timing.reused) continue;
    const nodes = timing.nodes?.map((node) => `${node.node} ${(node.startToReadyMs / 1000).toFixed(1)} s`).join(', ');
    console.log(`[cluster] ${timing.service}: ${(timing.startToReadyMs / 1000).toFixed(1)} s start→ready${nodes ? ` (${nodes})` : ''}`);
  }
  const { nifiCluster, trinoCluster, zookeeper } = stack.endpoints;
  if (!nifiCluster || !trinoCluster || !zookeeper) throw new Error('The cluster profile started without its endpoints.');
  return { endpoints: { ...stack.endpoints, nifiCluster, trinoCluster, zookeeper }, stack };
}
