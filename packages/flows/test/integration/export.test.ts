// `flows export` against the real NiFi: a hand-built canvas (services, a parameter context with a
// secret, processors in several states, a funnel holding queued data, a nested group behind a port)
// becomes YAML that plans with no component, property or run-state change; adopting it keeps every
// component (same ids) and the queued data, and plans as no-op afterwards.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { createNifiClient } from '@dataplat/nifi';
import { applyFlows, defineFlow, exportFlow, flowSchema, loadFlowFile, planFlows } from '@dataplat/flows';
import { runFlowsCli } from '../../src/cli/run-flows-cli.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const suffix = Date.now().toString(36);
const contextName = `orders-context-${suffix}`;
let parentGroupId = '';
let workdir = '';

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  const context = await nifi.parameterContexts.findByName(contextName);
  if (context) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  if (workdir) await rm(workdir, { recursive: true, force: true });
  await nifi.close();
});

/** What a person clicks together in the NiFi UI, here through the API. */
async function buildByHand(parent: string, name: string): Promise<string> {
  const context = await nifi.parameterContexts.create({
    name: contextName,
    parameters: [
      { name: 'batch', value: '3' },
      { name: 'api token', value: 'not-exported', sensitive: true },
    ],
  });
  const group = await nifi.processGroups.create(parent, { name, comments: 'Orders, clicked together by hand' });
  await nifi.processGroups.bindParameterContext(group.id, context.id);
  const reader = await nifi.controllerServices.create(group.id, { name: 'reader', type: 'JsonTreeReader' });
  const writer = await nifi.controllerServices.create(group.id, { name: 'writer', type: 'JsonRecordSetWriter' });
  const generate = await nifi.processors.create(group.id, {
    name: 'Generate orders (test)',
    type: 'GenerateFlowFile',
    config: { properties: { 'Batch Size': '#{batch}', 'generate-ff-custom-text': '{"id": 1, "total": 9.5}' }, schedulingPeriod: '1 hour' },
  });
  const validate = await nifi.processors.create(group.id, {
    name: 'validate',
    type: 'ValidateRecord',
    config: { properties: { 'record-reader': reader.id, 'record-writer': writer.id }, autoTerminatedRelationships: ['failure'], penaltyDuration: '5 sec' },
  });
  const tag = await nifi.processors.create(group.id, { name: 'tag', type: 'UpdateAttribute', config: { properties: { 'order.source': 'shop', 'order.batch': '#{batch}' } } });
  const parked = await nifi.funnels.create(group.id, {});
  const archive = await nifi.processGroups.create(group.id, { name: 'archive' });
  const archiveIn = await nifi.inputPorts.create(archive.id, { name: 'in' });
  const log = await nifi.processors.create(archive.id, { name: 'log', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
  const endpoint = (component: { id: string }, groupId: string, type: 'PROCESSOR' | 'FUNNEL' | 'INPUT_PORT') => ({ id: component.id, groupId, type });
  await nifi.connections.create(group.id, { source: endpoint(generate, group.id, 'PROCESSOR'), destination: endpoint(validate, group.id, 'PROCESSOR'), selectedRelationships: ['success'] });
  await nifi.connections.create(group.id, { source: endpoint(validate, group.id, 'PROCESSOR'), destination: endpoint(tag, group.id, 'PROCESSOR'), selectedRelationships: ['valid'] });
  await nifi.connections.create(group.id, { source: endpoint(validate, group.id, 'PROCESSOR'), destination: endpoint(parked, group.id, 'FUNNEL'), selectedRelationships: ['invalid'], backPressureObjectThreshold: 500 });
  await nifi.connections.create(group.id, { source: endpoint(tag, group.id, 'PROCESSOR'), destination: endpoint(archiveIn, archive.id, 'INPUT_PORT'), selectedRelationships: ['success'] });
  await nifi.connections.create(archive.id, { source: endpoint(archiveIn, archive.id, 'INPUT_PORT'), destination: endpoint(log, archive.id, 'PROCESSOR') });

  // Services enabled; everything runs but the generator, which is fired once by hand: its orders wait
  // in the queue in front of the stopped tag processor.
  await nifi.processGroups.enableControllerServices(group.id);
  await nifi.processGroups.start(archive.id);
  await nifi.processors.setRunState(validate.id, 'RUNNING');
  await nifi.processors.setRunState(generate.id, 'RUN_ONCE');
  return group.id;
}

async function queuedInFrontOf(groupId: string, name: string): Promise<number> {
  const flow = await nifi.processGroups.flow(groupId);
  return flow.contents.connections.filter((connection) => connection.component?.destination?.name === name).reduce((total, connection) => total + (connection.status?.aggregateSnapshot?.flowFilesQueued ?? 0), 0);
}

describe('flows export against the real NiFi', () => {
  it('exports a hand-built group that plans without changes and is adopted in place, queues kept', async () => {
    parentGroupId = (await nifi.processGroups.create('root', { name: `flows-export-${suffix}` })).id;
    const name = `Orders (hand-built) ${suffix}`;
    const groupId = await buildByHand(parentGroupId, name);
    const queued = await pollUntil(
      async () => {
        const count = await queuedInFrontOf(groupId, 'tag');
        return count === 3 ? { done: true, value: count } : { done: false, progress: `${count} queued` };
      },
      { timeoutMs: 30_000, description: 'the generated orders to reach the tag queue' },
    );
    expect(queued).toBe(3);
    const idsBefore = (await nifi.processGroups.tree(groupId)).contents.processors.map((processor) => processor.id).sort();

    workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-export-'));
    const stderr = new PassThrough();
    let warnings = '';
    stderr.on('data', (chunk: Buffer) => (warnings += chunk.toString()));
    const exitCode = await runFlowsCli(['export', name, '--parent', parentGroupId, '--out', 'orders.yaml'], { stdout: new PassThrough(), stderr, isTTY: false, cwd: workdir, env: { NIFI_URL: apiUrl } });
    expect(exitCode).toBe(0);
    const yaml = await readFile(join(workdir, 'orders.yaml'), 'utf8');
    expect(yaml).not.toContain('not-exported');
    expect(yaml).toMatch(/record-reader: service:reader/);
    expect(yaml).toContain('fromEnv: API_TOKEN');

    const loaded = loadFlowFile('orders.yaml', yaml);
    expect(loaded.diagnostics).toEqual([]);
    const flow = loaded.flows[0]!;
    expect(flow.processors['Generate orders (test)']).toMatchObject({ state: 'stopped', schedule: { period: '1 hour' } });
    expect(flow.processors['validate']).toMatchObject({ state: 'running', penalty: '5 sec', autoTerminate: ['failure'] });
    expect(flow.groups.map((group) => group.name)).toEqual(['archive']);

    // The only changes: taking ownership, and the secret (NiFi never reveals it, so adoption sets it).
    const options = { parentGroupId, adopt: true, env: { API_TOKEN: 'not-exported' } };
    const { plan } = await planFlows(nifi, loaded.flows, options);
    expect(plan.flows).toEqual([
      expect.objectContaining({ flow: name, action: 'update', components: [], runState: [], parameters: [{ field: 'parameters.api token', before: '(sensitive)', after: '(sensitive)' }], markerChanged: true }),
    ]);

    await applyFlows(nifi, loaded.flows, options);
    const idsAfter = (await nifi.processGroups.tree(groupId)).contents.processors.map((processor) => processor.id).sort();
    expect(idsAfter).toEqual(idsBefore);
    expect(await queuedInFrontOf(groupId, 'tag')).toBe(3);
    const again = await planFlows(nifi, loaded.flows, { parentGroupId, env: options.env });
    expect(again.plan.flows[0]).toMatchObject({ action: 'no-op' });
  });

  it('round-trips a flow it applied: funnel names, the secrets\' variables, and properties as NiFi runs them', async () => {
    const parent = (await nifi.processGroups.create('root', { name: `flows-export-roundtrip-${suffix}` })).id;
    try {
      const name = `roundtrip-${suffix}`;
      const original = defineFlow({
        name,
        parameters: { token: { fromEnv: 'ROUNDTRIP_API_TOKEN', sensitive: true }, batch: { value: '2' } },
        services: { writer: { type: 'JsonRecordSetWriter' }, reader: { type: 'JsonTreeReader' } },
        processors: {
          generate: { type: 'GenerateFlowFile', properties: { 'Batch Size': '#{batch}' }, schedule: { period: '1 hour' }, state: 'stopped' },
          convert: { type: 'ConvertRecord', properties: { 'Record Reader': 'service:reader', 'Record Writer': 'service:writer' }, autoTerminate: ['success'] },
        },
        funnels: ['held'],
        connections: [
          { from: 'generate', to: 'convert', relationships: ['success'] },
          { from: 'convert', to: 'held', relationships: ['failure'] },
        ],
      });
      const env = { ROUNDTRIP_API_TOKEN: 'secret-roundtrip-value' };
      const applied = await applyFlows(nifi, [original], { parentGroupId: parent, env });
      const exported = await exportFlow(nifi, applied.applied[0]!.groupId!);
      expect(exported.yaml).not.toContain('secret-roundtrip-value');
      const flow = flowSchema.parse(exported.flow);
      expect(flow.funnels).toEqual(['held']);
      expect(flow.parameters['token']).toMatchObject({ fromEnv: 'ROUNDTRIP_API_TOKEN', sensitive: true });
      // Observed on NiFi 2.3.0: a JsonRecordSetWriter whose definition omits this property runs with "true"
      // (one created in the UI gets the default, "false"), so the export writes what NiFi really runs with.
      expect(flow.services['writer']?.properties).toEqual({ 'Allow Scientific Notation': 'true' });
      expect(flow.services['reader']?.properties).toEqual({});
      expect(flow.processors['convert']?.properties).toEqual({ 'Record Reader': 'service:reader', 'Record Writer': 'service:writer' });
      const { plan } = await planFlows(nifi, [flow], { parentGroupId: parent, env });
      // Nothing to change in NiFi; only the marker (the file now spells out that property) is rewritten.
      expect(plan.flows).toMatchObject([{ flow: name, components: [], parameters: [], runState: [] }]);
    } finally {
      await nifi.processGroups.delete(parent).catch(() => undefined);
      const context = await nifi.parameterContexts.findByName(`roundtrip-${suffix}`);
      if (context) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
    }
  });
});
