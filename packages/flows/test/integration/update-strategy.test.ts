// Updating a running flow with `updateStrategy: 'drain'` against the real NiFi: the sources stop, what
// is queued flows out, then the update lands and the sources run again. A flow that can't drain (data
// held by a stopped processor) is left as it was, sources running, with FLOWS_DRAIN_TIMEOUT.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { applyFlows, defineFlow } from '@dataplat/flows';

const nifi = createNifiClient({ baseUrl: inject('stackEndpoints').nifi!.apiUrl });
const suffix = Date.now().toString(36);
let parentGroupId = '';

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  await nifi.close();
});

function streamFlow(name: string, tagValue: string, downstream: 'running' | 'stopped') {
  return defineFlow({
    name,
    processors: {
      generate: { type: 'GenerateFlowFile', properties: { 'Batch Size': '5' }, schedule: { period: '200 ms' } },
      tag: { type: 'UpdateAttribute', properties: { version: tagValue }, state: downstream, autoTerminate: ['success'] },
    },
    connections: [{ from: 'generate', to: 'tag', relationships: ['success'] }],
  });
}

async function processor(groupId: string, name: string) {
  return (await nifi.processGroups.tree(groupId)).contents.processors.find((entry) => entry.component?.name === name)!;
}

describe('apply --update-strategy drain against the real NiFi', () => {
  it('drains a running flow before updating it, and leaves a flow that cannot drain untouched', async () => {
    parentGroupId = (await nifi.processGroups.create('root', { name: `flows-drain-${suffix}` })).id;
    const steady = `steady-${suffix}`;
    const stuck = `stuck-${suffix}`;
    const created = await applyFlows(nifi, [streamFlow(steady, 'v1', 'running'), streamFlow(stuck, 'v1', 'stopped')], { parentGroupId });
    const [steadyId, stuckId] = created.applied.map((entry) => entry.groupId!);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await nifi.processGroups.status(stuckId!)).flowFilesQueued).toBeGreaterThan(0);

    const steps: string[] = [];
    const updated = await applyFlows(nifi, [streamFlow(steady, 'v2', 'running')], { parentGroupId, updateStrategy: 'drain', drainTimeoutMs: 30_000, onProgress: ({ step }) => steps.push(step) });
    expect(updated.applied).toMatchObject([{ flow: steady, action: 'update' }]);
    expect(steps).toEqual(['drain', 'replace', 'enable services', 'start']);
    const tag = await processor(steadyId!, 'tag');
    expect(tag.component?.config?.properties?.['version']).toBe('v2');
    expect((await processor(steadyId!, 'generate')).component?.state).toBe('RUNNING');

    // `tag` is stopped by the code, so its queue never empties: the update is refused, nothing changed.
    await expect(applyFlows(nifi, [streamFlow(stuck, 'v2', 'stopped')], { parentGroupId, updateStrategy: 'drain', drainTimeoutMs: 3000 })).rejects.toMatchObject({ code: 'FLOWS_DRAIN_TIMEOUT' });
    expect((await processor(stuckId!, 'tag')).component?.config?.properties?.['version']).toBe('v1');
    expect((await processor(stuckId!, 'generate')).component?.state).toBe('RUNNING');
  });
});
