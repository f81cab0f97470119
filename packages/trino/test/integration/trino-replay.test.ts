// The replay server of the benchmark (bench/replay) against the real Trino: a query recorded once from
// Trino (direct pages, and spooled segments in each encoding Trino offers) is served back byte for byte
// with the recorded headers and nextUri chain, so our client reads the same rows from it as from Trino;
// and a replay cut short — a connection dropped in the middle of a page, a segment gone from storage —
// makes the query fail with a typed error, never end with fewer rows.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DataplatError } from '@dataplat/core';
import { createTrinoClient, type TrinoClient } from '@dataplat/trino';
import { bodyHash, recordQuery, type Recording } from '../../bench/replay/replay-recording.ts';
import { startReplayServer, type ReplayServer } from '../../bench/replay/replay-server.ts';

const trinoEndpoint = inject('stackEndpoints').trino!;
// 300,000 rows (~30 MB of JSON): many direct pages (~1 MB each), and spooled segments after the first inline ones.
const sql = 'SELECT orderkey, custkey, totalprice, orderdate, comment FROM tpch.sf1.orders WHERE orderkey <= 1200000';
const recordings = new Map<string, Recording>();
let replay: ReplayServer;
let client: TrinoClient;
let live: TrinoClient;

beforeAll(async () => {
  replay = await startReplayServer();
  // Failing fast on a dropped connection: two attempts, not the default five.
  client = createTrinoClient({ server: replay.origin, user: trinoEndpoint.user, retry: { retries: 1, initialDelayMs: 5 } });
  live = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });
  for (const encoding of [false, 'json', 'json+zstd', 'json+lz4'] as const) {
    // Trino decides per run how much to inline; a spooled recording must hold segments from storage (a few tries).
    for (let attempt = 1; ; attempt++) {
      const recording = await recordQuery({ server: trinoEndpoint.url, user: trinoEndpoint.user, sql, encoding, origin: replay.origin });
      recordings.set(String(encoding), recording);
      if (encoding === false || attempt === 3 || recording.exchanges.some((exchange) => exchange.kind === 'segment')) break;
    }
  }
});

afterAll(async () => {
  await client?.close();
  await live?.close();
  await replay?.close();
});

/** The encodings whose recording holds segments downloaded from storage. */
function spooledEncodings(): string[] {
  return ['json', 'json+zstd', 'json+lz4'].filter((encoding) => recordings.get(encoding)!.exchanges.some((exchange) => exchange.kind === 'segment'));
}

async function served(path: string, method: 'POST' | 'GET'): Promise<{ hash: string; headers: Record<string, string | string[] | undefined> }> {
  const response = await request(`${replay.origin}${path}`, { method, body: method === 'POST' ? sql : null });
  expect(response.statusCode).toBe(200);
  return { hash: bodyHash(Buffer.from(await response.body.arrayBuffer())), headers: response.headers };
}

describe('the replay server against recordings of the real Trino', () => {
  it('recorded direct pages and spooled segments in each encoding', () => {
    const direct = recordings.get('false')!;
    expect(direct.negotiatedEncoding).toBeUndefined();
    expect(direct.exchanges.filter((exchange) => exchange.kind === 'page').length).toBeGreaterThan(5);
    for (const encoding of ['json', 'json+zstd', 'json+lz4']) {
      const recording = recordings.get(encoding)!;
      expect(recording.negotiatedEncoding).toBe(encoding);
      expect(recording.rows).toBe(direct.rows);
    }
    expect(spooledEncodings()).toEqual(['json', 'json+zstd', 'json+lz4']);
  });

  it('serves every page and segment byte for byte, with the recorded headers', async () => {
    for (const recording of recordings.values()) {
      replay.load(recording);
      for (const exchange of recording.exchanges) {
        const answer = await served(exchange.path, exchange.method);
        expect(answer.hash, `${exchange.method} ${exchange.path}`).toBe(bodyHash(exchange.body));
        for (const [name, value] of Object.entries(exchange.headers)) expect(answer.headers[name]).toBe(value);
      }
      // The links point at the replay itself: following nextUri never leaves it.
      for (const exchange of recording.exchanges.filter((each) => each.kind === 'page')) {
        const nextUri = (JSON.parse(exchange.body.toString('utf8')) as { nextUri?: string }).nextUri;
        if (nextUri) expect(new URL(nextUri).origin).toBe(replay.origin);
      }
    }
  });

  it('gives our client the rows the real Trino gives, in every protocol', async () => {
    const expected = (await live.query(`SELECT count(*), sum(orderkey * 10 + custkey) FROM (${sql})`, { rowMode: 'array' }).first()) as unknown as [bigint, bigint];
    for (const [encoding, recording] of recordings) {
      replay.load(recording);
      let rows = 0;
      let checksum = 0n;
      const result = client.query(sql, { rowMode: 'array' });
      for await (const row of result) {
        rows++;
        checksum += (row[0] as bigint) * 10n + (row[1] as bigint);
      }
      expect([encoding, BigInt(rows), checksum]).toEqual([encoding, expected[0], expected[1]]);
      expect(result.spooling?.encoding).toBe(recording.negotiatedEncoding);
    }
  });
});

describe('a replay cut short fails the query, never returns fewer rows', () => {
  it('fails when the connection drops in the middle of a page, whichever page', async () => {
    const recording = recordings.get('false')!;
    const pages = recording.exchanges.filter((exchange) => exchange.kind === 'page').length;
    for (const dropped of [0, 2, pages - 1]) {
      replay.load(recording, { dropPages: [dropped] });
      const outcome = await client.query(sql, { rowMode: 'array' }).all().then((rows) => rows.length, (error: unknown) => error);
      expect(DataplatError.isInstance(outcome), `page ${dropped} dropped: ${String(outcome)}`).toBe(true);
      expect((outcome as DataplatError).code).toBe('NETWORK');
      // It was dropped every time it was asked for (a retry included), never answered in full.
      expect(replay.served().filter((entry) => entry.status === -1).length).toBeGreaterThanOrEqual(dropped === 0 ? 1 : 2);
    }
  });

  it('fails when a spooled segment is missing from storage, in every encoding', async () => {
    for (const encoding of spooledEncodings()) {
      const recording = recordings.get(encoding)!;
      const segments = recording.exchanges.filter((exchange) => exchange.kind === 'segment').length;
      replay.load(recording, { missingSegments: [segments - 1] });
      const outcome = await client.query(sql).all().then((rows) => rows.length, (error: unknown) => error);
      expect(DataplatError.isInstance(outcome), `${encoding}: ${String(outcome)}`).toBe(true);
      expect((outcome as DataplatError).code).toBe('NOT_FOUND');
    }
  });

  it('fails when the connection drops in the middle of a segment', async () => {
    for (const encoding of spooledEncodings()) {
      replay.load(recordings.get(encoding)!, { dropSegments: [0] });
      const outcome = await client.query(sql).all().then((rows) => rows.length, (error: unknown) => error);
      expect(DataplatError.isInstance(outcome), `${encoding}: ${String(outcome)}`).toBe(true);
      expect((outcome as DataplatError).code).toBe('NETWORK');
    }
  });
});
