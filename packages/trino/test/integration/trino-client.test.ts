// @dataplat/trino against the real Trino 476 of @dataplat/stack: the core cases (shared with the cluster suite),
// then what only the single node has — retries through a flaky proxy, middleware, HTTPS authentication.
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordWireRequests } from '@dataplat/stack';
import { Agent } from 'undici';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import type { MiddlewareRequest, MiddlewareResponse } from '@dataplat/core';
import { createTrinoClient } from '@dataplat/trino';
import { describeTrinoClientCases, waitUntilNotRunning } from '../trino-client-cases.ts';

const trinoEndpoint = inject('stackEndpoints').trino!;
const trino = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });
afterAll(() => trino.close());

describeTrinoClientCases('@dataplat/trino against the real Trino', () => trinoEndpoint);

describe('@dataplat/trino retries against the real Trino', () => {
  it('retries through 502/503/504 from a flaky proxy without losing or repeating rows', async () => {
    const proxy = await flakyProxy(new URL(trinoEndpoint.url));
    const flaky = createTrinoClient({ server: proxy.url, user: trinoEndpoint.user, retry: { retries: 5, initialDelayMs: 5 } });
    try {
      const sql = 'SELECT orderkey, linenumber FROM tpch.tiny.lineitem ORDER BY orderkey, linenumber';
      const direct = await trino.query(sql, { rowMode: 'array' }).all();
      const throughProxy = await flaky.query(sql, { rowMode: 'array' }).all();
      expect(proxy.failuresInjected()).toBeGreaterThan(3);
      expect(throughProxy.length).toBe(direct.length);
      expect(throughProxy).toEqual(direct);
    } finally {
      await flaky.close();
      await proxy.close();
    }
  });
});


