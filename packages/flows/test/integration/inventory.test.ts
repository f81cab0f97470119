// Which parameter context a managed flow owns, against the real NiFi: destroy and apply --prune delete
// exactly the context the ownership marker names — an adopted flow's differently named context too —
// and never a hand-made context that merely carries a flow's name, nor one another group still uses.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { applyFlows, defineFlow, destroyFlows, exportFlow, flowSchema, listManagedFlows, planFlows, readMarker } from '@dataplat/flows';

const nifi = createNifiClient({ baseUrl: inject('stackEndpoints').nifi!.apiUrl });
const suffix = Date.now().toString(36);
const parents: string[] = [];

afterAll(async () => {
  for (const parent of parents) await nifi.processGroups.delete(parent).catch(() => undefined);
  for (const context of await nifi.parameterContexts.list()) {
    if (context.component.name?.includes(suffix)) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  }
  await nifi.close();
});

async function parent(label: string): Promise<string> {
  const group = await nifi.processGroups.create('root', { name: `flows-inventory-${label}-${suffix}` });
  parents.push(group.id);
  return group.id;
}

const contextNamed = async (name: string) => (await nifi.parameterContexts.list()).find((context) => context.component.name === name);

function tinyFlow(name: string) {
  return defineFlow({
    name,
    parameters: { batch: { value: '2' } },
    processors: { generate: { type: 'GenerateFlowFile', properties: { 'Batch Size': '#{batch}' }, schedule: { period: '1 hour' }, state: 'stopped' }, drop: { type: 'UpdateAttribute', autoTerminate: ['success'] } },
    connections: [{ from: 'generate', to: 'drop', relationships: ['success'] }],
  });
}

