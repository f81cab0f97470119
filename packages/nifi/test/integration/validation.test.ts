// Failing fast on components NiFi won't run, against the real NiFi: the component helpers return NiFi's
// validation errors (a display name used as a key names the real property), and run once and start
// refuse within seconds, naming each invalid component, instead of waiting out their deadline.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient, NifiError } from '@dataplat/nifi';

const nifi = createNifiClient({ baseUrl: inject('stackEndpoints').nifi!.apiUrl });
const createdGroups: string[] = [];

afterAll(async () => {
  for (const id of createdGroups) await nifi.processGroups.delete(id).catch(() => undefined);
  await nifi.close();
});

async function rejection(promise: Promise<unknown>): Promise<NifiError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(NifiError.isInstance(error)).toBe(true);
  return error as NifiError;
}

describe('components NiFi would not run', () => {
  it('are reported by create, and refused by run once and start within seconds, naming NiFi\'s reasons', async () => {
    const group = await nifi.processGroups.create('root', { name: `validation-${Date.now().toString(36)}` });
    createdGroups.push(group.id);
    const generate = await nifi.processors.create(group.id, { name: 'generate', type: 'GenerateFlowFile', config: { schedulingPeriod: '1 hour' } });
    // `Search Value` is ReplaceText's display name of `Regular Expression`: NiFi takes it as an unsupported key.
    const replace = await nifi.processors.create(group.id, {
      name: 'replace',
      type: 'ReplaceText',
      config: { properties: { 'Search Value': 'a', 'Replacement Value': 'b' }, autoTerminatedRelationships: ['success', 'failure'] },
    });
    await nifi.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: replace.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });
    expect((await nifi.processors.get(generate.id)).validation).toEqual({ status: 'VALID', errors: [] });
    expect(replace.validation.status).toBe('INVALID');
    expect(replace.validation.errors).toContainEqual(expect.stringContaining("('Search Value' is the display name of property 'Regular Expression': set 'Regular Expression')"));

    const startedAt = performance.now();
    const runFailure = await rejection(nifi.processGroups.runOnce(group.id, { waitTimeoutMs: 600_000 }));
    const elapsedMs = performance.now() - startedAt;
    expect(runFailure.code).toBe('NIFI_INVALID_COMPONENT');
    expect(runFailure.invalidComponents?.map((component) => `${component.kind} ${component.name}`)).toEqual(['processor replace']);
    expect(runFailure.message).toContain("processor \"replace\"");
    expect(runFailure.message).toContain("'Search Value' is the display name of property 'Regular Expression'");
    // Refused before its 10-minute deadline — and before anything was triggered or started.
    expect(elapsedMs).toBeLessThan(10_000);
    expect((await nifi.processGroups.status(group.id)).flowFilesQueued ?? 0).toBe(0);
    expect((await nifi.processors.get(generate.id)).component.state).toBe('STOPPED');

    const startFailure = await rejection(nifi.processGroups.start(group.id));
    expect(startFailure.code).toBe('NIFI_INVALID_COMPONENT');
    expect(startFailure.invalidComponents?.map((component) => component.name)).toEqual(['replace']);
    expect((await nifi.processors.get(generate.id)).component.state).toBe('STOPPED');

    // Fixed under its real name, the same group runs once.
    // null removes a property in NiFi's API (its OpenAPI spec types values as strings only).
    const properties = { 'Search Value': null, 'Regular Expression': 'a' } as unknown as Record<string, string>;
    const fixed = await nifi.processors.update(replace.id, { config: { properties } });
    expect(fixed.validation.errors).toEqual([]);
    expect(await nifi.processGroups.invalidComponents(group.id)).toEqual([]);
    const report = await nifi.processGroups.runOnce(group.id, { settleMs: 500 });
    expect(report.processors.find((processor) => processor.name === 'replace')?.flowFilesIn).toBe(1);
  });

  it('counts the ports of nested groups and controller services, not the group\'s own ports', async () => {
    const group = await nifi.processGroups.create('root', { name: `validation-nested-${Date.now().toString(36)}` });
    createdGroups.push(group.id);
    // The group's own output port waits for a connection from outside: NiFi calls it invalid, but it isn't run here.
    await nifi.outputPorts.create(group.id, { name: 'out' });
    const child = await nifi.processGroups.create(group.id, { name: 'child' });
    const dangling = await nifi.outputPorts.create(child.id, { name: 'dangling' });
    const pool = await nifi.controllerServices.create(group.id, { name: 'pool', type: 'DBCPConnectionPool' });
    expect(pool.validation.status).toBe('INVALID');
    const invalid = await nifi.processGroups.invalidComponents(group.id);
    expect(invalid.map((component) => `${component.kind} ${component.name}`).sort()).toEqual(['controller service pool', 'output port dangling']);
    expect(invalid.find((component) => component.id === dangling.id)?.groupId).toBe(child.id);
  });

  it('lets start run a group whose own port waits for a connection and whose unused service is disabled and invalid', async () => {
    const group = await nifi.processGroups.create('root', { name: `validation-start-${Date.now().toString(36)}` });
    createdGroups.push(group.id);
    await nifi.outputPorts.create(group.id, { name: 'out' });
    await nifi.controllerServices.create(group.id, { name: 'unused pool', type: 'DBCPConnectionPool' });
    const generate = await nifi.processors.create(group.id, { name: 'generate', type: 'GenerateFlowFile', config: { schedulingPeriod: '1 hour' } });
    const tag = await nifi.processors.create(group.id, { name: 'tag', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
    await nifi.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: tag.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });
    // NiFi doesn't enable services on start, and no processor needs this one: it doesn't hold the start up.
    await nifi.processGroups.start(group.id);
    expect((await nifi.processors.get(generate.id)).component.state).toBe('RUNNING');
    expect((await nifi.processors.get(tag.id)).component.state).toBe('RUNNING');
    await nifi.processGroups.stop(group.id);
  });
});
