import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AirflowClient } from '@dataplat/airflow';
import { DataplatError } from '@dataplat/core';
import type { NifiClient } from '@dataplat/nifi';
import { generateAirflowDag } from '../airflow-dag/generate-dag.ts';
import { exportFlow } from '../export/export-flow.ts';
import { applyFlows } from '../deploy/apply.ts';
import { listManagedFlows } from '../deploy/managed-flows.ts';
import { hasChanges, planFlows, type Plan } from '../deploy/plan.ts';
import { hasErrors, sortDiagnostics } from '../diagnostics/diagnostic.ts';
import { formatGithub, formatHuman, formatJson } from '../diagnostics/format.ts';
import { flowJsonSchema } from '../model/flow-schema.ts';
import { runFlow } from '../run/run-flow.ts';
import { checkFlowsLive } from '../validate/check-live.ts';
import { connectAirflow, connectNifi, resolveConnections, type ConnectionFlags, type Connections } from './connections.ts';
import { formatPlan } from './format-plan.ts';
import { loadFlowFiles, type LoadedFiles } from './load-files.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export const usage = `Usage: flows <command> [paths…] [options]

Commands:
  validate [paths…]     check flow files offline (default path: ./flows); no server is contacted
                        --live: also check types, properties, required and allowed values and
                        relationships against the NiFi's own descriptors (read through a temporary,
                        never-started process group that is deleted right after)
  plan [paths…]         show what apply would change in NiFi (read-only)
  apply [paths…]        converge NiFi to the flow files
  destroy <flow…>       delete managed flows by name (and their parameter contexts)
  status                list the managed flows in NiFi: state, queued flowfiles, bulletins
  run <flow>            run a managed flow once as a batch and report; exit 1 on error bulletins
  dag <flow> [paths…]   write an Airflow DAG that runs the flow once and waits (offline)
  export <group>        write a hand-built process group (name under --parent, or id) as flow YAML;
                        then plan/apply --adopt take it over in place (same components, queues kept)
  schema                print the JSON Schema of flow files (for editor completion)

Connection (flags win over environment variables, which win over flows.config.yaml or --config <file>
with nifi/airflow {url, username, caFile} and parent; passwords only from flags or the environment):
  --nifi-url <url>      NiFi REST API root (env NIFI_URL), e.g. https://nifi:8443/nifi-api
  --nifi-username, --nifi-password   login (env NIFI_USERNAME, NIFI_PASSWORD)
  --nifi-ca-file <pem>  CA to trust for HTTPS (env NIFI_CA_FILE); verification is always on
  --parent <id>         process group holding the managed flows (default root)
  --airflow-url <url>   Airflow API server (env AIRFLOW_URL): plan/apply resolve asset-event triggers there
  --airflow-username, --airflow-password, --airflow-ca-file   (env AIRFLOW_USERNAME, AIRFLOW_PASSWORD, AIRFLOW_CA_FILE)

Options:
  --env <name>          apply the flows' environment overlay <name>
  --prune               (plan/apply) delete managed flows that are no longer in the files
  --adopt               (plan/apply) take over unmanaged groups named like a flow
  --out <file>          (plan) also write the plan as JSON; (export, dag) write the file
  --plan <file>         (apply) apply a saved plan; refused if NiFi or the files changed since
  --update-strategy <s> (apply) replace (default: NiFi stops, updates and restarts what changes; queues
                        stay) or drain (stop the sources, wait until nothing is queued, then update)
  --drain-timeout <s>   (apply) seconds to wait for a flow to drain (default 300); then nothing is updated
  --detailed-exitcode   (plan) exit 0 without changes, 2 with changes
  --json                machine-readable output
  --format <f>          (validate) human, json or github (GitHub Actions annotations)
  --dag-id <id>, --schedule <cron|@preset>, --nifi-conn-id <id>   (dag) default nifi_flow_<flow>, none, nifi_default
  -h, --help            show this help

