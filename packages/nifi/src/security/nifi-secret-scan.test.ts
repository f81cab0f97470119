// Security suite (issue 14), secret scan of the NiFi client's error paths: with distinctive secret values as
// password and tokens, a fake NiFi (a local node:http server) fails in every way a login or a call can; no
// secret may appear in the error (message, hint, cause chain, any property), in retry events or middleware events.
import { failureOf, fakeServerFixture, findSecretLeaks } from '@dataplat/stack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNifiClient } from '../client/create-nifi-client.ts';

const password = 'pw-Nf5k-scan-secret';
const issuedToken = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'ana', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600, jti: 'tok-Nf5k-scan' })).toString('base64url')}.c2lnbmF0dXJlLXNjYW4`;
const callerToken = 'caller-Zx9c-scan-secret';
const secrets = [password, issuedToken, callerToken];

const fake = fakeServerFixture();
beforeEach(() => fake.start());
afterEach(() => fake.stop());

function client(auth: { username: string; password: string } | { token: string } = { username: 'ana', password }) {
  return createNifiClient({
    baseUrl: `${fake.server.origin}/nifi-api`,
    auth,
    retry: { retries: 1, initialDelayMs: 1 },
    ...fake.recorded.options,
  });
}

/** The call's error, after checking that no retry or middleware event showed a secret. */
async function failure(run: () => Promise<unknown>): Promise<unknown> {
  const error = await failureOf(run);
  expect([error !== undefined, findSecretLeaks(fake.recorded.events, secrets)]).toEqual([true, []]);
  return error;
}

describe('NiFi login failures', () => {
  it.each([400, 401, 403])('HTTP %i echoing the form with the password', async (status) => {
    fake.server.handle((request, response) => void response.writeHead(status, { 'content-type': 'text/plain' }).end(`bad credentials: ${request.body} ${password}`));
    const error = await failure(() => client().system.about());
    expect(error).toMatchObject({ code: 'NIFI_LOGIN_FAILED' });
    expect(findSecretLeaks(error, secrets)).toEqual([]);
  });

  it('409 (tokens only over HTTPS) echoing the password', async () => {
    fake.server.handle((request, response) => void response.writeHead(409, { 'content-type': 'text/plain' }).end(`Access tokens are only issued over HTTPS (${request.body})`));
    const error = await failure(() => client().system.about());
    expect(error).toMatchObject({ code: 'NIFI_LOGIN_UNAVAILABLE' });
    expect(findSecretLeaks(error, secrets)).toEqual([]);
  });
});

describe('NiFi call failures after a login', () => {
  it('a 500 and a refused renewal echoing the issued token', async () => {
    fake.server.handle((request, response) => {
      if (request.path === '/nifi-api/access/token') return void response.writeHead(201, { 'content-type': 'text/plain' }).end(issuedToken);
      response.writeHead(request.path.includes('about') ? 500 : 401, { 'content-type': 'text/plain' }).end(`failed for ${request.headers.authorization}`);
    });
    const serverError = await failure(() => client().system.about());
    expect(serverError).toMatchObject({ code: 'SERVER_ERROR' });
    const unauthorized = await failure(() => client().processGroups.get('root'));
    expect(unauthorized).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(findSecretLeaks([serverError, unauthorized], secrets)).toEqual([]);
  });

  it('a caller token echoed by a 403, and a connection cut', async () => {
    fake.server.handle((request, response) => {
      if (request.path.includes('about')) return void response.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `denied ${request.headers.authorization}` }));
      response.socket?.destroy();
    });
    const forbidden = await failure(() => client({ token: callerToken }).system.about());
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN' });
    const cut = await failure(() => client({ token: callerToken }).processGroups.get('root'));
    expect(cut).toMatchObject({ code: 'NETWORK' });
    expect(findSecretLeaks([forbidden, cut], secrets)).toEqual([]);
  });
});
