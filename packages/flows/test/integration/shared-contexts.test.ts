// Shared parameter contexts against the real NiFi, through the CLI as a user runs it: two flows inherit
// one `db` context (which inherits `defaults`); changing a shared value is one apply that updates only
// the context, while NiFi restarts both flows' running processors and they use the new value; a value
// edited in NiFi shows as drift; destroying a flow keeps the context; --prune deletes a context only
// when no group is bound to it and no context inherits it.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { applyFlows, listManagedFlows, type Plan } from '@dataplat/flows';
import { loadFlowFiles } from '../../src/cli/load-files.ts';
import type { ApplyResult } from '../../src/deploy/apply.ts';
import { nifiWorkspace } from '../nifi-workspace.ts';
import { runCli } from '../run-cli.ts';

const workspace = nifiWorkspace('shared-contexts', {
  async cleanUp() {
    // Contexts that inherit others go first: a few rounds delete a chain left behind by a failed run.
    for (let round = 0; round < 3; round++) {
      for (const context of await nifi.parameterContexts.list()) {
        if (context.component.name?.includes(suffix)) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
      }
    }
    await countingNifi.close();
  },
});
const { apiUrl, nifi, scratch } = workspace;
/** Asset uploads seen by the client the asset test applies with. */
const uploads: string[] = [];
const countingNifi: NifiClient = createNifiClient({
  baseUrl: apiUrl,
  onRequest: ({ method, url }) => {
    if (method === 'POST' && new URL(url).pathname.endsWith('/assets')) uploads.push(new URL(url).pathname);
  },
});
const { suffix } = scratch;
const [db, defaults, flowA, flowB, other, handMade] = ['db', 'defaults', 'orders', 'returns', 'other', 'hand'].map((name) => `${name}-${suffix}`) as [string, string, string, string, string, string];
/** Shared contexts are NiFi-wide, owned per project: a project of this run's own sees no other run's. */
const project = `shop-${suffix}`;
const secretsKey = 'shared-contexts-test-key-0123456789abcdef';
let parentGroupId = '';

beforeAll(async () => {
  await mkdir(join(workspace.workdir, 'flows', 'shared'), { recursive: true });
  parentGroupId = await scratch.parent('parent');
});

const sharedYaml = (jdbcUrl: string, options: { withDefaults: boolean } = { withDefaults: true }) =>
  [
    'parameterContexts:',
    `  ${db}:`,
    "    description: The shop's PostgreSQL, shared by the flows that read or write it",
    ...(options.withDefaults ? [`    inherits: [${defaults}]`] : []),
    '    parameters:',
    `      jdbc_url: { value: "${jdbcUrl}" }`,
    '      db_password: { fromEnv: SHOP_DB_PASSWORD, sensitive: true }',
    ...(options.withDefaults ? [`  ${defaults}:`, '    parameters:', '      greeting: { value: "hello" }'] : []),
    '',
  ].join('\n');

/** A running flow that stamps the shared values on every flowfile and holds them in a funnel's queue. */
const flowYaml = (name: string, properties: string) =>
  [
    `name: ${name}`,
    `inherits: [${db}]`,
    'parameters:',
    `  flow_name: { value: "${name}" }`,
    'processors:',
    '  generate: { type: GenerateFlowFile, schedule: { period: 2 sec } }',
    `  stamp: { type: UpdateAttribute, properties: { ${properties} } }`,
    'funnels: [held]',
    'connections:',
    '  - { from: generate, to: stamp, relationships: [success] }',
    '  - { from: stamp, to: held, relationships: [success] }',
    '',
  ].join('\n');

async function write(path: string, text: string): Promise<void> {
  await writeFile(join(workspace.workdir, path), text);
}

async function flows(args: string[], env: Record<string, string> = {}) {
  return runCli([...args, '--parent', parentGroupId, '--project', project], { cwd: workspace.workdir, env: { NIFI_URL: apiUrl, FLOWS_SECRETS_KEY: secretsKey, SHOP_DB_PASSWORD: 'first-password', ...env } });
}

async function planJson(args: string[] = [], env: Record<string, string> = {}): Promise<Plan> {
  const run = await flows(['plan', '--json', ...args], env);
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Plan;
}

async function contextNamed(name: string) {
  return (await nifi.parameterContexts.list()).find((context) => context.component.name === name);
}

