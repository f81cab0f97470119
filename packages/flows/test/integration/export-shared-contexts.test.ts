// `flows export` of a hand-built canvas whose groups inherit shared parameter contexts, against the real NiFi:
// two groups, each with its own context inheriting `db` (which inherits `defaults` in turn), export to two flow
// files with `inherits:` plus one shared-contexts file; plan --adopt shows no component change, apply --adopt
// takes the contexts and groups over in place (same ids), and the next plan has nothing to do.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { applyFlows, loadFlowFile, planFlows } from '@dataplat/flows';
import { runFlowsCli } from '../../src/cli/run-flows-cli.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const suffix = Date.now().toString(36);
const names = { defaults: `defaults-${suffix}`, db: `db-${suffix}`, orders: `orders-${suffix}`, returns: `returns-${suffix}` };
let parentGroupId = '';
let workdir = '';

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  // Inheriting contexts first: NiFi refuses to delete a context another one inherits.
  for (const name of [names.orders, names.returns, names.db, names.defaults]) {
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
  return group.id;
}

async function exportGroup(name: string): Promise<void> {
  const stderr = new PassThrough();
  let errors = '';
  stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exitCode = await runFlowsCli(['export', name, '--parent', parentGroupId, '--out', `${name}.yaml`, '--contexts-out', 'shared.yaml'], {
    stdout: new PassThrough(),
    stderr,
    isTTY: false,
    cwd: workdir,
    env: { NIFI_URL: apiUrl },
  });
  expect(exitCode, errors).toBe(0);
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

    const flows = [...orders.flows, ...returns.flows];
    const sharedContexts = contexts.parameterContexts.map((placed) => placed.context);
    expect(sharedContexts.map((context) => context.name).sort()).toEqual([names.db, names.defaults].sort());
    expect(sharedContexts.find((context) => context.name === names.db)).toMatchObject({
      description: "The shop's database",
      inherits: [names.defaults],
      parameters: { jdbc_url: { value: 'jdbc:postgresql://db.internal:5432/shop' }, db_password: { fromEnv: 'DB_PASSWORD', sensitive: true } },
    });

    const env = { DB_PASSWORD: 'not-exported' };
    const options = { parentGroupId, adopt: true, env, parameterContexts: sharedContexts };
    const { plan } = await planFlows(nifi, flows, options);
    for (const flowPlan of plan.flows) expect(flowPlan, flowPlan.flow).toMatchObject({ action: 'update', components: [], runState: [], parameters: [], markerChanged: true });
    // The shared contexts are taken over: their marker, and the secret (NiFi never reveals it, so adoption sets it); no value changes.
    expect(plan.parameterContexts?.map(({ context, action, changes }) => ({ context, action, changes }))).toEqual([
      { context: names.defaults, action: 'update', changes: [] },
      { context: names.db, action: 'update', changes: [{ field: 'parameters.db_password', before: '(sensitive)', after: '(sensitive)' }] },
    ]);

    await applyFlows(nifi, flows, options);
    const afterIds = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups.map((group) => group.id).sort();
    expect(afterIds).toEqual([...groupIds].sort());
    const again = await planFlows(nifi, flows, { parentGroupId, env, parameterContexts: sharedContexts });
    expect(again.plan.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op', 'no-op']);
  });
});
