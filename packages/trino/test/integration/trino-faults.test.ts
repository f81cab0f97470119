// @dataplat/trino against the real Trino through the fault proxy: page fetches (GET nextUri) and spooled
// segment downloads ride out resets, stalls and 502/503 bursts with every row exactly once, while the
// POST that starts a query is never replayed after a reset or a stall (read back from system.runtime.queries:
// no query runs twice). Spooled segments go through a second proxy in front of the S3 storage.
import { createHash } from 'node:crypto';
import { FaultTally, startFaultProxy, type FaultProxy, type FaultRule } from '@dataplat/stack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTrinoClient, type TrinoClient } from '@dataplat/trino';

const endpoints = inject('stackEndpoints');
const trinoEndpoint = endpoints.trino!;
const s3Endpoint = endpoints.s3!;
const requestTimeoutMs = 4000;
const isPageFetch = ({ method, path }: { method: string; path: string }) => method === 'GET' && path.startsWith('/v1/statement/');
const isStart = ({ method }: { method: string }) => method === 'POST';

const pageFaults: FaultRule[] = [
  { kind: 'reset-before-body', match: isPageFetch, probability: 0.06 },
  { kind: 'reset-after-body', match: isPageFetch, probability: 0.06 },
  { kind: 'status-503', match: isPageFetch, probability: 0.05, burst: 2 },
  { kind: 'status-502', match: isPageFetch, probability: 0.03 },
  { kind: 'stall', match: isPageFetch, probability: 0.02 },
  { kind: 'latency', probability: 0.1 },
];

let direct: TrinoClient;
let faulty: TrinoClient;
let trinoProxy: FaultProxy;
let storageProxy: FaultProxy;
const tally = new FaultTally();

beforeAll(async () => {
  direct = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });
  storageProxy = await startFaultProxy({ target: s3Endpoint.endpoint, seed: 15, hostHeader: 'target', stallMs: requestTimeoutMs + 1500 });
  // Trino builds nextUri on the Host it was asked on (the proxy); segment URLs name the storage, rewritten to its proxy.
  trinoProxy = await startFaultProxy({ target: trinoEndpoint.url, seed: 15, stallMs: requestTimeoutMs + 1500, rewriteResponses: [{ from: new URL(s3Endpoint.endpoint).origin, to: storageProxy.url }] });
  faulty = createTrinoClient({ server: trinoProxy.url, user: trinoEndpoint.user, timeoutMs: requestTimeoutMs, retry: { retries: 5, initialDelayMs: 20, maxDelayMs: 300 }, onRetry: tally.countRetry });
});

afterAll(async () => {
  console.log(tally.report('Trino (queries, spooled queries)', [trinoProxy, storageProxy]));
  await faulty?.close();
  await trinoProxy?.close();
  await storageProxy?.close();
  await direct?.close();
  expect(tally.duplicates).toBe(0);
  expect(tally.hangs).toBe(0);
});

/** How many queries Trino ran whose text carries this tag (the read-back that proves a POST was not replayed). */
async function queriesTagged(tag: string): Promise<number> {
  const rows = await direct.query(`SELECT count(*) AS copies FROM system.runtime.queries WHERE query LIKE '%${tag}%' AND query NOT LIKE '%system.runtime.queries%'`).all();
  return Number(rows[0]!['copies']);
}

