// Security suite (issue 14), secret scan of the Airflow client's error paths: with distinctive secret values
// as password, tokens and a connection password, a fake Airflow (a local node:http server) fails in every way
// a login or a call can; no secret may appear in the error (message, hint, detail, cause chain) or in events.
import { failureOf, fakeServerFixture, findSecretLeaks, replyJson, type RecordingServer } from '@dataplat/stack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAirflowClient } from '../client/create-airflow-client.ts';

const password = 'pw-Af7j-scan-secret';
const issuedToken = `eyJhbGciOiJIUzUxMiJ9.${Buffer.from(JSON.stringify({ sub: 'admin', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600, jti: 'tok-Af7j-scan' })).toString('base64url')}.c2lnbmF0dXJlLXNjYW4`;
const callerToken = 'caller-Qw3e-scan-secret';
const connectionPassword = 'conn-Rt5y-scan-secret';
const secrets = [password, issuedToken, callerToken, connectionPassword];

const fake = fakeServerFixture();
beforeEach(() => fake.start());
afterEach(() => fake.stop());

function client(auth: { username: string; password: string } | { token: string } = { username: 'admin', password }) {
  return createAirflowClient({
    baseUrl: fake.server.origin,
    auth,
    retry: { retries: 1, initialDelayMs: 1 },
    ...fake.recorded.options,
  });
}

/** The call's error, after checking that neither it nor any retry or middleware event showed a secret. */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  const error = await failureOf(run);
  expect([error !== undefined, findSecretLeaks([error, fake.recorded.events], secrets)]).toEqual([true, []]);
  return error;
}

/** Logs in with `issuedToken`, answers everything else with `answer`. */
function afterLogin(answer: Parameters<RecordingServer['handle']>[0]) {
  fake.server.handle((request, response, server) => {
    if (request.path === '/auth/token') return replyJson(response, 201, { access_token: issuedToken });
    return answer(request, response, server);
  });
}

describe('Airflow error paths', () => {
  it.each([400, 401, 403])('a login refused with HTTP %i echoing the credentials', async (status) => {
    fake.server.handle((request, response) => replyJson(response, status, { detail: `invalid credentials ${request.body}` }));
    expect(await failure(() => client().getDag('etl'))).toMatchObject({ code: 'AIRFLOW_LOGIN_FAILED' });
  });

  it('a 422 echoing a connection password (Airflow echoes the submitted input)', async () => {
    afterLogin((request, response) => {
      if (request.method === 'GET') return replyJson(response, 404, { detail: 'not found' });
      replyJson(response, 422, { detail: [{ loc: ['body', 'password'], msg: 'bad', type: 'value_error', input: JSON.parse(request.body) }] });
    });
    expect(await failure(() => client().connections.set({ connection_id: 'warehouse', conn_type: 'postgres', password: connectionPassword }))).toMatchObject({ code: 'UNPROCESSABLE' });
  });

  it('a 500 and a 401 after renewal echoing the issued token', async () => {
    afterLogin((request, response) => replyJson(response, request.path.includes('etl') ? 500 : 401, { detail: `failed for ${request.headers.authorization}` }));
    expect(await failure(() => client().getDag('etl'))).toMatchObject({ code: 'SERVER_ERROR' });
    expect(await failure(() => client().getDag('other'))).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('a caller token echoed by a 403, and a connection cut', async () => {
    fake.server.handle((request, response) => {
      if (request.path.includes('etl')) return replyJson(response, 403, { detail: `denied ${request.headers.authorization}` });
      response.socket?.destroy();
    });
    expect(await failure(() => client({ token: callerToken }).getDag('etl'))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(() => client({ token: callerToken }).getDag('other'))).toMatchObject({ code: 'NETWORK' });
  });
});
