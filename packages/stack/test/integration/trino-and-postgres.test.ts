import pg from 'pg';
import { BasicAuth, Trino } from 'trino-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const endpoints = inject('stackEndpoints');

/** Runs SQL through the npm trino-client (an independent client) and throws on query errors. */
async function trinoRows(sql: string): Promise<unknown[][]> {
  const trino = Trino.create({ server: endpoints.trino!.url, source: 'dataplat-stack-test', auth: new BasicAuth(endpoints.trino!.user) });
  const rows: unknown[][] = [];
  for await (const result of await trino.query(sql)) {
    if (result.error) throw new Error(`${result.error.errorName}: ${result.error.message}`);
    rows.push(...(result.data ?? []));
  }
  return rows;
}

describe('PostgreSQL', () => {
  const postgres = endpoints.postgres!;
  let client: pg.Client;

  beforeAll(async () => {
    client = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.databases.examples });
    await client.connect();
  });
  afterAll(() => client.end());

  it('round-trips rows through a real server', async () => {
    await client.query('DROP TABLE IF EXISTS stack_smoke');
    await client.query('CREATE TABLE stack_smoke (id integer PRIMARY KEY, reading numeric(6,2), taken_at timestamptz)');
    await client.query("INSERT INTO stack_smoke VALUES (1, 12.50, '2026-11-21T10:00:00Z'), (2, 48.25, '2026-11-21T11:00:00Z')");
    const result = await client.query<{ id: number; reading: string }>('SELECT id, reading FROM stack_smoke ORDER BY id');
    expect(result.rows).toEqual([{ id: 1, reading: '12.50' }, { id: 2, reading: '48.25' }]);
  });

  it('has the databases the stack promises', async () => {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database');
    expect(result.rows.map((row) => row.datname)).toEqual(expect.arrayContaining(['airflow', 'iceberg', 'examples']));
  });
});

describe('Trino 476', () => {
  it('answers tpch.tiny.nation with 25 rows', async () => {
    const rows = await trinoRows('SELECT name FROM tpch.tiny.nation ORDER BY nationkey');
    expect(rows).toHaveLength(25);
    expect(rows[0]).toEqual(['ALGERIA']);
  });

  it('reads the stack PostgreSQL through the postgresql catalog', async () => {
    const rows = await trinoRows('SELECT id, reading FROM postgresql.public.stack_smoke ORDER BY id');
    expect(rows).toEqual([[1, '12.50'], [2, '48.25']]);
  });

  it('writes and reads Iceberg tables (JDBC catalog in PostgreSQL, data in local files)', async () => {
    await trinoRows('CREATE SCHEMA IF NOT EXISTS iceberg.stack_smoke');
    await trinoRows('DROP TABLE IF EXISTS iceberg.stack_smoke.readings');
    await trinoRows('CREATE TABLE iceberg.stack_smoke.readings AS SELECT nationkey, name FROM tpch.tiny.nation WHERE regionkey = 1');
    expect(await trinoRows('SELECT count(*) FROM iceberg.stack_smoke.readings')).toEqual([[5]]);
  });

  it('has a writable memory catalog', async () => {
    await trinoRows('DROP TABLE IF EXISTS memory.default.stack_smoke');
    await trinoRows('CREATE TABLE memory.default.stack_smoke AS SELECT * FROM (VALUES 1, 2, 3) AS t(x)');
    expect(await trinoRows('SELECT sum(x) FROM memory.default.stack_smoke')).toEqual([[6]]);
  });
});
