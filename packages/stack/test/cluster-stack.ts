// The cluster profile for the `cluster` and `cluster-restarts` test projects: booted by the first test file that
// asks (vitest runs every project's global setup before any test, so a global setup would have the cluster's five
// JVMs compete with the single-node tests for the two cores), reused by the others, stopped once at the end
// (cluster-teardown.ts).
import { clusterServiceNames, startStack, type RunningStack, type StackEndpoints } from '../src/index.ts';
import { testStackOptions } from './global-setup.ts';

export interface TestCluster {
  /** Every running service's endpoints: the cluster's (nifiCluster, trinoCluster, zookeeper) and the default ones. */
  endpoints: StackEndpoints & Required<Pick<StackEndpoints, 'nifiCluster' | 'trinoCluster' | 'zookeeper'>>;
  stack: RunningStack;
}

/** Starts ZooKeeper, the NiFi cluster and the Trino cluster beside the test stack, or reuses them when they run. */
export async function useTestCluster(): Promise<TestCluster> {
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