Examples:
  flows validate flows/ --format github
  NIFI_URL=https://nifi:8443/nifi-api flows validate --live
  NIFI_URL=https://nifi:8443/nifi-api flows plan --detailed-exitcode --out plan.json
  flows apply --plan plan.json
  flows export "Orders (hand-built)" --out flows/orders.yaml && flows plan flows/orders.yaml --adopt
  flows dag iot-sensors --schedule @hourly --out dags/nifi_flow_iot_sensors.py

Exit codes: 0 success, 1 error (or invalid files), 2 usage error (plan --detailed-exitcode: 2 = changes).`;

/** Exit codes: 0 success, 1 errors, 2 usage error (or, with plan --detailed-exitcode, changes). */
export async function runFlowsCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        format: { type: 'string' },
        'nifi-url': { type: 'string' },
        'nifi-username': { type: 'string' },
        'nifi-password': { type: 'string' },
        'nifi-ca-file': { type: 'string' },
        'airflow-url': { type: 'string' },
        'airflow-username': { type: 'string' },
        'airflow-password': { type: 'string' },
        'airflow-ca-file': { type: 'string' },
        config: { type: 'string' },
        parent: { type: 'string' },
        env: { type: 'string' },
        prune: { type: 'boolean', default: false },
        adopt: { type: 'boolean', default: false },
        out: { type: 'string' },
        plan: { type: 'string' },
        'detailed-exitcode': { type: 'boolean', default: false },
        'dag-id': { type: 'string' },
        schedule: { type: 'string' },
        'nifi-conn-id': { type: 'string' },
        live: { type: 'boolean', default: false },
        'update-strategy': { type: 'string' },
        'drain-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const [command, ...positionals] = parsed.positionals;
  const values = parsed.values;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr).write(`${usage}\n`);
    return values.help ? 0 : 2;
  }
  const json = values.json;
  const print = (text: string) => io.stdout.write(`${text}\n`);
  const progress = (text: string) => {
    if (!json && io.isTTY) io.stderr.write(`${text}\n`);
  };

  if (command === 'schema') {
    print(JSON.stringify(flowJsonSchema(), null, 2));
    return 0;
  }
  if (command === 'validate') return validate(positionals, values, json, io);
  if (command === 'dag') return dag(positionals, values, io);
  if (!['plan', 'apply', 'destroy', 'status', 'run', 'export'].includes(command)) {
    io.stderr.write(`Unknown command "${command}".\n\n${usage}\n`);
    return 2;
  }

  const connections = await nifiTarget(values, io, 'No NiFi to talk to');
  if (!connections) return 2;
  let nifi: NifiClient | undefined;
  let airflow: AirflowClient | undefined;
  try {
    nifi = await connectNifi(connections.nifi, io.cwd);
    const parentGroupId = connections.parentGroupId;
    if (command === 'status') return await status(nifi, parentGroupId, json, print);
    if (command === 'export') {
      if (positionals.length !== 1) {
        io.stderr.write('Usage: flows export <process group name or id> [--out file.yaml]\n');
        return 2;
      }
      return await exportGroup(nifi, parentGroupId, positionals[0]!, values.out, json, print, io);
    }
    if (command === 'run') {
      if (positionals.length !== 1) {
        io.stderr.write('Usage: flows run <flow>\n');
        return 2;
      }
      return await runOnce(nifi, parentGroupId, positionals[0]!, json, print, progress);
    }
    if (command === 'destroy') {
      if (positionals.length === 0) {
        io.stderr.write('Usage: flows destroy <flow…> (nothing is deleted without naming it)\n');
        return 2;
      }
      return await destroy(nifi, parentGroupId, positionals, json, print, progress);
    }

    const loaded = await loadFlowFiles(positionals, io.cwd);
    if ('missing' in loaded) {
      io.stderr.write(`No such file or folder: ${loaded.missing}\n`);
      return 2;
    }
    if (hasErrors(loaded.diagnostics)) {
      io.stderr.write(`${formatHuman(loaded.diagnostics, loaded.sources)}\n\nThe files have errors; nothing was sent to NiFi.\n`);
      return 1;
    }
    airflow = await connectAirflow(connections.airflow, io.cwd);
    const updateStrategy = values['update-strategy'] as 'replace' | 'drain' | undefined;
    const drainSeconds = values['drain-timeout'] === undefined ? undefined : Number(values['drain-timeout']);
    if ((updateStrategy !== undefined && updateStrategy !== 'replace' && updateStrategy !== 'drain') || (drainSeconds !== undefined && !(drainSeconds > 0))) {
      io.stderr.write('--update-strategy takes replace or drain, and --drain-timeout a number of seconds.\n');
      return 2;
    }
    const options = { parentGroupId, environment: values.env, env: io.env, prune: values.prune, adopt: values.adopt, airflow, updateStrategy, drainTimeoutMs: drainSeconds === undefined ? undefined : drainSeconds * 1000 };
    if (command === 'plan') {
      progress(`planning ${loaded.flows.length} flow(s) against ${nifi.baseUrl} …`);
      const { plan } = await planFlows(nifi, loaded.flows, options);
      if (values.out) await writeFile(resolve(io.cwd, values.out), `${JSON.stringify(plan, null, 2)}\n`);
      print(json ? JSON.stringify(plan, null, 2) : formatPlan(plan));
      return values['detailed-exitcode'] && hasChanges(plan) ? 2 : 0;
    }
    return await apply(nifi, loaded, options, values.plan, json, print, progress, io.cwd);
  } catch (error) {
    const message = DataplatError.isInstance(error) ? error.message : `Unexpected failure: ${(error as Error).stack ?? String(error)}`;
    if (json) print(JSON.stringify({ error: { code: DataplatError.isInstance(error) ? error.code : 'UNEXPECTED', message } }));
    else io.stderr.write(`error: ${message}\n`);
    return 1;
  } finally {
    await nifi?.close();
    await airflow?.close();
  }
}

/** Where to connect, with NiFi's URL known; undefined after saying on stderr what is wrong or missing. */
async function nifiTarget(values: ConnectionFlags, io: CliIo, need: string): Promise<(Connections & { nifi: { url: string } }) | undefined> {
  let connections: Connections;
  try {
    connections = await resolveConnections(values, io.env, io.cwd);
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return undefined;
  }
  const url = connections.nifi.url;
  if (!url) {
    io.stderr.write(`${need}: pass --nifi-url, set NIFI_URL, or put nifi.url in flows.config.yaml (e.g. http://127.0.0.1:18080/nifi-api).\n`);
    return undefined;
  }
  return { ...connections, nifi: { ...connections.nifi, url } };
}

