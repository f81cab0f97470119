// The DSL's cluster settings on the 3-node NiFi cluster, through the flows CLI: a source on the primary node only
// and a queue partitioned by attribute with compression arrive as written (read back from NiFi's processor and
// connection, through every node), `plan` is then a no-op, and changing one of them plans exactly that change,
// applies it and converges again; a canvas built by hand with these settings exports to YAML that says so and is
// adopted with no component change. (That flowfiles really spread over the nodes is proven elsewhere.)
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { useTestCluster } from '../../../stack/test/cluster-stack.ts';
import { clusteredOrdersFlow, type ClusterSettings, type PlannedFlow } from '../clustered-orders.ts';
import { runCli } from '../run-cli.ts';
import { scratchGroups, type ScratchGroups } from '../scratch-groups.ts';

let nodeUrls: string[] = [];
let nodes: NifiClient[] = [];
let scratch: ScratchGroups;
let workdir = '';

beforeAll(async () => {
  const { endpoints } = await useTestCluster();
  nodeUrls = endpoints.nifiCluster.nodes.map((node) => node.apiUrl);
  nodes = nodeUrls.map((baseUrl) => createNifiClient({ baseUrl }));
  scratch = scratchGroups(nodes[0]!, 'cluster-settings');
  workdir = await mkdtemp(join(tmpdir(), 'flows-cluster-settings-'));
}, 1_200_000);

