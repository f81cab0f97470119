// Middleware on the transport against a mock server (undici MockAgent): hook order, added headers,
// retries and logins seen, failures reported, removal, and no secret ever handed to a hook.
import { describe, expect, it } from 'vitest';
import { tokenAuthentication } from '../auth/token-authentication.ts';
import { createHttpTransport, type HttpTransportOptions } from './http-transport.ts';
import { MiddlewareError, type HttpMiddleware, type MiddlewareFailure, type MiddlewareRequest, type MiddlewareResponse } from './middleware.ts';
import { useMockAgent } from '../../test/mock-agent.ts';

const mockAgent = useMockAgent();

// https: the transport refuses credentials over plain http to a remote host (credential-policy.test.ts).
const origin = 'https://service.test';
const json = { headers: { 'content-type': 'application/json' } };



function transport(extra: Partial<HttpTransportOptions> = {}) {
  return createHttpTransport({ baseUrl: `${origin}/api`, serviceName: 'Service', dispatcher: mockAgent(), sleep: async () => undefined, ...extra });
}

/** A middleware that writes down everything it is shown. */
function recorder(name: string, log: string[]) {
  const requests: MiddlewareRequest[] = [];
  const responses: MiddlewareResponse[] = [];
  const failures: MiddlewareFailure[] = [];
  const middleware: HttpMiddleware = {
    onRequest: (request) => void (requests.push(request), log.push(`${name}.onRequest`)),
    onResponse: (response) => void (responses.push(response), log.push(`${name}.onResponse`)),
    onError: (failure) => void (failures.push(failure), log.push(`${name}.onError`)),
  };
  return { middleware, requests, responses, failures };
}