async function validate(paths: string[], values: ConnectionFlags & { format?: string | undefined; live?: boolean | undefined; parent?: string | undefined }, json: boolean, io: CliIo): Promise<number> {
  const chosen = json ? 'json' : (values.format ?? 'human');
  if (!['human', 'json', 'github'].includes(chosen)) {
    io.stderr.write(`Unknown --format "${chosen}": use human, json or github.\n`);
    return 2;
  }
  const loaded = await loadFlowFiles(paths, io.cwd);
  if ('missing' in loaded) {
    io.stderr.write(`No such file or folder: ${loaded.missing}\n`);
    return 2;
  }
  if (loaded.files.length === 0) {
    io.stderr.write(`No flow files (*.yaml, *.yml) found in ${paths.join(', ') || 'flows'}.\n`);
    return 2;
  }
  let diagnostics = loaded.diagnostics;
  if (values.live) {
    const connections = await nifiTarget(values, io, 'validate --live checks against a NiFi');
    if (!connections) return 2;
    if (hasErrors(diagnostics)) io.stderr.write('The files have errors; fix them before the checks against NiFi run.\n');
    else {
      const nifi = await connectNifi(connections.nifi, io.cwd);
      try {
        diagnostics = sortDiagnostics([...diagnostics, ...(await checkFlowsLive(nifi, loaded.flows, loaded.places, { parentGroupId: connections.parentGroupId }))]);
      } catch (error) {
        io.stderr.write(`error: ${DataplatError.isInstance(error) ? error.message : String(error)}\n`);
        return 1;
      } finally {
        await nifi.close();
      }
    }
  }
  if (chosen === 'json') io.stdout.write(`${formatJson(diagnostics)}\n`);
  else if (chosen === 'github') io.stdout.write(diagnostics.length ? `${formatGithub(diagnostics)}\n` : '');
  else {
    const color = io.isTTY && !io.env['NO_COLOR'];
    if (diagnostics.length) io.stderr.write(`${formatHuman(diagnostics, loaded.sources, { color })}\n\n`);
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
    io.stderr.write(`${loaded.files.length} file(s): ${errors} error(s), ${diagnostics.length - errors} warning(s).\n`);
  }
  return hasErrors(diagnostics) ? 1 : 0;
}

