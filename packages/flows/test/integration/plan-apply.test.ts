// plan/apply against the real NiFi: create, idempotence (zero mutating requests the second time),
// drift from an edit in NiFi, parameters (also sensitive ones from the environment), stale plans, prune, and a
// flow NiFi holds invalid refused before anything starts.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { applyFlows, defineFlow, planFlows, type Flow } from '@dataplat/flows';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const mutating = { count: 0 };
const nifi: NifiClient = createNifiClient({
  baseUrl: apiUrl,
  onRequest: ({ method }) => {
    if (method !== 'GET') mutating.count++;
  },
});
const suffix = Date.now().toString(36);
let parentGroupId = '';

function ordersFlow(overrides: { batch?: string; period?: string } = {}): Flow {
  return defineFlow({
    name: `orders-${suffix}`,
    description: 'Generates order events and tags them',
    parameters: { batch: { value: overrides.batch ?? '5' }, token: { fromEnv: 'ORDERS_TOKEN', sensitive: true } },
    services: { reader: { type: 'JsonTreeReader' } },
    processors: {
      generate: { type: 'GenerateFlowFile', properties: { 'Batch Size': '#{batch}' }, schedule: { period: overrides.period ?? '1 min' } },
      tag: { type: 'UpdateAttribute', properties: { source: 'flows' }, autoTerminate: ['success'] },
    },
    connections: [{ from: 'generate', to: 'tag', relationships: ['success'] }],
  });
}

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  const context = await nifi.parameterContexts.findByName(`orders-${suffix}`);
  if (context) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  await nifi.close();
});

describe('flows plan and apply against the real NiFi', () => {
  it('creates, then does nothing the second time, detects drift, and refuses stale plans', async () => {
    parentGroupId = (await nifi.processGroups.create('root', { name: `flows-it-${suffix}` })).id;
    const options = { parentGroupId, env: { ORDERS_TOKEN: 'first-token' } };

    const first = await planFlows(nifi, [ordersFlow()], options);
    expect(first.plan.flows).toMatchObject([{ flow: `orders-${suffix}`, action: 'create' }]);
    expect(JSON.stringify(first.plan)).not.toContain('first-token');

    const created = await applyFlows(nifi, [ordersFlow()], options);
    const groupId = created.applied[0]!.groupId!;
    const tree = await nifi.processGroups.tree(groupId);
    expect(tree.contents.processors.map((processor) => [processor.component.name, processor.component.state]).sort()).toEqual([
      ['generate', 'RUNNING'],
      ['tag', 'RUNNING'],
    ]);
    const context = await nifi.parameterContexts.findByName(`orders-${suffix}`);
    expect(context?.component.parameters?.find((entry) => entry.parameter?.name === 'token')?.parameter).toMatchObject({ sensitive: true, value: '********' });

    // Second time: nothing to change, and not a single mutating request.
    mutating.count = 0;
    const second = await applyFlows(nifi, [ordersFlow()], options);
    expect(second.plan.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op']);
    expect(mutating.count).toBe(0);

    // Drift: someone changes a property in NiFi; the plan shows it and apply puts the code back.
    const tag = tree.contents.processors.find((processor) => processor.component.name === 'tag')!;
    await nifi.processGroups.stop(groupId);
    await nifi.processors.update(tag.id, { config: { properties: { source: 'edited in the UI' } } });
    const drift = await planFlows(nifi, [ordersFlow()], options);
    const flowPlan = drift.plan.flows[0]!;
    expect(flowPlan.action).toBe('update');
    expect(flowPlan.components).toEqual([
      expect.objectContaining({ address: `orders-${suffix}/processors/tag`, action: 'update', changes: [{ field: 'properties.source', before: 'edited in the UI', after: 'flows' }] }),
    ]);
    expect(flowPlan.runState.length).toBeGreaterThan(0);

    // A plan made before another change is refused.
    const saved = (await planFlows(nifi, [ordersFlow({ batch: '7' })], options)).plan;
    await nifi.processors.update(tag.id, { config: { properties: { source: 'edited again' } } });
    await expect(applyFlows(nifi, [ordersFlow({ batch: '7' })], { ...options, plan: saved })).rejects.toMatchObject({ code: 'FLOWS_STALE_PLAN' });

    // Apply converges: property back, parameter changed, sensitive value changed, running again; same component ids.
    await applyFlows(nifi, [ordersFlow({ batch: '7' })], { ...options, env: { ORDERS_TOKEN: 'second-token' } });
    const after = await nifi.processGroups.tree(groupId);
    const tagAfter = after.contents.processors.find((processor) => processor.component.name === 'tag')!;
    expect(tagAfter.id).toBe(tag.id);
    expect(tagAfter.component.config?.properties?.['source']).toBe('flows');
    expect(tagAfter.component.state).toBe('RUNNING');
    const contextAfter = await nifi.parameterContexts.findByName(`orders-${suffix}`);
    expect(contextAfter?.component.parameters?.find((entry) => entry.parameter?.name === 'batch')?.parameter?.value).toBe('7');
    mutating.count = 0;
    const settled = await planFlows(nifi, [ordersFlow({ batch: '7' })], { ...options, env: { ORDERS_TOKEN: 'second-token' } });
    expect(settled.plan.flows.map((entry) => entry.action)).toEqual(['no-op']);
    expect(mutating.count).toBe(0);
  });

  it('leaves flows removed from the code alone unless asked to prune', async () => {
    const options = { parentGroupId, env: { ORDERS_TOKEN: 'second-token' } };
    const kept = await planFlows(nifi, [], options);
    expect(kept.plan.orphans).toEqual([`orders-${suffix}`]);
    expect(kept.plan.flows).toEqual([]);

    const pruned = await applyFlows(nifi, [], { ...options, prune: true });
    expect(pruned.applied).toMatchObject([{ flow: `orders-${suffix}`, action: 'delete' }]);
    expect((await nifi.processGroups.flow(parentGroupId)).contents.processGroups).toEqual([]);
    expect(await nifi.parameterContexts.findByName(`orders-${suffix}`)).toBeUndefined();
  });

  it("refuses to start a flow with a processor NiFi holds invalid, naming it with NiFi's reason, and starts nothing", async () => {
    // `tag`'s success relationship goes nowhere and is not auto-terminated: NiFi holds it invalid once created.
    const broken = defineFlow({
      name: `broken-${suffix}`,
      processors: {
        generate: { type: 'GenerateFlowFile', schedule: { period: '1 min' } },
        tag: { type: 'UpdateAttribute', properties: { source: 'flows' } },
      },
      connections: [{ from: 'generate', to: 'tag', relationships: ['success'] }],
    });
    const refused = await applyFlows(nifi, [broken], { parentGroupId }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'FLOWS_INVALID_COMPONENTS', hint: expect.stringContaining('flows validate --live') });
    expect((refused as Error).message).toMatch(new RegExp(`^Flow "broken-${suffix}" was updated but can't start: tag: .*'success'.*auto-terminated`, 's'));
    const [group] = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups;
    const tree = await nifi.processGroups.tree(group!.id);
    expect(tree.contents.processors.map((processor) => [processor.component.name, processor.component.state]).sort()).toEqual([
      ['generate', 'STOPPED'],
      ['tag', 'STOPPED'],
    ]);
    const cleaned = await applyFlows(nifi, [], { parentGroupId, prune: true });
    expect(cleaned.applied).toMatchObject([{ flow: `broken-${suffix}`, action: 'delete' }]);
  });
});
