// @dataplat/nifi on the real 3-node NiFi cluster of the stack's cluster profile: the nodes with their roles,
// per-node status figures, the run-once report per node, and every core case of the client (the same cases
// as against the standalone NiFi, test/client-cases.ts) through one node, which replicates to the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { useTestCluster, type TestCluster } from '../../../stack/test/cluster-stack.ts';
import { describeClientCases, unique } from '../client-cases.ts';

let cluster: TestCluster;
const clients: NifiClient[] = [];
/** A client of node `index` (0-based) of the cluster. */
function nodeClient(index: number): NifiClient {
  const client = createNifiClient({ baseUrl: cluster.endpoints.nifiCluster.nodes[index]!.apiUrl });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  cluster = await useTestCluster();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
});

// Through node-2, which is usually neither primary nor coordinator: its writes are replicated by the coordinator.
describeClientCases('@dataplat/nifi core cases on the 3-node cluster (through node-2)', {
  // The cases close their own clients.
  create: async () => createNifiClient({ baseUrl: cluster.endpoints.nifiCluster.nodes[1]!.apiUrl }),
  nodeCount: 3,
});

describe('@dataplat/nifi cluster namespace and per-node figures', () => {
  let nifi: NifiClient;
  const groups: string[] = [];
  beforeAll(() => {
    nifi = nodeClient(0);
  });
  afterAll(async () => {
    for (const id of groups) await nifi.processGroups.delete(id);
  });

  it('lists the three nodes with status, roles, heartbeat and queues, and names the primary and the coordinator', async () => {
    const nodes = await nifi.cluster.nodes();
    const ports = cluster.endpoints.nifiCluster.nodes.map((node) => Number(new URL(node.apiUrl).port));
    expect(nodes.map((node) => node.apiPort).sort()).toEqual(ports.sort());
    for (const node of nodes) {
      expect(node).toMatchObject({ address: '127.0.0.1', status: 'CONNECTED', name: `127.0.0.1:${node.apiPort}` });
      expect(node.nodeId).toMatch(/^[0-9a-f-]{36}$/);
      expect(node.heartbeat).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
      expect(node.nodeStartTime).toBeDefined();
      expect(node.activeThreadCount).toBeGreaterThanOrEqual(0);
      expect(node.flowFilesQueued).toBeGreaterThanOrEqual(0);
      expect(node.events.length).toBeGreaterThan(0);
    }
    expect(nodes.filter((node) => node.isPrimary)).toHaveLength(1);
    expect(nodes.filter((node) => node.isCoordinator)).toHaveLength(1);
    const primary = await nifi.cluster.primary();
    const coordinator = await nifi.cluster.coordinator();
    expect(primary?.roles).toContain('Primary Node');
    expect(coordinator?.roles).toContain('Cluster Coordinator');
    expect((await nifi.cluster.node(primary!.nodeId)).name).toBe(primary!.name);
    // Any connected node answers for the whole cluster.
    expect((await nodeClient(2).cluster.nodes()).map((node) => node.nodeId).sort()).toEqual(nodes.map((node) => node.nodeId).sort());
    expect(await nifi.cluster.summary()).toEqual({ clustered: true, connectedToCluster: true, connectedNodeCount: 3, totalNodeCount: 3 });
  });

  it('answers for a standalone NiFi too: summary says not clustered, nodes() throws NIFI_NOT_CLUSTERED', async () => {
    const standalone = createNifiClient({ baseUrl: cluster.endpoints.nifi!.apiUrl });
    clients.push(standalone);
    expect(await standalone.cluster.summary()).toMatchObject({ clustered: false });
    await expect(standalone.cluster.nodes()).rejects.toMatchObject({ code: 'NIFI_NOT_CLUSTERED' });
    await expect(standalone.cluster.primary()).rejects.toMatchObject({ code: 'NIFI_NOT_CLUSTERED' });
  });

  it('reports group, processor and connection status per node beside the cluster total', async () => {
    const group = await nifi.processGroups.create('root', { name: unique() });
    groups.push(group.id);
    const generate = await nifi.processors.create(group.id, { name: 'generate', type: 'GenerateFlowFile', config: { properties: { 'Batch Size': '4', 'File Size': '10B' }, schedulingPeriod: '1 hour' } });
    const sink = await nifi.processors.create(group.id, { name: 'sink', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
    const connection = await nifi.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: sink.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });
    // Every node's GenerateFlowFile fires once; the stopped sink leaves 4 flowfiles queued on each node.
    await nifi.processors.setRunState(generate.id, 'RUN_ONCE');
    let perNode = await nifi.processGroups.statusPerNode(group.id);
    for (let attempt = 0; attempt < 50 && perNode.aggregate.flowFilesQueued !== 12; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      perNode = await nifi.processGroups.statusPerNode(group.id);
    }
    expect(perNode.aggregate.flowFilesQueued).toBe(12);
    expect(perNode.nodes).toHaveLength(3);
    expect(perNode.nodes.map((node) => node.snapshot.flowFilesQueued)).toEqual([4, 4, 4]);
    expect(perNode.nodes.map((node) => node.name)).toEqual((await nifi.cluster.nodes()).map((node) => node.name));

    const processor = await nifi.processors.statusPerNode(generate.id);
    expect(processor.aggregate.flowFilesOut).toBe(12);
    expect(processor.nodes.map((node) => node.snapshot.flowFilesOut)).toEqual([4, 4, 4]);
    const queue = await nifi.connections.statusPerNode(connection.id);
    expect(queue.aggregate.flowFilesQueued).toBe(12);
    expect(queue.nodes.map((node) => [node.snapshot.flowFilesQueued, node.snapshot.bytesQueued])).toEqual([
      [4, 40],
      [4, 40],
      [4, 40],
    ]);
    // The aggregate alone, as before.
    expect((await nifi.processGroups.status(group.id)).flowFilesQueued).toBe(12);
    await nifi.connections.emptyQueue(connection.id);
  });

  it('runs a group once and reports each node with its own figures, no node lost', async () => {
    const group = await nifi.processGroups.create('root', { name: unique() });
    groups.push(group.id);
    const generate = await nifi.processors.create(group.id, { name: 'generate', type: 'GenerateFlowFile', config: { properties: { 'Batch Size': '3', 'File Size': '20B' }, schedulingPeriod: '1 hour' } });
    const primaryOnly = await nifi.processors.create(group.id, {
      name: 'primary-only',
      type: 'GenerateFlowFile',
      config: { properties: { 'Batch Size': '2', 'File Size': '5B' }, schedulingPeriod: '1 hour', executionNode: 'PRIMARY' },
    });
    const sink = await nifi.processors.create(group.id, { name: 'sink', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
    for (const source of [generate, primaryOnly]) {
      await nifi.connections.create(group.id, {
        source: { id: source.id, groupId: group.id, type: 'PROCESSOR' },
        destination: { id: sink.id, groupId: group.id, type: 'PROCESSOR' },
        selectedRelationships: ['success'],
      });
    }
    const report = await nifi.processGroups.runOnce(group.id, { perNode: true });
    const primary = (await nifi.cluster.primary())!;
    // 3 per node from the all-nodes source, 2 from the primary-only one on the primary alone.
    expect(report.flowFilesIn).toBe(3 * 3 + 2);
    expect(report.bytesIn).toBe(3 * 3 * 20 + 2 * 5);
    expect(report.lostNodes).toEqual([]);
    expect(report.nodes).toHaveLength(3);
    for (const node of report.nodes!) {
      const onPrimary = node.nodeId === primary.nodeId;
      expect(node).toMatchObject({ address: '127.0.0.1', lost: false, flowFilesIn: onPrimary ? 5 : 3, bytesIn: onPrimary ? 70 : 60, flowFilesOut: 0 });
      expect(node.processors.find((entry) => entry.name === 'sink')).toMatchObject({ flowFilesIn: onPrimary ? 5 : 3, tasks: expect.any(Number) });
      expect(node.processors.find((entry) => entry.name === 'primary-only')?.flowFilesOut).toBe(onPrimary ? 2 : 0);
    }
    expect(report.nodes!.reduce((total, node) => total + node.flowFilesIn, 0)).toBe(report.flowFilesIn);
    // Without perNode, no per-node figures are read.
    expect((await nifi.processGroups.runOnce(group.id)).nodes).toBeUndefined();
  });
});