/** `flows dag <flow> [paths…]`: offline, from the flow files (so a typo in the name is caught here). */
async function dag(positionals: string[], values: ConnectionFlags & { out?: string | undefined; 'dag-id'?: string | undefined; schedule?: string | undefined; 'nifi-conn-id'?: string | undefined }, io: CliIo): Promise<number> {
  const [name, ...paths] = positionals;
  if (!name) {
    io.stderr.write('Usage: flows dag <flow> [paths…] [--out file.py]\n');
    return 2;
  }
  const loaded = await loadFlowFiles(paths, io.cwd);
  if ('missing' in loaded) {
    io.stderr.write(`No such file or folder: ${loaded.missing}\n`);
    return 2;
  }
  if (hasErrors(loaded.diagnostics)) {
    io.stderr.write(`${formatHuman(loaded.diagnostics, loaded.sources)}\n\nThe files have errors; no DAG was written.\n`);
    return 1;
  }
  const flow = loaded.flows.find((candidate) => candidate.name === name);
  if (!flow) {
    io.stderr.write(`No flow "${name}" in ${paths.join(', ') || 'flows'}. Flows: ${loaded.flows.map((candidate) => candidate.name).join(', ') || 'none'}.\n`);
    return 1;
  }
  // The parent group as --parent or flows.config.yaml say (root is the DAG's default anyway).
  const { parentGroupId } = await resolveConnections(values, io.env, io.cwd);
  const source = generateAirflowDag(flow.name, {
    dagId: values['dag-id'],
    schedule: values.schedule,
    connectionId: values['nifi-conn-id'],
    parentGroupId: parentGroupId === 'root' ? undefined : parentGroupId,
    description: flow.description,
  });
  if (values.out) {
    await writeFile(resolve(io.cwd, values.out), source);
    io.stderr.write(`wrote ${values.out}\n`);
  } else io.stdout.write(source);
  return 0;
}

async function exportGroup(nifi: NifiClient, parentGroupId: string, reference: string, out: string | undefined, json: boolean, print: (text: string) => void, io: CliIo): Promise<number> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reference);
  const groupId = isId ? reference : (await nifi.processGroups.findByName(reference, { parentGroupId }))?.id;
  if (!groupId) throw new DataplatError({ code: 'FLOWS_UNKNOWN_GROUP', message: `No process group named "${reference}" under ${parentGroupId}.`, hint: 'Pass its exact name (case-sensitive) with --parent <id of its parent>, or its id.' });
  const exported = await exportFlow(nifi, groupId);
  if (out) await writeFile(resolve(io.cwd, out), exported.yaml);
  if (json) print(JSON.stringify({ flow: exported.flow, warnings: exported.warnings }, null, 2));
  else if (!out) io.stdout.write(exported.yaml);
  for (const warning of json ? [] : exported.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (out && !json) io.stderr.write(`wrote ${out}\n`);
  return 0;
}

