// NiFi → Airflow, end to end on the real stack: a flow whose triggers are compiled into NiFi components
// receives data over HTTP, and Airflow runs a DAG (with conf from FlowFile attributes and a deterministic
// run id) and an asset-scheduled DAG (from the asset event NiFi emits). Re-sent data triggers no second
// run; wrong credentials hold the data (and say so) until they are fixed; calls Airflow rejects are
// parked in the trigger's "failed" queue instead of being dropped.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAirflowClient, type DagRun } from '@dataplat/airflow';
import { DataplatError, pollUntil } from '@dataplat/core';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { applyFlows } from '@dataplat/flows';
import { batchesFlow, freePort, parkedIn, postBatch, triggerGroupId } from '../trigger-flows.ts';

const endpoints = inject('stackEndpoints');
const mutating = { count: 0 };
const nifi: NifiClient = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl, onRequest: ({ method }) => void (method !== 'GET' && mutating.count++) });
const airflowEndpoint = endpoints.airflow!;
const airflow = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
const suffix = Date.now().toString(36);
let parentGroupId = '';

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  for (const name of [`batches-${suffix}`, `misconfigured-${suffix}`]) {
    const context = await nifi.parameterContexts.findByName(name);
    if (context) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  }
  await Promise.all([nifi.close(), airflow.close()]);
});

const airflowParameters = { url: airflowEndpoint.url, username: airflowEndpoint.admin.username, passwordVariable: 'AIRFLOW_PASSWORD' };

async function post(port: number, batch: string): Promise<void> {
  await postBatch(port, { batch, sensor: 'pm25-lab' }, JSON.stringify({ batch, readings: 3 }));
}

/** The run once it exists (NiFi triggers it asynchronously) and has finished. */
async function finishedRun(dagId: string, runId: string): Promise<DagRun> {
  await pollUntil(
    async () => {
      try {
        return { done: true, value: await airflow.getDagRun(dagId, runId) };
      } catch (error) {
        if (DataplatError.isInstance(error) && error.code === 'NOT_FOUND') return { done: false };
        throw error;
      }
    },
    { timeoutMs: 60_000, initialIntervalMs: 500, description: `dag run ${runId}` },
  );
  return airflow.waitForDagRun(dagId, runId, { waitTimeoutMs: 120_000, pollIntervalMs: 500 });
}

const triggerGroup = (flowGroupId: string, trigger: string) => triggerGroupId(nifi, flowGroupId, trigger);
const parked = (triggerGroup: string) => parkedIn(nifi, triggerGroup);

