// Security suite (issue 14) against the real Trino 476: the SQL-literal injection corpus round-trips
// (each value comes back exactly as bound, never as SQL), errors of queries with parameters show the SQL
// as written with the caret where Trino points and no bound value (finding 5), and a refused login over
// HTTPS leaks neither password nor token.
import { readFile } from 'node:fs/promises';
import { findSecretLeaks } from '@dataplat/stack';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTrinoClient, TrinoQueryError } from '@dataplat/trino';
import { literalInjectionCorpus } from '../literal-injection-corpus.ts';

const trinoEndpoint = inject('stackEndpoints').trino!;
const trino = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });
afterAll(() => trino.close());

const boundSecret = 'param-Tx8z-real-secret';

describe('the SQL-literal injection corpus against the real Trino', () => {
  const stringEntries = literalInjectionCorpus.filter(([, sql, params]) => sql === 'SELECT ?' && typeof params[0] === 'string');

  it.each(stringEntries)('%s: comes back exactly as bound', async (_, sql, params) => {
    expect(await trino.query(sql, { params, rowMode: 'array' }).all()).toEqual([params]);
  });

  it('keeps every kind of value a value: numbers, bytes, arrays and ? inside strings', async () => {
    const row = await trino
      .query("SELECT ? AS big, ? AS bytes, ? AS nested, ? AS q, '?' AS literal_q", { params: [9223372036854775807n, new Uint8Array([0x27, 0x3b]), [["a'b"], [null]], '?'] })
      .first();
    expect(row).toEqual({ big: 9223372036854775807n, bytes: new Uint8Array([0x27, 0x3b]), nested: [["a'b"], [null]], q: '?', literal_q: '?' });
  });
});

describe('errors of queries with parameters (finding 5)', () => {
  it('redact a bound value that Trino quotes in its message', async () => {
    const error = await trino.query('SELECT CAST(? AS INTEGER) AS n', { params: [boundSecret] }).all().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TRINO_QUERY_FAILED', errorName: 'INVALID_CAST_ARGUMENT', message: expect.stringContaining("Cannot cast '[REDACTED]' to INT") });
    expect(findSecretLeaks(error, [boundSecret])).toEqual([]);
  });

  it('point into the SQL as written on a later line, never showing the statement that was sent', async () => {
    const sql = 'SELECT 1 AS one,\n  ? AS secret,\n  no_such_column';
    const error = (await trino.query(sql, { params: [boundSecret] }).all().catch((caught: unknown) => caught)) as TrinoQueryError;
    expect(error).toMatchObject({ code: 'TRINO_QUERY_FAILED', errorName: 'COLUMN_NOT_FOUND', location: { lineNumber: 3, columnNumber: 3 } });
    expect(error.message).toContain(`failed: line 3:3: Column 'no_such_column' cannot be resolved\nline 3:3:   no_such_column\n${' '.repeat('line 3:3: '.length + 2)}^`);
    expect(error.message).not.toContain('EXECUTE IMMEDIATE');
    expect(findSecretLeaks(error, [boundSecret])).toEqual([]);
  });

  it('map a first-line location back past the EXECUTE IMMEDIATE prefix: the caret sits under the unknown column', async () => {
    const error = (await trino.query('SELECT no_such_column, ? FROM (VALUES 1) AS t(x)', { params: [boundSecret] }).all().catch((caught: unknown) => caught)) as TrinoQueryError;
    expect(error).toMatchObject({ code: 'TRINO_QUERY_FAILED', errorName: 'COLUMN_NOT_FOUND', location: { lineNumber: 1, columnNumber: 8 } });
    expect(error.message).toContain(`failed: line 1:8: Column 'no_such_column' cannot be resolved\nline 1:8: SELECT no_such_column, ? FROM (VALUES 1) AS t(x)\n${' '.repeat('line 1:8: '.length + 7)}^`);
    expect(findSecretLeaks(error, [boundSecret])).toEqual([]);
  });
});

describe('refused credentials over HTTPS', () => {
  it('a wrong password and a forged token leave no trace of themselves in the errors', async () => {
    const https = trinoEndpoint.https;
    const ca = await readFile(https.caCertificateFile, 'utf8');
    const wrongPassword = 'wrong-Bn4m-real-secret';
    const forgedToken = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'mallory', exp: Math.floor(Date.now() / 1000) + 600 })).toString('base64url')}.Zm9yZ2VkLXNpZ25hdHVyZQ`;
    const refused = await Promise.all([
      createTrinoClient({ server: https.url, auth: { username: https.username, password: wrongPassword }, tls: { ca } }).query('SELECT 1').all().catch((caught: unknown) => caught),
      createTrinoClient({ server: https.url, user: 'mallory', auth: { token: forgedToken }, tls: { ca } }).query('SELECT 1').all().catch((caught: unknown) => caught),
    ]);
    expect(refused).toMatchObject([{ code: 'UNAUTHORIZED' }, { code: 'UNAUTHORIZED' }]);
    expect(findSecretLeaks(refused, [wrongPassword, forgedToken, https.password])).toEqual([]);
  });
});
