// The flows CLI on the 3-node NiFi cluster with a node out: `flows apply` is refused before anything changes while
// a node is disconnected, naming it, and goes through when acknowledged (the node takes the flow when it rejoins).
// A node killed during `flows run` is primary-failover.test.ts's. The test leaves all three nodes CONNECTED.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NifiClient } from '@dataplat/nifi';
import { makeClusterWhole, nodeClients, ordinaryNode } from '../../../nifi/test/cluster-whole.ts';
import { useTestCluster, type TestCluster } from '../../../stack/test/cluster-stack.ts';
import { pacedFlow } from '../cluster-flows.ts';
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
      // NiFi deletes no parameter context (the apply lock's) while a node is out: the lease is marked released in place.
      expect(acknowledged.stderr).not.toContain('could not release the apply lock');
      expect((await through.processGroups.findByName(name, { parentGroupId }))?.id).toBeDefined();
      // The environment variable acknowledges too (a no-op apply, still checked first).
      const again = await flows(['apply', '--json'], { FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES: '1' });
      expect(again.exitCode, again.stdout + again.stderr).toBe(0);

      // destroy looks first too, and since NiFi deletes nothing while a node is out, it refuses even when
      // acknowledged — before it stops anything (a flow stopped for a delete NiFi then refuses would be half-destroyed).
      const destroy = (extra: string[]) => runCli(['destroy', name, '--parent', parentGroupId, ...extra], { cwd: workdir, env: { NIFI_URL: through.baseUrl } });
      for (const extra of [[], ['--acknowledge-disconnected-nodes']]) {
        const destroyRefused = await destroy(extra);
        expect(destroyRefused.exitCode).toBe(1);
        expect(destroyRefused.stderr).toContain(`Refusing to destroy flows: NiFi deletes nothing while cluster node(s) are not connected: ${node.name} (DISCONNECTED); nothing was changed.`);
      }
      // Nothing was stopped; and the applies' lock, marked released in place, is free at once: an acknowledged apply
      // with --lock-timeout 0 that has something to change goes through.
      const stopped = (await through.processGroups.flow((await through.processGroups.findByName(name, { parentGroupId }))!.id)).contents.processors.filter((processor) => processor.component?.state !== 'RUNNING' && processor.component?.name !== 'generate');
      expect(stopped).toEqual([]);
      await writeFile(join(workdir, 'paced.yaml'), pacedFlow(name, { batchSize: 3, perSecond: 100 }));
      const changed = await flows(['apply', '--acknowledge-disconnected-nodes', '--lock-timeout', '0']);
      expect(changed.exitCode, changed.stdout + changed.stderr).toBe(0);
      expect((await through.processGroups.findByName(name, { parentGroupId }))?.id).toBeDefined();
    } finally {
      await makeClusterWhole(cluster);
    }
    // Back in the cluster, the node serves the applied flow: plan through it is a no-op.
    const planned = await runCli(['plan', 'paced.yaml', '--parent', parentGroupId, '--json', '--detailed-exitcode'], { cwd: workdir, env: { NIFI_URL: clients[index]!.baseUrl } });
    expect(planned.exitCode, planned.stdout + planned.stderr).toBe(0);
  });
});