afterAll(async () => {
  await scratch?.cleanUp();
  await Promise.all(nodes.map((node) => node.close()));
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

describe('cluster settings of the flows DSL on the NiFi cluster', () => {
  it('applies executionNode, partitionAttribute and compression, reads them back from every node, and converges after each change', async () => {
    const parentGroupId = await scratch.parent('apply');
    const name = `clustered-orders-${scratch.suffix}`;
    const file = join(workdir, 'orders.yaml');
    const flows = (args: string[]) => runCli([...args, 'orders.yaml', '--parent', parentGroupId], { cwd: workdir, env: { NIFI_URL: nodeUrls[0]! } });
    const plan = async () => {
      const planned = await flows(['plan', '--json', '--detailed-exitcode']);
      expect([0, 2], planned.stderr).toContain(planned.exitCode);
      return (JSON.parse(planned.stdout) as { flows: PlannedFlow[] }).flows[0]!;
    };
    const apply = async () => {
      const applied = await flows(['apply', '--json']);
      expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
      return JSON.parse(applied.stdout) as { applied: Array<{ flow: string; groupId: string }> };
    };
    /** What every node of the cluster says about the flow's source and its queue (GET processor, GET connection). */
    const readBack = async () =>
      Promise.all(
        nodes.map(async (node) => {
          const group = (await node.processGroups.findByName(name, { parentGroupId }))!;
          const contents = (await node.processGroups.flow(group.id)).contents;
          const generateId = contents.processors.find((processor) => processor.component?.name === 'generate')!.id!;
          const processor = await node.processors.get(generateId);
          const connection = await node.connections.get(contents.connections[0]!.id!);
          return {
            executionNode: processor.component?.config?.executionNode,
            executionNodeRestricted: processor.component?.executionNodeRestricted,
            loadBalanceStrategy: connection.component?.loadBalanceStrategy,
            loadBalancePartitionAttribute: connection.component?.loadBalancePartitionAttribute,
            loadBalanceCompression: connection.component?.loadBalanceCompression,
          };
        }),
      );

    const initial: ClusterSettings = { executionNode: 'primary', partitionAttribute: 'customer', compression: 'attributes-and-content' };
    await writeFile(file, clusteredOrdersFlow(name, initial));
    const validated = await runCli(['validate', 'orders.yaml', '--json'], { cwd: workdir, env: {} });
    expect(JSON.parse(validated.stdout)).toMatchObject({ valid: true, diagnostics: [] });

    expect((await plan()).action).toBe('create');
    await apply();
    const arrived = { executionNode: 'PRIMARY', executionNodeRestricted: false, loadBalanceStrategy: 'PARTITION_BY_ATTRIBUTE', loadBalancePartitionAttribute: 'customer', loadBalanceCompression: 'COMPRESS_ATTRIBUTES_AND_CONTENT' };
    expect(await readBack()).toEqual([arrived, arrived, arrived]);
    expect(await plan()).toMatchObject({ flow: name, action: 'no-op', components: [] });

    // One setting at a time: the plan names exactly that field, apply makes it so on every node, then no changes.
    // Each row: the change to the code, where the plan shows it (component, NiFi field, before → after), and what every node reads back.
    const connection = `${name}/connections/generate->tag`;
    const steps: Array<[Partial<ClusterSettings>, string, string, string, string, Partial<typeof arrived>]> = [
      [{ compression: 'attributes' }, connection, 'loadBalanceCompression', 'COMPRESS_ATTRIBUTES_AND_CONTENT', 'COMPRESS_ATTRIBUTES_ONLY', { loadBalanceCompression: 'COMPRESS_ATTRIBUTES_ONLY' }],
      [{ partitionAttribute: 'region' }, connection, 'partitioningAttribute', 'customer', 'region', { loadBalancePartitionAttribute: 'region' }],
      [{ executionNode: 'all' }, `${name}/processors/generate`, 'executionNode', 'PRIMARY', 'ALL', { executionNode: 'ALL' }],
    ];
    let settings = initial;
    let expected = arrived;
    for (const [change, address, field, before, after, readBackChange] of steps) {
      settings = { ...settings, ...change };
      await writeFile(file, clusteredOrdersFlow(name, settings));
      const changed = await plan();
      expect(changed.action).toBe('update');
      expect(changed.components).toEqual([{ address, kind: expect.any(String), action: 'update', changes: [{ field, before, after }] }]);
      await apply();
      expected = { ...expected, ...readBackChange };
      expect(await readBack()).toEqual([expected, expected, expected]);
      expect(await plan()).toMatchObject({ action: 'no-op', components: [] });
    }
  });

  it('exports a hand-built canvas with a primary-only source and partitioned, compressed queues, and adopts it with no component change', async () => {
    const nifi = nodes[0]!;
    const parentGroupId = await scratch.parent('export');
    const name = `hand-built-orders-${scratch.suffix}`;
    const group = await nifi.processGroups.create(parentGroupId, { name });
    const generate = await nifi.processors.create(group.id, { name: 'generate', type: 'GenerateFlowFile', config: { executionNode: 'PRIMARY', schedulingPeriod: '1 hour' } });
    const listRemote = await nifi.processors.create(group.id, { name: 'list remote', type: 'ListSFTP', config: { schedulingPeriod: '1 min' } });
    const tag = await nifi.processors.create(group.id, { name: 'tag', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
    const endpoint = (id: string) => ({ id, groupId: group.id, type: 'PROCESSOR' as const });
    await nifi.connections.create(group.id, {
      source: endpoint(generate.id),
      destination: endpoint(tag.id),
      selectedRelationships: ['success'],
      loadBalanceStrategy: 'PARTITION_BY_ATTRIBUTE',
      loadBalancePartitionAttribute: 'customer',
      loadBalanceCompression: 'COMPRESS_ATTRIBUTES_ONLY',
    });
    // Partitioned first, then switched to round robin, as in the UI.
    const switched = await nifi.connections.create(group.id, { source: endpoint(listRemote.id), destination: endpoint(tag.id), selectedRelationships: ['success'], loadBalanceStrategy: 'PARTITION_BY_ATTRIBUTE', loadBalancePartitionAttribute: 'old' });
    await nifi.connections.update(switched.id, { loadBalanceStrategy: 'ROUND_ROBIN', loadBalanceCompression: 'COMPRESS_ATTRIBUTES_AND_CONTENT' });
    // ListSFTP is @PrimaryNodeOnly: NiFi says so and runs it on the primary node whatever was sent.
    expect((await nifi.processors.get(listRemote.id)).component).toMatchObject({ executionNodeRestricted: true, config: { executionNode: 'PRIMARY' } });

    const cli = (args: string[]) => runCli([...args, '--parent', parentGroupId], { cwd: workdir, env: { NIFI_URL: nodeUrls[1]! } });
    const exported = await cli(['export', name, '--out', 'hand-built.yaml']);
    expect(exported.exitCode, exported.stderr).toBe(0);
    const yaml = await readFile(join(workdir, 'hand-built.yaml'), 'utf8');
    expect(yaml).toMatch(/ {2}generate:\n(?: {4}.*\n)*? {4}executionNode: primary\n/);
    expect(yaml).not.toMatch(/ {2}list remote:\n(?: {4}.*\n)*? {4}executionNode:/);
    expect(yaml).toContain('    loadBalance: partition-by-attribute\n    partitionAttribute: customer\n    compression: attributes\n');
    expect(yaml).toContain('    loadBalance: round-robin\n    compression: attributes-and-content\n');

    const validated = await runCli(['validate', 'hand-built.yaml', '--json'], { cwd: workdir, env: {} });
    expect(JSON.parse(validated.stdout)).toMatchObject({ valid: true, diagnostics: [] });
    const adoption = await cli(['plan', 'hand-built.yaml', '--adopt', '--json']);
    expect(adoption.exitCode, adoption.stderr).toBe(0);
    expect((JSON.parse(adoption.stdout) as { flows: PlannedFlow[] }).flows).toEqual([expect.objectContaining({ flow: name, action: 'update', components: [] })]);
    const adopted = await cli(['apply', 'hand-built.yaml', '--adopt', '--json']);
    expect(adopted.exitCode, adopted.stdout + adopted.stderr).toBe(0);
    const after = await cli(['plan', 'hand-built.yaml', '--json', '--detailed-exitcode']);
    expect(after.exitCode, after.stdout).toBe(0);
    expect((JSON.parse(after.stdout) as { flows: PlannedFlow[] }).flows[0]).toMatchObject({ action: 'no-op', components: [] });
    expect((await nifi.processors.get(generate.id)).component?.config?.executionNode).toBe('PRIMARY');
  });
});
