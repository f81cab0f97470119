// The security suite's injection corpus for flowfile attributes → the JSON bodies NiFi sends to Airflow
// (issue 14, finding 1): values a sender controls (HTTP headers mapped to attributes) are posted to a flow
// with Airflow triggers, against the real NiFi. A capturing stand-in for Airflow records the exact requests
// NiFi makes for every corpus entry; then the real Airflow shows that an injected header can't add fields
// to a DAG run (no note, no run_after), while a valid batch still runs with exactly its conf.
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAirflowClient } from '@dataplat/airflow';
import { DataplatError, pollUntil } from '@dataplat/core';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { applyFlows, type FlowInput } from '@dataplat/flows';
import { batchesFlow, freePort, parkedIn, postBatch, triggerGroupId } from '../trigger-flows.ts';
import { scratchGroups } from '../scratch-groups.ts';

const endpoints = inject('stackEndpoints');
const nifi: NifiClient = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl });
const airflowEndpoint = endpoints.airflow!;
const airflow = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
const scratch = scratchGroups(nifi, 'flows-injection');
const { suffix } = scratch;

interface Captured {
  path: string;
  body: string;
}
const captured: Captured[] = [];
let fakeAirflow: Server | undefined;

afterAll(async () => {
  await scratch.cleanUp();
  await new Promise((resolve) => (fakeAirflow ? fakeAirflow.close(resolve) : resolve(undefined)));
  await Promise.all([nifi.close(), airflow.close()]);
});

async function readBody(request: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of request) body += (chunk as Buffer).toString('utf8');
  return body;
}

/** Answers NiFi's token request and records every other request (path and exact body) with 200. */
async function startFakeAirflow(): Promise<string> {
  fakeAirflow = createHttpServer((request, response) => {
    void readBody(request).then((body) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/auth/token') return void response.end(JSON.stringify({ access_token: 'token-for-the-injection-test', token_type: 'Bearer' }));
      captured.push({ path: request.url ?? '', body });
      response.end('{}');
    });
  });
  await new Promise<void>((resolve) => fakeAirflow!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(fakeAirflow.address() as { port: number }).port}`;
}

function receivingFlow(name: string, port: number, airflowUrl: string, triggers: FlowInput['triggers']) {
  return batchesFlow(name, port, { url: airflowUrl, username: 'admin', passwordVariable: 'INJECTION_AIRFLOW_PASSWORD' }, triggers);
}
const post = postBatch;
const triggerGroup = (flowGroupId: string, trigger: string) => triggerGroupId(nifi, flowGroupId, trigger);
const parked = (group: string) => parkedIn(nifi, group);

// Each entry: the batch and sensor headers a sender posts, and whether the run id nifi__<batch> is one
// Airflow accepts ([A-Za-z0-9_.~:+-], at most 250 characters) — only then may a DAG-run request be sent.
const corpus: Array<{ label: string; batch: string; sensor: string; runIdValid: boolean }> = [
  { label: 'plain values', batch: `plain-${suffix}`, sensor: 'pm25-lab', runIdValid: true },
  { label: 'every character Airflow allows', batch: `all.~:+-_${suffix}`, sensor: 's', runIdValid: true },
  { label: 'a quote that closes the run id and adds fields', batch: `x","note":"injected-${suffix}","run_after":"2030-01-01T00:00:00Z`, sensor: 's', runIdValid: false },
  { label: 'quotes and braces in a conf value', batch: `conf-${suffix}`, sensor: '"},"note":"injected","x":{"', runIdValid: true },
  { label: 'backslashes and a JSON escape', batch: `back\\slash\\"-${suffix}`, sensor: '\\u0022\\', runIdValid: false },
  { label: 'NiFi Expression Language in a value (never evaluated again)', batch: `\${uuid}-${suffix}`, sensor: "${literal('x'):append(#{airflow_password})}", runIdValid: false },
  { label: 'a slash and spaces (no path, no URL)', batch: `../../variables ${suffix}`, sensor: '/api/v2/variables', runIdValid: false },
  { label: 'a run id longer than Airflow keeps', batch: `long-${suffix}-${'a'.repeat(250)}`, sensor: 's', runIdValid: false },
];

