// Protocol error paths on undici's MockAgent; every happy path runs against the real Trino in test/integration.
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createTrinoClient } from './create-trino-client.ts';
import { useMockAgent } from '../../../core/test/mock-agent.ts';

const mockAgent = useMockAgent();

const origin = 'http://trino.test:8080';

const json = { headers: { 'content-type': 'application/json' } };
const stats = { state: 'RUNNING' };

describe('createTrinoClient', () => {
  it('refuses to send a password over plain http unless allowed', () => {
    expect(() => createTrinoClient({ server: 'http://trino.internal:8080', auth: { username: 'ana', password: 'secret' } })).toThrow(/plain http/);
    expect(() => createTrinoClient({ server: 'http://trino.internal:8080', auth: { username: 'ana', password: 'secret' }, allowInsecureAuth: true })).not.toThrow();
  });

  it('sends basic credentials and a bearer token only to the coordinator', async () => {
    const seen: unknown[] = [];
    mockAgent()
      .get('https://trino.test:8443')
      .intercept({ path: '/v1/statement', method: 'POST' })
      .reply((request) => {
        seen.push((request.headers as Record<string, string>).authorization);
        return { statusCode: 200, data: { id: 'q1', infoUri: '', stats: { state: 'FINISHED' } }, responseOptions: json };
      });
    const client = createTrinoClient({ server: 'https://trino.test:8443', auth: { username: 'ana', password: 'pw' }, dispatcher: mockAgent() });
    await client.execute('SELECT 1');
    expect(seen).toEqual([`Basic ${Buffer.from('ana:pw').toString('base64')}`]);
  });

  it('throws the query failure even after some pages arrived, and deletes nothing more', async () => {
    const pool = mockAgent().get(origin);
    const columns = [{ name: 'x', type: 'integer', typeSignature: { rawType: 'integer', arguments: [] } }];
    pool.intercept({ path: '/v1/statement', method: 'POST' }).reply(200, { id: 'q2', infoUri: '', nextUri: `${origin}/v1/statement/executing/q2/t/1`, stats }, json);
    pool.intercept({ path: '/v1/statement/executing/q2/t/1', method: 'GET' }).reply(200, { id: 'q2', infoUri: '', nextUri: `${origin}/v1/statement/executing/q2/t/2`, columns, data: [[1], [2]], stats }, json);
    pool.intercept({ path: '/v1/statement/executing/q2/t/2', method: 'GET' }).reply(200, {
      id: 'q2',
      infoUri: '',
      stats: { state: 'FAILED' },
      error: { message: 'Division by zero', errorCode: 8, errorName: 'DIVISION_BY_ZERO', errorType: 'USER_ERROR', errorLocation: { lineNumber: 1, columnNumber: 10 } },
    }, json);
    const client = createTrinoClient({ server: origin, user: 'ana', dispatcher: mockAgent() });
    const rows: unknown[] = [];
    const error = await (async () => {
      for await (const row of client.query('SELECT x / 0 FROM t')) rows.push(row);
    })().catch((caught: unknown) => caught);
    expect(rows).toEqual([{ x: 1 }, { x: 2 }]);
    expect(error).toMatchObject({ code: 'TRINO_QUERY_FAILED', queryId: 'q2', errorName: 'DIVISION_BY_ZERO', location: { lineNumber: 1, columnNumber: 10 } });
    // The caret sits under column 10, the "/".
    expect((error as Error).message).toContain(`line 1:10: SELECT x / 0 FROM t\n${' '.repeat('line 1:10: '.length + 9)}^`);
  });

  it('fetches spooled segments with only their own headers (no Trino credentials), acknowledges them, keeps order', async () => {
    const server = 'https://trino.test:8443';
    const storage = 'http://storage.test:9000';
    const columns = [{ name: 'n', type: 'bigint', typeSignature: { rawType: 'bigint', arguments: [] } }];
    const spooled = (index: number, rows: string) => ({
      type: 'spooled',
      uri: `${storage}/bucket/segment-${index}?X-Amz-Signature=abc`,
      ackUri: `${server}/v1/spooled/ack/${index}`,
      headers: { 'x-amz-server-side-encryption-customer-key': ['a2V5'] },
      metadata: { rowOffset: 0, rowsCount: JSON.parse(rows).length, segmentSize: rows.length },
    });
    const trinoPool = mockAgent().get(server);
    let encodingRequested: unknown;
    trinoPool.intercept({ path: '/v1/statement', method: 'POST' }).reply((request) => {
      encodingRequested = (request.headers as Record<string, string>)['x-trino-query-data-encoding'];
      return {
        statusCode: 200,
        data: { id: 'q3', infoUri: '', columns, data: { encoding: 'json', segments: [spooled(1, '[[1],[2]]'), { type: 'inline', data: Buffer.from('[[3]]').toString('base64'), metadata: { rowOffset: 2, rowsCount: 1, segmentSize: 5 } }, spooled(2, '[[9007199254740993]]')] }, stats },
        responseOptions: json,
      };
    });
    const acks: string[] = [];
    trinoPool.intercept({ path: /\/v1\/spooled\/ack\/\d/, method: 'GET' }).reply((request) => {
      acks.push(request.path);
      return { statusCode: 200, data: '' };
    }).times(2);
    const storageHeaders: Array<Record<string, string>> = [];
    const storagePool = mockAgent().get(storage);
    for (const [index, body] of [[1, '[[1],[2]]'], [2, '[[9007199254740993]]']] as const) {
      storagePool
        .intercept({ path: `/bucket/segment-${index}?X-Amz-Signature=abc`, method: 'GET' })
        .reply((request) => {
          storageHeaders.push(request.headers as Record<string, string>);
          return { statusCode: 200, data: body };
        })
        .delay(index === 1 ? 30 : 1); // the first segment arrives last: order must still hold
    }
    const client = createTrinoClient({ server, auth: { token: 'secret-token' }, user: 'ana', headers: { 'x-custom-secret': 'shh' }, dispatcher: mockAgent() });
    const result = client.query('SELECT n FROM t');
    expect((await result.all()).map((row) => row['n'])).toEqual([1n, 2n, 3n, 9007199254740993n]);
    expect(encodingRequested).toBe('json+zstd,json+lz4,json');
    expect(result.spooling).toEqual({ encoding: 'json', inlineSegments: 1, spooledSegments: 2 });
    for (const headers of storageHeaders) {
      expect(headers['x-amz-server-side-encryption-customer-key']).toBe('a2V5');
      expect(Object.keys(headers).filter((name) => name === 'authorization' || name.startsWith('x-trino-') || name === 'x-custom-secret')).toEqual([]);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acks.sort()).toEqual(['/v1/spooled/ack/1', '/v1/spooled/ack/2']);
  });

  it('fails the query when a spooled segment cannot be read, instead of returning fewer rows', async () => {
    const server = 'https://trino.test:8443';
    const columns = [{ name: 'n', type: 'integer', typeSignature: { rawType: 'integer', arguments: [] } }];
    mockAgent()
      .get(server)
      .intercept({ path: '/v1/statement', method: 'POST' })
      .reply(200, {
        id: 'q4',
        infoUri: '',
        columns,
        data: { encoding: 'json', segments: [{ type: 'spooled', uri: 'http://storage.test:9000/gone', ackUri: `${server}/v1/spooled/ack/1`, metadata: { rowOffset: 0, rowsCount: 5, segmentSize: 10 } }] },
        stats,
      }, json);
    mockAgent().get('http://storage.test:9000').intercept({ path: '/gone', method: 'GET' }).reply(404, '<Error><Code>NoSuchKey</Code></Error>');
    const client = createTrinoClient({ server, user: 'ana', dispatcher: mockAgent() });
    await expect(client.query('SELECT n FROM t').all()).rejects.toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('keeps an idle query alive by re-reading the last page, without advancing it', async () => {
    const pool = mockAgent().get(origin);
    const columns = [{ name: 'x', type: 'integer', typeSignature: { rawType: 'integer', arguments: [] } }];
    const page = (token: number, next: boolean) => ({ id: 'q5', infoUri: '', columns, data: [[token]], stats, ...(next ? { nextUri: `${origin}/v1/statement/executing/q5/t/${token + 1}` } : {}) });
    pool.intercept({ path: '/v1/statement', method: 'POST' }).reply(200, { id: 'q5', infoUri: '', nextUri: `${origin}/v1/statement/executing/q5/t/1`, stats }, json);
    pool.intercept({ path: '/v1/statement/executing/q5/t/1', method: 'GET' }).reply(200, page(1, true), json);
    // Page 2 is fetched ahead, then asked for again by heartbeats while the caller holds row 1.
    let page2Requests = 0;
    pool
      .intercept({ path: '/v1/statement/executing/q5/t/2', method: 'GET' })
      .reply(() => {
        page2Requests++;
        return { statusCode: 200, data: page(2, true), responseOptions: json };
      })
      .persist();
    pool.intercept({ path: '/v1/statement/executing/q5/t/3', method: 'GET' }).reply(200, page(3, false), json);
    const client = createTrinoClient({ server: origin, user: 'ana', dispatcher: mockAgent() });
    const iterator = client.query('SELECT x FROM t', { heartbeatIntervalMs: 30 })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toEqual({ x: 1 });
    await new Promise((resolve) => setTimeout(resolve, 130));
    expect(page2Requests).toBeGreaterThanOrEqual(3);
    // The heartbeats did not advance the query: every row arrives once, in order.
    expect((await iterator.next()).value).toEqual({ x: 2 });
    expect((await iterator.next()).value).toEqual({ x: 3 });
    expect((await iterator.next()).done).toBe(true);
  });

  it('names placeholder/parameter mismatches before sending anything', () => {
    const client = createTrinoClient({ server: origin, user: 'ana', dispatcher: mockAgent() });
    expect(() => client.query("SELECT ? -- is it?\nFROM t WHERE a = '?' AND b = ?", { params: [1] })).toThrow('The SQL has 2 ? placeholder(s) but 1 parameter(s) were given.');
  });
});

describe('which Trino requests are repeated', () => {
  const columns = [{ name: 'x', type: 'integer', typeSignature: { rawType: 'integer', arguments: [] } }];
  const client = () => createTrinoClient({ server: origin, user: 'ana', dispatcher: mockAgent(), retry: { retries: 2, initialDelayMs: 1 }, timeoutMs: 200 });

  it('repeats the POST on 503 (not processed, per the protocol) and a page GET after a reset and a stall', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/v1/statement', method: 'POST' }).reply(503, 'starting');
    pool.intercept({ path: '/v1/statement', method: 'POST' }).reply(200, { id: 'q5', infoUri: '', nextUri: `${origin}/v1/statement/executing/q5/t/1`, stats }, json);
    pool.intercept({ path: '/v1/statement/executing/q5/t/1', method: 'GET' }).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    pool.intercept({ path: '/v1/statement/executing/q5/t/1', method: 'GET' }).reply(200, { id: 'q5', infoUri: '', columns, data: [[7]], stats }).delay(5000);
    pool.intercept({ path: '/v1/statement/executing/q5/t/1', method: 'GET' }).reply(200, { id: 'q5', infoUri: '', columns, data: [[7]], stats: { state: 'FINISHED' } }, json);
    expect(await client().query('SELECT 7 AS x').all()).toEqual([{ x: 7 }]);
  });

  it.each([
    ['a reset', (pending: ReturnType<ReturnType<MockAgent['get']>['intercept']>) => pending.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 'NETWORK'],
    ['a timeout', (pending: ReturnType<ReturnType<MockAgent['get']>['intercept']>) => pending.reply(200, { id: 'q6', infoUri: '', stats }).delay(5000), 'TIMEOUT'],
  ])('never repeats the POST after %s: the query may have started', async (_, fault, code) => {
    fault(mockAgent().get(origin).intercept({ path: '/v1/statement', method: 'POST' }));
    await expect(client().query('INSERT INTO t VALUES (1)').all()).rejects.toMatchObject({ code, method: 'POST' });
  });
});