describe('Airflow triggers compiled into NiFi, against the real NiFi and Airflow', () => {
  it('data into NiFi → a DAG run with conf and a deterministic run id, and an asset event that runs the asset-scheduled DAG', async () => {
    await airflow.setDagPaused('dataplat_echo', false);
    await airflow.setDagPaused('dataplat_orders_landed', false);
    parentGroupId = (await nifi.processGroups.create('root', { name: `flows-triggers-${suffix}` })).id;
    const port = await freePort();
    const flow = batchesFlow(`batches-${suffix}`, port, airflowParameters, [
      { name: 'echo', when: 'receive:success', dagRun: { dag: 'dataplat_echo', confFromAttributes: ['batch', 'sensor'], runId: 'nifi__${batch}' } },
      { name: 'landed', when: 'receive:success', assetEvent: { uri: 'dataplat://examples/orders-landed', extraFromAttributes: ['batch'] } },
    ]);
    const options = { parentGroupId, airflow, env: { AIRFLOW_PASSWORD: airflowEndpoint.admin.password } };
    const applied = await applyFlows(nifi, [flow], options);
    const groupId = applied.applied[0]!.groupId!;

    const batch = `b-${suffix}`;
    const assetRunsBefore = new Set((await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_orders_landed' } })).map((run) => run.dag_run_id));
    await post(port, batch);

    // The DAG run NiFi triggered: its id comes from the attribute, its conf from the attributes.
    const run = await finishedRun('dataplat_echo', `nifi__${batch}`);
    expect(run.state).toBe('success');
    expect(await airflow.getXCom('dataplat_echo', run.dag_run_id, 'echo')).toMatchObject({ conf: { batch, sensor: 'pm25-lab' } });

    // The asset event ran the asset-scheduled DAG, with the attribute in the event's extra.
    const assetRun = await pollUntil(
      async () => {
        const runs = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_orders_landed' } });
        const fresh = runs.find((candidate) => !assetRunsBefore.has(candidate.dag_run_id));
        return fresh ? { done: true, value: fresh } : { done: false };
      },
      { timeoutMs: 90_000, initialIntervalMs: 1000, description: 'the asset-triggered run' },
    );
    expect(assetRun.run_type).toBe('asset_triggered');
    const finished = await airflow.waitForDagRun('dataplat_orders_landed', assetRun.dag_run_id, { waitTimeoutMs: 120_000, pollIntervalMs: 500 });
    expect(finished.state).toBe('success');
    const summary = (await airflow.getXCom('dataplat_orders_landed', assetRun.dag_run_id, 'summarize')) as { extra: Array<Record<string, unknown>> };
    expect(summary.extra).toContainEqual(expect.objectContaining({ batch }));

    // The same batch again: Airflow answers 409 for the existing run id, which the trigger treats as done.
    await post(port, batch);
    await nifi.processGroups.waitUntilIdle(groupId, { timeoutMs: 30_000 });
    const runs = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_echo' }, query: { run_id_pattern: `nifi__${batch}` } });
    expect(runs.map((entry) => entry.dag_run_id)).toEqual([`nifi__${batch}`]);
    expect(await parked(await triggerGroup(groupId, 'echo'))).toBe(0);

    // Applying again changes nothing, triggers included.
    mutating.count = 0;
    const again = await applyFlows(nifi, [flow], options);
    expect(again.plan.flows[0]!.action).toBe('no-op');
    expect(mutating.count).toBe(0);
  });

  it('holds data while Airflow refuses the credentials and delivers it once they are fixed; parks calls Airflow rejects', async () => {
    const port = await freePort();
    const name = `misconfigured-${suffix}`;
    const batch = `held-${suffix}`;
    const flow = batchesFlow(name, port, airflowParameters, [
      { name: 'echo', when: 'receive:success', dagRun: { dag: 'dataplat_echo', confFromAttributes: ['batch'], runId: 'nifi__${batch}' } },
      // A DAG Airflow doesn't have: a 404, which retrying can't fix, so the flowfile is parked at once.
      { name: 'missing', when: 'receive:success', dagRun: { dag: 'dataplat_no_such_dag' }, retries: 0 },
    ]);
    // FLOWS_SECRETS_KEY lets the next apply see that the password changed (and push it).
    const secretsKey = `triggers-secrets-key-${suffix}-0123456789abcdef`;
    const applied = await applyFlows(nifi, [flow], { parentGroupId, env: { AIRFLOW_PASSWORD: 'not-the-password', FLOWS_SECRETS_KEY: secretsKey } });
    const groupId = applied.applied[0]!.groupId!;
    await post(port, batch);

    // InvokeHTTP can't get a token: it reports the 401 (without the password) and keeps the data queued.
    const echoGroup = await triggerGroup(groupId, 'echo');
    const bulletin = await pollUntil(
      async () => {
        const found = (await nifi.bulletins({ groupId: echoGroup })).find((entry) => entry.bulletin?.message?.includes('HTTP 401'));
        return found ? { done: true, value: found } : { done: false };
      },
      { timeoutMs: 30_000, initialIntervalMs: 500, description: 'the 401 bulletin' },
    );
    expect(bulletin.bulletin?.message).not.toContain('not-the-password');
    expect(await parked(echoGroup)).toBe(0);
    expect((await nifi.processGroups.status(echoGroup)).flowFilesQueued).toBe(1);

    // The right password (a sensitive parameter from the environment): the held flowfile goes through.
    await applyFlows(nifi, [flow], { parentGroupId, env: { AIRFLOW_PASSWORD: airflowEndpoint.admin.password, FLOWS_SECRETS_KEY: secretsKey } });
    const run = await finishedRun('dataplat_echo', `nifi__${batch}`);
    expect(await airflow.getXCom('dataplat_echo', run.dag_run_id, 'echo')).toMatchObject({ conf: { batch } });

    const missingGroup = await triggerGroup(groupId, 'missing');
    const parkedCount = await pollUntil(
      async () => {
        const queued = await parked(missingGroup);
        return queued > 0 ? { done: true, value: queued } : { done: false };
      },
      { timeoutMs: 30_000, initialIntervalMs: 500, description: 'the parked flowfile' },
    );
    expect(parkedCount).toBe(1);
  });
});
