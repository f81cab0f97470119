// @dataplat/airflow against the real Airflow 3.3 of @dataplat/stack, with SimpleAuthManager auth on.
// DAGs come from examples/dags (the stack's DAG folder in tests).
import { setTimeout as sleep } from 'node:timers/promises';
import { recordWireRequests } from '@dataplat/stack';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createHttpTransport, HttpError, type MiddlewareRequest, type MiddlewareResponse } from '@dataplat/core';
import { AirflowError, createAirflowClient, DagRunFailedError, formatLogLine, type AirflowClient } from '@dataplat/airflow';

const endpoints = inject('stackEndpoints');
const airflowEndpoint = endpoints.airflow!;
/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: Promise<unknown>): Promise<HttpError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!HttpError.isInstance(outcome)) throw new Error(`expected an HttpError, got ${String(outcome)}`);
  return outcome;
}

const unique = (prefix: string) => `${prefix}__${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;

let airflow: AirflowClient;

beforeAll(async () => {
  airflow = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
  // New DAG files are picked up within seconds (refresh interval 5 s); wait until all examples are parsed.
  for (const dagId of ['dataplat_echo', 'dataplat_failing', 'dataplat_orders_landed']) await waitForDag(dagId);
}, 180_000);
afterAll(() => airflow.close());

async function waitForDag(dagId: string) {
  for (let attempt = 0; attempt < 120; attempt++) {
    const dag = await airflow.getDag(dagId).catch((error: unknown) => {
      if (HttpError.isInstance(error) && error.status === 404) return undefined;
      throw error;
    });
    if (dag && !dag.has_import_errors) return dag;
    await sleep(1000);
  }
  const importErrors = await airflow.listAll('/api/v2/importErrors');
  throw new Error(`DAG ${dagId} was never parsed. Import errors: ${JSON.stringify(importErrors)}`);
}

describe('@dataplat/airflow against the real Airflow', () => {
  it('reports the server version', async () => {
    expect(await airflow.version()).toMatchObject({ version: '3.3.2' });
  });

  it('triggers a DAG, waits for it, and reads its XCom and structured logs', async () => {
    const runId = unique('echo');
    const states: string[] = [];
    const run = await airflow.runDag('dataplat_echo', { runId, conf: { batch: 7, source: 'nifi' }, unpause: true, onState: (current) => states.push(current.state) });
    expect(run).toMatchObject({ dag_run_id: runId, state: 'success', conf: { batch: 7, source: 'nifi' }, triggered_by: 'rest_api' });
    expect(states.at(-1)).toBe('success');

    expect(await airflow.getXCom('dataplat_echo', runId, 'echo')).toEqual({ conf: { batch: 7, source: 'nifi' }, run_id: runId });

    const lines = await airflow.taskLogs('dataplat_echo', runId, 'echo');
    const events = lines.map((line) => line.event);
    expect(events).toEqual(expect.arrayContaining(['echo line 0 of run ' + runId, 'echo line 2 of run ' + runId]));
    expect(lines.find((line) => line.event.startsWith('echo line 1'))).toMatchObject({ level: 'info' });
    expect(formatLogLine(lines.find((line) => line.event.startsWith('echo line 1'))!)).toMatch(/^\S+ INFO echo line 1 of run /);

    const streamed: string[] = [];
    for await (const line of airflow.streamTaskLogs('dataplat_echo', runId, 'echo', { tryNumber: 1 })) streamed.push(line.event);
    expect(streamed).toEqual(events);

    const instances = await airflow.taskInstances('dataplat_echo', runId);
    expect(instances.map((instance) => [instance.task_id, instance.state])).toEqual([['echo', 'success']]);
  });

  it('makes re-triggering with the same run id idempotent, and refuses the same id with another conf', async () => {
    const runId = unique('idempotent');
    const first = await airflow.triggerDagRun('dataplat_echo', { runId, conf: { day: '2026-11-21' }, unpause: true });
    const again = await airflow.triggerDagRun('dataplat_echo', { runId, conf: { day: '2026-11-21' } });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.run.dag_run_id).toBe(runId);
    const runs = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_echo' }, query: { run_id_pattern: runId } });
    expect(runs).toHaveLength(1);

    await expect(airflow.triggerDagRun('dataplat_echo', { runId, conf: { day: '2026-11-22' } })).rejects.toMatchObject({ code: 'AIRFLOW_RUN_ID_CONFLICT' });
    await expect(airflow.triggerDagRun('dataplat_echo', { runId: 'has spaces/and slashes' })).rejects.toMatchObject({ code: 'AIRFLOW_RUN_ID_CONFLICT' });
    await airflow.waitForDagRun('dataplat_echo', runId);
  });

  it('reports a failed run with the failed task and its log tail, and clears it for a retry', async () => {
    const runId = unique('failing');
    const error = await airflow.runDag('dataplat_failing', { runId, unpause: true }).catch((caught: unknown) => caught);
    expect(DagRunFailedError.isInstance(error)).toBe(true);
    const failed = error as DagRunFailedError;
    expect(failed.code).toBe('AIRFLOW_DAG_RUN_FAILED');
    expect(failed.run.state).toBe('failed');
    const byTask = Object.fromEntries(failed.failedTasks.map((task) => [task.taskId, task]));
    expect(byTask['validate']).toMatchObject({ state: 'failed', tryNumber: 1 });
    expect(byTask['validate']!.logTail.join('\n')).toContain('batch rejected: 3 rows have no sensor id');
    expect(byTask['publish']).toMatchObject({ state: 'upstream_failed' });
    expect(failed.message).toContain('validate (failed, try 1)');

    const preview = await airflow.clearTaskInstances('dataplat_failing', { runId, taskIds: ['validate'], dryRun: true });
    expect(preview.map((instance) => instance.task_id)).toEqual(['validate']);
    expect((await airflow.getDagRun('dataplat_failing', runId)).state).toBe('failed');

    await airflow.clearTaskInstances('dataplat_failing', { runId, taskIds: ['validate'], includeDownstream: true });
    const retried = await airflow.waitForDagRun('dataplat_failing', runId).catch((caught: unknown) => caught as DagRunFailedError);
    expect(retried).toBeInstanceOf(DagRunFailedError);
    expect((retried as DagRunFailedError).failedTasks.find((task) => task.taskId === 'validate')?.tryNumber).toBe(2);
  });

  it('says a run will not start because its DAG is paused, instead of waiting for the deadline', async () => {
    await airflow.setDagPaused('dataplat_echo', true);
    const runId = unique('paused');
    try {
      await airflow.triggerDagRun('dataplat_echo', { runId });
      const started = Date.now();
      await expect(airflow.waitForDagRun('dataplat_echo', runId, { pollIntervalMs: 200, maxPollIntervalMs: 500 })).rejects.toMatchObject({ code: 'AIRFLOW_DAG_PAUSED' });
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await airflow.api.delete('/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}', { path: { dag_id: 'dataplat_echo', dag_run_id: runId } });
      await airflow.setDagPaused('dataplat_echo', false);
    }
  });

  it('emits an asset event by URI, which runs the asset-scheduled DAG', async () => {
    await airflow.setDagPaused('dataplat_orders_landed', false);
    const asset = await airflow.resolveAsset({ uri: 'dataplat://examples/orders-landed' });
    expect(asset).toMatchObject({ name: 'orders_landed', uri: 'dataplat://examples/orders-landed' });
    expect((await airflow.resolveAsset({ name: 'orders_landed' })).id).toBe(asset.id);
    // A LIKE pattern would match this; the exact lookup does not.
    await expect(airflow.resolveAsset({ uri: 'dataplat://examples/orders_landed' })).rejects.toMatchObject({ code: 'AIRFLOW_ASSET_NOT_FOUND' });

    const before = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_orders_landed' } });
    const batch = unique('batch');
    const event = await airflow.emitAssetEvent({ uri: 'dataplat://examples/orders-landed' }, { extra: { batch, rows: 120 } });
    expect(event).toMatchObject({ asset_id: asset.id, extra: { batch, rows: 120 } });

    let created: (typeof before)[number] | undefined;
    for (let attempt = 0; attempt < 60 && !created; attempt++) {
      const runs = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_orders_landed' } });
      created = runs.find((run) => !before.some((old) => old.dag_run_id === run.dag_run_id));
      if (!created) await sleep(1000);
    }
    expect(created).toMatchObject({ run_type: 'asset_triggered' });
    await airflow.waitForDagRun('dataplat_orders_landed', created!.dag_run_id);
    expect(await airflow.getXCom('dataplat_orders_landed', created!.dag_run_id, 'summarize')).toEqual({ events: 1, extra: [expect.objectContaining({ batch, rows: 120 })] });

    const events = [];
    for await (const recorded of airflow.assetEvents(asset)) {
      events.push(recorded);
      if (events.length === 5) break;
    }
    expect(events[0]).toMatchObject({ id: event.id, extra: expect.objectContaining({ batch }) });
  });

  it('pages through more entries than the server returns at once', async () => {
    const prefix = unique('page');
    const keys = Array.from({ length: 130 }, (_, index) => `${prefix}_${String(index).padStart(3, '0')}`);
    await airflow.api.patch('/api/v2/variables', { body: { actions: [{ action: 'create', entities: keys.map((key) => ({ key, value: 'x' })) }] } });
    try {
      const seen: string[] = [];
      for await (const variable of airflow.paginate('/api/v2/variables', { query: { variable_key_pattern: `${prefix}%` }, pageSize: 50 })) seen.push(variable.key);
      expect(seen.sort()).toEqual(keys);
      // Asking for more than the cap of 100 per page still yields everything.
      expect((await airflow.listAll('/api/v2/variables', { query: { variable_key_pattern: `${prefix}%` }, pageSize: 500 })).length).toBe(130);
    } finally {
      await airflow.api.patch('/api/v2/variables', { body: { actions: [{ action: 'delete', entities: keys }] } });
    }
  });

  it('manages variables, connections and pools, never showing a connection password', async () => {
    const key = unique('variable');
    await airflow.variables.set(key, { threshold: 35 }, { description: 'PM2.5 alert threshold' });
    expect(JSON.parse((await airflow.variables.get(key)).value ?? 'null')).toEqual({ threshold: 35 });
    await airflow.variables.set(key, 'plain');
    expect((await airflow.variables.get(key)).value).toBe('plain');
    await airflow.variables.delete(key);
    await expect(airflow.variables.get(key)).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });

    const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
    const connectionId = unique('warehouse');
    const connection = await airflow.connections.set({ connection_id: connectionId, conn_type: 'postgres', host: '127.0.0.1', port: 15432, login: 'dataplat', password });
    expect(JSON.stringify(connection)).not.toContain(password);
    expect(JSON.stringify(await airflow.connections.get(connectionId))).not.toContain(password);
    expect((await airflow.connections.set({ connection_id: connectionId, conn_type: 'postgres', host: 'db.internal', password })).host).toBe('db.internal');
    // Airflow's 422 echoes the input; the password is scrubbed from our error.
    const invalid = await failure(airflow.connections.set({ connection_id: 'not a valid id!', conn_type: 'postgres', password }));
    expect(invalid).toMatchObject({ code: 'UNPROCESSABLE', status: 422 });
    expect(JSON.stringify({ ...invalid, message: invalid.message })).not.toContain(password);
    await airflow.connections.delete(connectionId);

    const poolName = unique('pool');
    expect(await airflow.pools.set({ name: poolName, slots: 3, description: 'nifi loads' })).toMatchObject({ name: poolName, slots: 3, open_slots: 3 });
    expect((await airflow.pools.set({ name: poolName, slots: 5 })).slots).toBe(5);
    expect((await airflow.pools.list()).map((pool) => pool.name)).toContain(poolName);
    await airflow.pools.delete(poolName);
  });

  it("keeps Airflow's error detail readable: a 422 names the field, a 404 says what is missing", async () => {
    const invalid = await failure(airflow.api.post('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_echo' }, body: { logical_date: 'yesterday-ish' } }));
    expect(invalid).toMatchObject({ code: 'UNPROCESSABLE', status: 422 });
    expect(invalid.message).toContain('body.logical_date:');
    expect(Array.isArray(invalid.detail)).toBe(true);

    const missing = await failure(airflow.triggerDagRun('no_such_dag'));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', status: 404 });
    expect(missing.message).toContain("no_such_dag");
  });
});

describe('@dataplat/airflow authentication against the real Airflow', () => {
  it('refuses a wrong password with AIRFLOW_LOGIN_FAILED and no password in the error', async () => {
    const password = 'definitely-wrong-password';
    const client = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: { username: airflowEndpoint.admin.username, password } });
    const error = await client.getDag('dataplat_echo').catch((caught: unknown) => caught);
    await client.close();
    expect(AirflowError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'AIRFLOW_LOGIN_FAILED' });
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain(password);
  });

  it('lets a viewer read but not trigger (FORBIDDEN)', async () => {
    const viewer = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.viewer });
    expect((await viewer.getDag('dataplat_echo')).dag_id).toBe('dataplat_echo');
    await expect(viewer.triggerDagRun('dataplat_echo', { runId: unique('viewer') })).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await viewer.close();
  });

  it('survives token expiry: renews short-lived tokens, and recovers from a rejected one', async () => {
    // CLI tokens of the stack's Airflow live 8 s with no leeway.
    const shortLived = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: { ...airflowEndpoint.admin, tokenPath: '/auth/token/cli' } });
    const login = createHttpTransport({ baseUrl: airflowEndpoint.url });
    const mint = async () =>
      (await login.request<{ access_token: string }>({ method: 'POST', path: '/auth/token/cli', body: { json: airflowEndpoint.admin } })).body.access_token;
    const soonExpired = await mint();
    const tokens = [soonExpired];
    let asked = 0;
    const fromVault = createAirflowClient({
      baseUrl: airflowEndpoint.url,
      auth: { token: async () => tokens[Math.min(asked++, tokens.length - 1)]! },
    });
    expect((await shortLived.getDag('dataplat_echo')).dag_id).toBe('dataplat_echo');
    await sleep(9000);
    // The client renews its expired token before the call...
    expect((await shortLived.getDag('dataplat_echo')).dag_id).toBe('dataplat_echo');
    // ...and a token function handing out an expired token is asked again after the 401.
    tokens.push(await mint());
    asked = 0;
    expect((await fromVault.getDag('dataplat_echo')).dag_id).toBe('dataplat_echo');
    expect(asked).toBe(2);
    await Promise.all([shortLived.close(), fromVault.close(), login.close()]);
  }, 60_000);

  it('says clearly when the server is not an Airflow 3 API', async () => {
    const notAirflow = createAirflowClient({ baseUrl: endpoints.nifi!.apiUrl.replace('/nifi-api', ''), auth: airflowEndpoint.admin });
    await expect(notAirflow.version()).rejects.toMatchObject({ code: 'AIRFLOW_UNSUPPORTED_VERSION' });
    await expect(notAirflow.getDag('x')).rejects.toMatchObject({ code: 'AIRFLOW_UNSUPPORTED_VERSION' });
    await notAirflow.close();
  });
});

describe('@dataplat/airflow middleware against the real Airflow', () => {
  it('sees every request the client sends, the /auth/token login and error answers included, and adds headers to them', async () => {
    const agent = new Agent();
    const wire = recordWireRequests(agent, 'x-dataplat-trace');
    const requests: MiddlewareRequest[] = [];
    const responses: MiddlewareResponse[] = [];
    const client = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin, dispatcher: wire.dispatcher });
    const remove = client.use(
      { onRequest: (request) => void requests.push(request), onResponse: (response) => void responses.push(response) },
      { onRequest: ({ method }) => ({ 'x-dataplat-trace': method.toLowerCase() }) },
    );
    const missingKey = unique('missing');
    try {
      await client.version();
      await client.getDag('dataplat_echo');
      await expect(client.variables.get(missingKey)).rejects.toMatchObject({ status: 404 });
      remove();
      await client.getDag('dataplat_echo');

      // The known call sequence: the version needs no login; the first authenticated call logs in (201) first.
      const expected = ['GET /api/v2/version 200', 'POST /auth/token 201', 'GET /api/v2/dags/dataplat_echo 200', `GET /api/v2/variables/${missingKey} 404`];
      expect(responses.map(({ method, url, status }) => `${method} ${new URL(url).pathname} ${status}`)).toEqual(expected);
      expect(requests.map(({ service, attempt }) => `${service} #${attempt}`)).toEqual(Array(4).fill('Airflow #1'));
      // ...exactly what went out on the wire (the last call after removal: no hook saw it, no header added).
      expect(wire.sent.map(({ method, path }) => `${method} ${path}`)).toEqual([...expected.map((line) => line.replace(/ \d+$/, '')), 'GET /api/v2/dags/dataplat_echo']);
      expect(wire.sent.map(({ header }) => header)).toEqual(['get', 'post', 'get', 'get', undefined]);
      expect(JSON.stringify([requests, responses])).not.toContain(airflowEndpoint.admin.password);
      expect(JSON.stringify([requests, responses])).not.toMatch(/Bearer|eyJ/);
    } finally {
      await client.close();
      await agent.close();
    }
  });
});
