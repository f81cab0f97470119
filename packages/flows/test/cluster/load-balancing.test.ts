// Where the data goes on the 3-node NiFi cluster, for a flow applied with the flows CLI: a source that runs on the
// primary node emits one batch per run (on every node it would emit three), a round-robin queue spreads that batch
// over all three nodes, and a queue partitioned by attribute keeps every key on one node. Counted per node from
// NiFi's nodewise connection status and its queue listing (the holding processors stay stopped, so the data waits).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pollUntil } from '@dataplat/core';
import { describe, expect, it } from 'vitest';
import { clusterWorkspace } from '../cluster-flows.ts';
import { runCli } from '../run-cli.ts';

const batchSize = 36;
// 12 keys hashed over 3 nodes: the chance that all land on one node (nothing to see) is 3 × (1/3)^12.
const keyCount = 12;

const workspace = clusterWorkspace('cluster-spread', 1);

function spreadFlow(name: string, executionNode: 'primary' | 'all'): string {
  return [
    `name: ${name}`,
    'processors:',
    `  generate: { type: GenerateFlowFile, properties: { Batch Size: "${batchSize}" }, schedule: { period: 1 hour }, state: stopped, executionNode: ${executionNode} }`,
    `  number: { type: UpdateAttribute, properties: { key: "k\${nextInt():mod(${keyCount})}" } }`,
    '  spread-hold: { type: UpdateAttribute, state: stopped, autoTerminate: [success] }',
    '  partition-hold: { type: UpdateAttribute, state: stopped, autoTerminate: [success] }',
    'connections:',
    '  - { from: generate, to: spread-hold, relationships: [success], loadBalance: round-robin }',
    '  - { from: generate, to: number, relationships: [success] }',
    '  - { from: number, to: partition-hold, relationships: [success], loadBalance: partition-by-attribute, partitionAttribute: key }',
    '',
  ].join('\n');
}

interface Deployed {
  generate: string;
  spreadQueue: string;
  partitionQueue: string;
}

/** Applies the flow through the CLI and finds its components by name in NiFi. */
async function applySpreadFlow(parentGroupId: string, name: string, executionNode: 'primary' | 'all'): Promise<Deployed> {
  await writeFile(join(workspace.workdir, `${name}.yaml`), spreadFlow(name, executionNode));
  const applied = await runCli(['apply', `${name}.yaml`, '--parent', parentGroupId], { cwd: workspace.workdir, env: { NIFI_URL: workspace.nodeUrls[0]! } });
  expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
  const [group] = (await workspace.nifi.processGroups.flow(parentGroupId)).contents.processGroups.filter((entry) => entry.component?.name === name);
  const { processors, connections } = (await workspace.nifi.processGroups.flow(group!.id)).contents;
  const processorId = (processorName: string) => processors.find((processor) => processor.component?.name === processorName)!.id;
  const queueInto = (processorName: string) => connections.find((connection) => connection.component?.destination?.id === processorId(processorName))!.id;
  return { generate: processorId('generate'), spreadQueue: queueInto('spread-hold'), partitionQueue: queueInto('partition-hold') };
}

/**
 * Each node's queued count in a connection, once the cluster's total stopped changing for 3 s at `total` or more.
 * While a load-balanced queue moves flowfiles between nodes, one in transit can count on both its sender and its
 * receiver (seen once in CI: 120 of 108 for a moment), so a count above `total` is judged only once it settled.
 */
async function queuedPerNode(connectionId: string, total: number): Promise<Map<string, number>> {
  let settling: { queued: number; since: number } | undefined;
  const settled = await pollUntil(
    async () => {
      const status = await workspace.nifi.connections.statusPerNode(connectionId);
      const queued = status.aggregate.flowFilesQueued ?? 0;
      if (queued < total) return { done: false, progress: `${queued} of ${total} queued` };
      if (settling?.queued !== queued) settling = { queued, since: Date.now() };
      if (Date.now() - settling.since < 3000) return { done: false, progress: `${queued} queued, settling` };
      return { done: true, value: { queued, perNode: new Map(status.nodes.map((node) => [node.name, node.snapshot.flowFilesQueued ?? 0])) } };
    },
    { description: `${total} flowfiles queued in connection ${connectionId}`, timeoutMs: 60_000, initialIntervalMs: 250, maxIntervalMs: 1000 },
  );
  expect(settled.queued, `flowfiles settled in connection ${connectionId}`).toBe(total);
  return settled.perNode;
}

describe('data on the NiFi cluster', () => {
  it('a primary-only source emits once per run, a round-robin queue spreads over every node, a partitioned queue keeps each key on one node', async () => {
    const parentGroupId = await workspace.scratch.parent('primary');
    const deployed = await applySpreadFlow(parentGroupId, `spread-${workspace.scratch.suffix}`, 'primary');
    await workspace.nifi.processors.setRunState(deployed.generate, 'RUN_ONCE');

    // Once, on the primary node: one batch, not one per node.
    const spread = await queuedPerNode(deployed.spreadQueue, batchSize);
    console.log(`[cluster] round-robin: ${[...spread].map(([node, count]) => `${node} ${count}`).join(', ')}`);
    expect(spread.size).toBe(3);
    for (const [node, count] of spread) expect(count, `flowfiles queued on ${node}`).toBeGreaterThan(0);

    await queuedPerNode(deployed.partitionQueue, batchSize);
    const listing = await workspace.nifi.connections.listQueue(deployed.partitionQueue);
    expect(listing).toMatchObject({ queuedCount: batchSize, truncated: false });
    const nodesOfKey = new Map<string, Set<string>>();
    for (const flowFile of listing.flowFiles) {
      const { key } = await workspace.nifi.connections.queuedAttributes(deployed.partitionQueue, flowFile);
      expect(key).toMatch(/^k\d+$/);
      nodesOfKey.set(key!, (nodesOfKey.get(key!) ?? new Set()).add(flowFile.clusterNodeAddress!));
    }
    console.log(`[cluster] partition by key: ${[...nodesOfKey].map(([key, held]) => `${key}→${[...held].join('+')}`).join(', ')}`);
    expect(nodesOfKey.size).toBe(keyCount);
    for (const [key, held] of nodesOfKey) expect([...held], `nodes holding key ${key}`).toHaveLength(1);
    expect(new Set([...nodesOfKey.values()].flatMap((held) => [...held])).size).toBeGreaterThan(1);
  });

  it('the same source on all nodes emits one batch per node: what executionNode primary prevents', async () => {
    const parentGroupId = await workspace.scratch.parent('all');
    const deployed = await applySpreadFlow(parentGroupId, `spread-all-${workspace.scratch.suffix}`, 'all');
    await workspace.nifi.processors.setRunState(deployed.generate, 'RUN_ONCE');
    const spread = await queuedPerNode(deployed.spreadQueue, 3 * batchSize);
    expect([...spread.values()].reduce((sum, count) => sum + count, 0)).toBe(3 * batchSize);
  });
});
