// Error paths a real NiFi can't easily be made to produce (expired tokens, 503s, resets), on undici's MockAgent.
// Every happy path is proven against the real NiFi in test/integration.
import { describe, expect, it, vi } from 'vitest';
import { HttpError } from '@dataplat/core';
import { createNifiClient } from './create-nifi-client.ts';
import { useMockAgent } from '../../../core/test/mock-agent.ts';

const mockAgent = useMockAgent();

const origin = 'https://nifi.test:8443';


function jwt(expiresInSeconds: number, subject = 'dataplat'): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'PS512' })}.${encode({ sub: subject, exp: Math.floor(Date.now() / 1000) + expiresInSeconds })}.c2lnbmF0dXJlLXNpZ25hdHVyZQ`;
}

const json = { headers: { 'content-type': 'application/json' } };
const about = { about: { title: 'NiFi', version: '2.3.0' } };

function client(password = 'a-long-enough-password') {
  return createNifiClient({ baseUrl: `${origin}/nifi-api`, auth: { username: 'dataplat', password }, dispatcher: mockAgent(), retry: { retries: 2, initialDelayMs: 1 } });
}

describe('createNifiClient with username and password', () => {
  it('never posts the password to a remote NiFi over plain http (INSECURE_AUTH at creation, nothing sent) unless allowInsecureAuth (issue 14, finding 7)', async () => {
    expect(() => createNifiClient({ baseUrl: 'http://nifi.example.com:8080/nifi-api', auth: { username: 'dataplat', password: 'a-long-enough-password' }, dispatcher: mockAgent() })).toThrow(
      expect.objectContaining({ code: 'INSECURE_AUTH', message: expect.not.stringContaining('a-long-enough-password') }),
    );
    expect(() => createNifiClient({ baseUrl: 'http://nifi.example.com:8080/nifi-api', auth: { token: 'a-bearer-token' }, dispatcher: mockAgent() })).toThrow(expect.objectContaining({ code: 'INSECURE_AUTH' }));
    // Without auth a plain-http NiFi is fine (it lets everyone in anyway), and loopback may take credentials.
    expect(() => createNifiClient({ baseUrl: 'http://nifi.example.com:8080/nifi-api', dispatcher: mockAgent() })).not.toThrow();
    mockAgent().get('http://[::1]:18080').intercept({ path: '/nifi-api/access/token', method: 'POST' }).reply(409, 'Access tokens are only issued over HTTPS');
    const loopback = createNifiClient({ baseUrl: 'http://[::1]:18080/nifi-api', auth: { username: 'dataplat', password: 'a-long-enough-password' }, dispatcher: mockAgent(), retry: false });
    await expect(loopback.system.about()).rejects.toMatchObject({ code: 'NIFI_LOGIN_UNAVAILABLE' });
  });

  it('logs in once for concurrent requests, sends the token as a bearer header and never a cookie', async () => {
    const token = jwt(3600);
    const pool = mockAgent().get(origin);
    let logins = 0;
    pool
      .intercept({ path: '/nifi-api/access/token', method: 'POST', body: 'username=dataplat&password=a-long-enough-password' })
      .reply(() => {
        logins += 1;
        return { statusCode: 201, data: token, responseOptions: { headers: { 'content-type': 'text/plain', 'set-cookie': `__Secure-Authorization-Bearer=${token}` } } };
      });
    const seen: unknown[] = [];
    pool
      .intercept({ path: '/nifi-api/flow/about', method: 'GET' })
      .reply((request) => {
        seen.push(request.headers);
        return { statusCode: 200, data: about, responseOptions: json };
      })
      .times(3);
    const nifi = client();
    await Promise.all([nifi.system.about(), nifi.system.about(), nifi.system.about()]);
    expect(logins).toBe(1);
    for (const headers of seen) {
      expect(headers).toMatchObject({ authorization: `Bearer ${token}` });
      expect(headers).not.toHaveProperty('cookie');
    }
  });

  it('logs in again when NiFi rejects the token (401) and repeats the request', async () => {
    const first = jwt(3600, 'first');
    const second = jwt(3600, 'second');
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/nifi-api/access/token', method: 'POST' }).reply(201, first);
    pool.intercept({ path: '/nifi-api/flow/about', method: 'GET', headers: { authorization: `Bearer ${first}` } }).reply(401, 'Unable to validate the access token.');
    pool.intercept({ path: '/nifi-api/access/token', method: 'POST' }).reply(201, second);
    pool.intercept({ path: '/nifi-api/flow/about', method: 'GET', headers: { authorization: `Bearer ${second}` } }).reply(200, about, json);
    await expect(client().system.about()).resolves.toMatchObject({ version: '2.3.0' });
  });

  it('renews a token shortly before it expires instead of sending it again', async () => {
    const shortLived = jwt(40);
    const fresh = jwt(3600);
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/nifi-api/access/token', method: 'POST' }).reply(201, shortLived);
    pool.intercept({ path: '/nifi-api/flow/about', method: 'GET', headers: { authorization: `Bearer ${shortLived}` } }).reply(200, about, json);
    pool.intercept({ path: '/nifi-api/access/token', method: 'POST' }).reply(201, fresh);
    pool.intercept({ path: '/nifi-api/flow/about', method: 'GET', headers: { authorization: `Bearer ${fresh}` } }).reply(200, about, json);
    const nifi = client();
    await nifi.system.about();
    // 35 s later the 40-s token is within a quarter of its lifetime of expiry: it is renewed first.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 35_000 });
    try {
      await nifi.system.about();
    } finally {
      vi.useRealTimers();
    }
    // Both logins and both calls happened, each call with the token expected at that time.
    mockAgent().assertNoPendingInterceptors();
  });

  it('keeps the password and tokens out of login errors', async () => {
    const password = 'super-secret-password-42';
    mockAgent().get(origin).intercept({ path: '/nifi-api/access/token', method: 'POST' }).reply(400, `The supplied username and password (${password}) are not valid.`);
    const error = await client(password).system.about().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NIFI_LOGIN_FAILED' });
    const cause = (error as Error).cause as HttpError;
    expect(JSON.stringify({ message: (error as Error).message, cause: { ...cause, message: cause.message } })).not.toContain(password);
  });
});

describe('NiFi error mapping', () => {
  const anonymous = () => createNifiClient({ baseUrl: `${origin}/nifi-api`, dispatcher: mockAgent(), retry: { retries: 2, initialDelayMs: 1 } });

  it('maps 400 "not the most up-to-date revision" to NIFI_STALE_REVISION and other 400s to BAD_REQUEST', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: /\/nifi-api\/processors\/p1$/, method: 'PUT' }).reply(400, '[0, c1, p1] is not the most up-to-date revision. This component appears to have been modified.');
    pool.intercept({ path: /\/nifi-api\/processors\/p1$/, method: 'PUT' }).reply(400, 'Scheduling Period is not a valid time duration');
    const nifi = anonymous();
    const entity = { id: 'p1', revision: { version: 0 }, component: { id: 'p1' } };
    await expect(nifi.processors.update(entity, { name: 'x' })).rejects.toMatchObject({ code: 'NIFI_STALE_REVISION', status: 400, method: 'PUT' });
    await expect(nifi.processors.update(entity, { name: 'x' })).rejects.toMatchObject({ code: 'BAD_REQUEST', status: 400 });
  });

  it('maps 409 to NIFI_CONFLICT with a hint on what to do', async () => {
    mockAgent().get(origin).intercept({ path: (path: string) => path.startsWith('/nifi-api/processors/p1?') && path.includes('version=3'), method: 'DELETE' }).reply(409, 'p1 is running');
    const error = await anonymous()
      .processors.delete({ id: 'p1', revision: { version: 3 }, component: { id: 'p1' } })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NIFI_CONFLICT', status: 409, responseBody: 'p1 is running' });
    expect((error as HttpError).hint).toMatch(/stop it/);
  });

  it('retries reads through a NiFi restart (503, connection reset) but not a POST that may have been applied', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/nifi-api/flow/about', method: 'GET' }).reply(503, 'NiFi is starting');
    pool.intercept({ path: '/nifi-api/flow/about', method: 'GET' }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    pool.intercept({ path: '/nifi-api/flow/about', method: 'GET' }).reply(200, about, json);
    const nifi = anonymous();
    await expect(nifi.system.about()).resolves.toMatchObject({ title: 'NiFi' });

    pool.intercept({ path: '/nifi-api/parameter-contexts', method: 'POST' }).reply(503, 'busy');
    await expect(nifi.parameterContexts.create({ name: 'x' })).rejects.toMatchObject({ code: 'UNAVAILABLE', isRetryable: true });
  });

  it('times out a NiFi that stops answering (after repeating the GET once)', async () => {
    mockAgent().get(origin).intercept({ path: '/nifi-api/flow/about', method: 'GET' }).reply(200, about, json).delay(1000).times(2);
    const nifi = createNifiClient({ baseUrl: `${origin}/nifi-api`, dispatcher: mockAgent(), timeoutMs: 50 });
    await expect(nifi.system.about()).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('names a missing path parameter in the typed API', async () => {
    const nifi = anonymous();
    // @ts-expect-error the id is required by the spec
    await expect(nifi.api.get('/processors/{id}', { path: {} })).rejects.toThrow('needs the path parameter "id"');
  });

  it('refuses half-given credentials', () => {
    expect(() => createNifiClient({ baseUrl: `${origin}/nifi-api`, auth: { username: 'x', password: '' } })).toThrow(/username and auth.password/);
  });
});

describe('createNifiClient middleware and flow definitions', () => {
  it('keeps the onRequest option (before other middleware) and shows it the login too', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/nifi-api/access/token', method: 'POST' }).reply(201, jwt(3600), { headers: { 'content-type': 'text/plain' } });
    pool.intercept({ path: '/nifi-api/flow/about', method: 'GET' }).reply(200, about, json);
    const order: string[] = [];
    const nifi = createNifiClient({
      baseUrl: `${origin}/nifi-api`,
      auth: { username: 'dataplat', password: 'a-long-enough-password' },
      dispatcher: mockAgent(),
      onRequest: ({ method, url }) => void order.push(`option ${method} ${new URL(url).pathname}`),
      middleware: [{ onRequest: ({ method, url }) => void order.push(`middleware ${method} ${new URL(url).pathname}`) }],
    });
    const remove = nifi.use({ onResponse: ({ status, url }) => void order.push(`use ${status} ${new URL(url).pathname}`) });
    await nifi.system.about();
    remove();
    expect(order).toEqual([
      'option POST /nifi-api/access/token',
      'middleware POST /nifi-api/access/token',
      'use 201 /nifi-api/access/token',
      'option GET /nifi-api/flow/about',
      'middleware GET /nifi-api/flow/about',
      'use 200 /nifi-api/flow/about',
    ]);
  });

  it('reads a downloaded flow definition whatever content type NiFi labels it with', async () => {
    const definition = { flowContents: { name: 'ingest', processors: [] } };
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/nifi-api/process-groups/g1/download?includeReferencedServices=false', method: 'GET' }).reply(200, JSON.stringify(definition), json);
    pool.intercept({ path: '/nifi-api/process-groups/g2/download?includeReferencedServices=true', method: 'GET' }).reply(200, JSON.stringify(definition), { headers: { 'content-type': 'application/octet-stream' } });
    pool.intercept({ path: '/nifi-api/process-groups/g3/download?includeReferencedServices=false', method: 'GET' }).reply(200, '<html>login</html>', { headers: { 'content-type': 'text/html' } });
    const nifi = createNifiClient({ baseUrl: `${origin}/nifi-api`, dispatcher: mockAgent() });
    expect(await nifi.processGroups.download('g1')).toEqual(definition);
    expect(await nifi.processGroups.download('g2', { includeReferencedServices: true })).toEqual(definition);
    await expect(nifi.processGroups.download('g3')).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
  });
});

describe('NiFi waits through transient failures', () => {
  const statusPath = '/nifi-api/flow/process-groups/g1/status?recursive=true';
  const idle = { processGroupStatus: { aggregateSnapshot: { flowFilesQueued: 0, activeThreadCount: 0, terminatedThreadCount: 0 } } };
  const anonymous = () => createNifiClient({ baseUrl: `${origin}/nifi-api`, dispatcher: mockAgent(), retry: { retries: 1, initialDelayMs: 1 }, timeoutMs: 100 });

  it('waitUntilIdle rides out a restart (refused, 503) and a stalled answer, then reports idle', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: statusPath, method: 'GET' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).times(2);
    pool.intercept({ path: statusPath, method: 'GET' }).reply(503, 'starting').times(2);
    pool.intercept({ path: statusPath, method: 'GET' }).reply(200, idle, json).delay(5000).times(2);
    pool.intercept({ path: statusPath, method: 'GET' }).reply(200, idle, json).persist();
    await expect(anonymous().processGroups.waitUntilIdle('g1', { settleMs: 0, waitTimeoutMs: 30_000 })).resolves.toMatchObject({ flowFilesQueued: 0 });
  });

  it('waitUntilIdle stops at once when the group is gone (404)', async () => {
    mockAgent().get(origin).intercept({ path: statusPath, method: 'GET' }).reply(404, 'Unable to locate group with id g1.');
    await expect(anonymous().processGroups.waitUntilIdle('g1', { waitTimeoutMs: 30_000 })).rejects.toMatchObject({ status: 404 });
  });
});
