// Security suite (issue 14, finding 3), origin checks: a fake Trino (a local node:http server) names a
// foreign origin in nextUri, ackUri or a segment URI; that origin must receive nothing sensitive —
// no password, token, extra credential, custom header or session header, and no request at all for nextUri/ackUri.
import { findSecretLeaks, replyJson, startRecordingServer, type RecordedRequest, type RecordingServer } from '@dataplat/stack';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrinoClient } from '../client/create-trino-client.ts';

const password = 'pw-Zq8v-origin-secret';
const extraCredential = 'xc-Kd3r-origin-secret';
const customHeader = 'hdr-Pm5t-origin-secret';
const secrets = [password, extraCredential, customHeader];
const columns = [{ name: 'n', type: 'integer', typeSignature: { rawType: 'integer', arguments: [] } }];
const stats = { state: 'RUNNING' };

let trino: RecordingServer;
let foreign: RecordingServer;
beforeEach(async () => {
  trino = await startRecordingServer();
  foreign = await startRecordingServer((_, response) => replyJson(response, 200, { id: 'q', infoUri: '', columns, data: [[666]], stats: { state: 'FINISHED' } }));
});
afterEach(async () => {
  await Promise.all([trino.close(), foreign.close()]);
});

function client(extra: { allowedOrigins?: string[] } = {}) {
  return createTrinoClient({
    server: trino.origin,
    auth: { username: 'ana', password },
    extraCredentials: { warehouse: extraCredential },
    headers: { 'x-api-key': customHeader },
    sessionProperties: { query_max_run_time: '1m' },
    retry: false,
    ...extra,
  });
}

/** Everything a server received, as one text to scan. */
function received(server: RecordingServer): RecordedRequest[] {
  return server.requests;
}

describe('a nextUri on another origin', () => {
  it('fails the query with TRINO_PROTOCOL when the first answer names it, and sends it nothing', async () => {
    trino.handle((_, response) => replyJson(response, 200, { id: 'q1', infoUri: '', nextUri: `${foreign.origin}/v1/statement/executing/q1/t/1`, stats }));
    const error = await client().query('SELECT 1').all().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TRINO_PROTOCOL', message: expect.stringContaining(`nextUri on ${foreign.origin}`) });
    expect(received(foreign)).toEqual([]);
    expect(findSecretLeaks(error, secrets)).toEqual([]);
  });

  it('hands out the rows from Trino itself, then fails at a later page naming another origin, never reading rows from it', async () => {
    trino.handle((request, response) => {
      if (request.method === 'POST') return replyJson(response, 200, { id: 'q2', infoUri: '', nextUri: `${trino.origin}/v1/statement/executing/q2/t/1`, stats });
      return replyJson(response, 200, { id: 'q2', infoUri: '', columns, data: [[1]], nextUri: `${foreign.origin}/v1/statement/executing/q2/t/2`, stats });
    });
    const rows: unknown[] = [];
    const error = await (async () => {
      for await (const row of client().query('SELECT n FROM t')) rows.push(row);
    })().catch((caught: unknown) => caught);
    expect(rows).toEqual([{ n: 1 }]);
    expect(error).toMatchObject({ code: 'TRINO_PROTOCOL' });
    expect(received(foreign)).toEqual([]);
  });

  it('refuses a nextUri that is not an absolute http(s) URL', async () => {
    trino.handle((_, response) => replyJson(response, 200, { id: 'q3', infoUri: '', nextUri: 'file:///etc/passwd', stats }));
    await expect(client().query('SELECT 1').all()).rejects.toMatchObject({ code: 'TRINO_PROTOCOL', message: expect.stringContaining('no absolute http(s) URL') });
  });

  it('follows an origin listed in allowedOrigins (a proxy of the same Trino) with the same credentials and headers', async () => {
    trino.handle((_, response) => replyJson(response, 200, { id: 'q4', infoUri: '', nextUri: `${foreign.origin}/v1/statement/executing/q4/t/1`, stats }));
    expect(await client({ allowedOrigins: [foreign.origin] }).query('SELECT n FROM t').all()).toEqual([{ n: 666 }]);
    const [page] = received(foreign);
    expect(page).toMatchObject({ method: 'GET', path: '/v1/statement/executing/q4/t/1' });
    expect(page!.headers).toMatchObject({
      authorization: `Basic ${Buffer.from(`ana:${password}`).toString('base64')}`,
      'x-trino-extra-credential': `warehouse=${extraCredential}`,
      'x-api-key': customHeader,
      'x-trino-user': 'ana',
    });
  });
});

describe('spooled segments', () => {
  const spooled = (uri: string, ackUri: string) => ({
    id: 'q5',
    infoUri: '',
    columns,
    data: { encoding: 'json', segments: [{ type: 'spooled', uri, ackUri, headers: { 'x-amz-server-side-encryption-customer-key': ['a2V5'] }, metadata: { rowOffset: 0, rowsCount: 1, segmentSize: 5 } }] },
    stats: { state: 'FINISHED' },
  });

  it('fails on an ackUri of another origin before downloading anything, and sends that origin nothing', async () => {
    const storage = await startRecordingServer((_, response) => void response.writeHead(200).end('[[5]]'));
    try {
      trino.handle((_, response) => replyJson(response, 200, spooled(`${storage.origin}/bucket/segment-1`, `${foreign.origin}/v1/spooled/ack/1`)));
      await expect(client().query('SELECT n FROM t').all()).rejects.toMatchObject({ code: 'TRINO_PROTOCOL', message: expect.stringContaining(`segment ackUri on ${foreign.origin}`) });
      expect(received(foreign)).toEqual([]);
      expect(received(storage)).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('downloads a segment from its storage origin with only the segment headers: no credential, session or custom header', async () => {
    foreign.handle((_, response) => void response.writeHead(200).end('[[5]]'));
    let acknowledged = Promise.withResolvers<string>();
    trino.handle((request, response) => {
      if (request.method === 'POST') return replyJson(response, 200, spooled(`${foreign.origin}/bucket/segment-1?X-Amz-Signature=sig`, `${trino.origin}/v1/spooled/ack/1`));
      acknowledged.resolve(request.path);
      return void response.writeHead(200).end();
    });
    expect(await client().query('SELECT n FROM t').all()).toEqual([{ n: 5 }]);
    expect(await acknowledged.promise).toBe('/v1/spooled/ack/1');
    const [download] = received(foreign);
    expect(download).toMatchObject({ method: 'GET', path: '/bucket/segment-1?X-Amz-Signature=sig' });
    expect(Object.keys(download!.headers).sort()).toEqual(['accept', 'connection', 'host', 'user-agent', 'x-amz-server-side-encryption-customer-key']);
    expect(findSecretLeaks(download!.rawHeaders, secrets)).toEqual([]);
    acknowledged = Promise.withResolvers<string>();
  });
});
