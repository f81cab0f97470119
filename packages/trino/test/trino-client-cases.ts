// The @dataplat/trino client's core cases — exact types, streaming, heartbeats, cancellation, errors, parameters,
// sessions, transactions, spooling — as one suite that runs against any Trino of the stack: the single node
// (test/integration/trino-client.test.ts) and the cluster's coordinator with its worker (test/cluster/).
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrinoClient, TrinoQueryError, type TrinoClient } from '@dataplat/trino';

/** Where the suite connects: plain HTTP, a user name (the stack's Trinos need no password over HTTP). */
export interface TrinoTarget {
  url: string;
  user: string;
}

export const unique = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;

/** The state Trino reports for a query (system.runtime.queries). */
async function queryState(trino: TrinoClient, queryId: string): Promise<string | undefined> {
  const row = await trino.query<{ state: string }>('SELECT state FROM system.runtime.queries WHERE query_id = ?', { params: [queryId] }).first();
  return row?.state;
}

/** The state a query ends in, polled for up to 10 s (still running after that: its running state). */
export async function waitUntilNotRunning(trino: TrinoClient, queryId: string): Promise<string | undefined> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const state = await queryState(trino, queryId);
    if (state !== 'RUNNING' && state !== 'QUEUED' && state !== 'PLANNING' && state !== 'STARTING') return state;
    await sleep(200);
  }
  return queryState(trino, queryId);
}

export interface TrinoCaseSizes {
  /** The spooled-vs-direct case reads lineitem rows with orderkey below this, four times. Default 400,000 (~400k rows). */
  spooledOrderkeyLimit?: number;
}

/**
 * Declares the core cases in a describe block named `title`, against the Trino `target` resolves to (resolved in
 * a beforeAll, so a suite may boot what it tests first, e.g. the cluster).
 */