async function apply(
  nifi: NifiClient,
  loaded: LoadedFiles,
  options: Parameters<typeof applyFlows>[2],
  planFile: string | undefined,
  json: boolean,
  print: (text: string) => void,
  progress: (text: string) => void,
  cwd: string,
): Promise<number> {
  const saved = planFile ? (JSON.parse(await readFile(resolve(cwd, planFile), 'utf8')) as Plan) : undefined;
  const result = await applyFlows(nifi, loaded.flows, { ...options, plan: saved, onProgress: ({ flow, step }) => progress(`${flow}: ${step}`) });
  if (json) print(JSON.stringify(result, null, 2));
  else {
    print(formatPlan(result.plan));
    const changed = result.applied.filter((entry) => entry.action !== 'no-op').length;
    print(changed ? `Apply complete: ${changed} flow(s) changed.` : 'Apply complete: nothing to change.');
  }
  return 0;
}

async function status(nifi: NifiClient, parentGroupId: string, json: boolean, print: (text: string) => void): Promise<number> {
  const rows = [];
  for (const { flow, groupId, group } of await listManagedFlows(nifi, parentGroupId)) {
    const snapshot = await nifi.processGroups.status(groupId);
    const bulletins = await nifi.bulletins({ groupId });
    rows.push({
      flow,
      groupId,
      running: group.runningCount ?? 0,
      stopped: group.stoppedCount ?? 0,
      invalid: group.invalidCount ?? 0,
      queued: snapshot.flowFilesQueued ?? 0,
      bulletins: bulletins.length,
    });
  }
  if (json) print(JSON.stringify(rows, null, 2));
  else if (rows.length === 0) print('No managed flows.');
  else for (const row of rows) print(`${row.flow}: ${row.running} running, ${row.stopped} stopped, ${row.invalid} invalid, ${row.queued} queued, ${row.bulletins} bulletin(s)`);
  return 0;
}

async function runOnce(nifi: NifiClient, parentGroupId: string, name: string, json: boolean, print: (text: string) => void, progress: (text: string) => void): Promise<number> {
  const { report, ok } = await runFlow(nifi, name, { parentGroupId, onProgress: (step) => progress(`${name}: ${step} …`) });
  if (json) print(JSON.stringify({ flow: name, ok, ...report }, null, 2));
  else {
    print(`${name}: ${report.flowFilesIn} flowfile(s) in, ${report.flowFilesOut} out, ${report.durationMs} ms, ${report.bulletins.length} bulletin(s)`);
    for (const processor of report.processors) print(`  ${processor.name}: in ${processor.flowFilesIn}, out ${processor.flowFilesOut}, tasks ${processor.tasks}`);
    for (const bulletin of report.bulletins) print(`  ${bulletin.level} ${bulletin.sourceName}: ${bulletin.message}`);
  }
  return ok ? 0 : 1;
}

async function destroy(nifi: NifiClient, parentGroupId: string, names: string[], json: boolean, print: (text: string) => void, progress: (text: string) => void): Promise<number> {
  const managed = await listManagedFlows(nifi, parentGroupId);
  const unknown = names.filter((name) => !managed.some((entry) => entry.flow === name));
  if (unknown.length) throw new DataplatError({ code: 'FLOWS_UNKNOWN_FLOW', message: `Not managed flows under ${parentGroupId}: ${unknown.join(', ')}; nothing was deleted.` });
  const destroyed = [];
  for (const name of names) {
    const { groupId } = managed.find((entry) => entry.flow === name)!;
    progress(`${name}: deleting …`);
    const result = await nifi.processGroups.delete(groupId);
    const context = await nifi.parameterContexts.findByName(name);
    if (context) await nifi.parameterContexts.delete(context.id);
    destroyed.push({ flow: name, groupId, droppedFlowFiles: result.dropped.droppedCount });
  }
  if (json) print(JSON.stringify(destroyed, null, 2));
  else for (const entry of destroyed) print(`- flow ${entry.flow} deleted (${entry.droppedFlowFiles} queued flowfile(s) dropped)`);
  return 0;
}
