// `flows export` of a hand-built canvas whose groups share configuration, against the real NiFi: two groups, each
// with its own context inheriting `db` (which inherits `defaults` in turn) and a ConvertRecord using the JSON reader
// and writer of their parent group, export to two flow files (`inherits:`, `service:<name>`) plus one shared file
// (`parameterContexts:`, `parent: services:`); plan --adopt shows no component change, apply --adopt takes the
// contexts, services and groups over in place (same ids), and the next plan has nothing to do. A group with a reader
// of its own named like the parent's exports it as the group's, and only the parent services it really uses.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { applyFlows, loadFlowFile, planFlows } from '@dataplat/flows';
import { loadFlowFiles } from '../../src/cli/load-files.ts';
import { runFlowsCli } from '../../src/cli/run-flows-cli.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const suffix = Date.now().toString(36);
const names = { defaults: `defaults-${suffix}`, db: `db-${suffix}`, orders: `orders-${suffix}`, returns: `returns-${suffix}`, analytics: `analytics-${suffix}`, audit: `audit-${suffix}`, shadow: `shadow-${suffix}` };
let parentGroupId = '';
let workdir = '';
/** The JSON reader and writer made by hand in the parent group, shared by both groups' ConvertRecord. */
const parentServices = { reader: '', writer: '' };

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  // Inheriting contexts first: NiFi refuses to delete a context another one inherits.
  for (const name of [names.orders, names.returns, names.audit, names.db, names.defaults, names.analytics]) {
    const context = await nifi.parameterContexts.findByName(name);
    if (context) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  }
  if (workdir) await rm(workdir, { recursive: true, force: true });
  await nifi.close();
});

/** A group with its own context (inheriting `db`) and a processor reading an inherited and an own parameter. */
async function groupByHand(name: string, dbContextId: string): Promise<string> {
  const own = await nifi.parameterContexts.create({ name, parameters: [{ name: 'table', value: `shop.${name.split('-')[0]}` }], inheritedParameterContextIds: [dbContextId] });
  const group = await nifi.processGroups.create(parentGroupId, { name });
  await nifi.processGroups.bindParameterContext(group.id, own.id);
  await nifi.processors.create(group.id, {
    name: 'tag',
    type: 'UpdateAttribute',
    config: { properties: { 'db.url': '#{jdbc_url}', 'db.table': '#{table}', 'db.fetch': '#{fetch_size}' }, autoTerminatedRelationships: ['success'] },
  });
  // The parent's services, by id as the UI sets them; it stays stopped (a canvas's state is exported as it is).
  await nifi.processors.create(group.id, {
    name: 'convert',
    type: 'ConvertRecord',
    config: { properties: { 'Record Reader': parentServices.reader, 'Record Writer': parentServices.writer }, autoTerminatedRelationships: ['success', 'failure'] },
  });
  return group.id;
}

async function exportGroup(name: string, expectedExit = 0, sharedOut = 'shared.yaml'): Promise<string> {
  const stderr = new PassThrough();
  let errors = '';
  stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exitCode = await runFlowsCli(['export', name, '--parent', parentGroupId, '--out', `${name}.yaml`, '--shared-out', sharedOut], {
    stdout: new PassThrough(),
    stderr,
    isTTY: false,
    cwd: workdir,
    env: { NIFI_URL: apiUrl },
  });
  expect(exitCode, errors).toBe(expectedExit);
  return errors;
}

