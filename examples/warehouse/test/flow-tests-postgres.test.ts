// Flow tests of flows/warehouse-extract.yaml against a scratch PostgreSQL database with the scenario's schema and a few
// rows: each extract is triggered once as it is (QueryDatabaseTableRecord, its state fresh in the copy), the staging
// writes go to the scratch database, or — with `stage orders` stubbed — are captured instead of written.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defineFlowTest, testFlow } from '@dataplat/flows';
import { loadExampleContexts, loadExampleFlow, openFlowTestTarget, type FlowTestTarget } from '@dataplat-examples/shared';

let target: FlowTestTarget;
beforeAll(async () => {
  target = await openFlowTestTarget(
    inject('stackEndpoints'),
    'warehouse',
    join(import.meta.dirname, '..', 'src', 'schema.sql'),
    `INSERT INTO shop.customers VALUES (1, 'Ada', 'ada@example.com', 'FR', 'retail', '2026-11-01T10:00:00Z'), (2, 'Bo', 'bo@example.com', 'DE', 'pro', '2026-11-02T10:00:00Z');
     INSERT INTO shop.products VALUES (10, 'Lamp', 'home', 19.90, '2026-11-01T10:00:00Z');
     INSERT INTO shop.orders VALUES (100, 1, 10, 2, 19.90, 'paid', '2026-11-03T09:00:00Z', '2026-11-03T09:00:00Z');`,
  );
});
afterAll(async () => target?.close());

describe('flows test of warehouse-extract with the real PostgreSQL', () => {
  it('extracts each table once into staging, and captures the orders when stage orders is stubbed', async () => {
    const warehouse = await loadExampleFlow('warehouse-extract.yaml');
    // The case's copy gets what the flow inherits (examples-db: the JDBC URL the case overrides, the driver asset) as its own.
    const parameterContexts = await loadExampleContexts();
    const caseOf = (input: Parameters<typeof defineFlowTest>[1]) => defineFlowTest(warehouse, input, { parameterContexts });
    const parameters = { jdbc_url: target.scratch.jdbcUrl };
    const cases = [
      caseOf({
        name: 'customers and products are staged',
        parameters,
        inputs: [{ trigger: 'extract customers' }, { trigger: 'extract products' }],
        expect: [
          { at: 'stage customers.success', count: 1, attributes: { 'record.count': '2' } },
          { at: 'stage products.success', count: 1, attributes: { 'record.count': '1' } },
        ],
      }),
      caseOf({
        name: 'the orders extract reaches a stubbed stage orders',
        parameters,
        stubs: { 'stage orders': 'capture' },
        inputs: [{ trigger: 'extract orders' }],
        expect: [{ at: 'stage orders', count: 1, attributes: { 'record.count': '1', 'mime.type': 'application/avro-binary' } }],
      }),
    ];
    const run = await testFlow(target.nifi, cases, { parentGroupId: target.parentGroupId, env: { SHOP_DB_PASSWORD: target.scratch.password } });
    expect(run.results.map((result) => [result.name, result.status, result.failures, result.error])).toEqual([
      ['customers and products are staged', 'passed', [], undefined],
      ['the orders extract reaches a stubbed stage orders', 'passed', [], undefined],
    ]);
    console.info(`warehouse-extract flow tests with PostgreSQL: ${run.results.map((result) => `${result.name} ${(result.durationMs / 1000).toFixed(1)} s`).join(', ')}`);
    expect((await target.scratch.client.query('SELECT customer_id, name FROM staging.customers ORDER BY customer_id')).rows).toEqual([{ customer_id: 1, name: 'Ada' }, { customer_id: 2, name: 'Bo' }]);
    expect((await target.scratch.client.query('SELECT product_id, unit_price FROM staging.products')).rows).toEqual([{ product_id: 10, unit_price: '19.90' }]);
    // Stubbed: the orders were read and captured, never written.
    expect((await target.scratch.client.query('SELECT count(*)::int AS count FROM staging.orders')).rows).toEqual([{ count: 0 }]);
    expect(run.coverage[0]!.processors).toEqual({ exercised: ['extract customers', 'extract products', 'extract orders', 'stage customers', 'stage products'], stubbed: ['stage orders'], missed: [] });
    expect((await target.nifi.processGroups.flow(target.parentGroupId)).contents.processGroups).toEqual([]);
  });
});
