// Security suite (issue 14), secret scan of the Trino client's error paths (finding 5 among them): with
// distinctive secret values as password, token, extra credential and bound parameters, a fake Trino
// (a local node:http server) fails in every way it can; no secret may appear in the error (message, hint,
// cause chain, any property), in retry events or in what middleware sees.
import { failureOf, fakeServerFixture, findSecretLeaks, replyJson } from '@dataplat/stack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrinoClient, type TrinoClientOptions } from '../client/create-trino-client.ts';

const fake = fakeServerFixture();
beforeEach(() => fake.start());
afterEach(() => fake.stop());

const password = 'pw-Hq7c-scan-secret';
const token = 'tok-Wd2m-scan-secret';
const extraCredential = 'xc-Lr4n-scan-secret';
const boundSecret = 'param-Vb6s-scan-secret';
const secrets = [password, token, extraCredential, boundSecret];

function client(extra: Partial<TrinoClientOptions> = {}) {
  return createTrinoClient({
    server: fake.server.origin,
    auth: { username: 'ana', password },
    extraCredentials: { vault: extraCredential },
    retry: { retries: 1, initialDelayMs: 1 },
    ...fake.recorded.options,
    ...extra,
  } as TrinoClientOptions);
}

const hint = '\nFix the SQL (or the objects it uses) and run it again.';
const failure = (location: { lineNumber: number; columnNumber: number }, message: string) => ({
  id: 'q-failed',
  infoUri: '',
  stats: { state: 'FAILED' },
  error: { message, errorCode: 1, errorName: 'INVALID_CAST_ARGUMENT', errorType: 'USER_ERROR', errorLocation: location },
});

describe('Trino query errors with bound parameters (finding 5)', () => {
  it('show the SQL as written, with ?, the caret where Trino points, and no bound value even when Trino quotes it', async () => {
    // Line 3 of the statement sent is line 3 of the caller's SQL: the column is the same.
    fake.server.handle((_, response) => replyJson(response, 200, failure({ lineNumber: 3, columnNumber: 12 }, `Cannot cast '${boundSecret}' to INT`)));
    const sql = 'SELECT name\nFROM users\nWHERE id = CAST(? AS INT)';
    const error = await failureOf(() => client().query(sql, { params: [boundSecret] }).all());
    expect(error).toMatchObject({ code: 'TRINO_QUERY_FAILED', location: { lineNumber: 3, columnNumber: 12 } });
    expect((error as Error).message).toBe(`Query q-failed failed: Cannot cast '[REDACTED]' to INT\nline 3:12: WHERE id = CAST(? AS INT)\n${' '.repeat('line 3:12: '.length + 11)}^${hint}`);
    expect(fake.server.requests[0]!.body).toContain(`USING '${boundSecret}'`);
    expect(findSecretLeaks(error, secrets)).toEqual([]);
  });

  it('map a location on the first line back past the EXECUTE IMMEDIATE prefix', async () => {
    fake.server.handle((_, response) => replyJson(response, 200, failure({ lineNumber: 1, columnNumber: 19 + 8 }, 'line 1:27: Column x cannot be resolved')));
    const error = await failureOf(() => client().query('SELECT x, ? FROM t', { params: [boundSecret] }).all());
    expect(error).toMatchObject({ location: { lineNumber: 1, columnNumber: 8 } });
    expect((error as Error).message).toBe(`Query q-failed failed: line 1:8: Column x cannot be resolved\nline 1:8: SELECT x, ? FROM t\n${' '.repeat('line 1:8: '.length + 7)}^${hint}`);
  });

  it('show no code frame for a location outside the caller SQL (in the bound values)', async () => {
    fake.server.handle((_, response) => replyJson(response, 200, failure({ lineNumber: 1, columnNumber: 60 }, 'bad literal')));
    const error = await failureOf(() => client().query('SELECT ?', { params: [boundSecret] }).all());
    expect(error).toMatchObject({ code: 'TRINO_QUERY_FAILED', location: undefined });
    expect((error as Error).message).toBe(`Query q-failed failed: bad literal${hint}`);
    expect(findSecretLeaks(error, secrets)).toEqual([]);
  });
});

describe('HTTP and network failures', () => {
  it('a 401 whose body echoes the credentials', async () => {
    fake.server.handle((request, response) => void response.writeHead(401, { 'content-type': 'text/plain' }).end(`denied: ${request.headers.authorization} ${password} ${request.headers['x-trino-extra-credential']}`));
    const error = await failureOf(() => client().query('SELECT 1').all());
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(findSecretLeaks(error, [password, token])).toEqual([]);
    expect(findSecretLeaks(fake.recorded.events, secrets)).toEqual([]);
  });

  it('a 500 echoing a bearer token and the bound value', async () => {
    fake.server.handle((request, response) => void response.writeHead(500, { 'content-type': 'text/plain' }).end(`boom ${request.headers.authorization} ${request.body}`));
    const error = await failureOf(() => client({ auth: { token }, user: 'ana' }).query('SELECT ?', { params: [boundSecret] }).all());
    expect(error).toMatchObject({ code: 'SERVER_ERROR', status: 500 });
    expect(findSecretLeaks(error, [token])).toEqual([]);
    expect(findSecretLeaks(fake.recorded.events, secrets)).toEqual([]);
  });

  it('a connection cut after the request, with retries', async () => {
    fake.server.handle((request, response) => {
      if (request.method === 'POST') return replyJson(response, 200, { id: 'q-cut', infoUri: '', nextUri: `${fake.server.origin}/v1/statement/executing/q-cut/t/1`, stats: { state: 'RUNNING' } });
      response.socket?.destroy();
    });
    const error = await failureOf(() => client().query('SELECT ?', { params: [boundSecret] }).all());
    expect(error).toMatchObject({ code: 'NETWORK' });
    expect(findSecretLeaks(error, secrets)).toEqual([]);
    expect(findSecretLeaks(fake.recorded.events, secrets)).toEqual([]);
    expect(fake.recorded.events.length).toBeGreaterThan(3);
  });
});