describe('transport middleware', () => {
  it('runs onRequest in the order added and onResponse in reverse, with method, redacted URL, status and duration', async () => {
    mockAgent().get(origin).intercept({ path: '/api/items?token=s3cr3t-value&page=2', method: 'GET' }).reply(200, { items: [] }, json);
    const log: string[] = [];
    const first = recorder('first', log);
    const second = recorder('second', log);
    const client = transport({ middleware: [first.middleware] });
    client.use(second.middleware);
    await expect(client.request({ method: 'GET', path: '/items', query: { token: 's3cr3t-value', page: 2 } })).resolves.toMatchObject({ body: { items: [] } });
    expect(log).toEqual(['first.onRequest', 'second.onRequest', 'second.onResponse', 'first.onResponse']);
    expect(first.requests).toEqual([{ service: 'Service', method: 'GET', url: `${origin}/api/items?token=[REDACTED]&page=2`, attempt: 1 }]);
    expect(first.responses).toEqual([{ service: 'Service', method: 'GET', url: `${origin}/api/items?token=[REDACTED]&page=2`, attempt: 1, status: 200, durationMs: expect.any(Number) }]);
    expect(first.responses[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(first.failures).toEqual([]);
  });

  it('sends the headers onRequest adds, without replacing the request\'s own headers or its credentials', async () => {
    let seen: Record<string, unknown> = {};
    mockAgent()
      .get(origin)
      .intercept({ path: '/api/traced', method: 'POST' })
      .reply((request) => {
        seen = request.headers as Record<string, unknown>;
        return { statusCode: 201, data: {}, responseOptions: json };
      });
    const log: string[] = [];
    const watcher = recorder('watcher', log);
    const client = transport({
      authentication: { headers: async () => ({ authorization: 'Bearer the-real-token' }) },
      middleware: [
        { onRequest: () => ({ 'X-Trace-Id': 'trace-1', 'x-request-kind': 'from-middleware', authorization: 'Bearer forged' }) },
        { onRequest: async () => ({ 'x-second': 'two' }) },
        watcher.middleware,
      ],
    });
    await client.request({ method: 'POST', path: '/traced', headers: { 'X-Request-Kind': 'from-request' }, body: { json: {} } });
    expect(seen).toMatchObject({ 'x-trace-id': 'trace-1', 'x-second': 'two', 'X-Request-Kind': 'from-request', authorization: 'Bearer the-real-token' });
    expect(seen['x-request-kind']).toBeUndefined();
    // Hooks see no headers at all, so no credential can reach them.
    expect(JSON.stringify([watcher.requests, watcher.responses])).not.toContain('the-real-token');
  });

  it('shows every attempt: a 503 and its retry, a connection reset (onError) and its retry', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/flaky', method: 'GET' }).reply(503, 'busy');
    pool.intercept({ path: '/api/flaky', method: 'GET' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    pool.intercept({ path: '/api/flaky', method: 'GET' }).reply(200, { ok: true }, json);
    const log: string[] = [];
    const watcher = recorder('watcher', log);
    const client = transport({ middleware: [watcher.middleware] });
    await expect(client.request({ method: 'GET', path: '/flaky' })).resolves.toMatchObject({ body: { ok: true } });
    expect(log).toEqual(['watcher.onRequest', 'watcher.onResponse', 'watcher.onRequest', 'watcher.onError', 'watcher.onRequest', 'watcher.onResponse']);
    expect(watcher.requests.map((request) => request.attempt)).toEqual([1, 2, 3]);
    expect(watcher.responses.map((response) => response.status)).toEqual([503, 200]);
    expect(watcher.failures).toEqual([expect.objectContaining({ attempt: 2, error: expect.objectContaining({ code: 'NETWORK' }) })]);
  });

  it('sees the login a request needs, and the repeat after a 401, but never the password or the tokens', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/access/token', method: 'POST' }).reply(200, 'first-token-value', { headers: { 'content-type': 'text/plain' } });
    pool.intercept({ path: '/api/things', method: 'GET' }).reply(401, 'expired');
    pool.intercept({ path: '/api/access/token', method: 'POST' }).reply(200, 'second-token-value', { headers: { 'content-type': 'text/plain' } });
    pool.intercept({ path: '/api/things', method: 'GET' }).reply(200, [], json);
    const log: string[] = [];
    const watcher = recorder('watcher', log);
    const client = transport({
      middleware: [watcher.middleware],
      authentication: (self) =>
        tokenAuthentication({
          secrets: ['the-password'],
          defaultLifetimeMs: 60_000,
          login: async (signal) =>
            (await self.request<string>({ method: 'POST', path: '/access/token', body: { form: { username: 'ana', password: 'the-password' } }, responseType: 'text', anonymous: true, signal })).body,
        }),
    });
    await client.request({ method: 'GET', path: '/things' });
    expect(watcher.responses.map(({ method, url, status, attempt }) => `${method} ${new URL(url).pathname} ${status} #${attempt}`)).toEqual([
      'POST /api/access/token 200 #1',
      'GET /api/things 401 #1',
      'POST /api/access/token 200 #1',
      'GET /api/things 200 #2',
    ]);
    const shown = JSON.stringify([watcher.requests, watcher.responses]);
    for (const secret of ['the-password', 'first-token-value', 'second-token-value']) expect(shown).not.toContain(secret);
  });

  it('stops calling middleware once removed, through the remover use() returns or through eject', async () => {
    mockAgent().get(origin).intercept({ path: '/api/ping', method: 'GET' }).reply(204, '').times(3);
    const log: string[] = [];
    const first = recorder('first', log);
    const second = recorder('second', log);
    const client = transport();
    const removeFirst = client.use(first.middleware);
    client.use(second.middleware);
    await client.request({ method: 'GET', path: '/ping' });
    removeFirst();
    await client.request({ method: 'GET', path: '/ping' });
    client.eject(second.middleware);
    await client.request({ method: 'GET', path: '/ping' });
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(2);
  });

  it('does not send added headers to third-party URLs (presigned storage links), but still shows those requests', async () => {
    let seen: Record<string, unknown> = {};
    mockAgent()
      .get('http://storage.test')
      .intercept({ path: '/bucket/segment?X-Amz-Signature=abcdef123456', method: 'GET' })
      .reply((request) => {
        seen = request.headers as Record<string, unknown>;
        return { statusCode: 200, data: 'rows' };
      });
    const log: string[] = [];
    const watcher = recorder('watcher', log);
    const client = transport({ middleware: [{ onRequest: () => ({ 'x-trace-id': 'trace-1' }) }, watcher.middleware] });
    await client.request({ method: 'GET', path: 'http://storage.test/bucket/segment?X-Amz-Signature=abcdef123456', omitDefaultHeaders: true, responseType: 'text' });
    expect(seen['x-trace-id']).toBeUndefined();
    expect(watcher.requests[0]?.url).toBe('http://storage.test/bucket/segment?X-Amz-Signature=[REDACTED]');
  });

  it('fails the request with MIDDLEWARE_FAILED when a hook throws, without retrying it', async () => {
    mockAgent().get(origin).intercept({ path: '/api/once', method: 'GET' }).reply(503, 'busy');
    const client = transport({
      middleware: [
        {
          onResponse: () => {
            throw new Error('metrics backend down');
          },
        },
      ],
    });
    const error = await client.request({ method: 'GET', path: '/once' }).catch((caught: unknown) => caught);
    expect(MiddlewareError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'MIDDLEWARE_FAILED', hook: 'onResponse' });
    expect((error as Error).message).toContain('metrics backend down');
  });

  it('refuses an unusable header from onRequest and a middleware without hooks', async () => {
    const client = transport({ middleware: [{ onRequest: () => ({ 'bad header': 'x' }) }] });
    await expect(client.request({ method: 'GET', path: '/never' })).rejects.toMatchObject({ code: 'MIDDLEWARE_FAILED', hook: 'onRequest' });
    expect(() => client.use({} as HttpMiddleware)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    expect(() => client.use({ onRequest: 'not a function' } as unknown as HttpMiddleware)).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });
});
