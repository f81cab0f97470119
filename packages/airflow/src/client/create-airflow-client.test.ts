// Error paths and protocol details on undici's MockAgent; every happy path runs against the real
// Airflow in test/integration.
import { describe, expect, it } from 'vitest';
import { HttpError } from '@dataplat/core';
import { createAirflowClient } from './create-airflow-client.ts';
import { useMockAgent } from '../../../core/test/mock-agent.ts';

const mockAgent = useMockAgent();

// https: credentials over plain http to a remote host are refused (the INSECURE_AUTH test below).
const origin = 'https://airflow.test';
const json = { headers: { 'content-type': 'application/json' } };


function jwt(expiresInSeconds: number, subject: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS512' })}.${encode({ sub: subject, exp: Math.floor(Date.now() / 1000) + expiresInSeconds })}.c2lnbmF0dXJl`;
}

const client = () => createAirflowClient({ baseUrl: origin, auth: { username: 'admin', password: 'admin-password' }, dispatcher: mockAgent(), retry: { retries: 1, initialDelayMs: 1 } });
const anonymous = () => createAirflowClient({ baseUrl: origin, dispatcher: mockAgent(), retry: false });

describe('createAirflowClient authentication', () => {
  it('refuses a password or token over plain http to a remote host before sending anything, unless allowInsecureAuth (issue 14, finding 7)', async () => {
    for (const auth of [{ username: 'admin', password: 'admin-password' }, { token: 'a-bearer-token' }]) {
      expect(() => createAirflowClient({ baseUrl: 'http://airflow.example.com:8080', auth, dispatcher: mockAgent() })).toThrow(
        expect.objectContaining({ code: 'INSECURE_AUTH', message: expect.stringContaining('Refusing to send Airflow credentials to http://airflow.example.com:8080 over plain http') }),
      );
    }
    // Loopback (the local stack) and an explicit allowInsecureAuth do log in over http.
    for (const [baseUrl, allowInsecureAuth] of [['http://127.0.0.1:18082', false], ['http://airflow.example.com:8080', true]] as const) {
      const pool = mockAgent().get(baseUrl);
      pool.intercept({ path: '/auth/token', method: 'POST' }).reply(201, { access_token: jwt(3600, 'http') }, json);
      pool.intercept({ path: '/api/v2/dags/etl', method: 'GET' }).reply(200, { dag_id: 'etl' }, json);
      const airflow = createAirflowClient({ baseUrl, auth: { username: 'admin', password: 'admin-password' }, dispatcher: mockAgent(), allowInsecureAuth });
      await expect(airflow.getDag('etl')).resolves.toMatchObject({ dag_id: 'etl' });
    }
  });

  it('posts JSON credentials to /auth/token and logs in again after a 401', async () => {
    const first = jwt(86_400, 'first');
    const second = jwt(86_400, 'second');
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/auth/token', method: 'POST', body: JSON.stringify({ username: 'admin', password: 'admin-password' }) }).reply(201, { access_token: first }, json);
    pool.intercept({ path: '/api/v2/dags/etl', method: 'GET', headers: { authorization: `Bearer ${first}` } }).reply(401, { detail: 'Invalid auth token: Signature has expired' }, json);
    pool.intercept({ path: '/auth/token', method: 'POST' }).reply(201, { access_token: second }, json);
    pool.intercept({ path: '/api/v2/dags/etl', method: 'GET', headers: { authorization: `Bearer ${second}` } }).reply(200, { dag_id: 'etl' }, json);
    await expect(client().getDag('etl')).resolves.toMatchObject({ dag_id: 'etl' });
  });

  it('names an Airflow 2 server instead of failing obscurely', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/auth/token', method: 'POST' }).reply(404, { detail: 'Not Found' }, json);
    pool.intercept({ path: '/api/v2/version', method: 'GET' }).reply(404, { detail: 'Not Found' }, json);
    pool.intercept({ path: '/api/v1/version', method: 'GET' }).reply(200, { version: '2.10.5', git_version: null }, json);
    const error = await client().getDag('etl').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'AIRFLOW_UNSUPPORTED_VERSION' });
    expect((error as Error).message).toContain('Airflow 2.10.5');
  });
});

describe("Airflow's error payloads", () => {
  it.each([
    ['a string detail', 404, { detail: "The Dag with ID: `etl` was not found" }, 'NOT_FOUND', "The Dag with ID: `etl` was not found"],
    ['a database error object', 409, { detail: { reason: 'Unique constraint violation', statement: 'hidden', message: 'look for ID 7' } }, 'CONFLICT', 'Unique constraint violation: look for ID 7'],
    ['a 422 validation list', 422, { detail: [{ loc: ['body', 'logical_date'], msg: 'Input should be a valid datetime', type: 'datetime_from_date_parsing' }] }, 'UNPROCESSABLE', 'body.logical_date: Input should be a valid datetime'],
    ['an unknown route', 404, { error: 'API route not found' }, 'NOT_FOUND', 'API route not found'],
  ])('makes %s readable and keeps it as detail', async (_, status, payload, code, summary) => {
    mockAgent().get(origin).intercept({ path: '/api/v2/dags/etl', method: 'GET' }).reply(status, payload, json);
    const error = (await anonymous().getDag('etl').catch((caught: unknown) => caught)) as HttpError;
    expect(HttpError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code, status, detail: 'detail' in payload ? payload.detail : payload.error });
    expect(error.message).toContain(summary);
  });
});

