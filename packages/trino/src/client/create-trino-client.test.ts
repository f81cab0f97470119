// Protocol error paths on undici's MockAgent; every happy path runs against the real Trino in test/integration.
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrinoClient } from './create-trino-client.ts';

const origin = 'http://trino.test:8080';
let mockAgent: MockAgent;
beforeEach(() => {
  mockAgent = new MockAgent();
  mockAgent.disableNetConnect();
});
afterEach(async () => {
  mockAgent.assertNoPendingInterceptors();
  await mockAgent.close();
});

const json = { headers: { 'content-type': 'application/json' } };
const stats = { state: 'RUNNING' };

describe('createTrinoClient', () => {
  it('refuses to send a password over plain http unless allowed', () => {
    expect(() => createTrinoClient({ server: 'http://trino.internal:8080', auth: { username: 'ana', password: 'secret' } })).toThrow(/plain http/);
    expect(() => createTrinoClient({ server: 'http://trino.internal:8080', auth: { username: 'ana', password: 'secret' }, allowInsecureAuth: true })).not.toThrow();
  });

  it('sends basic credentials and a bearer token only to the coordinator', async () => {
    const seen: unknown[] = [];
    mockAgent
      .get('https://trino.test:8443')
      .intercept({ path: '/v1/statement', method: 'POST' })
      .reply((request) => {
        seen.push((request.headers as Record<string, string>).authorization);
        return { statusCode: 200, data: { id: 'q1', infoUri: '', stats: { state: 'FINISHED' } }, responseOptions: json };
      });
    const client = createTrinoClient({ server: 'https://trino.test:8443', auth: { username: 'ana', password: 'pw' }, dispatcher: mockAgent });
    await client.execute('SELECT 1');
    expect(seen).toEqual([`Basic ${Buffer.from('ana:pw').toString('base64')}`]);
  });

  it('throws the query failure even after some pages arrived, and deletes nothing more', async () => {
    const pool = mockAgent.get(origin);
    const columns = [{ name: 'x', type: 'integer', typeSignature: { rawType: 'integer', arguments: [] } }];
    pool.intercept({ path: '/v1/statement', method: 'POST' }).reply(200, { id: 'q2', infoUri: '', nextUri: `${origin}/v1/statement/executing/q2/t/1`, stats }, json);
    pool.intercept({ path: '/v1/statement/executing/q2/t/1', method: 'GET' }).reply(200, { id: 'q2', infoUri: '', nextUri: `${origin}/v1/statement/executing/q2/t/2`, columns, data: [[1], [2]], stats }, json);
    pool.intercept({ path: '/v1/statement/executing/q2/t/2', method: 'GET' }).reply(200, {
      id: 'q2',
      infoUri: '',
      stats: { state: 'FAILED' },
      error: { message: 'Division by zero', errorCode: 8, errorName: 'DIVISION_BY_ZERO', errorType: 'USER_ERROR', errorLocation: { lineNumber: 1, columnNumber: 10 } },
    }, json);
    const client = createTrinoClient({ server: origin, user: 'ana', dispatcher: mockAgent });
    const rows: unknown[] = [];
    const error = await (async () => {
      for await (const row of client.query('SELECT x / 0 FROM t')) rows.push(row);
    })().catch((caught: unknown) => caught);
    expect(rows).toEqual([{ x: 1 }, { x: 2 }]);
    expect(error).toMatchObject({ code: 'TRINO_QUERY_FAILED', queryId: 'q2', errorName: 'DIVISION_BY_ZERO', location: { lineNumber: 1, columnNumber: 10 } });
    // The caret sits under column 10, the "/".
    expect((error as Error).message).toContain(`line 1:10: SELECT x / 0 FROM t\n${' '.repeat('line 1:10: '.length + 9)}^`);
  });

  it('names placeholder/parameter mismatches before sending anything', () => {
    const client = createTrinoClient({ server: origin, user: 'ana', dispatcher: mockAgent });
    expect(() => client.query("SELECT ? -- is it?\nFROM t WHERE a = '?' AND b = ?", { params: [1] })).toThrow('The SQL has 2 ? placeholder(s) but 1 parameter(s) were given.');
  });
});
