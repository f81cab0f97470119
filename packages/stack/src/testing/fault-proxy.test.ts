// The fault proxy against a local HTTP server: each kind of fault does what it says (and is counted), and
// the core transport's retry rules hold through it — GETs are repeated, a POST the server acted on is not.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpTransport, pollUntil, type HttpTransport } from '@dataplat/core';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './fault-proxy.ts';
import { FaultTally } from './fault-tally.ts';

let server: Server;
let origin: string;
/** Requests the real server handled (method and path), in order. */
let handled: string[];
let proxy: FaultProxy | undefined;
let transport: HttpTransport | undefined;

beforeEach(async () => {
  handled = [];
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      handled.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ path: request.url, host: request.headers.host, body: Buffer.concat(chunks).toString('utf8'), self: `${origin}/next` }));
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await transport?.close();
  await proxy?.close();
  transport = undefined;
  proxy = undefined;
  server.closeAllConnections();
  await new Promise((resolvePromise) => server.close(resolvePromise));
});

async function through(options: Omit<FaultProxyOptions, 'target'>, timeoutMs = 1000) {
  proxy = await startFaultProxy({ target: origin, ...options });
  const retries: string[] = [];
  transport = createHttpTransport({ baseUrl: proxy.url, timeoutMs, retry: { retries: 3, initialDelayMs: 1 }, onRetry: (event) => retries.push(event.reason) });
  return { proxy, transport, retries };
}

describe('the fault proxy', () => {
  it('forwards requests and bodies unchanged without faults, keeping the client Host header', async () => {
    const { proxy, transport } = await through({});
    const answer = await transport.request<{ body: string; host: string }>({ method: 'POST', path: '/items?x=1', body: { json: { name: 'a' } } });
    expect(answer.body).toMatchObject({ body: '{"name":"a"}', host: new URL(proxy.url).host });
    expect(handled).toEqual(['POST /items?x=1']);
    expect(proxy.requests).toEqual([{ method: 'POST', path: '/items?x=1', fault: undefined }]);
  });

  it('answers a burst of 503s itself; the transport repeats the GET through it', async () => {
    const { proxy, transport, retries } = await through({ rules: [{ kind: 'status-503', burst: 2, limit: 1 }] });
    await expect(transport.request({ method: 'GET', path: '/status' })).resolves.toMatchObject({ status: 200 });
    expect(retries).toEqual(['HTTP 503', 'HTTP 503']);
    expect(proxy.faults['status-503']).toBe(2);
    expect(handled).toEqual(['GET /status']);
  });

  it('resets a GET before forwarding it, and the transport repeats it', async () => {
    const { proxy, transport, retries } = await through({ rules: [{ kind: 'reset-before-body', limit: 1 }] });
    await expect(transport.request({ method: 'GET', path: '/read' })).resolves.toMatchObject({ status: 200 });
    expect(retries).toEqual(['NETWORK']);
    expect(proxy.faults['reset-before-body']).toBe(1);
    expect(handled).toEqual(['GET /read']);
  });

  it('resets a POST after the server acted on it, and the transport does not send it again', async () => {
    const { proxy, transport, retries } = await through({ rules: [{ kind: 'reset-after-body', match: ({ method }) => method === 'POST' }] });
    await expect(transport.request({ method: 'POST', path: '/create', body: { json: {} } })).rejects.toMatchObject({ code: 'NETWORK', method: 'POST' });
    expect(handled).toEqual(['POST /create']);
    expect(retries).toEqual([]);
    expect(proxy.faults['reset-after-body']).toBe(1);
  });

  it('stalls past the client timeout and still delivers the request late; a GET is repeated, a POST is not', async () => {
    const rules = (['GET', 'POST'] as const).map((method) => ({ kind: 'stall' as const, limit: 1, match: (request: { method: string }) => request.method === method }));
    const { proxy, transport, retries } = await through({ rules, stallMs: 400 }, 150);
    await expect(transport.request({ method: 'GET', path: '/slow' })).resolves.toMatchObject({ status: 200 });
    expect(retries).toEqual(['TIMEOUT']);
    await expect(transport.request({ method: 'POST', path: '/slow-create', body: { json: {} } })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(retries).toEqual(['TIMEOUT']);
    await pollUntil(async () => (handled.includes('POST /slow-create') ? { done: true, value: undefined } : { done: false }), { description: 'the stalled POST to arrive', timeoutMs: 5000, initialIntervalMs: 20 });
    expect(handled.filter((entry) => entry === 'POST /slow-create')).toHaveLength(1);
    expect(proxy.faults.stall).toBe(2);
  });

  it('black-holes a request: no answer until the client times out, nothing forwarded', async () => {
    const { proxy, transport } = await through({ rules: [{ kind: 'black-hole' }] }, 100);
    await expect(transport.request({ method: 'POST', path: '/void', body: { json: {} } })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(handled).toEqual([]);
    expect(proxy.faults['black-hole']).toBe(1);
  });

  it('adds latency and rewrites origins in JSON answers', async () => {
    const { proxy, transport } = await through({ rules: [{ kind: 'latency' }], latencyMs: 50, rewriteResponses: [{ from: origin, to: 'http://elsewhere.test' }] });
    const answer = await transport.request<{ self: string }>({ method: 'GET', path: '/page' });
    expect(answer.body.self).toBe('http://elsewhere.test/next');
    expect(proxy.faults.latency).toBe(1);
  });

  it('refuses connections during an outage, then serves again; a wait rides it out', async () => {
    const { proxy, transport } = await through({});
    const outage = proxy.outage(300);
    const seen = await pollUntil(
      async (signal) => ({ done: true, value: (await transport.request<{ path: string }>({ method: 'GET', path: '/after-restart', signal })).body.path }),
      { description: 'the service to come back', timeoutMs: 10_000, initialIntervalMs: 50 },
    );
    await outage;
    expect(seen).toBe('/after-restart');
    expect(proxy.faults.refused).toBe(1);
  });

  it('draws the same faults for the same seed', async () => {
    const draw = async (seed: number) => {
      const started = await through({ seed, rules: [{ kind: 'status-502', probability: 0.5 }] });
      for (let index = 0; index < 12; index++) await started.transport.request({ method: 'GET', path: `/${index}` }).catch(() => undefined);
      const faults = started.proxy.requests.map((request) => request.fault ?? '-').join(',');
      await started.transport.close();
      await started.proxy.close();
      transport = undefined;
      proxy = undefined;
      return faults;
    };
    const first = await draw(7);
    expect(first).toContain('status-502');
    expect(await draw(7)).toBe(first);
  });
});

describe('FaultTally', () => {
  it('counts outcomes, copies and hangs, and prints them', async () => {
    const tally = new FaultTally();
    expect(await tally.run(1000, async () => 'done')).toEqual({ ok: true, value: 'done' });
    expect(await tally.run(1000, async () => Promise.reject(Object.assign(new Error('reset'), { code: 'NETWORK' })))).toMatchObject({ ok: false });
    expect(await tally.run(10, () => new Promise(() => undefined), 10)).toMatchObject({ ok: false });
    tally.countCopies(1);
    tally.countCopies(3);
    tally.countRetry();
    const { proxy } = await through({});
    expect(tally.report('unit', [proxy])).toBe(
      [
        'fault injection — unit',
        '  faults injected: none (of 0 proxied requests)',
        '  operations: 3 (succeeded 1, failed 2: NETWORK=1)',
        '  retries: 1  duplicates: 2  hangs: 1',
      ].join('\n'),
    );
  });
});
