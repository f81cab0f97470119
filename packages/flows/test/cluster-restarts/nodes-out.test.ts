// The flows CLI on the 3-node NiFi cluster with a node out: `flows apply` is refused before anything changes while
// a node is disconnected, naming it, and goes through when acknowledged (the node takes the flow when it rejoins);
// `flows run --per-node` with a node killed mid-run names the lost node. Each test leaves all three nodes CONNECTED.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NifiClient } from '@dataplat/nifi';
import { makeClusterWhole, nodeClients, ordinaryNode, stackNodeName } from '../../../nifi/test/cluster-whole.ts';
import { killStackService } from '../../../stack/src/index.ts';
import { useTestCluster, type TestCluster } from '../../../stack/test/cluster-stack.ts';
import { testStackOptions } from '../../../stack/test/global-setup.ts';
import { pacedFlow, type PerNodeRunOutput } from '../cluster-flows.ts';
import { runCli } from '../run-cli.ts';
import { scratchGroups, type ScratchGroups } from '../scratch-groups.ts';

let cluster: TestCluster;
let clients: NifiClient[] = [];
let scratch: ScratchGroups;
let workdir = '';

beforeAll(async () => {
  cluster = await useTestCluster();
  clients = nodeClients(cluster);
  workdir = await mkdtemp(join(tmpdir(), 'flows-nodes-out-'));
}, 1_200_000);

afterAll(async () => {
  // Deletes need every node connected: first the cluster whole, then the clean-up.
  await makeClusterWhole(cluster);
  await scratch?.cleanUp();
  await Promise.all(clients.map((client) => client.close()));
  if (workdir) await rm(workdir, { recursive: true, force: true });
}, 1_200_000);

