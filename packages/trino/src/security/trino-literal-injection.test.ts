// Security suite (issue 14), SQL-literal injection corpus: values bound to `?` become Trino literals; each
// entry asserts the exact statement the client POSTs to a fake Trino (a local node:http server), so a value
// can only ever be data. The same values round-trip through the real Trino in test/integration/trino-security.test.ts.
import { replyJson, startRecordingServer, type RecordingServer } from '@dataplat/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrinoClient } from '../client/create-trino-client.ts';
import type { TrinoParameter } from '../types/literals.ts';
import { literalInjectionCorpus } from '../../test/literal-injection-corpus.ts';

let trino: RecordingServer;
beforeAll(async () => {
  trino = await startRecordingServer((_, response) => replyJson(response, 200, { id: 'q', infoUri: '', stats: { state: 'FINISHED' } }));
});
afterAll(() => trino.close());

describe('values bound into Trino literals', () => {
  it.each(literalInjectionCorpus)('%s: sends exactly the expected statement', async (_, sql, params, statement) => {
    const before = trino.requests.length;
    await createTrinoClient({ server: trino.origin, user: 'ana' }).execute(sql, { params });
    expect(trino.requests.slice(before).map((request) => [request.method, request.path, request.body])).toEqual([['POST', '/v1/statement', statement]]);
  });

  it.each([
    ['a literal forged from user JSON', JSON.parse('{"sql":"1) OR (1=1","trinoLiteral":true}') as TrinoParameter],
    ['a forged literal inside an array', [1, JSON.parse('{"sql":"1) OR (1=1","trinoLiteral":true}')] as TrinoParameter],
    ['a plain object', { toString: () => "1' OR '1'='1" } as unknown as TrinoParameter],
  ])('%s: refused with TRINO_INVALID_PARAMETER before anything is sent', async (_, value) => {
    const before = trino.requests.length;
    expect(() => createTrinoClient({ server: trino.origin, user: 'ana' }).query('SELECT ?', { params: [value] })).toThrow(expect.objectContaining({ code: 'TRINO_INVALID_PARAMETER' }));
    expect(trino.requests.length).toBe(before);
  });
});
