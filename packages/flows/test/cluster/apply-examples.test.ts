// The repository's example flows (flows/) applied to the 3-node NiFi cluster with the flows CLI, as a CI job would:
// every node holds the same groups afterwards, `plan` is a no-op through any node, and destroy removes them everywhere.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { useTestCluster } from '../../../stack/test/cluster-stack.ts';
import { runCli } from '../run-cli.ts';
import { clusterWorkspace } from '../cluster-flows.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');
const exampleFlows = ['iot-sensors', 'shop-events', 'warehouse-extract'];

const workspace = clusterWorkspace('cluster-examples');
let environment: NodeJS.ProcessEnv = {};
/** A client per node: the workspace's (node 0), then one of each other node. */
let nodes: NifiClient[] = [];

beforeAll(async () => {
  const { endpoints } = await useTestCluster();
  // Planning the asset-event triggers looks the assets up in the stack's Airflow (its example DAGs are loaded);
  // the database passwords only become parameter values: nothing here sends data to the databases.
  const airflow = endpoints.airflow!;
  environment = {
    AIRFLOW_URL: airflow.url,
    AIRFLOW_USERNAME: airflow.admin.username,
    AIRFLOW_PASSWORD: airflow.admin.password,
    SENSORS_DB_PASSWORD: endpoints.postgres!.password,
    SHOP_DB_PASSWORD: endpoints.postgres!.password,
  };
  nodes = [workspace.nifi, ...workspace.nodeUrls.slice(1).map((baseUrl) => createNifiClient({ baseUrl }))];
}, 1_200_000);

afterAll(async () => {
  await Promise.all(nodes.slice(1).map((node) => node.close()));
});

const flowsCli = (args: string[], parentGroupId: string, through = workspace.nodeUrls[0]!) =>
  runCli([...args, '--parent', parentGroupId], { cwd: repositoryRoot, env: { NIFI_URL: through, ...environment } });

describe('flows/ on the NiFi cluster', () => {
  it('applies the example flows once, every node holds them, plan is a no-op through every node, destroy removes them', async () => {
    const parentGroupId = await workspace.scratch.parent('apply');

    const applied = await flowsCli(['apply', 'flows', '--json'], parentGroupId);
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    expect((JSON.parse(applied.stdout) as { applied: Array<{ flow: string }> }).applied.map((entry) => entry.flow).sort()).toEqual(exampleFlows);

    // The cluster replicated every change: each node answers with the same groups and the same processors.
    const groupsPerNode = await Promise.all(
      nodes.map(async (node) => {
        const flow = await node.processGroups.flow(parentGroupId);
        return flow.contents.processGroups.map((group) => [group.component?.name, group.id]).sort();
      }),
    );
    expect(groupsPerNode[0]!.map(([name]) => name)).toEqual(exampleFlows);
    expect(groupsPerNode[1]).toEqual(groupsPerNode[0]);
    expect(groupsPerNode[2]).toEqual(groupsPerNode[0]);

    for (const through of workspace.nodeUrls) {
      const plan = await flowsCli(['plan', 'flows', '--detailed-exitcode', '--json'], parentGroupId, through);
      expect(plan.exitCode, `plan through ${through}: ${plan.stderr}`).toBe(0);
      expect((JSON.parse(plan.stdout) as { flows: Array<{ flow: string; action: string }> }).flows.map((entry) => [entry.flow, entry.action])).toEqual(
        exampleFlows.map((flow) => [flow, 'no-op']),
      );
    }

    const destroyed = await flowsCli(['destroy', ...exampleFlows], parentGroupId, workspace.nodeUrls[2]);
    expect(destroyed.exitCode, destroyed.stderr).toBe(0);
    for (const node of nodes) expect((await node.processGroups.flow(parentGroupId)).contents.processGroups).toEqual([]);
  });
});