describe('flows export of groups that inherit shared parameter contexts', () => {
  it('writes the shared contexts once with inherits:, and plan --adopt shows no component change', async () => {
    parentGroupId = (await nifi.processGroups.create('root', { name: `flows-export-shared-${suffix}` })).id;
    const defaults = await nifi.parameterContexts.create({ name: names.defaults, description: 'Defaults of every database flow', parameters: [{ name: 'fetch_size', value: '500' }] });
    const db = await nifi.parameterContexts.create({
      name: names.db,
      description: "The shop's database",
      parameters: [
        { name: 'jdbc_url', value: 'jdbc:postgresql://db.internal:5432/shop' },
        { name: 'db_password', value: 'not-exported', sensitive: true },
      ],
      inheritedParameterContextIds: [defaults.id],
    });
    const reader = await nifi.controllerServices.create(parentGroupId, { name: 'json-in', type: 'JsonTreeReader' });
    const writer = await nifi.controllerServices.create(parentGroupId, { name: 'json-out', type: 'JsonRecordSetWriter', properties: { 'Pretty Print JSON': 'true' } } as never);
    Object.assign(parentServices, { reader: reader.id, writer: writer.id });
    for (const service of [reader, writer]) await nifi.controllerServices.enable(service.id);
    const groupIds = [await groupByHand(names.orders, db.id), await groupByHand(names.returns, db.id)];

    workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-export-shared-'));
    await exportGroup(names.orders);
    await exportGroup(names.returns);
    const shared = await readFile(join(workdir, 'shared.yaml'), 'utf8');
    expect(shared).not.toContain('not-exported');
    const contexts = loadFlowFile('shared.yaml', shared);
    expect(contexts.diagnostics).toEqual([]);
    const ordersYaml = await readFile(join(workdir, `${names.orders}.yaml`), 'utf8');
    const orders = loadFlowFile(`${names.orders}.yaml`, ordersYaml);
    expect(orders.flows[0]).toMatchObject({ name: names.orders, inherits: [names.db], parameters: { table: { value: 'shop.orders' } } });
    // Only the group's own parameters are the flow's: the inherited ones live in the shared contexts.
    expect(Object.keys(orders.flows[0]!.parameters)).toEqual(['table']);
    const returns = loadFlowFile(`${names.returns}.yaml`, await readFile(join(workdir, `${names.returns}.yaml`), 'utf8'));
    expect(returns.flows[0]).toMatchObject({ inherits: [names.db] });

    expect(orders.flows[0]!.processors["convert"]).toMatchObject({ type: 'ConvertRecord', state: 'stopped', properties: { 'Record Reader': 'service:json-in', 'Record Writer': 'service:json-out' } });
    expect(contexts.parent?.services.map(({ name, type, properties }) => ({ name, type, properties }))).toEqual([
      { name: 'json-in', type: 'JsonTreeReader', properties: {} },
      { name: 'json-out', type: 'JsonRecordSetWriter', properties: { 'Pretty Print JSON': 'true' } },
    ]);
    const project = await loadFlowFiles([workdir], workdir);
    if ('missing' in project) throw new Error(project.missing);
    expect(project.diagnostics).toEqual([]);

    const flows = [...orders.flows, ...returns.flows];
    const sharedContexts = contexts.parameterContexts.map((placed) => placed.context);
    expect(sharedContexts.map((context) => context.name).sort()).toEqual([names.db, names.defaults].sort());
    expect(sharedContexts.find((context) => context.name === names.db)).toMatchObject({
      description: "The shop's database",
      inherits: [names.defaults],
      parameters: { jdbc_url: { value: 'jdbc:postgresql://db.internal:5432/shop' }, db_password: { fromEnv: 'DB_PASSWORD', sensitive: true } },
    });

    const env = { DB_PASSWORD: 'not-exported' };
    // A project of this run's own: shared contexts are NiFi-wide, and other tests' (examples-db) would show as kept.
    const options = { parentGroupId, adopt: true, env, parameterContexts: sharedContexts, parent: project.parent, project: `export-${suffix}` };
    const { plan } = await planFlows(nifi, flows, options);
    for (const flowPlan of plan.flows) expect(flowPlan, flowPlan.flow).toMatchObject({ action: 'update', components: [], runState: [], parameters: [], markerChanged: true });
    // The shared contexts are taken over: their marker, and the secret (NiFi never reveals it, so adoption sets it); no value changes.
    expect(plan.parameterContexts?.map(({ context, action, changes }) => ({ context, action, changes }))).toEqual([
      { context: names.defaults, action: 'update', changes: [] },
      { context: names.db, action: 'update', changes: [{ field: 'parameters.db_password', before: '(sensitive)', after: '(sensitive)' }] },
    ]);
    // The parent's services are taken over too: their marker (comments) is all that changes, no property or state.
    expect(plan.sharedServices?.map((servicePlan) => ({ service: servicePlan.service, action: servicePlan.action, fields: servicePlan.changes.map((change) => change.field) }))).toEqual([
      { service: 'json-in', action: 'update', fields: ['comments'] },
      { service: 'json-out', action: 'update', fields: ['comments'] },
    ]);

    await applyFlows(nifi, flows, options);
    const afterIds = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups.map((group) => group.id).sort();
    expect(afterIds).toEqual([...groupIds].sort());
    for (const service of [parentServices.reader, parentServices.writer]) expect((await nifi.controllerServices.get(service)).component.state).toBe('ENABLED');
    const again = await planFlows(nifi, flows, { ...options, adopt: false });
    expect(again.plan.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op', 'no-op']);
  });

  it('adds another group\'s contexts to the shared file, and refuses one it declares differently', async () => {
    const analytics = await nifi.parameterContexts.create({ name: names.analytics, parameters: [{ name: 'warehouse', value: 'iceberg' }] });
    const own = await nifi.parameterContexts.create({ name: names.audit, parameters: [], inheritedParameterContextIds: [analytics.id] });
    const audit = await nifi.processGroups.create(parentGroupId, { name: names.audit });
    await nifi.processGroups.bindParameterContext(audit.id, own.id);
    await exportGroup(names.audit);
    const merged = loadFlowFile('shared.yaml', await readFile(join(workdir, 'shared.yaml'), 'utf8'));
    expect(merged.diagnostics).toEqual([]);
    expect(merged.parameterContexts.map((placed) => placed.context.name).sort()).toEqual([names.analytics, names.db, names.defaults].sort());
    expect(merged.parent?.services.map((service) => service.name)).toEqual(['json-in', 'json-out']);

    // The file says db holds another URL than NiFi's: exporting a group that inherits db refuses, writing nothing.
    const edited = (await readFile(join(workdir, 'shared.yaml'), 'utf8')).replace('jdbc:postgresql://db.internal:5432/shop', 'jdbc:postgresql://elsewhere:5432/shop');
    await writeFile(join(workdir, 'shared.yaml'), edited);
    expect(await exportGroup(names.returns, 1)).toContain(`shared.yaml already declares the parameter context "${names.db}" differently`);
    expect(await readFile(join(workdir, 'shared.yaml'), 'utf8')).toBe(edited);
  });

  it('exports a group\'s own reader named like the parent\'s as the group\'s: the parent one is not listed, and plan --adopt changes nothing', async () => {
    const group = await nifi.processGroups.create(parentGroupId, { name: names.shadow });
    const ownReader = await nifi.controllerServices.create(group.id, { name: 'json-in', type: 'JsonTreeReader' });
    await nifi.controllerServices.enable(ownReader.id);
    await nifi.processors.create(group.id, {
      name: 'convert',
      type: 'ConvertRecord',
      config: { properties: { 'Record Reader': ownReader.id, 'Record Writer': parentServices.writer }, autoTerminatedRelationships: ['success', 'failure'] },
    });
    expect(await exportGroup(names.shadow, 0, 'shadow-shared.yaml')).not.toContain('json-in');
    // The flow and its shared file check out together: json-out resolves to the parent's, json-in to the group's own.
    const project = await loadFlowFiles([`${names.shadow}.yaml`, 'shadow-shared.yaml'], workdir);
    if ('missing' in project) throw new Error(project.missing);
    expect(project.diagnostics).toEqual([]);
    const [shadow] = project.flows;
    expect(Object.keys(shadow!.services)).toEqual(['json-in']);
    expect(shadow!.processors['convert']).toMatchObject({ properties: { 'Record Reader': 'service:json-in', 'Record Writer': 'service:json-out' } });
    expect(project.parent?.services.map((service) => service.name)).toEqual(['json-out']);

    // Only this group, with the parent's services the project manages since the first test (json-in left as it is: partial).
    const options = { parentGroupId, adopt: true, parent: project.parent, project: `export-${suffix}`, partial: true };
    const { plan } = await planFlows(nifi, project.flows, options);
    expect(plan.flows).toEqual([{ flow: names.shadow, action: 'update', groupId: group.id, components: [], parameters: [], runState: [], markerChanged: true }]);
    expect(plan.sharedServices?.map((servicePlan) => ({ service: servicePlan.service, action: servicePlan.action, changes: servicePlan.changes }))).toEqual([{ service: 'json-out', action: 'no-op', changes: [] }]);
    expect(plan.parameterContexts ?? []).toEqual([]);
  });
});
