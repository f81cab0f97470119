// Airflow → NiFi, end to end on the real stack: `flows dag` writes a DAG file into Airflow's DAG folder;
// a run of that DAG runs the managed NiFi flow once (through `flows run`), waits for it, and returns the
// run-once report as its XCom. A flow that raises ERROR bulletins fails the task, with the bulletin.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAirflowClient, DagRunFailedError } from '@dataplat/airflow';
import { DataplatError, pollUntil } from '@dataplat/core';
import { createNifiClient } from '@dataplat/nifi';
import { applyFlows, loadFlowFile, runFlow } from '@dataplat/flows';
import { runFlowsCli } from '../../src/cli/run-flows-cli.ts';

const endpoints = inject('stackEndpoints');
const nifi = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl });
const airflow = createAirflowClient({ baseUrl: endpoints.airflow!.url, auth: endpoints.airflow!.admin });
const suffix = Date.now().toString(36);
const connectionId = `nifi_test_${suffix}`;
const flowsCli = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');
const checkoutCommand = `${process.execPath} --conditions=@dataplat/source ${flowsCli}`;
const variableMarker = join(tmpdir(), `dataplat-flows-variable-ran-${suffix}`);
const dagFiles: string[] = [];
const dagIds: string[] = [];
let parentGroupId = '';
let workdir = '';

afterAll(async () => {
  for (const file of dagFiles) await rm(file, { force: true });
  for (const dagId of dagIds) await airflow.api.delete('/api/v2/dags/{dag_id}', { path: { dag_id: dagId } }).catch(() => undefined);
  await airflow.connections.delete(connectionId).catch(() => undefined);
  await airflow.variables.delete('dataplat_flows_command').catch(() => undefined);
  await rm(variableMarker, { force: true });
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  if (workdir) await rm(workdir, { recursive: true, force: true });
  await Promise.all([nifi.close(), airflow.close()]);
});

/** `flows dag` through the CLI, written straight into the stack's DAG folder. */
async function writeDag(flow: string, dagId: string): Promise<void> {
  const stderr = new PassThrough();
  const file = join(endpoints.airflow!.dagsFolder, `${dagId}.py`);
  // The workers run the CLI from this checkout (a real deployment has `flows` on PATH or npx), written into the DAG.
  const exitCode = await runFlowsCli(['dag', flow, '--dag-id', dagId, '--nifi-conn-id', connectionId, '--parent', parentGroupId, '--flows-command', checkoutCommand, '--out', file, '--json'], {
    stdout: new PassThrough(),
    stderr,
    isTTY: false,
    cwd: workdir,
    env: {},
  });
  expect(exitCode).toBe(0);
  dagFiles.push(file);
  dagIds.push(dagId);
}

async function parsedDag(dagId: string): Promise<void> {
  await pollUntil(
    async () => {
      try {
        return { done: true, value: await airflow.getDag(dagId) };
      } catch (error) {
        if (DataplatError.isInstance(error) && error.code === 'NOT_FOUND') return { done: false };
        throw error;
      }
    },
    { timeoutMs: 90_000, initialIntervalMs: 1000, description: `Airflow to parse ${dagId}` },
  );
}

describe('flows dag: Airflow runs a NiFi flow once, against the real Airflow and NiFi', () => {
  it('runs the flow once from a DAG run and reports it as XCom; error bulletins fail the task', async () => {
    parentGroupId = (await nifi.processGroups.create('root', { name: `flows-dag-${suffix}` })).id;
    await airflow.connections.set({ connection_id: connectionId, conn_type: 'http', host: endpoints.nifi!.apiUrl });
    // Someone who may edit Airflow Variables points the old Variable at another program: the DAG never reads
    // it (issue 14, finding 4; before, its task ran this command and the marker file appeared).
    await airflow.variables.set('dataplat_flows_command', `touch ${variableMarker}`);
    workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-dag-'));
    await mkdir(join(workdir, 'flows'));
    await writeFile(join(workdir, 'flows', 'batches.yaml'), batchFlows);
    const loaded = loadFlowFile('flows/batches.yaml', batchFlows);
    expect(loaded.diagnostics).toEqual([]);
    await applyFlows(nifi, loaded.flows, { parentGroupId });

    await writeDag('orders-batch', `nifi_flow_orders_${suffix}`);
    await writeDag('broken-batch', `nifi_flow_broken_${suffix}`);
    await parsedDag(`nifi_flow_orders_${suffix}`);
    await parsedDag(`nifi_flow_broken_${suffix}`);

    const run = await airflow.runDag(`nifi_flow_orders_${suffix}`, { unpause: true, waitTimeoutMs: 180_000, pollIntervalMs: 1000 });
    expect(run.state).toBe('success');
    const report = (await airflow.getXCom(`nifi_flow_orders_${suffix}`, run.dag_run_id, 'run_flow')) as Record<string, unknown>;
    expect(report).toMatchObject({ flow: 'orders-batch', ok: true, flowFilesIn: 4, sources: ['generate'] });
    expect(existsSync(variableMarker)).toBe(false);

    // The same through the TypeScript API, for scripts.
    const direct = await runFlow(nifi, 'orders-batch', { parentGroupId });
    expect(direct).toMatchObject({ ok: true, report: { flowFilesIn: 4 } });

    const failed = await airflow.runDag(`nifi_flow_broken_${suffix}`, { unpause: true, waitTimeoutMs: 180_000, pollIntervalMs: 1000 }).catch((error: unknown) => error);
    expect(DagRunFailedError.isInstance(failed)).toBe(true);
    expect((failed as DagRunFailedError).message).toContain('reported errors');
  });
});

/** GenerateFlowFile (4 per run) → a delivery; `broken-batch` posts to a closed port, which raises ERROR bulletins. */
const batchFlows = `flows:
  - name: orders-batch
    processors:
      generate: { type: GenerateFlowFile, properties: { Batch Size: "4" }, schedule: { period: 1 hour }, state: stopped }
      deliver: { type: UpdateAttribute, properties: { delivered: "true" }, autoTerminate: [success] }
    connections:
      - { from: generate, to: deliver, relationships: [success] }
  - name: broken-batch
    processors:
      generate: { type: GenerateFlowFile, properties: { Batch Size: "4" }, schedule: { period: 1 hour }, state: stopped }
      deliver:
        type: InvokeHTTP
        properties: { HTTP Method: POST, HTTP URL: "http://127.0.0.1:9/closed" }
        autoTerminate: [Original, Response, Retry, No Retry, Failure]
    connections:
      - { from: generate, to: deliver, relationships: [success] }
`;
