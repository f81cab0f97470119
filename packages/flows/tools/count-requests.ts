// How many REST requests plan and apply make for the example flows in flows/: create, then again with
// nothing to change. Runs against NIFI_URL (and AIRFLOW_URL for asset triggers), or the local stack.
// Everything is created under a temporary parent group that is deleted at the end; the shared parameter contexts
// the flows inherit get a name of their own for the run (they are NiFi-wide), so their creation and the asset
// upload are counted too, and they are deleted at the end.
//
// Usage: pnpm --filter @dataplat/flows count-requests [flows-dir]
import { join, resolve } from 'node:path';
import { createAirflowClient } from '@dataplat/airflow';
import { createNifiClient } from '@dataplat/nifi';
import { readStackEndpoints } from '@dataplat/stack';
import { applyFlows, destroyManagedFlow, listManagedFlows, planFlows, type Flow } from '../src/index.ts';
import { loadFlowFiles } from '../src/cli/load-files.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
const flowsDir = resolve(process.argv[2] ?? join(repositoryRoot, 'flows'));
const stack = process.env['NIFI_URL'] ? undefined : await readStackEndpoints({ stateDir: join(repositoryRoot, process.env['DATAPLAT_STACK_DIR'] ?? '.dataplat/stack') });
const counts = { get: 0, mutating: 0 };
const nifi = createNifiClient({
  baseUrl: process.env['NIFI_URL'] ?? stack!.nifi!.apiUrl,
  onRequest: ({ method }) => void (method === 'GET' ? counts.get++ : counts.mutating++),
});
const airflowUrl = process.env['AIRFLOW_URL'] ?? stack?.airflow?.url;
const airflow = airflowUrl
  ? createAirflowClient({ baseUrl: airflowUrl, auth: { username: process.env['AIRFLOW_USERNAME'] ?? stack!.airflow!.admin.username, password: process.env['AIRFLOW_PASSWORD'] ?? stack!.airflow!.admin.password } })
  : undefined;

const loaded = await loadFlowFiles([flowsDir], '/');
if ('missing' in loaded) throw new Error(`No such folder: ${flowsDir}`);
if (loaded.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) throw new Error(`The flow files have errors: run flows validate ${flowsDir}`);
// Secrets the examples read from the environment: the local stack's, unless set.
const declaredParameters = [...loaded.flows.map((flow: Flow) => flow.parameters), ...loaded.parameterContexts.map((context) => context.parameters)];
const placeholders = Object.fromEntries(declaredParameters.flatMap((parameters) => Object.values(parameters).flatMap((parameter) => (parameter.fromEnv ? [[parameter.fromEnv, 'placeholder']] : []))));
const stackSecrets = stack ? { SENSORS_DB_PASSWORD: stack.postgres?.password, AIRFLOW_PASSWORD: stack.airflow?.admin.password } : {};
const env = { ...placeholders, ...stackSecrets, ...process.env };
const components = loaded.flows.reduce((total, flow) => total + Object.keys(flow.processors).length + Object.keys(flow.services).length + flow.connections.length, 0);
const run = Date.now().toString(36);
const parent = await nifi.processGroups.create('root', { name: `flows count-requests ${run}` });
const runName = (context: string) => `${context} (count-requests ${run})`;
const parameterContexts = loaded.parameterContexts.map((context) => ({ ...context, name: runName(context.name), inherits: context.inherits.map(runName) }));
const flows = loaded.flows.map((flow: Flow) => ({ ...flow, inherits: flow.inherits.map(runName) }));
const rows: Array<[string, number, number, number]> = [];
const measure = async (label: string, run: () => Promise<unknown>) => {
  counts.get = 0;
  counts.mutating = 0;
  const startedAt = performance.now();
  await run();
  rows.push([label, counts.get, counts.mutating, Math.round(performance.now() - startedAt)]);
};
try {
  const options = { parentGroupId: parent.id, env, airflow, parameterContexts };
  await measure('plan (nothing applied yet)', () => planFlows(nifi, flows, options));
  await measure('apply (create)', () => applyFlows(nifi, flows, options));
  await measure('plan (no changes)', () => planFlows(nifi, flows, options));
  await measure('apply (no changes)', () => applyFlows(nifi, flows, options));
} finally {
  // Destroyed the way `flows destroy` does it (with the parameter contexts the flows own), then the parent.
  for (const managed of await listManagedFlows(nifi, parent.id)) await destroyManagedFlow(nifi, managed);
  await nifi.processGroups.delete(parent.id);
  // Inheriting contexts first: NiFi refuses to delete a context another one inherits.
  for (const context of [...parameterContexts].reverse()) {
    const created = await nifi.parameterContexts.findByName(context.name);
    if (created) await nifi.parameterContexts.delete(created.id);
  }
  await Promise.all([nifi.close(), airflow?.close()]);
}
console.log(`${loaded.flows.length} flow(s) and ${parameterContexts.length} shared parameter context(s) from ${flowsDir}: ${components} processors, services and connections in the code (triggers add more)`);
console.log('| step | GET | mutating | ms |\n|---|---|---|---|');
for (const [label, gets, mutating, ms] of rows) console.log(`| ${label} | ${gets} | ${mutating} | ${ms} |`);
