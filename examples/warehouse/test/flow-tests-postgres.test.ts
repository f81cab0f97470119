// Flow tests of flows/warehouse-extract.yaml against a scratch PostgreSQL database with the scenario's schema and a few
// rows: each extract is triggered once as it is (QueryDatabaseTableRecord, its state fresh in the copy), the staging
// writes go to the scratch database, or — with `stage orders` stubbed — are captured instead of written.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { defineFlowTest, loadFlowFile, testFlow } from '@dataplat/flows';

const endpoints = inject('stackEndpoints');
const postgres = endpoints.postgres!;
const nifi = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl });
const database = `flows_tests_wh_${Date.now().toString(36)}`;
const admin = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.databases.examples });
let scratch: pg.Client;
let parentGroupId = '';

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  scratch = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database });
  await scratch.connect();
  await scratch.query(await readFile(join(import.meta.dirname, '..', 'src', 'schema.sql'), 'utf8'));
  await scratch.query(`
    INSERT INTO shop.customers VALUES (1, 'Ada', 'ada@example.com', 'FR', 'retail', '2026-11-01T10:00:00Z'), (2, 'Bo', 'bo@example.com', 'DE', 'pro', '2026-11-02T10:00:00Z');
    INSERT INTO shop.products VALUES (10, 'Lamp', 'home', 19.90, '2026-11-01T10:00:00Z');
    INSERT INTO shop.orders VALUES (100, 1, 10, 2, 19.90, 'paid', '2026-11-03T09:00:00Z', '2026-11-03T09:00:00Z');`);
  parentGroupId = (await nifi.processGroups.create('root', { name: `flow-tests-postgres-${database}` })).id;
});

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  await nifi.close();
  await scratch?.end();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe('flows test of warehouse-extract with the real PostgreSQL', () => {
  it('extracts each table once into staging, and captures the orders when stage orders is stubbed', async () => {
    const [warehouse] = loadFlowFile('flows/warehouse-extract.yaml', await readFile(join(import.meta.dirname, '..', '..', '..', 'flows', 'warehouse-extract.yaml'), 'utf8')).flows;
    const parameters = { jdbc_url: `jdbc:postgresql://${postgres.host}:${postgres.port}/${database}` };
    const cases = [
      defineFlowTest(warehouse!, {
        name: 'customers and products are staged',
        parameters,
        inputs: [{ trigger: 'extract customers' }, { trigger: 'extract products' }],
        expect: [
          { at: 'stage customers.success', count: 1, attributes: { 'record.count': '2' } },
          { at: 'stage products.success', count: 1, attributes: { 'record.count': '1' } },
        ],
      }),
      defineFlowTest(warehouse!, {
        name: 'the orders extract reaches a stubbed stage orders',
        parameters,
        stubs: { 'stage orders': 'capture' },
        inputs: [{ trigger: 'extract orders' }],
        expect: [{ at: 'stage orders', count: 1, attributes: { 'record.count': '1', 'mime.type': 'application/avro-binary' } }],
      }),
    ];
    const run = await testFlow(nifi, cases, { parentGroupId, env: { SHOP_DB_PASSWORD: postgres.password } });
    expect(run.results.map((result) => [result.name, result.status, result.failures, result.error])).toEqual([
      ['customers and products are staged', 'passed', [], undefined],
      ['the orders extract reaches a stubbed stage orders', 'passed', [], undefined],
    ]);
    console.info(`warehouse-extract flow tests with PostgreSQL: ${run.results.map((result) => `${result.name} ${(result.durationMs / 1000).toFixed(1)} s`).join(', ')}`);
    expect((await scratch.query('SELECT customer_id, name FROM staging.customers ORDER BY customer_id')).rows).toEqual([{ customer_id: 1, name: 'Ada' }, { customer_id: 2, name: 'Bo' }]);
    expect((await scratch.query('SELECT product_id, unit_price FROM staging.products')).rows).toEqual([{ product_id: 10, unit_price: '19.90' }]);
    // Stubbed: the orders were read and captured, never written.
    expect((await scratch.query('SELECT count(*)::int AS count FROM staging.orders')).rows).toEqual([{ count: 0 }]);
    expect(run.coverage[0]!.processors).toEqual({ exercised: ['extract customers', 'extract products', 'extract orders', 'stage customers', 'stage products'], stubbed: ['stage orders'], missed: [] });
    expect((await nifi.processGroups.flow(parentGroupId)).contents.processGroups).toEqual([]);
  });
});