export function describeTrinoClientCases(title: string, target: () => TrinoTarget | Promise<TrinoTarget>, sizes: TrinoCaseSizes = {}): void {
  const spooledOrderkeyLimit = sizes.spooledOrderkeyLimit ?? 400_000;
  describe(title, () => {
    let endpoint: TrinoTarget;
    let trino: TrinoClient;
    beforeAll(async () => {
      endpoint = await target();
      trino = createTrinoClient({ server: endpoint.url, user: endpoint.user });
    });
    afterAll(() => trino?.close());

    it('decodes every Trino type exactly (the type zoo)', async () => {
      const typeZoo = `
        SELECT
          BIGINT '9223372036854775807' AS big_max,
          BIGINT '-9007199254740993' AS big_beyond_double,
          CAST(NULL AS BIGINT) AS big_null,
          TINYINT '-128' AS tiny, SMALLINT '32767' AS small, 2147483647 AS int_max,
          REAL '1.5' AS real_value, nan() AS not_a_number, infinity() AS positive_infinity, -infinity() AS negative_infinity, DOUBLE '0.1' AS double_value,
          DECIMAL '12345678901234567890123456789012345678' AS decimal_38,
          DECIMAL '-0.000000000000000000000000000000000001' AS decimal_tiny,
          true AS flag, 'héllo ''quoted''' AS text, CAST('ab' AS CHAR(4)) AS padded,
          X'00ff10' AS bytes, json_parse('{"a":[1,2.5,null]}') AS json_text,
          UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59' AS uuid_value, IPADDRESS '2001:db8::1' AS ip,
          DATE '2026-11-21' AS day, DATE '-0044-03-15' AS ides,
          TIME '10:11:12.123456789012' AS time_12, TIME '10:11:12.123 +05:30' AS time_zoned,
          TIMESTAMP '2026-11-21 10:11:12.123456789012' AS timestamp_12,
          TIMESTAMP '2026-11-21 10:11:12.123456789012 America/New_York' AS timestamp_zoned,
          INTERVAL '3' YEAR + INTERVAL '2' MONTH AS year_month, INTERVAL '2 03:04:05.678' DAY TO SECOND AS day_second,
          ARRAY[BIGINT '9007199254740993', NULL] AS big_array,
          MAP(ARRAY[BIGINT '9007199254740993', 2], ARRAY['x', 'y']) AS big_keyed_map,
          CAST(ROW(BIGINT '9007199254740993', ARRAY[ROW('nested', DECIMAL '1.10')]) AS ROW(id BIGINT, items ARRAY(ROW(name VARCHAR, price DECIMAL(5,2))))) AS nested
      `;
      const result = trino.query(typeZoo);
      const row = (await result.first())!;
      expect(row).toEqual({
        big_max: 9223372036854775807n,
        big_beyond_double: -9007199254740993n,
        big_null: null,
        tiny: -128,
        small: 32767,
        int_max: 2147483647,
        real_value: 1.5,
        not_a_number: Number.NaN,
        positive_infinity: Number.POSITIVE_INFINITY,
        negative_infinity: Number.NEGATIVE_INFINITY,
        double_value: 0.1,
        decimal_38: '12345678901234567890123456789012345678',
        decimal_tiny: '-0.000000000000000000000000000000000001',
        flag: true,
        text: "héllo 'quoted'",
        padded: 'ab  ',
        bytes: new Uint8Array([0x00, 0xff, 0x10]),
        json_text: '{"a":[1,2.5,null]}',
        uuid_value: '12151fd2-7586-11e9-8f9e-2a86e4085a59',
        ip: '2001:db8::1',
        day: '2026-11-21',
        ides: '-0044-03-15',
        time_12: '10:11:12.123456789012',
        time_zoned: '10:11:12.123+05:30',
        timestamp_12: '2026-11-21 10:11:12.123456789012',
        timestamp_zoned: '2026-11-21 10:11:12.123456789012 America/New_York',
        year_month: '3-2',
        day_second: '2 03:04:05.678',
        big_array: [9007199254740993n, null],
        big_keyed_map: new Map([
          [9007199254740993n, 'x'],
          [2n, 'y'],
        ]),
        nested: { id: 9007199254740993n, items: [{ name: 'nested', price: '1.10' }] },
      });
      // Tuples are decoded in place (the parsed array becomes the tuple): the same exact values in column order, direct and spooled.
      for (const encoding of [false, undefined] as const) expect(await trino.query(typeZoo, { rowMode: 'array', encoding }).first()).toEqual(Object.values(row));
      const columns = await result.columns();
      expect(columns.find((column) => column.name === 'timestamp_zoned')?.type).toBe('timestamp(12) with time zone');
      expect(columns.find((column) => column.name === 'decimal_38')?.type).toBe('decimal(38, 0)');
    });

    it('streams a whole table in constant-size pages, as objects or tuples, with progress', async () => {
      let progressCalls = 0;
      const result = trino.query('SELECT orderkey, linenumber, extendedprice, shipdate FROM tpch.tiny.lineitem', { onProgress: () => progressCalls++ });
      let rows = 0;
      let pages = 0;
      let largestPage = 0;
      for await (const page of result.pages()) {
        pages++;
        rows += page.length;
        largestPage = Math.max(largestPage, page.length);
      }
      expect(rows).toBe(60175);
      expect(pages).toBeGreaterThan(1);
      expect(largestPage).toBeLessThan(60175);
      expect(progressCalls).toBeGreaterThan(0);
      expect(result.stats?.state).toBe('FINISHED');

      const tuples = await trino.query('SELECT nationkey, name FROM tpch.tiny.nation ORDER BY nationkey LIMIT 2', { rowMode: 'array' }).all();
      expect(tuples).toEqual([
        [0n, 'ALGERIA'],
        [1n, 'ARGENTINA'],
      ]);
    });

    it('keeps a slowly consumed query alive with heartbeats that re-read the last page without skipping rows', async () => {
      const sql = 'SELECT orderkey, linenumber FROM tpch.tiny.lineitem ORDER BY orderkey, linenumber';
      const expected = await trino.query(sql, { rowMode: 'array', encoding: false }).all();
      const slow = trino.query(sql, { rowMode: 'array', encoding: false, heartbeatIntervalMs: 25 });
      const rows: unknown[] = [];
      let pauses = 0;
      for await (const page of slow.pages()) {
        rows.push(...page);
        // Hold each of the first pages long enough for several heartbeats.
        if (pauses++ < 3) await sleep(120);
      }
      expect(rows).toEqual(expected);
    });

    it('types rows through a schema (zod-style parse)', async () => {
      const schema = {
        parse(value: unknown) {
          const row = value as { nationkey: bigint; name: string };
          if (typeof row.nationkey !== 'bigint' || typeof row.name !== 'string') throw new Error('unexpected row shape');
          return { key: Number(row.nationkey), name: row.name.toLowerCase() };
        },
      };
      const rows = await trino.query('SELECT nationkey, name FROM tpch.tiny.nation WHERE nationkey < 2 ORDER BY 1', { schema }).all();
      expect(rows).toEqual([
        { key: 0, name: 'algeria' },
        { key: 1, name: 'argentina' },
      ]);
    });

    it('cancels the query on the server when the AbortSignal fires', async () => {
      const controller = new AbortController();
      const result = trino.query('SELECT * FROM tpch.sf1.lineitem', { signal: controller.signal });
      const queryId = await result.id();
      const iterator = result[Symbol.asyncIterator]();
      await iterator.next();
      controller.abort(new Error('user pressed stop'));
      await expect(iterator.next()).rejects.toMatchObject({ code: 'ABORTED' });
      expect(await waitUntilNotRunning(trino, queryId)).toBe('FAILED');
    });

    it('cancels the query on the server when the loop is left early (no zombie query)', async () => {
      const result = trino.query('SELECT * FROM tpch.sf1.lineitem');
      let seen = 0;
      for await (const _ of result) {
        if (++seen === 10) break;
      }
      const queryId = await result.id();
      expect(await waitUntilNotRunning(trino, queryId)).toBe('FAILED');
      const running = await trino.query<{ count: bigint }>("SELECT count(*) AS count FROM system.runtime.queries WHERE query_id = ? AND state = 'RUNNING'", { params: [queryId] }).first();
      expect(running?.count).toBe(0n);
    });

    it('throws TrinoQueryError with the error name, type and SQL location', async () => {
      const error = (await trino
        .query('SELECT name,\n       no_such_column\nFROM tpch.tiny.nation')
        .all()
        .catch((caught: unknown) => caught)) as TrinoQueryError;
      expect(TrinoQueryError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'TRINO_QUERY_FAILED', errorName: 'COLUMN_NOT_FOUND', errorType: 'USER_ERROR', location: { lineNumber: 2, columnNumber: 8 } });
      expect(error.message).toContain("line 2:8: Column 'no_such_column' cannot be resolved");
      expect(error.message).toContain('       no_such_column\n');

      await expect(trino.query('SELECT 1 / 0').all()).rejects.toMatchObject({ errorName: 'DIVISION_BY_ZERO' });
      await expect(trino.query('SELEC 1').all()).rejects.toMatchObject({ errorName: 'SYNTAX_ERROR', location: { lineNumber: 1, columnNumber: 1 } });
    });

    it('binds parameters as escaped literals: exact values, no injection', async () => {
      const hostile = "x'; DROP TABLE memory.default.nation; --";
      const row = await trino
        .query('SELECT ? AS text, ? AS big, ? AS ratio, ? AS flag, ? AS missing, ? AS bytes, ? AS list, ? AS at', {
          params: [hostile, 9007199254740993n, 0.25, true, null, new Uint8Array([1, 2]), [1, 2, 3], new Date('2026-11-21T10:11:12.345Z')],
        })
        .first();
      expect(row).toEqual({
        text: hostile,
        big: 9007199254740993n,
        ratio: 0.25,
        flag: true,
        missing: null,
        bytes: new Uint8Array([1, 2]),
        list: [1, 2, 3],
        at: '2026-11-21 10:11:12.345 UTC',
      });
      expect(() => trino.query('SELECT ?, ?', { params: [1] })).toThrow(/2 \? placeholder/);
      // A ? inside a string literal is not a placeholder.
      expect(await trino.query("SELECT '?' AS mark, ? AS value", { params: ['v'] }).first()).toEqual({ mark: '?', value: 'v' });
    });

    it('keeps USE, SET SESSION and time zone per session, also with concurrent queries', async () => {
      const left = trino.session();
      const right = trino.session();
      await Promise.all([left.execute('USE memory.default'), right.execute('USE tpch.tiny')]);
      await left.execute("SET SESSION query_max_run_time = '7m'");
      expect(left.catalog).toBe('memory');
      expect(right.catalog).toBe('tpch');
      expect(left.properties.get('query_max_run_time')).toBe('7m');
      expect(right.properties.size).toBe(0);

      const [fromLeft, fromRight] = await Promise.all([
        left.query<{ catalog: string; schema: string }>('SELECT current_catalog AS catalog, current_schema AS schema').first(),
        right.query<{ catalog: string; schema: string }>('SELECT current_catalog AS catalog, current_schema AS schema').first(),
      ]);
      expect(fromLeft).toEqual({ catalog: 'memory', schema: 'default' });
      expect(fromRight).toEqual({ catalog: 'tpch', schema: 'tiny' });
      expect(await right.query('SELECT count(*) AS nations FROM nation').first()).toEqual({ nations: 25n });

      await left.execute('RESET SESSION query_max_run_time');
      expect(left.properties.has('query_max_run_time')).toBe(false);
      await left.execute('SET PATH memory.default');
      expect(await left.query('SELECT current_path AS path').first()).toEqual({ path: 'memory.default' });
      expect(await right.query('SELECT current_path AS path').first()).toEqual({ path: '' });

      const zoned = createTrinoClient({ server: endpoint.url, user: endpoint.user, timeZone: 'Asia/Kolkata', source: 'dataplat-tests', clientTags: ['nightly', 'etl'] });
      const probe = zoned.query<{ zone: string }>('SELECT current_timezone() AS zone');
      expect(await probe.first()).toEqual({ zone: 'Asia/Kolkata' });
      const seen = await trino.query<{ source: string; user: string }>('SELECT source, "user" FROM system.runtime.queries WHERE query_id = ?', { params: [await probe.id()] }).first();
      expect(seen).toEqual({ source: 'dataplat-tests', user: endpoint.user });
      await zoned.close();
    });

    it('prepares, executes and deallocates statements within a session', async () => {
      const session = trino.session();
      await session.execute('PREPARE nation_by_key FROM SELECT name FROM tpch.tiny.nation WHERE nationkey = ?');
      expect([...session.preparedStatements.keys()]).toEqual(['nation_by_key']);
      expect(await session.query('EXECUTE nation_by_key USING 7').first()).toEqual({ name: 'GERMANY' });
      // Other sessions don't see it.
      await expect(trino.session().execute('EXECUTE nation_by_key USING 7')).rejects.toMatchObject({ errorName: 'NOT_FOUND' });
      await session.execute('DEALLOCATE PREPARE nation_by_key');
      expect(session.preparedStatements.size).toBe(0);
    });

    it('reports update counts and runs transactions on the memory catalog', async () => {
      const table = `memory.default.${unique('orders')}`;
      const created = await trino.execute(`CREATE TABLE ${table} AS SELECT orderkey, totalprice FROM tpch.tiny.orders WHERE orderkey < 100`);
      expect(created).toMatchObject({ updateType: 'CREATE TABLE', updateCount: 27 });

      // Reads in a transaction see one snapshot; the session carries the transaction id until COMMIT.
      const session = trino.session();
      const counted = await session.transaction(async (transaction) => {
        expect(transaction.transactionId).toMatch(/^[0-9a-f-]{36}$/);
        return transaction.query<{ rows: bigint }>(`SELECT count(*) AS rows FROM ${table}`).first();
      });
      expect(counted).toEqual({ rows: 27n });
      expect(session.transactionId).toBeUndefined();

      // The memory connector only writes in autocommit mode: the failure rolls the transaction back.
      const refused = await session
        .transaction((transaction) => transaction.execute(`INSERT INTO ${table} VALUES (100001, DECIMAL '2.00')`))
        .catch((caught: unknown) => caught);
      expect(refused).toMatchObject({ code: 'TRINO_QUERY_FAILED' });
      expect((refused as Error).message).toContain('Catalog only supports writes using autocommit: memory');
      expect(session.transactionId).toBeUndefined();
      expect(await session.execute(`INSERT INTO ${table} VALUES (100000, DECIMAL '1.00')`)).toMatchObject({ updateType: 'INSERT', updateCount: 1 });
      expect(await trino.query(`SELECT count(*) AS rows FROM ${table}`).first()).toEqual({ rows: 28n });
      await trino.execute(`DROP TABLE ${table}`);
    });

    // 4 × ~400k rows by default: 86 s on the single node; 235 s on the 2-core cluster while other suites ran, which
    // therefore reads less (still spooled segments).
    it('reads spooled results (S3 segments, json+zstd / json+lz4 / json) identical to direct ones', async () => {
      const sql = `SELECT orderkey, linenumber, partkey, extendedprice, shipdate, comment FROM tpch.sf1.lineitem WHERE orderkey < ${spooledOrderkeyLimit} ORDER BY orderkey, linenumber`;
      const digest = async (options: Parameters<typeof trino.query>[1]) => {
        const result = trino.query(sql, { ...options, rowMode: 'array' });
        const hash = createHash('sha256');
        let rows = 0;
        for await (const page of result.pages()) {
          rows += page.length;
          // Row by row: page boundaries differ between the protocols, the rows must not.
          for (const row of page) hash.update(`${JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}\n`);
        }
        return { rows, sha256: hash.digest('hex'), spooling: result.spooling };
      };
      const direct = await digest({ encoding: false });
      expect(direct.spooling).toBeUndefined();
      // lineitem holds ~4 rows per orderkey, and 1 in 4 orderkeys exist: about one row per orderkey below the limit.
      expect(direct.rows).toBeGreaterThan(spooledOrderkeyLimit * 0.875);
      for (const encoding of ['json+zstd', 'json+lz4', 'json'] as const) {
        const spooled = await digest({ encoding });
        expect(spooled.spooling).toMatchObject({ encoding });
        // Large results really went through object storage, not only inline segments.
        expect(spooled.spooling!.spooledSegments).toBeGreaterThan(0);
        expect({ rows: spooled.rows, sha256: spooled.sha256 }).toEqual({ rows: direct.rows, sha256: direct.sha256 });
      }
    }, 600_000);

    it('leaves no query running when a spooled result is abandoned early', async () => {
      const result = trino.query('SELECT * FROM tpch.sf1.lineitem');
      let seen = 0;
      for await (const _ of result) if (++seen === 100_000) break;
      expect(result.spooling?.spooledSegments).toBeGreaterThan(0);
      expect(await waitUntilNotRunning(trino, await result.id())).toMatch(/^(FAILED|FINISHED)$/);
    });

  });
}