describe('flowfile attributes into Airflow requests, against the real NiFi', () => {
  it('sends exactly the fields the code writes, escaped, and no DAG-run request for a run id Airflow would refuse', async () => {
    const airflowUrl = await startFakeAirflow();
    const parentGroupId = await scratch.parent('capture');
    const port = await freePort();
    const flow = receivingFlow(`injection-capture-${suffix}`, port, airflowUrl, [
      { name: 'echo', when: 'receive:success', dagRun: { dag: 'dataplat_echo', confFromAttributes: ['batch', 'sensor'], runId: 'nifi__${batch}' }, retries: 0 },
    ]);
    const applied = await applyFlows(nifi, [flow], { parentGroupId, env: { INJECTION_AIRFLOW_PASSWORD: 'not-used-by-the-fake' } });
    const groupId = applied.applied[0]!.groupId!;
    for (const entry of corpus) await post(port, { batch: entry.batch, sensor: entry.sensor });

    const expected = corpus.filter((entry) => entry.runIdValid);
    const echo = await triggerGroup(groupId, 'echo');
    const refused = corpus.length - expected.length;
    await pollUntil(
      async () => {
        const parkedNow = await parked(echo);
        return captured.length >= expected.length && parkedNow >= refused ? { done: true, value: undefined } : { done: false, progress: `${captured.length} request(s), ${parkedNow} parked` };
      },
      { timeoutMs: 60_000, initialIntervalMs: 250, description: 'the DAG-run requests and the parked flowfiles' },
    );
    // A moment more: nothing else arrives (a refused run id is never sent later).
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // One request per valid entry, to the literal path, with exactly the body the code writes.
    expect(captured.map((request) => request.path)).toEqual(expected.map(() => '/api/v2/dags/dataplat_echo/dagRuns'));
    const bodies = captured.map((request) => JSON.parse(request.body) as unknown);
    expect(bodies).toEqual(expect.arrayContaining(expected.map((entry) => ({ dag_run_id: `nifi__${entry.batch}`, logical_date: null, conf: { batch: entry.batch, sensor: entry.sensor } }))));
    expect(bodies).toHaveLength(expected.length);
    for (const request of captured) expect(Object.keys(JSON.parse(request.body) as object)).toEqual(['dag_run_id', 'logical_date', 'conf']);

    // The refused ones are parked in "failed", with bulletins that name no value.
    expect(await parked(echo)).toBe(refused);
    const bulletins = await pollUntil(
      async () => {
        const found = (await nifi.bulletins({ groupId: echo })).filter((entry) => entry.bulletin?.message?.includes("does not match Airflow's run-id pattern"));
        return found.length > 0 ? { done: true, value: found } : { done: false };
      },
      { timeoutMs: 30_000, initialIntervalMs: 500, description: 'the rejected run id bulletin' },
    );
    for (const bulletin of bulletins) for (const entry of corpus) expect(bulletin.bulletin?.message).not.toContain(entry.batch);
  });

  it('the real Airflow: an injected header adds no field to the DAG run; a valid batch runs with exactly its conf', async () => {
    await airflow.setDagPaused('dataplat_echo', false);
    const parentGroupId = await scratch.parent('airflow');
    const port = await freePort();
    const flow = receivingFlow(`injection-airflow-${suffix}`, port, airflowEndpoint.url, [
      { name: 'echo', when: 'receive:success', dagRun: { dag: 'dataplat_echo', confFromAttributes: ['batch', 'sensor'], runId: 'nifi__${batch}' }, retries: 0 },
    ]);
    const applied = await applyFlows(nifi, [flow], { parentGroupId, env: { INJECTION_AIRFLOW_PASSWORD: airflowEndpoint.admin.password } });
    const groupId = applied.applied[0]!.groupId!;

    const marker = `injected-${suffix}`;
    await post(port, { batch: `x","note":"${marker}","run_after":"2030-01-01T00:00:00Z`, sensor: 's' });
    const valid = `ok-${suffix}`;
    await post(port, { batch: valid, sensor: '"},"note":"also-injected' });

    const run = await pollUntil(
      async () => {
        try {
          return { done: true, value: await airflow.getDagRun('dataplat_echo', `nifi__${valid}`) };
        } catch (error) {
          if (DataplatError.isInstance(error) && error.code === 'NOT_FOUND') return { done: false };
          throw error;
        }
      },
      { timeoutMs: 60_000, initialIntervalMs: 500, description: 'the valid batch\'s run' },
    );
    expect(run.conf).toEqual({ batch: valid, sensor: '"},"note":"also-injected' });
    expect(run.note ?? null).toBeNull();
    const echo = await triggerGroup(groupId, 'echo');
    await pollUntil(async () => ((await parked(echo)) === 1 ? { done: true, value: undefined } : { done: false }), { timeoutMs: 60_000, initialIntervalMs: 500, description: 'the refused flowfile parked' });
    // Nothing Airflow holds for this DAG carries the injected note or was scheduled for the injected date.
    const runs = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_echo' } });
    expect(runs.filter((candidate) => candidate.note === marker || candidate.dag_run_id.includes(marker))).toEqual([]);
  });
});
