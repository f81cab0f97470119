// The core cases of @dataplat/nifi, run against the standalone NiFi (test/integration/nifi-client.test.ts, over HTTP
// and HTTPS) and against the 3-node cluster (test/cluster/nifi-cluster.test.ts): one definition, two targets.
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, NifiError, type NifiClient } from '@dataplat/nifi';

export const unique = () => `it-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

/**
 * Every helper's core cases against one NiFi: the standalone one (over HTTP and HTTPS) and a node of the 3-node cluster.
 * `nodeCount` is how many nodes run each processor (a source with executionNode ALL fires on every node), so counts scale with it.
 */
export function describeClientCases(name: string, target: { create(): Promise<NifiClient>; nodeCount: number }) {
  describe(name, () => {
    defineCases(target);
  });
}

function defineCases(mode: { create(): Promise<NifiClient>; nodeCount: number }) {
  const nodes = mode.nodeCount;
  let nifi: NifiClient;
  const createdGroups: string[] = [];

  beforeAll(async () => {
    nifi = await mode.create();
  });
  afterEach(async () => {
    // Clean up whatever a test left behind, with the client's own safe delete.
    for (const id of createdGroups.splice(0)) {
      await nifi.processGroups.delete(id).catch((error: unknown) => {
        if (!(HttpError.isInstance(error) && error.status === 404)) throw error;
      });
    }
  });
  afterAll(() => nifi.close());

  async function newGroup(parentGroupId = 'root') {
    const group = await nifi.processGroups.create(parentGroupId, { name: unique() });
    if (parentGroupId === 'root') createdGroups.push(group.id);
    return group;
  }

  it('builds a flow, runs it once, inspects the report and deletes it', async () => {
    const group = await newGroup();
    const generate = await nifi.processors.create(group.id, {
      name: 'generate',
      type: 'GenerateFlowFile',
      config: { properties: { 'File Size': '100B', 'Batch Size': '5' }, schedulingPeriod: '1 min' },
    });
    const tag = await nifi.processors.create(group.id, {
      name: 'tag',
      type: 'UpdateAttribute',
      config: { properties: { batch: 'nightly' }, autoTerminatedRelationships: ['success'] },
    });
    expect(generate.component.type).toBe('org.apache.nifi.processors.standard.GenerateFlowFile');
    expect(generate.component.bundle?.artifact).toBe('nifi-standard-nar');
    await nifi.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: tag.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });

    const report = await nifi.processGroups.runOnce(group.id);
    expect(report.sources).toEqual(['generate']);
    // Aggregated across nodes: each node's GenerateFlowFile ran once.
    expect(report.flowFilesIn).toBe(5 * nodes);
    expect(report.bytesIn).toBe(500 * nodes);
    expect(report.processors.find((processor) => processor.name === 'generate')).toMatchObject({ flowFilesOut: 5 * nodes, bytesWritten: 500 * nodes, tasks: nodes });
    // Auto-terminated flowfiles leave no "out" count: they are processed, not passed on.
    expect(report.processors.find((processor) => processor.name === 'tag')).toMatchObject({ flowFilesIn: 5 * nodes, flowFilesOut: 0 });
    expect(report.lostNodes).toEqual([]);
    expect(report.flowFilesOut).toBe(0);
    expect(report.bulletins).toEqual([]);
    expect(report.durationMs).toBeGreaterThan(0);

    // Drained and stopped afterwards.
    const status = await nifi.processGroups.status(group.id);
    expect(status.flowFilesQueued).toBe(0);
    const tree = await nifi.processGroups.tree(group.id);
    expect(tree.contents.processors.map((processor) => processor.component.state).sort()).toEqual(['STOPPED', 'STOPPED']);
    expect(tree.contents.connections).toHaveLength(1);

    const result = await nifi.processGroups.delete(group.id);
    expect(result.dropped.droppedCount).toBe(0);
    await expect(nifi.processGroups.get(group.id)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('runs the sources for a bounded time instead of once', async () => {
    const group = await newGroup();
    const generate = await nifi.processors.create(group.id, {
      name: 'tick',
      type: 'GenerateFlowFile',
      config: { properties: { 'Batch Size': '1' }, schedulingPeriod: '200 ms' },
    });
    const sink = await nifi.processors.create(group.id, { name: 'sink', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
    await nifi.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: sink.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });
    const report = await nifi.processGroups.runOnce(group.id, { mode: { forMs: 2000 }, settleMs: 500 });
    // Every 200 ms for 2 s: about ten flowfiles, all processed by the sink, none left queued.
    expect(report.flowFilesIn).toBeGreaterThanOrEqual(5 * nodes);
    expect(report.flowFilesIn).toBeLessThanOrEqual(15 * nodes);
    expect(report.processors.find((processor) => processor.name === 'sink')?.flowFilesIn).toBe(report.flowFilesIn);
    expect((await nifi.processGroups.status(group.id)).flowFilesQueued).toBe(0);
    expect((await nifi.processors.get(generate.id)).component.state).toBe('STOPPED');
  });

  it('reports bulletins raised during a run and counts flowfiles sent out of the group', async () => {
    const group = await newGroup();
    const generate = await nifi.processors.create(group.id, {
      name: 'generate',
      type: 'GenerateFlowFile',
      config: { properties: { 'Batch Size': '2' }, schedulingPeriod: '1 min' },
    });
    // Nothing listens on port 9 of loopback: every call fails, is routed to Failure and raises a bulletin.
    const call = await nifi.processors.create(group.id, {
      name: 'call-closed-port',
      type: 'InvokeHTTP',
      config: {
        properties: { 'HTTP Method': 'GET', 'HTTP URL': 'http://127.0.0.1:9/unreachable' },
        autoTerminatedRelationships: ['Original', 'Failure', 'Retry', 'No Retry', 'Response'],
      },
    });
    await nifi.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: call.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });
    const report = await nifi.processGroups.runOnce(group.id);
    expect(report.flowFilesIn).toBe(2 * nodes);
    expect(report.bulletins.length).toBeGreaterThan(0);
    expect(report.bulletins[0]).toMatchObject({ sourceName: 'call-closed-port' });
    const bulletins = await nifi.bulletins({ sourceId: call.id });
    expect(bulletins.length).toBeGreaterThan(0);
  });

  it('handles revisions: reports a concurrent edit as NIFI_STALE_REVISION and a wrong state as NIFI_CONFLICT', async () => {
    const group = await newGroup();
    const read = await nifi.processors.create(group.id, {
      name: 'original',
      type: 'GenerateFlowFile',
      config: { schedulingPeriod: '1 hour', autoTerminatedRelationships: ['success'] },
    });
    // Someone else edits the processor after we read it...
    // A second client has its own client id, like a colleague's script or the NiFi UI.
    const other = await mode.create();
    await other.processors.update(read.id, { name: 'changed elsewhere' });
    // ...so our update based on the old revision is refused, not silently applied.
    const stale = await nifi.processors.update(read, { name: 'ours' }).catch((error: unknown) => error);
    expect(HttpError.isInstance(stale)).toBe(true);
    // A cluster reports it as the coordinator's 409 "Node … is unable to fulfill this request due to: … revision …".
    expect(stale).toMatchObject({ code: 'NIFI_STALE_REVISION', status: nodes > 1 ? 409 : 400, method: 'PUT' });
    await other.close();

    // By id, the helper applies the change to the current revision.
    const renamed = await nifi.processors.update(read.id, { name: 'ours' });
    expect(renamed.component.name).toBe('ours');
    expect(renamed.revision.version).toBeGreaterThan(read.revision.version);

    await nifi.processors.setRunState(read.id, 'RUNNING');
    const conflict = await nifi.processors.delete(read.id).catch((error: unknown) => error);
    expect(conflict).toMatchObject({ code: 'NIFI_CONFLICT', status: 409 });
    await nifi.processors.setRunState(read.id, 'STOPPED');
    await nifi.processGroups.stop(group.id);
    await nifi.processors.delete(read.id);
    await expect(nifi.processors.get(read.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('creates, updates and deletes ports, funnels, labels and nested groups', async () => {
    const group = await newGroup();
    const child = await nifi.processGroups.create(group.id, { name: 'child', position: { x: 400, y: 0 } });
    const input = await nifi.inputPorts.create(child.id, { name: 'in' });
    const output = await nifi.outputPorts.create(child.id, { name: 'out' });
    const funnel = await nifi.funnels.create(group.id, {});
    const label = await nifi.labels.create(group.id, { label: 'Owned by dataplat tests', width: 200, height: 50 });
    await nifi.connections.create(child.id, {
      source: { id: input.id, groupId: child.id, type: 'INPUT_PORT' },
      destination: { id: output.id, groupId: child.id, type: 'OUTPUT_PORT' },
    });
    const outward = await nifi.connections.create(group.id, {
      source: { id: output.id, groupId: child.id, type: 'OUTPUT_PORT' },
      destination: { id: funnel.id, groupId: group.id, type: 'FUNNEL' },
    });
    const updatedLabel = await nifi.labels.update(label, { label: 'Renamed' });
    expect(updatedLabel.component.label).toBe('Renamed');
    expect((await nifi.inputPorts.update(input.id, { name: 'input' })).component.name).toBe('input');

    const tree = await nifi.processGroups.tree(group.id);
    expect(tree.children.map((entry) => entry.name)).toEqual(['child']);
    expect(tree.children[0]!.contents.inputPorts.map((port) => port.component.name)).toEqual(['input']);
    expect(tree.contents.funnels).toHaveLength(1);
    expect(tree.contents.labels).toHaveLength(1);

    // A group wired to the outside is not deleted, and nothing about it is changed.
    const refused = await nifi.processGroups.delete(child.id).catch((error: unknown) => error);
    expect(NifiError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'NIFI_GROUP_CONNECTED' });
    expect((await nifi.processGroups.get(child.id)).id).toBe(child.id);

    await nifi.connections.delete(outward.id);
    await nifi.funnels.delete(funnel.id);
    await nifi.labels.delete(updatedLabel);
    await nifi.processGroups.delete(child.id);
    expect((await nifi.processGroups.tree(group.id)).children).toEqual([]);
  });

  it('finds groups by exact name only', async () => {
    const parent = await newGroup();
    const name = unique();
    const exact = await nifi.processGroups.create(parent.id, { name });
    await nifi.processGroups.create(parent.id, { name: `${name}-suffix` });
    expect((await nifi.processGroups.findByName(name))?.id).toBe(exact.id);
    expect((await nifi.processGroups.findByName(name, { parentGroupId: parent.id }))?.id).toBe(exact.id);
    expect(await nifi.processGroups.findByName(name.slice(0, -1))).toBeUndefined();
    await nifi.processGroups.create(parent.id, { name });
    await expect(nifi.processGroups.findByName(name, { parentGroupId: parent.id })).rejects.toMatchObject({ code: 'NIFI_NOT_UNIQUE' });
  });

  it('enables and disables controller services and explains why an invalid one cannot be enabled', async () => {
    const group = await newGroup();
    const reader = await nifi.controllerServices.create(group.id, { name: 'json-reader', type: 'JsonTreeReader' });
    expect(reader.component.type).toBe('org.apache.nifi.json.JsonTreeReader');
    await nifi.controllerServices.enable(reader.id);
    expect((await nifi.controllerServices.get(reader.id)).component.state).toBe('ENABLED');
    await nifi.controllerServices.disable(reader.id);
    expect((await nifi.controllerServices.get(reader.id)).component.state).toBe('DISABLED');

    await nifi.processGroups.enableControllerServices(group.id);
    expect((await nifi.processGroups.controllerServices(group.id)).map((service) => service.component.state)).toEqual(['ENABLED']);
    await nifi.processGroups.disableControllerServices(group.id);

    // A connection pool without a database URL is invalid: the error names it and the reason.
    const pool = await nifi.controllerServices.create(group.id, { name: 'pool-without-url', type: 'DBCPConnectionPool' });
    const error = await nifi.processGroups.enableControllerServices(group.id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NIFI_SERVICES_NOT_ENABLED' });
    expect((error as Error).message).toContain('pool-without-url');
    await nifi.controllerServices.delete(pool.id);
    await nifi.controllerServices.delete(reader.id);
  });

  it('waits until idle, empties queues and deletes a running group with queued data and enabled services', async () => {
    const group = await newGroup();
    const generate = await nifi.processors.create(group.id, {
      name: 'generate',
      type: 'GenerateFlowFile',
      config: { properties: { 'Batch Size': '10' }, schedulingPeriod: '1 min' },
    });
    const sink = await nifi.processors.create(group.id, { name: 'sink', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
    const connection = await nifi.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: sink.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });
    await nifi.controllerServices.create(group.id, { name: 'reader', type: 'JsonTreeReader' });
    await nifi.processGroups.enableControllerServices(group.id);

    // Only the source runs: its output queues up in front of the stopped sink.
    await nifi.processors.setRunState(generate.id, 'RUN_ONCE');
    await waitForQueued(group.id, 10 * nodes);
    const idleError = await nifi.processGroups.waitUntilIdle(group.id, { waitTimeoutMs: 1500 }).catch((caught: unknown) => caught);
    expect(idleError).toMatchObject({ code: 'TIMEOUT' });
    expect((idleError as Error).message).toContain(`${10 * nodes} queued`);
    expect(await nifi.connections.emptyQueue(connection.id)).toMatchObject({ droppedCount: 10 * nodes });

    // Everything running: the source fires once (1 min schedule), the sink drains it, the group goes idle.
    await nifi.processGroups.start(group.id);
    const idle = await nifi.processGroups.waitUntilIdle(group.id, { settleMs: 500 });
    expect(idle.flowFilesQueued).toBe(0);

    // Now leave it running with data queued in front of a stopped sink and an enabled service: delete copes.
    await nifi.processors.setRunState(sink.id, 'STOPPED');
    await nifi.processors.setRunState(generate.id, 'STOPPED');
    await nifi.processors.setRunState(generate.id, 'RUNNING');
    await waitForQueued(group.id, 10);
    const result = await nifi.processGroups.delete(group.id);
    expect(result.dropped.droppedCount).toBeGreaterThanOrEqual(10);
    await expect(nifi.processGroups.get(group.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  async function waitForQueued(groupId: string, count: number) {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (((await nifi.processGroups.status(groupId)).flowFilesQueued ?? 0) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${count} flowfiles never got queued in ${groupId}`);
  }

  it('downloads a flow definition, uploads it as a new group and replaces a group in place', async () => {
    const group = await newGroup();
    const tag = await nifi.processors.create(group.id, {
      name: 'tag',
      type: 'UpdateAttribute',
      config: { properties: { stage: 'one' }, autoTerminatedRelationships: ['success'] },
    });
    const definition = await nifi.processGroups.download(group.id);
    expect(definition.flowContents?.processors?.map((processor) => processor.name)).toEqual(['tag']);

    const copy = await nifi.processGroups.upload('root', definition, { name: `${group.component.name}-copy`, position: { x: 0, y: 300 } });
    createdGroups.push(copy.id);
    const copyTree = await nifi.processGroups.tree(copy.id);
    expect(copyTree.name).toBe(`${group.component.name}-copy`);
    expect(copyTree.contents.processors.map((processor) => processor.component.config?.properties?.['stage'])).toEqual(['one']);

    // Same identifiers, changed property: NiFi updates the existing processor in place.
    const changed = structuredClone(definition);
    changed.flowContents!.processors![0]!.properties = { ...changed.flowContents!.processors![0]!.properties, stage: 'two' };
    await nifi.processGroups.replace(group.id, changed, { timeoutMs: 60_000 });
    const after = await nifi.processors.get(tag.id);
    expect(after.component.config?.properties?.['stage']).toBe('two');
  });

  it('gives up waiting for a replace request when aborted, and removes the request from NiFi', async () => {
    const group = await newGroup();
    const definition = await nifi.processGroups.download(group.id);
    const controller = new AbortController();
    controller.abort(new Error('deploy cancelled'));
    await expect(nifi.processGroups.replace(group.id, definition, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    // The group is still usable: no replace request is left holding it.
    await nifi.processGroups.replace(group.id, definition);
  });

  it('manages parameter contexts with sensitive values and inheritance through update requests', async () => {
    const group = await newGroup();
    const base = await nifi.parameterContexts.create({ name: unique(), parameters: [{ name: 'greeting', value: 'hello' }] });
    const secretValue = `s3cr3t-${Math.random().toString(36).slice(2)}`;
    const child = await nifi.parameterContexts.create({
      name: unique(),
      description: 'inherits greeting',
      parameters: [{ name: 'password', value: secretValue, sensitive: true }],
      inheritedParameterContextIds: [base.id],
    });
    expect((await nifi.parameterContexts.findByName(child.component.name!))?.id).toBe(child.id);
    await nifi.processGroups.bindParameterContext(group.id, child.id);
    const tag = await nifi.processors.create(group.id, {
      name: 'tag',
      type: 'GenerateFlowFile',
      config: { properties: { 'generate-ff-custom-text': '#{greeting}' }, schedulingPeriod: '1 hour', autoTerminatedRelationships: ['success'] },
    });
    await nifi.processors.setRunState(tag.id, 'RUNNING');

    // Changing a parameter used by a running processor goes through an update request that restarts it.
    await nifi.parameterContexts.update(base.id, { set: [{ name: 'greeting', value: 'bonjour' }, { name: 'extra', value: '1' }] });
    const updated = await nifi.parameterContexts.update(child.id, { set: [{ name: 'password', value: `${secretValue}-2`, sensitive: true }] });
    const readBack = JSON.stringify(updated);
    expect(readBack).not.toContain(secretValue);
    const password = updated.component.parameters?.find((entry) => entry.parameter?.name === 'password')?.parameter;
    expect(password).toMatchObject({ sensitive: true, value: '********' });
    expect((await nifi.processors.get(tag.id)).component.state).toBe('RUNNING');
    const baseParameters = (await nifi.parameterContexts.get(base.id)).component.parameters?.map((entry) => [entry.parameter?.name, entry.parameter?.value]);
    expect(baseParameters?.sort()).toEqual([
      ['extra', '1'],
      ['greeting', 'bonjour'],
    ]);

    await nifi.parameterContexts.update(base.id, { remove: ['extra'] });
    expect((await nifi.parameterContexts.get(base.id)).component.parameters?.map((entry) => entry.parameter?.name)).toEqual(['greeting']);
    await expect(nifi.parameterContexts.update(base.id, { remove: ['missing'] })).rejects.toMatchObject({ code: 'NIFI_CONFLICT' });

    // The base cannot go while the child inherits from it.
    await expect(nifi.parameterContexts.delete(base.id)).rejects.toMatchObject({ code: 'NIFI_CONFLICT' });
    await nifi.processGroups.delete(group.id);
    createdGroups.length = 0;
    await nifi.parameterContexts.delete(child.id);
    await nifi.parameterContexts.delete(base.id);
    expect(await nifi.parameterContexts.findByName(base.component.name!)).toBeUndefined();
  });

  it('reads and clears processor state and finds the run in provenance', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dataplat-listfile-'));
    try {
      // ListFile holds back files modified in the last moments; make them an hour old.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      for (const name of ['a.txt', 'b.txt']) {
        await writeFile(join(directory, name), name);
        await utimes(join(directory, name), anHourAgo, anHourAgo);
      }
      const group = await newGroup();
      const list = await nifi.processors.create(group.id, {
        name: 'list',
        type: 'ListFile',
        config: { properties: { 'Input Directory': directory }, schedulingPeriod: '1 min' },
      });
      const tag = await nifi.processors.create(group.id, { name: 'tag', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
      await nifi.connections.create(group.id, {
        source: { id: list.id, groupId: group.id, type: 'PROCESSOR' },
        destination: { id: tag.id, groupId: group.id, type: 'PROCESSOR' },
        selectedRelationships: ['success'],
      });
      // Each node lists the folder itself (ListFile on every node; primary-only is the cluster's way to list once).
      const report = await nifi.processGroups.runOnce(group.id);
      expect(report.flowFilesIn).toBe(2 * nodes);

      const state = await nifi.processors.state(list.id);
      expect(state.localState?.state?.length ?? 0).toBeGreaterThan(0);
      await nifi.processors.clearState(list.id);
      expect((await nifi.processors.state(list.id)).localState?.state ?? []).toEqual([]);

      // Provenance is indexed asynchronously: look until both CREATE events are searchable.
      let events: Awaited<ReturnType<NifiClient['provenance']['search']>> = [];
      for (let attempt = 0; attempt < 30 && events.length < 2 * nodes; attempt++) {
        events = await nifi.provenance.search({ componentId: list.id, startDate: new Date(report.startedAt.getTime() - 60_000) });
        if (events.length < 2 * nodes) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(events.map((event) => event.eventType)).toEqual(Array(2 * nodes).fill('CREATE'));
      expect(events.map((event) => event.attributes?.find((attribute) => attribute.name === 'filename')?.value).sort()).toEqual(
        Array.from({ length: nodes }, () => ['a.txt', 'b.txt']).flat().sort(),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reads types, descriptors, system diagnostics, cluster summary and the typed raw API', async () => {
    const types = await nifi.extensions.processorTypes();
    expect(types.length).toBeGreaterThan(100);
    await expect(nifi.extensions.resolveType('processor', 'NoSuchProcessor')).rejects.toMatchObject({ code: 'NIFI_NOT_UNIQUE' });
    const group = await newGroup();
    const generate = await nifi.processors.create(group.id, { name: 'generate', type: 'GenerateFlowFile' });
    const lonely = await nifi.processors.create(group.id, { name: 'lonely', type: 'UpdateAttribute' });
    await expect(nifi.processors.setRunState(lonely.id, 'RUNNING')).rejects.toMatchObject({ code: 'NIFI_INVALID_COMPONENT' });
    await expect(nifi.processGroups.start(group.id)).rejects.toMatchObject({ code: 'NIFI_INVALID_COMPONENT' });
    await nifi.processGroups.stop(group.id);
    const descriptors = await nifi.processors.descriptors(generate.id);
    expect(descriptors['File Size']).toMatchObject({ required: true, defaultValue: '0B' });

    const diagnostics = await nifi.system.diagnostics();
    expect(diagnostics.aggregateSnapshot?.availableProcessors).toBeGreaterThan(0);
    expect(await nifi.system.clusterSummary()).toMatchObject({ clustered: nodes > 1 });
    expect(await nifi.system.about()).toMatchObject({ title: 'NiFi', version: '2.3.0' });

    const raw = await nifi.api.get('/flow/process-groups/{id}/status', { path: { id: group.id }, query: { recursive: false } });
    expect(raw.processGroupStatus?.id).toBe(group.id);
    const clientId = await nifi.api.get('/flow/client-id');
    expect(typeof clientId).toBe('string');
  });
}