/** A parameter as NiFi resolves it for a flow's own context, inherited values included. */
async function effectiveValue(contextName: string, parameter: string): Promise<string | undefined> {
  const context = await contextNamed(contextName);
  const effective = await nifi.api.get('/parameter-contexts/{id}', { path: { id: context!.id }, query: { includeInheritedParameters: true } });
  return effective.component?.parameters?.find((entry) => entry.parameter?.name === parameter)?.parameter?.value;
}

/** The processors of a managed flow with their states. */
async function processorStates(flow: string): Promise<Array<[string, string]>> {
  const managed = (await listManagedFlows(nifi, parentGroupId, project)).find((entry) => entry.flow === flow)!;
  const tree = await nifi.processGroups.tree(managed.groupId);
  return tree.contents.processors.map((processor) => [processor.component!.name!, processor.component!.state!] as [string, string]).sort();
}

/** Empties the flow's funnel queue and waits for a new flowfile there: the attributes the running flow stamps now. */
async function freshStamp(flow: string): Promise<Record<string, string>> {
  const managed = (await listManagedFlows(nifi, parentGroupId, project)).find((entry) => entry.flow === flow)!;
  const connection = (await nifi.processGroups.flow(managed.groupId)).contents.connections.find((candidate) => candidate.component?.destination?.type === 'FUNNEL')!;
  await nifi.connections.emptyQueue(connection.id);
  return pollUntil(
    async () => {
      const listing = await nifi.connections.listQueue(connection.id);
      const newest = listing.flowFiles.at(-1);
      return newest ? { done: true, value: await nifi.connections.queuedAttributes(connection.id, newest) } : { done: false };
    },
    { timeoutMs: 60_000, initialIntervalMs: 500, description: `a new flowfile stamped by ${flow}` },
  );
}