describe('the flows CLI with a NiFi cluster node out', () => {
  it('refuses apply while a node is disconnected, naming it; applies when acknowledged; the node rejoins with the flow', async () => {
    const { node, index } = await ordinaryNode(cluster, clients[0]!);
    const through = clients.find((_, position) => position !== index)!;
    scratch = scratchGroups(through, 'nodes-out');
    const parentGroupId = await scratch.parent('apply');
    const name = `paced-${scratch.suffix}`;
    await writeFile(join(workdir, 'paced.yaml'), pacedFlow(name, { batchSize: 2, perSecond: 100 }));
    const flows = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli([...args, 'paced.yaml', '--parent', parentGroupId], { cwd: workdir, env: { NIFI_URL: through.baseUrl, ...env } });

    await through.cluster.disconnect(node.nodeId);
    try {
      const refused = await flows(['apply']);
      expect(refused.exitCode).toBe(1);
      expect(refused.stderr).toContain(`Refusing to apply: NiFi cluster node(s) not connected: ${node.name} (DISCONNECTED); nothing was changed.`);
      expect(refused.stderr).toContain('--acknowledge-disconnected-nodes');
      const refusedJson = await flows(['apply', '--json']);
      expect(JSON.parse(refusedJson.stdout)).toMatchObject({ error: { code: 'NIFI_NODE_DISCONNECTED', message: expect.stringContaining(node.name) } });
      // Nothing was created.
      expect((await through.processGroups.tree(parentGroupId)).children).toEqual([]);

      const acknowledged = await flows(['apply', '--acknowledge-disconnected-nodes']);
      expect(acknowledged.exitCode, acknowledged.stdout + acknowledged.stderr).toBe(0);
      expect(acknowledged.stderr).toContain(`going on although NiFi cluster node(s) are not connected (acknowledged): ${node.name} (DISCONNECTED)`);
      // NiFi deletes no parameter context (the apply lock) while a node is out: the release says why.
      expect(acknowledged.stderr).toMatch(/release|lock/i);
      console.log(`[nodes-out] apply acknowledged, stderr:\n${acknowledged.stderr}`);
      expect((await through.processGroups.findByName(name, { parentGroupId }))?.id).toBeDefined();
      // The environment variable acknowledges too (a no-op apply, still checked first).
      const again = await flows(['apply', '--json'], { FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES: '1' });
      expect(again.exitCode, again.stdout + again.stderr).toBe(0);

      // destroy looks first too; acknowledged, NiFi itself refuses the delete while the node is out, naming it.
      const destroy = (extra: string[]) => runCli(['destroy', name, '--parent', parentGroupId, ...extra], { cwd: workdir, env: { NIFI_URL: through.baseUrl } });
      const destroyRefused = await destroy([]);
      expect(destroyRefused.exitCode).toBe(1);
      expect(destroyRefused.stderr).toContain(`Refusing to destroy flows: NiFi cluster node(s) not connected: ${node.name} (DISCONNECTED)`);
      // The acknowledged apply could not release its lock (NiFi deleted no parameter context): it holds until its TTL.
      const locked = await destroy(['--acknowledge-disconnected-nodes', '--json', '--lock-timeout', '0']);
      expect(JSON.parse(locked.stdout)).toMatchObject({ error: { code: 'FLOWS_LOCKED' } });
      const deleteRefused = await destroy(['--acknowledge-disconnected-nodes', '--json', '--lock-timeout', '90s']);
      expect(deleteRefused.exitCode).toBe(1);
      console.log(`[nodes-out] destroy acknowledged (took the stale lock over): ${deleteRefused.stdout}`);
      expect(JSON.parse(deleteRefused.stdout)).toMatchObject({ error: { code: 'NIFI_NODE_DISCONNECTED', message: expect.stringContaining(node.name) } });
      expect((await through.processGroups.findByName(name, { parentGroupId }))?.id).toBeDefined();
    } finally {
      await makeClusterWhole(cluster);
    }
    // Back in the cluster, the node serves the applied flow: plan through it is a no-op.
    const planned = await runCli(['plan', 'paced.yaml', '--parent', parentGroupId, '--json', '--detailed-exitcode'], { cwd: workdir, env: { NIFI_URL: clients[index]!.baseUrl } });
    expect(planned.exitCode, planned.stdout + planned.stderr).toBe(0);
  });

  it('names the node killed during flows run --per-node', async () => {
    scratch ??= scratchGroups(clients[0]!, 'nodes-out');
    const { node, index } = await ordinaryNode(cluster, clients[0]!);
    const through = clients.find((_, position) => position !== index)!;
    const parentGroupId = await scratch.parent('run');
    const name = `paced-run-${scratch.suffix}`;
    await writeFile(join(workdir, 'paced-run.yaml'), pacedFlow(name, { batchSize: 30, perSecond: 2 }));
    const flows = (args: string[]) => runCli([...args, '--parent', parentGroupId], { cwd: workdir, env: { NIFI_URL: through.baseUrl } });
    const applied = await flows(['apply', 'paced-run.yaml']);
    expect(applied.exitCode, applied.stderr).toBe(0);
    const groupId = (await through.processGroups.findByName(name, { parentGroupId }))!.id;

    // 30 flowfiles per node at 2 a second: the run lasts about 15 s; the node is killed once data flows on it.
    const running = flows(['run', name, '--per-node', '--json']);
    for (let attempt = 0; attempt < 120; attempt++) {
      const perNode = await through.processGroups.statusPerNode(groupId).catch(() => undefined);
      if ((perNode?.nodes.find((entry) => entry.apiPort === node.apiPort)?.snapshot.flowFilesQueued ?? 0) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const killedAt = performance.now();
    expect(await killStackService('nifi-cluster', { ...testStackOptions, processes: [stackNodeName(cluster, node)] })).toHaveLength(1);
    const run = await running;
    console.log(`[nodes-out] flows run ended ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill, exit ${run.exitCode}:\n${run.stdout}\n${run.stderr}`);
    expect(run.exitCode).toBe(1);
    const output = JSON.parse(run.stdout) as PerNodeRunOutput | { error: { code: string; message: string } };
    if ('error' in output) {
      // The run could not complete: the failure names the lost node.
      expect(output.error).toMatchObject({ code: 'NIFI_RUN_FAILED', message: expect.stringContaining(`lost during the run: ${node.name}`) });
    } else {
      expect(output.ok).toBe(false);
      expect(output.lostNodes).toEqual([node.name]);
      expect(output.nodes.find((entry) => entry.name === node.name)).toMatchObject({ lost: true });
      expect(output.nodes.filter((entry) => !entry.lost).every((entry) => entry.flowFilesIn === 30)).toBe(true);
    }
    await makeClusterWhole(cluster);
  });
});