describe('the inventory of managed flows and their parameter contexts', () => {
  it('destroys an adopted flow with its own context (named otherwise) and leaves a hand-made context that carries the flow name', async () => {
    const parentGroupId = await parent('adopt');
    const flowName = `adopted-${suffix}`;
    const ownContext = await nifi.parameterContexts.create({ name: `adopted context ${suffix}`, description: 'made by hand', parameters: [{ name: 'batch', value: '4' }] });
    const lookalike = await nifi.parameterContexts.create({ name: flowName, description: 'unrelated, made by hand' });
    const group = await nifi.processGroups.create(parentGroupId, { name: flowName });
    await nifi.processGroups.bindParameterContext(group.id, ownContext.id);
    await nifi.processors.create(group.id, { name: 'generate', type: 'GenerateFlowFile', config: { properties: { 'Batch Size': '#{batch}' }, schedulingPeriod: '1 hour' } });

    const exported = await exportFlow(nifi, group.id);
    expect(exported.flow.parameterContext).toBe(`adopted context ${suffix}`);
    await applyFlows(nifi, [flowSchema.parse(exported.flow)], { parentGroupId, adopt: true });
    const [managed] = await listManagedFlows(nifi, parentGroupId);
    expect(managed?.marker.parameterContext).toEqual({ id: ownContext.id, name: `adopted context ${suffix}` });
    expect((await nifi.parameterContexts.get(ownContext.id)).component.description).toBe('made by hand\n\nmanaged-by: dataplat-flows');
    const replanned = await planFlows(nifi, [flowSchema.parse(exported.flow)], { parentGroupId });
    expect(replanned.plan.flows).toMatchObject([{ flow: flowName, action: 'no-op' }]);

    const [destroyed] = await destroyFlows(nifi, [flowName], { parentGroupId });
    expect(destroyed?.parameterContext).toMatchObject({ id: ownContext.id, deleted: true });
    expect(await contextNamed(`adopted context ${suffix}`)).toBeUndefined();
    expect((await contextNamed(flowName))?.id).toBe(lookalike.id);
  });

  it('adopting with a hand-written file takes over the context the group is bound to, never a look-alike named like the flow', async () => {
    const parentGroupId = await parent('adopt-by-name');
    const flowName = `by-name-${suffix}`;
    const original = await nifi.parameterContexts.create({ name: `original ${suffix}`, description: 'made by hand', parameters: [{ name: 'batch', value: '4' }] });
    const lookalike = await nifi.parameterContexts.create({ name: flowName, description: 'made by hand, same name as the flow', parameters: [{ name: 'batch', value: '7' }] });
    const group = await nifi.processGroups.create(parentGroupId, { name: flowName });
    await nifi.processGroups.bindParameterContext(group.id, original.id);

    // The file names no parameterContext; NiFi keeps the group bound to its own context through the replace.
    await applyFlows(nifi, [tinyFlow(flowName)], { parentGroupId, adopt: true });
    const [managed] = await listManagedFlows(nifi, parentGroupId);
    expect(managed?.groupId).toBe(group.id);
    expect(managed?.marker.parameterContext).toEqual({ id: original.id, name: `original ${suffix}` });
    const value = (context: Awaited<ReturnType<typeof nifi.parameterContexts.get>>) => context.component.parameters?.find((entry) => entry.parameter?.name === 'batch')?.parameter?.value;
    expect(value(await nifi.parameterContexts.get(original.id))).toBe('2');
    const untouched = await nifi.parameterContexts.get(lookalike.id);
    expect([untouched.component.description, value(untouched)]).toEqual(['made by hand, same name as the flow', '7']);
    expect((await planFlows(nifi, [tinyFlow(flowName)], { parentGroupId })).plan.flows).toMatchObject([{ action: 'no-op' }]);

    const [destroyed] = await destroyFlows(nifi, [group.id], { parentGroupId });
    expect(destroyed?.parameterContext).toMatchObject({ id: original.id, deleted: true });
    expect((await contextNamed(flowName))?.id).toBe(lookalike.id);
  });

  it('prunes a flow without deleting a hand-made context it was bound to by name, and deletes the context flows created', async () => {
    const parentGroupId = await parent('prune');
    const handMade = await nifi.parameterContexts.create({ name: `reused-${suffix}`, description: 'made by hand before the flow', parameters: [{ name: 'kept', value: 'yes' }] });
    await applyFlows(nifi, [tinyFlow(`reused-${suffix}`), tinyFlow(`created-${suffix}`)], { parentGroupId });
    const markers = (await listManagedFlows(nifi, parentGroupId)).map((managed) => managed.marker);
    expect(markers.map((marker) => marker.parameterContext?.name).sort()).toEqual([`created-${suffix}`, `reused-${suffix}`]);
    expect(markers.find((marker) => marker.flow === `reused-${suffix}`)?.parameterContext?.id).toBe(handMade.id);

    const pruned = await applyFlows(nifi, [], { parentGroupId, prune: true });
    expect(pruned.applied.map((entry) => entry.action)).toEqual(['delete', 'delete']);
    expect(await listManagedFlows(nifi, parentGroupId)).toEqual([]);
    const survivor = await contextNamed(`reused-${suffix}`);
    expect(survivor?.id).toBe(handMade.id);
    expect(survivor?.component.parameters?.find((entry) => entry.parameter?.name === 'kept')?.parameter?.value).toBe('yes');
    expect(await contextNamed(`created-${suffix}`)).toBeUndefined();
  });

  it('keeps a context that another group still uses until the last flow using it is destroyed', async () => {
    const first = await parent('shared-a');
    const second = await parent('shared-b');
    const flowName = `shared-${suffix}`;
    await applyFlows(nifi, [tinyFlow(flowName)], { parentGroupId: first });
    await applyFlows(nifi, [tinyFlow(flowName)], { parentGroupId: second });

    const [kept] = await destroyFlows(nifi, [flowName], { parentGroupId: first });
    expect(kept?.parameterContext).toMatchObject({ name: flowName, deleted: false, reason: 'still used by 1 other process group(s)' });
    expect(await contextNamed(flowName)).toBeDefined();
    const [deleted] = await destroyFlows(nifi, [flowName], { parentGroupId: second });
    expect(deleted?.parameterContext).toMatchObject({ name: flowName, deleted: true });
    expect(await contextNamed(flowName)).toBeUndefined();
  });

  it('refuses to destroy anything when one name is not a managed flow', async () => {
    const parentGroupId = await parent('unknown');
    await applyFlows(nifi, [tinyFlow(`known-${suffix}`)], { parentGroupId });
    await expect(destroyFlows(nifi, [`known-${suffix}`, `missing-${suffix}`], { parentGroupId })).rejects.toMatchObject({ code: 'FLOWS_UNKNOWN_FLOW' });
    const [managed] = await listManagedFlows(nifi, parentGroupId);
    expect(managed?.flow).toBe(`known-${suffix}`);
    expect(readMarker(managed?.group.component?.comments)?.parameterContext?.name).toBe(`known-${suffix}`);
  });
});
