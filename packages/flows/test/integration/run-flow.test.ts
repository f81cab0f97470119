// `flows run` / runFlow() against the real NiFi: every component is back in its run state afterwards (a
// running flow runs again, so plan stays a no-op), and a listening source (ListenHTTP) is not triggered:
// it still answers after the run, and the report says so.
import { createServer } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { createNifiClient } from '@dataplat/nifi';
import { applyFlows, defineFlow, planFlows, runFlow } from '@dataplat/flows';

const nifi = createNifiClient({ baseUrl: inject('stackEndpoints').nifi!.apiUrl });
const suffix = Date.now().toString(36);
let parentGroupId = '';

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  for (const context of await nifi.parameterContexts.list()) {
    if (context.component.name?.includes(suffix)) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  }
  await nifi.close();
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** POSTs to the ListenHTTP until it answers (it takes a moment to bind after a start). */
async function post(port: number): Promise<number> {
  return pollUntil(
    async () => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/contentListener`, { method: 'POST', body: '{"reading": 1}' });
        return { done: true, value: response.status };
      } catch {
        return { done: false };
      }
    },
    { timeoutMs: 30_000, initialIntervalMs: 250, description: `ListenHTTP on port ${port}` },
  );
}

describe('runFlow puts every component back in its run state', () => {
  it('restores what was running, leaves what was stopped, and keeps a listener listening', async () => {
    parentGroupId = (await nifi.processGroups.create('root', { name: `flows-run-${suffix}` })).id;
    const port = await freePort();
    const batch = defineFlow({
      name: `batch-${suffix}`,
      processors: {
        generate: { type: 'GenerateFlowFile', properties: { 'Batch Size': '3' }, schedule: { period: '1 hour' }, state: 'stopped' },
        tag: { type: 'UpdateAttribute', properties: { tagged: 'yes' }, autoTerminate: ['success'] },
      },
      connections: [{ from: 'generate', to: 'tag', relationships: ['success'] }],
    });
    const listener = defineFlow({
      name: `listener-${suffix}`,
      processors: {
        receive: { type: 'ListenHTTP', properties: { 'Listening Port': String(port) } },
        store: { type: 'UpdateAttribute', autoTerminate: ['success'] },
      },
      connections: [{ from: 'receive', to: 'store', relationships: ['success'] }],
    });
    await applyFlows(nifi, [batch, listener], { parentGroupId });
    expect(await post(port)).toBe(200);

    const ran = await runFlow(nifi, `batch-${suffix}`, { parentGroupId });
    expect(ran).toMatchObject({ ok: true, listening: [], restarted: 1, report: { flowFilesIn: 3, sources: ['generate'] } });
    const batchStates = (await nifi.processGroups.tree(ran.report.groupId)).contents.processors.map((processor) => [processor.component.name, processor.component.state]).sort();
    expect(batchStates).toEqual([
      ['generate', 'STOPPED'],
      ['tag', 'RUNNING'],
    ]);

    const listened = await runFlow(nifi, `listener-${suffix}`, { parentGroupId });
    expect(listened).toMatchObject({ ok: true, listening: ['receive'], restarted: 2, report: { sources: [] } });
    // Paused for the run: the listener did no work while the rest drained (a running ListenHTTP polls all the time).
    expect(listened.report.processors.find((processor) => processor.name === 'receive')?.tasks).toBe(0);
    expect(await post(port)).toBe(200);

    const { plan } = await planFlows(nifi, [batch, listener], { parentGroupId });
    expect(plan.flows.map((flowPlan) => [flowPlan.flow, flowPlan.action])).toEqual([
      [`batch-${suffix}`, 'no-op'],
      [`listener-${suffix}`, 'no-op'],
    ]);
  });
});