describe('shared parameter contexts, plan/apply/destroy against the real NiFi', () => {
  it('shares one db context between two flows: one apply changes a value for both, destroy keeps it, --prune deletes it only when unused', async () => {
    await write('flows/shared/db.yaml', sharedYaml('jdbc:postgresql://127.0.0.1:15432/examples'));
    await write(`flows/${flowA}.yaml`, flowYaml(flowA, 'url: "#{jdbc_url}", greeting: "#{greeting}", flow: "#{flow_name}"'));
    await write(`flows/${flowB}.yaml`, flowYaml(flowB, 'url: "#{jdbc_url}", flow: "#{flow_name}"'));

    const created = await flows(['apply', '--json']);
    expect(created.exitCode, created.stderr).toBe(0);
    const createdPlan = (JSON.parse(created.stdout) as ApplyResult).plan;
    // Contexts first, a context before the one that inherits it; the flows after.
    expect(createdPlan.parameterContexts!.map((contextPlan) => [contextPlan.context, contextPlan.action])).toEqual([
      [defaults, 'create'],
      [db, 'create'],
    ]);
    expect(JSON.stringify(createdPlan)).not.toContain('first-password');
    const dbContext = await contextNamed(db);
    expect(dbContext!.component.description).toContain(`"sharedContext":"${db}","project":"${project}"`);
    expect(dbContext!.component.parameters?.find((entry) => entry.parameter?.name === 'db_password')?.parameter).toMatchObject({ sensitive: true, value: '********' });
    // Each flow's own context inherits db (bound by NiFi from the uploaded definition), and resolves the chain.
    for (const flow of [flowA, flowB]) {
      expect((await contextNamed(flow))!.component.inheritedParameterContexts?.map((reference) => reference.component?.name)).toEqual([db]);
      expect(await processorStates(flow)).toEqual([
        ['generate', 'RUNNING'],
        ['stamp', 'RUNNING'],
      ]);
    }
    expect(await effectiveValue(flowA, 'greeting')).toBe('hello');
    expect(await freshStamp(flowA)).toMatchObject({ url: 'jdbc:postgresql://127.0.0.1:15432/examples', greeting: 'hello', flow: flowA });

    // Nothing changed: a no-op plan (the secret compared by its HMAC, not pushed again).
    const unchanged = await flows(['plan', '--detailed-exitcode']);
    expect(unchanged.exitCode, unchanged.stdout).toBe(0);
    expect(unchanged.stdout).toContain(`  parameter context ${db} (no changes)`);

    // One shared value changes in code: the plan updates the context only, no flow is replaced.
    await write('flows/shared/db.yaml', sharedYaml('jdbc:postgresql://127.0.0.1:15432/shop'));
    const changed = await planJson();
    expect(changed.parameterContexts).toEqual([
      { context: defaults, action: 'no-op', contextId: expect.any(String), changes: [] },
      { context: db, action: 'update', contextId: dbContext!.id, changes: [{ field: 'parameters.jdbc_url', before: 'jdbc:postgresql://127.0.0.1:15432/examples', after: 'jdbc:postgresql://127.0.0.1:15432/shop' }] },
    ]);
    expect(changed.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op', 'no-op']);
    const human = await flows(['plan']);
    expect(human.stdout.indexOf(`~ parameter context ${db} (update)`)).toBeLessThan(human.stdout.indexOf(`flow ${flowA}`));

    const applied = await flows(['apply', '--json']);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect((JSON.parse(applied.stdout) as ApplyResult).applied.map((entry) => entry.action)).toEqual(['no-op', 'no-op']);
    // NiFi stopped the processors that use jdbc_url for its update request and started them again: both
    // flows run, and what they stamp now carries the new value.
    for (const flow of [flowA, flowB]) {
      expect(await processorStates(flow)).toEqual([
        ['generate', 'RUNNING'],
        ['stamp', 'RUNNING'],
      ]);
      expect(await effectiveValue(flow, 'jdbc_url')).toBe('jdbc:postgresql://127.0.0.1:15432/shop');
      expect(await freshStamp(flow)).toMatchObject({ url: 'jdbc:postgresql://127.0.0.1:15432/shop', flow });
    }

    // A changed secret is seen through the HMAC and shown masked.
    const secretChanged = await planJson([], { SHOP_DB_PASSWORD: 'second-password' });
    expect(secretChanged.parameterContexts![1]).toMatchObject({ context: db, action: 'update', changes: [{ field: 'parameters.db_password', before: '(sensitive)', after: '(sensitive)' }] });
    expect(JSON.stringify(secretChanged)).not.toContain('second-password');

    // Drift: a value edited in NiFi's UI shows as an update, and apply puts the code's value back.
    await nifi.parameterContexts.update(dbContext!.id, { set: [{ name: 'jdbc_url', value: 'jdbc:postgresql://elsewhere/x' }] });
    const drift = await planJson();
    expect(drift.parameterContexts![1]).toMatchObject({ context: db, action: 'update', changes: [{ field: 'parameters.jdbc_url', before: 'jdbc:postgresql://elsewhere/x', after: 'jdbc:postgresql://127.0.0.1:15432/shop' }] });
    expect((await flows(['apply'])).exitCode).toBe(0);
    expect(await effectiveValue(flowB, 'jdbc_url')).toBe('jdbc:postgresql://127.0.0.1:15432/shop');

    // Destroying one flow deletes its own context, never the shared ones.
    const destroyed = await flows(['destroy', flowA]);
    expect(destroyed.exitCode, destroyed.stderr).toBe(0);
    await rm(join(workspace.workdir, 'flows', `${flowA}.yaml`));
    expect(await contextNamed(flowA)).toBeUndefined();
    expect(await contextNamed(db)).toBeDefined();
    expect(await contextNamed(defaults)).toBeDefined();

    // `defaults` leaves the code while a context made by hand still inherits it: --prune keeps it and says who uses it.
    await write('flows/shared/db.yaml', sharedYaml('jdbc:postgresql://127.0.0.1:15432/shop', { withDefaults: false }));
    const hand = await nifi.parameterContexts.create({ name: handMade, inheritedParameterContextIds: [(await contextNamed(defaults))!.id] });
    const withoutPrune = await planJson();
    expect(withoutPrune.parameterContexts!.find((contextPlan) => contextPlan.context === defaults)).toMatchObject({ action: 'keep', reason: expect.stringContaining('--prune') });
    const pruneKept = await flows(['apply', '--prune', '--json']);
    expect(pruneKept.exitCode, pruneKept.stderr).toBe(0);
    const keptPlan = (JSON.parse(pruneKept.stdout) as ApplyResult).plan;
    expect(keptPlan.parameterContexts).toEqual([
      { context: db, action: 'update', contextId: dbContext!.id, changes: [{ field: 'inherits', before: [defaults], after: [] }] },
      { context: defaults, action: 'keep', contextId: expect.any(String), changes: [], reason: 'still used', usedBy: [`parameter context "${handMade}"`] },
    ]);
    expect(await contextNamed(defaults)).toBeDefined();
    expect((await contextNamed(db))!.component.inheritedParameterContexts).toEqual([]);

    // Once nothing uses them: the last flow and db leave the code; --prune deletes the flow, then the contexts.
    await nifi.parameterContexts.delete(hand.id);
    await rm(join(workspace.workdir, 'flows', `${flowB}.yaml`));
    await rm(join(workspace.workdir, 'flows', 'shared', 'db.yaml'));
    await write(`flows/${other}.yaml`, `name: ${other}\nprocessors:\n  generate: { type: GenerateFlowFile, schedule: { period: 1 hour }, state: stopped }\n  drop: { type: UpdateAttribute, autoTerminate: [success] }\nconnections:\n  - { from: generate, to: drop, relationships: [success] }\n`);
    const pruned = await flows(['apply', '--prune', '--json']);
    expect(pruned.exitCode, pruned.stderr).toBe(0);
    const prunedPlan = (JSON.parse(pruned.stdout) as ApplyResult).plan;
    expect(prunedPlan.parameterContexts!.map((contextPlan) => [contextPlan.context, contextPlan.action]).sort()).toEqual([
      [db, 'delete'],
      [defaults, 'delete'],
    ]);
    expect(prunedPlan.flows.map((flowPlan) => [flowPlan.flow, flowPlan.action]).sort()).toEqual([
      [other, 'create'],
      [flowB, 'delete'],
    ]);
    expect(await contextNamed(db)).toBeUndefined();
    expect(await contextNamed(defaults)).toBeUndefined();
    expect((await planJson(['--prune'])).parameterContexts).toBeUndefined();
  });

  it('uploads asset parameters (a Maven jar for a DBCP pool, a local file for a processor) once, and compares them by digest', async () => {
    const assetsFolder = join(workspace.workdir, 'assets-project');
    await mkdir(join(assetsFolder, 'flows', 'files'), { recursive: true });
    const drivers = `drivers-${suffix}`;
    const reader = `reader-${suffix}`;
    // The PostgreSQL JDBC driver the stack pins (packages/stack's NiFi lock: coordinate and SHA-256).
    await writeFile(
      join(assetsFolder, 'flows', 'drivers.yaml'),
      [
        'parameterContexts:',
        `  ${drivers}:`,
        '    parameters:',
        '      postgresql_driver: { asset: { maven: "org.postgresql:postgresql:42.7.8", sha256: 2a32a9dcbc42d67a50ad3a0de5efd102c8d2be46720045f2cbd6689f160ab7c7 } }',
        '      jdbc_url: { value: "jdbc:postgresql://127.0.0.1:15432/examples" }',
        '      db_password: { fromEnv: SHOP_DB_PASSWORD, sensitive: true }',
        '',
      ].join('\n'),
    );
    await writeFile(join(assetsFolder, 'flows', 'files', 'lookup.csv'), 'sku,price\nA1,10\n');
    await writeFile(
      join(assetsFolder, 'flows', `${reader}.yaml`),
      [
        `name: ${reader}`,
        `inherits: [${drivers}]`,
        'parameters:',
        '  lookup_file: { asset: { file: ./files/lookup.csv } }',
        'services:',
        '  pool:',
        '    type: DBCPConnectionPool',
        '    properties:',
        '      Database Connection URL: "#{jdbc_url}"',
        '      Database Driver Class Name: org.postgresql.Driver',
        '      database-driver-locations: "#{postgresql_driver}"',
        '      Database User: dataplat',
        '      Password: "#{db_password}"',
        'processors:',
        '  generate: { type: GenerateFlowFile, schedule: { period: 1 hour } }',
        '  stamp: { type: UpdateAttribute, properties: { lookup: "#{lookup_file}" } }',
        'funnels: [held]',
        'connections:',
        '  - { from: generate, to: stamp, relationships: [success] }',
        '  - { from: stamp, to: held, relationships: [success] }',
        '',
      ].join('\n'),
    );
    const loaded = await loadFlowFiles([], assetsFolder);
    if ('missing' in loaded) throw new Error('no flows folder');
    expect(loaded.diagnostics).toEqual([]);
    const assetsParent = await scratch.parent('assets');
    const options = {
      parameterContexts: loaded.parameterContexts,
      parentGroupId: assetsParent,
      project: `${project}-assets`,
      env: { SHOP_DB_PASSWORD: 'dataplat-local-postgres', FLOWS_SECRETS_KEY: secretsKey, DATAPLAT_ASSETS_CACHE: join(workspace.workdir, 'assets-cache') },
    };

    const first = await applyFlows(countingNifi, loaded.flows, options);
    expect(first.plan.parameterContexts).toMatchObject([{ context: drivers, action: 'create', changes: [{ field: 'parameters.postgresql_driver', before: null, after: 'asset postgresql-42.7.8.jar (sha256 2a32a9dcbc42…)' }] }]);
    expect(uploads).toHaveLength(2);
    const driversContext = (await contextNamed(drivers))!;
    expect((await nifi.parameterContexts.assets.list(driversContext.id)).map((asset) => [asset.name, asset.digest])).toEqual([['postgresql-42.7.8.jar', '2a32a9dcbc42d67a50ad3a0de5efd102c8d2be46720045f2cbd6689f160ab7c7']]);
    const readerContext = (await contextNamed(reader))!;
    expect((await nifi.parameterContexts.assets.list(readerContext.id)).map((asset) => asset.name)).toEqual(['lookup.csv']);
    // The pool loads the driver from the asset and connects: NiFi holds it VALID and apply enabled it.
    const groupId = first.applied[0]!.groupId!;
    const [pool] = await nifi.processGroups.controllerServices(groupId);
    expect([pool!.component.state, pool!.component.validationStatus, pool!.component.validationErrors ?? []]).toEqual(['ENABLED', 'VALID', []]);
    const tree = await nifi.processGroups.tree(groupId);
    expect(tree.contents.processors.map((processor) => [processor.component!.name, processor.component!.state]).sort()).toEqual([
      ['generate', 'RUNNING'],
      ['stamp', 'RUNNING'],
    ]);
    // The processor sees the asset's path on the node.
    const effective = await nifi.api.get('/parameter-contexts/{id}', { path: { id: readerContext.id }, query: { includeInheritedParameters: true } });
    expect(effective.component?.parameters?.find((entry) => entry.parameter?.name === 'lookup_file')?.parameter?.value).toMatch(/lookup\.csv$/);

    // Again with nothing changed: a no-op plan, and not one upload.
    uploads.length = 0;
    const again = await applyFlows(countingNifi, loaded.flows, options);
    expect(again.plan.parameterContexts!.map((contextPlan) => contextPlan.action)).toEqual(['no-op']);
    expect(again.plan.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op']);
    expect(uploads).toEqual([]);

    // A changed local file: plan shows the new digest, apply uploads that one file only.
    await writeFile(join(assetsFolder, 'flows', 'files', 'lookup.csv'), 'sku,price\nA1,12\n');
    const changed = await applyFlows(countingNifi, loaded.flows, options);
    expect(changed.plan.flows[0]!.parameters).toEqual([{ field: 'parameters.lookup_file', before: expect.stringMatching(/^asset lookup\.csv \(sha256 /), after: expect.stringMatching(/^asset lookup\.csv \(sha256 /) }]);
    expect(uploads).toEqual([`/nifi-api/parameter-contexts/${readerContext.id}/assets`]);

    // A Maven jar that does not match its declared checksum is never used: plan fails naming the asset's place.
    const driversFile = join(assetsFolder, 'flows', 'drivers.yaml');
    await writeFile(driversFile, (await readFile(driversFile, 'utf8')).replace('2a32a9dcbc42', '0000000000aa'));
    const refused = await runCli(['plan', '--parent', assetsParent, '--project', `${project}-assets`], { cwd: assetsFolder, env: { NIFI_URL: apiUrl, ...options.env } });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('flows/drivers.yaml:4:');
    expect(refused.stderr).toMatch(/org\.postgresql:postgresql:42\.7\.8 as downloaded from https:\/\/repo1\.maven\.org\/maven2\/org\/postgresql\/postgresql\/42\.7\.8\/postgresql-42\.7\.8\.jar has SHA-256 2a32a9dc/);
  }, 180_000);
});
