// The DSL's cluster settings on a standalone NiFi (the stack's, where `pnpm demo` and most users develop): a flow
// with a primary-only source and a partitioned, compressed queue applies, NiFi keeps the settings, `plan` is a
// no-op, and the primary-only source still runs (a standalone NiFi is its own primary node).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { pollUntil } from '@dataplat/core';
import { clusteredOrdersFlow, type PlannedFlow } from '../clustered-orders.ts';
import { runCli } from '../run-cli.ts';
import { scratchGroups } from '../scratch-groups.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const scratch = scratchGroups(nifi, 'flows-standalone-cluster-settings');
let workdir = '';

afterAll(async () => {
  await scratch.cleanUp();
  await nifi.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

describe('cluster settings on a standalone NiFi', () => {
  it('applies them, plans no change, and runs the primary-only source', async () => {
    workdir = await mkdtemp(join(tmpdir(), 'flows-standalone-cluster-'));
    const parentGroupId = await scratch.parent('apply');
    const name = `standalone-orders-${scratch.suffix}`;
    await writeFile(join(workdir, 'orders.yaml'), clusteredOrdersFlow(name, { executionNode: 'primary', partitionAttribute: 'customer', compression: 'attributes' }));
    const flows = (args: string[]) => runCli([...args, 'orders.yaml', '--parent', parentGroupId], { cwd: workdir, env: { NIFI_URL: apiUrl } });

    const applied = await flows(['apply', '--json']);
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    const groupId = (JSON.parse(applied.stdout) as { applied: Array<{ groupId: string }> }).applied[0]!.groupId;
    const contents = (await nifi.processGroups.flow(groupId)).contents;
    const generate = contents.processors.find((processor) => processor.component?.name === 'generate')!;
    expect((await nifi.processors.get(generate.id!)).component?.config?.executionNode).toBe('PRIMARY');
    expect((await nifi.connections.get(contents.connections[0]!.id!)).component).toMatchObject({
      loadBalanceStrategy: 'PARTITION_BY_ATTRIBUTE',
      loadBalancePartitionAttribute: 'customer',
      loadBalanceCompression: 'COMPRESS_ATTRIBUTES_ONLY',
    });

    const planned = await flows(['plan', '--json', '--detailed-exitcode']);
    expect(planned.exitCode, planned.stdout).toBe(0);
    expect((JSON.parse(planned.stdout) as { flows: PlannedFlow[] }).flows[0]).toMatchObject({ action: 'no-op', components: [] });

    // Standalone, the node is its own primary: the primary-only source runs. The stopped tag processor keeps the flowfile queued.
    const tag = contents.processors.find((processor) => processor.component?.name === 'tag')!;
    await nifi.processors.setRunState(tag.id!, 'STOPPED');
    await nifi.processors.setRunState(generate.id!, 'RUN_ONCE');
    const queued = await pollUntil(
      async () => {
        const connection = (await nifi.processGroups.flow(groupId)).contents.connections[0]!;
        const count = connection.status?.aggregateSnapshot?.flowFilesQueued ?? 0;
        return count > 0 ? { done: true, value: count } : { done: false, progress: `${count} queued` };
      },
      { timeoutMs: 30_000, description: 'the primary-only source to emit a flowfile on the standalone NiFi' },
    );
    expect(queued).toBe(1);
  });
});