describe('@dataplat/trino middleware against the real Trino', () => {
  it('sees every request of a query: the POST, every nextUri page, retries, and the DELETE of a cancel', async () => {
    const agent = new Agent();
    const wire = recordWireRequests(agent, 'x-dataplat-trace');
    const requests: MiddlewareRequest[] = [];
    const responses: MiddlewareResponse[] = [];
    const client = createTrinoClient({
      server: trinoEndpoint.url,
      user: trinoEndpoint.user,
      dispatcher: wire.dispatcher,
      middleware: [{ onRequest: (request) => void requests.push(request), onResponse: (response) => void responses.push(response) }],
    });
    client.use({ onRequest: ({ attempt }) => ({ 'x-dataplat-trace': `attempt-${attempt}` }) });
    const described = (list: Array<{ method: string; url: string }>) => list.map(({ method, url }) => `${method} ${new URL(url).pathname}`);
    try {
      // Many pages: the direct protocol, a whole table (Trino sends ~1 MB per page, and queued/running polls first).
      const rows = await client.query('SELECT orderkey, linenumber, comment FROM tpch.tiny.lineitem', { encoding: false, rowMode: 'array' }).all();
      expect(rows).toHaveLength(60_175);
      const pages = described(responses).slice(1);
      expect(described(responses)[0]).toBe('POST /v1/statement');
      expect(pages.length).toBeGreaterThan(3);
      for (const page of pages) expect(page).toMatch(/^GET \/v1\/statement\/(queued|executing)\/\d+_\d+_\d+_\w+\/[^/]+\/\d+$/);
      expect(responses.every((response) => response.status === 200 && response.service === 'Trino')).toBe(true);
      // Every page fetch middleware saw is one that went out, and the other way round.
      expect(wire.sent.map(({ method, path }) => `${method} ${path}`)).toEqual(described(requests));
      expect(wire.sent.every(({ header }) => header === 'attempt-1')).toBe(true);

      // Leaving the loop early cancels the query on the server: that DELETE goes through middleware too.
      requests.length = 0;
      responses.length = 0;
      wire.sent.length = 0;
      const cancelled = client.query('SELECT * FROM tpch.sf1.lineitem', { encoding: false });
      let seen = 0;
      for await (const _ of cancelled) if (++seen === 1000) break;
      expect(await waitUntilNotRunning(trino, await cancelled.id())).toMatch(/^(FAILED|FINISHED)$/);
      // A page fetched ahead may still be on its way when the loop ends: wait until it is answered.
      await vi.waitFor(() => expect(responses).toHaveLength(requests.length));
      const deletes = responses.filter((response) => response.method === 'DELETE');
      expect(deletes).toHaveLength(1);
      expect(new URL(deletes[0]!.url).pathname).toMatch(/^\/v1\/statement\/executing\//);
      expect(deletes[0]!.status).toBeLessThan(300);
      expect(wire.sent.map(({ method, path }) => `${method} ${path}`)).toEqual(described(requests));
    } finally {
      await client.close();
      await agent.close();
    }
  });

  it('sees the retries of requests a flaky proxy answers with 502/503/504', async () => {
    const proxy = await flakyProxy(new URL(trinoEndpoint.url));
    const statuses: number[] = [];
    const attempts: number[] = [];
    const flaky = createTrinoClient({ server: proxy.url, user: trinoEndpoint.user, retry: { retries: 5, initialDelayMs: 5 } });
    flaky.use({ onRequest: ({ attempt }) => void attempts.push(attempt), onResponse: ({ status }) => void statuses.push(status) });
    try {
      await flaky.query('SELECT orderkey FROM tpch.tiny.orders', { rowMode: 'array' }).all();
      // Every answer the proxy gave, its injected failures included, was shown; each failure was followed by a retry.
      expect(statuses.filter((status) => status >= 502)).toHaveLength(proxy.failuresInjected());
      expect(proxy.failuresInjected()).toBeGreaterThan(0);
      expect(attempts.filter((attempt) => attempt > 1)).toHaveLength(proxy.failuresInjected());
    } finally {
      await flaky.close();
      await proxy.close();
    }
  });
});

/** A loopback HTTP proxy in front of Trino that answers every second request with 502, 503 or 504. */
async function flakyProxy(target: URL): Promise<{ url: string; failuresInjected(): number; close(): Promise<void> }> {
  let requests = 0;
  let failures = 0;
  const statuses = [502, 503, 504];
  const server: Server = createServer((incoming, outgoing) => {
    requests++;
    if (requests % 2 === 0) {
      failures++;
      incoming.resume();
      outgoing.writeHead(statuses[failures % 3]!, { 'content-type': 'text/plain' }).end('injected failure');
      return;
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (response) => {
      // Trino's nextUri must point back at the proxy for the next page to go through it too.
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8').replaceAll(target.origin, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        const headers = { ...response.headers };
        delete headers['content-length'];
        outgoing.writeHead(response.statusCode ?? 500, headers).end(body);
      });
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failuresInjected: () => failures,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}


describe('@dataplat/trino authentication against the real Trino (HTTPS)', () => {
  const https = trinoEndpoint.https;

  it('authenticates with a password over HTTPS, trusting the stack CA (verification on)', async () => {
    const ca = await readFile(https.caCertificateFile, 'utf8');
    const client = createTrinoClient({ server: https.url, auth: { username: https.username, password: https.password }, tls: { ca } });
    expect(await client.query('SELECT current_user AS user').first()).toEqual({ user: https.username });
    await client.close();

    const wrong = createTrinoClient({ server: https.url, auth: { username: https.username, password: 'not-the-password' }, tls: { ca } });
    const error = await wrong.query('SELECT 1').all().catch((caught: unknown) => caught);
    await wrong.close();
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(JSON.stringify({ message: (error as Error).message, body: (error as { responseBody?: string }).responseBody })).not.toContain('not-the-password');

    const untrusting = createTrinoClient({ server: https.url, auth: { username: https.username, password: https.password }, retry: false });
    await expect(untrusting.query('SELECT 1').all()).rejects.toMatchObject({ code: 'NETWORK' });
    await untrusting.close();
  });

  it('authenticates with a JWT bearer token, renewed through a token function after a 401', async () => {
    const ca = await readFile(https.caCertificateFile, 'utf8');
    const key = Buffer.from((await readFile(https.jwtKeyFile, 'utf8')).trim(), 'base64');
    const sign = (subject: string, expiresInSeconds: number) => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: subject, exp: Math.floor(Date.now() / 1000) + expiresInSeconds })}`;
      return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
    };
    const tokens = [sign('jwt-user', -60), sign('jwt-user', 600)];
    let asked = 0;
    const client = createTrinoClient({ server: https.url, user: 'jwt-user', auth: { token: () => tokens[Math.min(asked++, 1)]! }, tls: { ca } });
    // The first token is already expired: Trino answers 401, the function is asked again.
    expect(await client.query('SELECT current_user AS user').first()).toEqual({ user: 'jwt-user' });
    expect(asked).toBeGreaterThanOrEqual(2);
    await client.close();

    const forged = createTrinoClient({ server: https.url, user: 'jwt-user', auth: { token: `${sign('jwt-user', 600).slice(0, -4)}AAAA` }, tls: { ca } });
    await expect(forged.query('SELECT 1').all()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await forged.close();
  });
});
