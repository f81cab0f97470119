// For the cluster-restarts tests that take NiFi nodes out: which node to pick, and putting the cluster back
// whole afterwards — all three nodes CONNECTED — whatever a test left (a killed node's NiFi is started again; a
// disconnected or offloaded node is connected again; a removed node's NiFi is killed and started again, and rejoins).
import { createNifiClient, type ClusterNode, type NifiClient } from '@dataplat/nifi';
import { getStackStatus, killStackService, startStack } from '../../stack/src/index.ts';
import type { TestCluster } from '../../stack/test/cluster-stack.ts';
import { testStackOptions } from '../../stack/test/global-setup.ts';

/** A client for each node of the cluster, in the stack's node order (node-1, node-2, node-3). */
export function nodeClients(cluster: TestCluster): NifiClient[] {
  return cluster.endpoints.nifiCluster.nodes.map((node) => createNifiClient({ baseUrl: node.apiUrl }));
}

/** The stack's name of a node (node-1…) by its API port. */
export function stackNodeName(cluster: TestCluster, node: Pick<ClusterNode, 'apiPort'>): string {
  const entry = cluster.endpoints.nifiCluster.nodes.find((candidate) => Number(new URL(candidate.apiUrl).port) === node.apiPort);
  if (!entry) throw new Error(`No stack node serves API port ${node.apiPort}.`);
  return entry.node;
}

/** A node that is neither primary nor coordinator (taking it out moves no role), with the index of its client. */
export async function ordinaryNode(cluster: TestCluster, nifi: NifiClient): Promise<{ node: ClusterNode; index: number }> {
  const node = (await nifi.cluster.nodes()).find((candidate) => !candidate.isPrimary && !candidate.isCoordinator && candidate.status === 'CONNECTED');
  if (!node) throw new Error('Every connected node holds a role: no node to take out without an election.');
  const index = cluster.endpoints.nifiCluster.nodes.findIndex((entry) => Number(new URL(entry.apiUrl).port) === node.apiPort);
  return { node, index };
}

/** Brings every node back to CONNECTED: restarts dead ones, connects listed ones, restarts removed (unlisted) ones. */
export async function makeClusterWhole(cluster: TestCluster): Promise<ClusterNode[]> {
  const clients = nodeClients(cluster);
  try {
    await restartDeadNodes();
    // Ask a node that is connected (a disconnected one can't answer for the cluster).
    let listing: ClusterNode[] | undefined;
    let asker: NifiClient | undefined;
    for (const client of clients) {
      listing = await client.cluster.nodes().catch(() => undefined);
      if (listing) {
        asker = client;
        break;
      }
    }
    if (!listing || !asker) throw new Error('No NiFi node of the cluster answers for it.');
    for (const node of listing.filter((entry) => entry.status !== 'CONNECTED')) await asker.cluster.connect(node.nodeId, { waitTimeoutMs: 300_000 });
    const listedPorts = new Set(listing.map((node) => node.apiPort));
    const removed = cluster.endpoints.nifiCluster.nodes.filter((entry) => !listedPorts.has(Number(new URL(entry.apiUrl).port))).map((entry) => entry.node);
    if (removed.length > 0) {
      // A removed node's NiFi still runs outside the cluster: it rejoins when it starts again.
      await killStackService('nifi-cluster', { ...testStackOptions, processes: removed });
      await startStack({ ...testStackOptions, profile: 'cluster', services: ['nifi-cluster'] });
    }
    return await waitAllConnected(asker, cluster.endpoints.nifiCluster.nodes.length);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

/** Starts the NiFi nodes whose process is gone (killed); the stack starts only those, and they rejoin. */
export async function restartDeadNodes(): Promise<string[]> {
  const status = (await getStackStatus({ ...testStackOptions, services: ['nifi-cluster'] })).find((entry) => entry.service === 'nifi-cluster');
  const dead = (status?.processes ?? []).filter((process) => !process.alive).map((process) => process.name);
  if (dead.length > 0) await startStack({ ...testStackOptions, profile: 'cluster', services: ['nifi-cluster'] });
  return dead;
}

/** Polls until `count` nodes are listed and all CONNECTED. */
export async function waitAllConnected(nifi: NifiClient, count: number, timeoutMs = 300_000): Promise<ClusterNode[]> {
  const deadline = Date.now() + timeoutMs;
  let last: ClusterNode[] = [];
  while (Date.now() < deadline) {
    last = (await nifi.cluster.nodes().catch(() => undefined)) ?? last;
    if (last.length === count && last.every((node) => node.status === 'CONNECTED')) return last;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`The NiFi cluster did not get all ${count} nodes CONNECTED in ${timeoutMs / 1000} s: ${last.map((node) => `${node.name} ${node.status}`).join(', ')}`);
}