describe('@dataplat/trino through injected faults', () => {
  it('reads every row exactly once through faults on page fetches', async () => {
    const sql = 'SELECT orderkey, linenumber FROM tpch.tiny.lineitem ORDER BY orderkey, linenumber';
    const expected = await direct.query(sql, { rowMode: 'array', encoding: false }).all();
    trinoProxy.setRules(pageFaults);
    for (let round = 0; round < 3; round++) {
      const tag = `faults_direct_${round}_${Date.now()}`;
      const outcome = await tally.run(120_000, () => faulty.query(sql.replace(' ORDER', ` /* ${tag} */ ORDER`), { rowMode: 'array', encoding: false }).all());
      if (!outcome.ok) throw outcome.error;
      expect(outcome.value).toEqual(expected);
      const copies = await queriesTagged(tag);
      tally.countCopies(copies);
      expect(copies).toBe(1);
    }
    trinoProxy.setRules([]);
    expect(trinoProxy.faults['reset-after-body'] + trinoProxy.faults['reset-before-body'] + trinoProxy.faults['status-503']).toBeGreaterThan(0);
  });

  it('reads a spooled result exactly once through faults on page fetches and segment downloads', async () => {
    // Wide rows, so Trino spools most of the result to storage rather than inlining it.
    const sql = 'SELECT * FROM tpch.sf1.lineitem WHERE orderkey < 100000';
    /** Row count and an order-independent digest (a sum of row hashes): each row counted exactly once, in whatever order. */
    const digest = async (rows: AsyncIterable<unknown[]>) => {
      let count = 0;
      let sum = 0n;
      for await (const row of rows) {
        count += 1;
        const rowHash = createHash('sha256').update(JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))).digest();
        sum = (sum + rowHash.readBigUInt64BE(0)) & 0xffffffffffffffffn;
      }
      return { count, sum };
    };
    const expected = await digest(direct.query<unknown[]>(sql, { rowMode: 'array', encoding: false }));
    trinoProxy.setRules(pageFaults);
    storageProxy.setRules([
      { kind: 'reset-before-body', probability: 0.1 },
      { kind: 'status-503', probability: 0.08, burst: 2 },
      { kind: 'reset-after-body', probability: 0.08 },
      { kind: 'stall', probability: 0.03 },
    ]);
    const tag = `faults_spooled_${Date.now()}`;
    const result = faulty.query<unknown[]>(`${sql} /* ${tag} */`, { rowMode: 'array', encoding: 'json' });
    const outcome = await tally.run(180_000, () => digest(result));
    trinoProxy.setRules([]);
    storageProxy.setRules([]);
    if (!outcome.ok) throw outcome.error;
    expect(outcome.value).toEqual(expected);
    // The spooling protocol was used. Through the proxy Trino has so far sent this result as inline segments
    // (directly it spools two to storage); any segment it does spool is downloaded through the storage proxy.
    expect(result.spooling).toMatchObject({ encoding: 'json' });
    console.log(`spooled query through the proxy: ${JSON.stringify(result.spooling)}, ${storageProxy.requests.length} storage request(s)`);
    expect(storageProxy.requests.filter((request) => request.method === 'GET').length).toBeGreaterThanOrEqual(result.spooling!.spooledSegments);
    const copies = await queriesTagged(tag);
    tally.countCopies(copies);
    expect(copies).toBe(1);
  }, 240_000);

  it('never replays the POST that starts a query after a reset or a stall', async () => {
    for (const kind of ['reset-after-body', 'stall'] as const) {
      const tag = `faults_start_${kind.replace(/-/g, '_')}_${Date.now()}`;
      const sentBefore = trinoProxy.requests.length;
      trinoProxy.setRules([{ kind, match: isStart, limit: 1 }]);
      const outcome = await tally.run(requestTimeoutMs * 3, () => faulty.query(`SELECT 1 AS one /* ${tag} */`).all());
      trinoProxy.setRules([]);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.error).toMatchObject({ code: kind === 'stall' ? 'TIMEOUT' : 'NETWORK', method: 'POST' });
      await new Promise((resolvePromise) => setTimeout(resolvePromise, kind === 'stall' ? 2500 : 200)); // the stalled POST lands late
      // The client sent the POST once (Trino got it: the proxy delivered it). Trino starts a query only when
      // its first nextUri is fetched, so the abandoned POST ran nothing; a replay would have started it again.
      const posts = trinoProxy.requests.slice(sentBefore).filter(isStart);
      tally.countCopies(posts.length);
      expect(posts).toEqual([expect.objectContaining({ method: 'POST', fault: kind })]);
      expect(await queriesTagged(tag)).toBeLessThanOrEqual(1);
    }
  });
});