describe('pagination', () => {
  it('follows offsets by what the server returned, even when it clamps the page size', async () => {
    const pool = mockAgent().get(origin);
    const page = (names: string[]) => ({ pools: names.map((name) => ({ name })), total_entries: 5 });
    // Asked for 500 per page, the server clamps to 2.
    pool.intercept({ path: '/api/v2/pools?limit=500&offset=0', method: 'GET' }).reply(200, page(['a', 'b']), json);
    pool.intercept({ path: '/api/v2/pools?limit=500&offset=2', method: 'GET' }).reply(200, page(['c', 'd']), json);
    pool.intercept({ path: '/api/v2/pools?limit=500&offset=4', method: 'GET' }).reply(200, page(['e']), json);
    const names = (await anonymous().listAll('/api/v2/pools', { pageSize: 500 })).map((pool) => pool.name);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('pages DAG runs by cursor, so rows inserted meanwhile are neither skipped nor repeated', async () => {
    const pool = mockAgent().get(origin);
    pool
      .intercept({ path: '/api/v2/dags/etl/dagRuns?limit=100&cursor=', method: 'GET' })
      .reply(200, { dag_runs: [{ dag_run_id: 'r1' }, { dag_run_id: 'r2' }], next_cursor: 'abc', total_entries: 3 }, json);
    pool.intercept({ path: '/api/v2/dags/etl/dagRuns?limit=100&cursor=abc', method: 'GET' }).reply(200, { dag_runs: [{ dag_run_id: 'r3' }], next_cursor: null, total_entries: 3 }, json);
    const ids: string[] = [];
    for await (const run of anonymous().paginate('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'etl' } })) ids.push(run.dag_run_id);
    expect(ids).toEqual(['r1', 'r2', 'r3']);
  });

  it('stops on an empty page even if total_entries promised more', async () => {
    mockAgent().get(origin).intercept({ path: '/api/v2/pools?limit=100&offset=0', method: 'GET' }).reply(200, { pools: [], total_entries: 10 }, json);
    expect(await anonymous().listAll('/api/v2/pools')).toEqual([]);
  });
});

describe('waiting for a DAG run through transient failures', () => {
  const runPath = '/api/v2/dags/etl/dagRuns/nightly__1';
  const waitOptions = { pollIntervalMs: 1, maxPollIntervalMs: 2 };

  it('rides out 503, resets and 429 until the run finishes', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: runPath, method: 'GET' }).reply(200, { dag_run_id: 'nightly__1', dag_id: 'etl', state: 'running' }, json);
    pool.intercept({ path: runPath, method: 'GET' }).reply(503, 'restarting').times(2); // one wait check: the first try and its retry
    pool.intercept({ path: runPath, method: 'GET' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).times(2);
    pool.intercept({ path: runPath, method: 'GET' }).reply(429, 'slow down').times(2);
    pool.intercept({ path: runPath, method: 'GET' }).reply(200, { dag_run_id: 'nightly__1', dag_id: 'etl', state: 'success' }, json);
    await expect(anonymousWithOneRetry().waitForDagRun('etl', 'nightly__1', waitOptions)).resolves.toMatchObject({ state: 'success' });
  });

  it('ends at its deadline naming the last error, as message and cause', async () => {
    mockAgent().get(origin).intercept({ path: runPath, method: 'GET' }).reply(503, 'api-server busy').persist();
    const error = await anonymous().waitForDagRun('etl', 'nightly__1', { ...waitOptions, waitTimeoutMs: 100 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TIMEOUT', cause: { code: 'UNAVAILABLE', status: 503 } });
    expect((error as Error).message).toMatch(/waiting for run "nightly__1" of DAG "etl" to finish \(last error: .*HTTP 503: api-server busy \[UNAVAILABLE\]/);
  });

  it.each([
    [404, 'NOT_FOUND'],
    [403, 'FORBIDDEN'],
    [400, 'BAD_REQUEST'],
  ])('stops at once on HTTP %i', async (status, code) => {
    mockAgent().get(origin).intercept({ path: runPath, method: 'GET' }).reply(status, { detail: 'no' }, json);
    await expect(anonymous().waitForDagRun('etl', 'nightly__1', { ...waitOptions, waitTimeoutMs: 60_000 })).rejects.toMatchObject({ code, status });
  });

  it('repeats a trigger with a run id after a reset and reads the run back; never repeats one without', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/v2/dags/etl/dagRuns', method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    pool.intercept({ path: '/api/v2/dags/etl/dagRuns', method: 'POST' }).reply(409, { detail: 'already exists' }, json);
    pool.intercept({ path: runPath, method: 'GET' }).reply(200, { dag_run_id: 'nightly__1', dag_id: 'etl', state: 'queued', conf: { day: 1 } }, json);
    await expect(anonymousWithOneRetry().triggerDagRun('etl', { runId: 'nightly__1', conf: { day: 1 } })).resolves.toMatchObject({ created: false, run: { dag_run_id: 'nightly__1' } });

    pool.intercept({ path: '/api/v2/dags/etl/dagRuns', method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(anonymousWithOneRetry().triggerDagRun('etl', { conf: { day: 1 } })).rejects.toMatchObject({ code: 'NETWORK', method: 'POST' });
  });
});

function anonymousWithOneRetry() {
  return createAirflowClient({ baseUrl: origin, dispatcher: mockAgent(), retry: { retries: 1, initialDelayMs: 1 } });
}
