// The transport against a mock server (undici MockAgent): bodies, retries, timeouts, redirects, credentials, redaction, middleware.
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DataplatError } from '../errors/dataplat-error.ts';
import { HttpError, RequestFailedError } from './http-errors.ts';
import { createHttpTransport, type HttpTransportOptions, type RetryEvent } from './http-transport.ts';
import { useMockAgent } from '../../test/mock-agent.ts';

const mockAgent = useMockAgent();

// https: the transport refuses credentials over plain http to a remote host (credential-policy.test.ts).
const origin = 'https://service.test';



function transport(extra: Partial<HttpTransportOptions> = {}) {
  const sleeps: number[] = [];
  const retries: RetryEvent[] = [];
  const client = createHttpTransport({
    baseUrl: `${origin}/api`,
    serviceName: 'Service',
    dispatcher: mockAgent(),
    sleep: async (milliseconds) => void sleeps.push(milliseconds),
    onRetry: (event) => retries.push(event),
    ...extra,
  });
  return { client, sleeps, retries };
}

const json = { headers: { 'content-type': 'application/json' } };

describe('createHttpTransport', () => {
  it('sends JSON with query parameters and parses a JSON answer', async () => {
    let seen: { body: unknown; headers: unknown } | undefined;
    mockAgent()
      .get(origin)
      .intercept({ path: '/api/items?recursive=true&tag=a&tag=b', method: 'POST' })
      .reply((request) => {
        seen = { body: JSON.parse(String(request.body)), headers: request.headers };
        return { statusCode: 201, data: { id: '1' }, responseOptions: json };
      });
    const { client } = transport({ userAgent: 'dataplat-test/1' });
    const response = await client.request({
      method: 'POST',
      path: '/items',
      query: { recursive: true, tag: ['a', 'b'], absent: undefined },
      body: { json: { name: 'x' } },
    });
    expect(response).toMatchObject({ status: 201, body: { id: '1' } });
    expect(seen?.body).toEqual({ name: 'x' });
    expect(seen?.headers).toMatchObject({ 'content-type': 'application/json', 'user-agent': 'dataplat-test/1' });
  });

  it('retries an idempotent request on 503 with growing, jittered backoff, then succeeds', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/flaky', method: 'GET' }).reply(503, 'busy');
    pool.intercept({ path: '/api/flaky', method: 'GET' }).reply(502, 'bad gateway');
    pool.intercept({ path: '/api/flaky', method: 'GET' }).reply(200, { ok: true }, json);
    const { client, sleeps, retries } = transport({ retry: { retries: 3, initialDelayMs: 100, maxDelayMs: 1000 } });
    await expect(client.request({ method: 'GET', path: '/flaky' })).resolves.toMatchObject({ body: { ok: true } });
    expect(retries.map((event) => event.reason)).toEqual(['HTTP 503', 'HTTP 502']);
    expect(sleeps[0]).toBeGreaterThanOrEqual(50);
    expect(sleeps[0]).toBeLessThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
  });

  it('gives up after the configured retries with the last error', async () => {
    mockAgent().get(origin).intercept({ path: '/api/down', method: 'GET' }).reply(503, 'still down').times(3);
    const { client, retries } = transport({ retry: { retries: 2 } });
    const error = await client.request({ method: 'GET', path: '/down' }).catch((caught: unknown) => caught);
    expect(HttpError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503, method: 'GET', url: `${origin}/api/down`, isRetryable: true });
    expect(retries).toHaveLength(2);
  });

  it('never repeats a POST after a 503 (it may have been processed), but does after a 429 honouring Retry-After', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/create', method: 'POST' }).reply(503, 'maybe processed');
    const { client, sleeps } = transport();
    await expect(client.request({ method: 'POST', path: '/create', body: { json: {} } })).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    pool.intercept({ path: '/api/create', method: 'POST' }).reply(429, 'slow down', { headers: { 'retry-after': '2' } });
    pool.intercept({ path: '/api/create', method: 'POST' }).reply(201, { id: '2' }, json);
    await expect(client.request({ method: 'POST', path: '/create', body: { json: {} } })).resolves.toMatchObject({ status: 201 });
    expect(sleeps).toEqual([2000]);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs', async () => {
    mockAgent().get(origin).intercept({ path: '/api/limited', method: 'GET' }).reply(429, 'later', { headers: { 'retry-after': '3600' } });
    const { client, sleeps } = transport({ retry: { maxRetryAfterMs: 10_000 } });
    await expect(client.request({ method: 'GET', path: '/limited' })).rejects.toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(sleeps).toEqual([]);
  });

  it('retries a GET after a connection reset', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/reset', method: 'GET' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    pool.intercept({ path: '/api/reset', method: 'GET' }).reply(200, 'fine', { headers: { 'content-type': 'text/plain' } });
    const { client, retries } = transport();
    await expect(client.request({ method: 'GET', path: '/reset' })).resolves.toMatchObject({ body: 'fine' });
    expect(retries.map((event) => event.reason)).toEqual(['NETWORK']);
  });

  it('repeats a GET whose large binary body ends before its Content-Length, and reports it as NETWORK when it never arrives whole', async () => {
    const whole = new Uint8Array(70_000).fill(7);
    const pool = mockAgent().get(origin);
    const cutShort = { headers: { 'content-type': 'application/octet-stream', 'content-length': String(whole.length) } };
    pool.intercept({ path: '/api/segment', method: 'GET' }).reply(200, Buffer.from(whole.subarray(0, 65_536)), cutShort);
    pool.intercept({ path: '/api/segment', method: 'GET' }).reply(200, Buffer.from(whole), cutShort);
    const { client, retries } = transport();
    const answer = await client.request<Uint8Array>({ method: 'GET', path: '/segment' });
    expect(answer.body).toEqual(whole);
    expect(retries.map((event) => event.reason)).toEqual(['NETWORK']);

    pool.intercept({ path: '/api/segment', method: 'GET' }).reply(200, Buffer.from(whole.subarray(0, 65_536)), cutShort).times(4);
    const error = await transport().client.request({ method: 'GET', path: '/segment' }).catch((caught: unknown) => caught);
    expect(RequestFailedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NETWORK', method: 'GET', url: `${origin}/api/segment`, isRetryable: true });
    expect((error as Error).message).toContain('ended after 65536 of its 70000 bytes');
  });

  it('does not repeat a POST after a reset (the server may have acted on it)', async () => {
    mockAgent().get(origin).intercept({ path: '/api/once', method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const { client, retries } = transport();
    const error = await client.request({ method: 'POST', path: '/once', body: { json: {} } }).catch((caught: unknown) => caught);
    expect(RequestFailedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NETWORK', method: 'POST', isRetryable: true });
    expect(retries).toEqual([]);
  });

  it('times out a slow answer with code TIMEOUT (transient), after repeating an idempotent request once', async () => {
    mockAgent().get(origin).intercept({ path: '/api/slow', method: 'GET' }).reply(200, 'late').delay(2000).times(2);
    const { client, retries } = transport({ timeoutMs: 50 });
    const error = await client.request({ method: 'GET', path: '/slow' }).catch((caught: unknown) => caught);
    expect(RequestFailedError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TIMEOUT', isRetryable: true });
    expect((error as Error).message).toContain('timed out after 50 ms');
    expect(retries.map((event) => event.reason)).toEqual(['TIMEOUT']);
  });

  it('repeats a GET that timed out and returns the answer of the next attempt', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/stalled', method: 'GET' }).reply(200, 'too late').delay(2000);
    pool.intercept({ path: '/api/stalled', method: 'GET' }).reply(200, { ok: true }, json);
    const { client, retries } = transport({ timeoutMs: 50 });
    await expect(client.request({ method: 'GET', path: '/stalled' })).resolves.toMatchObject({ body: { ok: true } });
    expect(retries.map((event) => event.reason)).toEqual(['TIMEOUT']);
  });

  it('repeats timeouts up to retry.timeoutRetries, within retry.retries', async () => {
    mockAgent().get(origin).intercept({ path: '/api/stuck', method: 'PUT' }).reply(200, 'late').delay(2000).times(3);
    const { client, retries } = transport({ timeoutMs: 40, retry: { retries: 5, timeoutRetries: 2 } });
    await expect(client.request({ method: 'PUT', path: '/stuck', body: { json: {} } })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(retries.map((event) => event.reason)).toEqual(['TIMEOUT', 'TIMEOUT']);
  });

  it('never repeats a POST that timed out (the server may be acting on it)', async () => {
    mockAgent().get(origin).intercept({ path: '/api/slow-create', method: 'POST' }).reply(201, 'late').delay(2000);
    const { client, retries } = transport({ timeoutMs: 50 });
    await expect(client.request({ method: 'POST', path: '/slow-create', body: { json: {} } })).rejects.toMatchObject({ code: 'TIMEOUT', method: 'POST' });
    expect(retries).toEqual([]);
  });

  it('repeats a POST marked retryUnavailable on 502/503/504, but not after a reset', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/statement', method: 'POST' }).reply(503, 'starting');
    pool.intercept({ path: '/api/statement', method: 'POST' }).reply(502, 'gateway');
    pool.intercept({ path: '/api/statement', method: 'POST' }).reply(200, { id: 'q1' }, json);
    const { client, retries } = transport();
    await expect(client.request({ method: 'POST', path: '/statement', body: { text: 'SELECT 1' }, retryUnavailable: true })).resolves.toMatchObject({ body: { id: 'q1' } });
    expect(retries.map((event) => event.reason)).toEqual(['HTTP 503', 'HTTP 502']);

    pool.intercept({ path: '/api/statement', method: 'POST' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(client.request({ method: 'POST', path: '/statement', body: { text: 'SELECT 1' }, retryUnavailable: true })).rejects.toMatchObject({ code: 'NETWORK' });
    expect(retries).toHaveLength(2);
  });

  it('repeats any request whose answer the client classifies as not performed, within the retry budget, and only those', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/api/things', method: 'POST' }).reply(409, 'busy, nothing done, try again');
    pool.intercept({ path: '/api/things', method: 'POST' }).reply(201, { id: 't1' }, json);
    const classifyError = ({ body }: { body: string }) => (body.includes('nothing done') ? { code: 'SERVICE_SETTLING', notPerformed: true } : undefined);
    const { client, retries } = transport({ classifyError, retry: { retries: 2, initialDelayMs: 1 } });
    await expect(client.request({ method: 'POST', path: '/things', body: { json: {} } })).resolves.toMatchObject({ status: 201 });
    expect(retries.map((event) => [event.method, event.reason])).toEqual([['POST', 'HTTP 409']]);

    pool.intercept({ path: '/api/things', method: 'POST' }).reply(409, 'busy, nothing done, try again').times(3);
    const exhausted = await client.request({ method: 'POST', path: '/things', body: { json: {} } }).catch((error: unknown) => error);
    expect(exhausted).toMatchObject({ code: 'SERVICE_SETTLING', status: 409, isRetryable: true });
    // A 409 the client says nothing about stays a conflict, sent once.
    pool.intercept({ path: '/api/things', method: 'POST' }).reply(409, 'already exists');
    await expect(client.request({ method: 'POST', path: '/things', body: { json: {} } })).rejects.toMatchObject({ code: 'CONFLICT', isRetryable: false });
    expect(retries).toHaveLength(3);
  });

  it('stops at once when the caller aborts, with code ABORTED and the reason as cause', async () => {
    mockAgent().get(origin).intercept({ path: '/api/wait', method: 'GET' }).reply(200, 'late').delay(2000);
    const { client } = transport();
    const controller = new AbortController();
    const pending = client.request({ method: 'GET', path: '/wait', signal: controller.signal });
    const reason = new Error('user cancelled');
    setTimeout(() => controller.abort(reason), 20);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED', cause: reason });
  });

  it('renews credentials once on a 401 and repeats the request with them', async () => {
    const seenAuthorization: unknown[] = [];
    const pool = mockAgent().get(origin);
    const reply = (status: number) => (request: { headers?: unknown }) => {
      seenAuthorization.push((request.headers as Record<string, string>).authorization);
      return { statusCode: status, data: status === 200 ? { ok: true } : 'expired', responseOptions: status === 200 ? json : {} };
    };
    pool.intercept({ path: '/api/me', method: 'GET' }).reply(reply(401));
    pool.intercept({ path: '/api/me', method: 'GET' }).reply(reply(200));
    let token = 'token-one-aaaaaaaa';
    const { client } = transport({
      authentication: {
        headers: async () => ({ authorization: `Bearer ${token}` }),
        refresh: async () => {
          token = 'token-two-bbbbbbbb';
          return true;
        },
      },
    });
    await expect(client.request({ method: 'GET', path: '/me' })).resolves.toMatchObject({ body: { ok: true } });
    expect(seenAuthorization).toEqual(['Bearer token-one-aaaaaaaa', 'Bearer token-two-bbbbbbbb']);
  });

  it('reports UNAUTHORIZED when renewed credentials are refused too', async () => {
    mockAgent().get(origin).intercept({ path: '/api/me', method: 'GET' }).reply(401, 'no').times(2);
    let refreshes = 0;
    const { client } = transport({
      authentication: { headers: async () => ({ authorization: 'Bearer x' }), refresh: async () => ++refreshes > 0 },
    });
    await expect(client.request({ method: 'GET', path: '/me' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(refreshes).toBe(1);
  });

  it('never sends credentials to another origin', async () => {
    let authorization: unknown = 'not called';
    mockAgent()
      .get('http://storage.test')
      .intercept({ path: '/segment/1', method: 'GET' })
      .reply((request) => {
        authorization = (request.headers as Record<string, string>).authorization;
        return { statusCode: 200, data: 'x' };
      });
    const { client } = transport({ authentication: { headers: async () => ({ authorization: 'Bearer secret-token' }) } });
    await client.request({ method: 'GET', path: 'http://storage.test/segment/1' });
    expect(authorization).toBeUndefined();
  });

  it('keeps passwords, tokens and secret query parameters out of errors', async () => {
    const password = 'correct-horse-battery';
    mockAgent()
      .get(origin)
      .intercept({ path: '/api/echo?access_token=abc123&page=2', method: 'GET' })
      .reply(400, `bad request for password ${password}, header Bearer eyJhbGciOi.eyJzdWIiOiJ4In0.c2lnbmF0dXJl`);
    const { client } = transport({
      authentication: { headers: async () => ({ authorization: `Bearer ${password}` }), secrets: () => [password] },
    });
    const error = await client.request({ method: 'GET', path: '/echo', query: { access_token: 'abc123', page: 2 } }).catch((caught: unknown) => caught);
    const everything = JSON.stringify({ ...(error as object), message: (error as Error).message });
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('abc123');
    expect(everything).not.toContain('eyJhbGciOi');
    expect(error).toMatchObject({ code: 'BAD_REQUEST', url: `${origin}/api/echo?access_token=[REDACTED]&page=2` });
  });

  it('truncates long error bodies', async () => {
    mockAgent().get(origin).intercept({ path: '/api/big', method: 'GET' }).reply(404, 'x'.repeat(10_000));
    const { client } = transport();
    const error = (await client.request({ method: 'GET', path: '/big' }).catch((caught: unknown) => caught)) as HttpError;
    expect(error.code).toBe('NOT_FOUND');
    expect(error.responseBody.length).toBeLessThan(2100);
    expect(error.responseBody).toContain('8000 more characters');
  });

  it('lets the API client refine the error code', async () => {
    mockAgent().get(origin).intercept({ path: '/api/thing', method: 'PUT' }).reply(400, 'Invalid Revision given');
    const { client } = transport({
      classifyError: ({ status, body }) => (status === 400 && body.includes('Revision') ? { code: 'STALE', hint: 'Re-read it.' } : undefined),
    });
    await expect(client.request({ method: 'PUT', path: '/thing', body: { json: {} } })).rejects.toMatchObject({ code: 'STALE', hint: 'Re-read it.' });
  });

  it('names an answer that is not JSON although it says so', async () => {
    mockAgent().get(origin).intercept({ path: '/api/html', method: 'GET' }).reply(200, '<html>login</html>', json);
    const { client } = transport();
    await expect(client.request({ method: 'GET', path: '/html' })).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('does not follow redirects: an API that redirects is misconfigured, and says where to', async () => {
    mockAgent().get(origin).intercept({ path: '/api/login', method: 'GET' }).reply(302, '', { headers: { location: 'https://sso.test/login?token=abc123' } });
    const { client } = transport();
    const error = await client.request({ method: 'GET', path: '/login' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'REDIRECTED', status: 302, isRetryable: false });
    expect((error as Error).message).toContain('https://sso.test/login?token=[REDACTED]');
  });

  it('refuses contradictory or unsafe options', () => {
    expect(() => createHttpTransport({ baseUrl: origin, dispatcher: mockAgent(), tls: { ca: 'x' } })).toThrow(/dispatcher/);
    expect(() => createHttpTransport({ baseUrl: 'not a url' })).toThrow(DataplatError);
    expect(() => createHttpTransport({ baseUrl: 'https://user:pw@host.test' })).toThrow(/credentials/);
  });
});

describe('createHttpTransport against a real closed port', () => {
  it('reports NETWORK with the origin to check after retrying the connection', async () => {
    // Reserve a loopback port and close it again: nothing listens there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const retries: RetryEvent[] = [];
    const client = createHttpTransport({
      baseUrl: `http://127.0.0.1:${port}/api`,
      serviceName: 'Service',
      retry: { retries: 2, initialDelayMs: 1 },
      onRetry: (event) => retries.push(event),
    });
    const error = await client.request({ method: 'POST', path: '/x', body: { json: {} } }).catch((caught: unknown) => caught);
    await client.close();
    expect(error).toMatchObject({ code: 'NETWORK', isRetryable: true });
    expect((error as DataplatError).hint).toContain(`http://127.0.0.1:${port}`);
    // Connection refused happens before anything was sent, so even a POST is retried.
    expect(retries).toHaveLength(2);
  });
});
