// Scenario 2 on the real stack: the shop database → NiFi extract run by Airflow → Trino star schema on
// Iceberg, checked against the generated data; then a second night picks up only what changed.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectStack, removeExampleFlow, type StackClients } from '@dataplat-examples/shared';
import { revenueCents } from '../src/generate-shop.ts';
import { nightlyDag, runWarehouseScenario } from '../src/scenario.ts';

let stack: StackClients;
beforeAll(async () => void (stack = await connectStack(inject('stackEndpoints'))));
afterAll(async () => {
  await removeExampleFlow(stack, 'warehouse-extract');
  await stack.close();
});

const cents = (value: unknown) => Math.round(Number(value) * 100);

describe('scenario 2: nightly warehouse load, end to end on the real stack', () => {
  it('loads the star schema through NiFi, Airflow and Trino, then only what changed the next night', async () => {
    const { airflow, postgres, trino } = stack;
    const report = await runWarehouseScenario({
      stack,
      data: { seed: 3, customers: 60, orders: 600 },
    });
    const { customers, products, orders } = report.generated;
    expect(report.dagRun.state).toBe('success');
    expect(report.counts).toEqual({ fact_orders: 600, orders: 600, dim_customer: 60, customers: 60, dim_product: products.length, products: products.length });

    const [byMonth, topProducts, , byStatus] = report.dashboard;
    const sold = orders.filter((order) => order.status !== 'cancelled');
    expect(byMonth!.rows.reduce((sum, row) => sum + cents(row[2]), 0)).toBe(sold.reduce((sum, order) => sum + revenueCents(order), 0));
    expect(byMonth!.rows.reduce((sum, row) => sum + Number(row[3]), 0)).toBe(sold.length);
    const revenueByProduct = new Map<number, number>();
    for (const order of sold) revenueByProduct.set(order.product_id, (revenueByProduct.get(order.product_id) ?? 0) + revenueCents(order));
    const best = [...revenueByProduct].sort((a, b) => b[1] - a[1])[0]!;
    expect(topProducts!.rows[0]).toEqual([products.find((product) => product.product_id === best[0])!.name, expect.any(String), expect.anything()]);
    expect(cents(topProducts!.rows[0]![2])).toBe(best[1]);
    expect(byStatus!.rows.reduce((sum, row) => sum + Number(row[1]), 0)).toBe(600);
    expect(customers).toHaveLength(60);

    // The next night: 25 new orders and one order cancelled since. Only those rows are extracted.
    const changedAt = new Date();
    await postgres.query(
      `INSERT INTO shop.orders SELECT 900000 + n, 1, 1, 2, (SELECT unit_price FROM shop.products WHERE product_id = 1), 'shipped', $1, $1 FROM generate_series(1, 25) AS n`,
      [changedAt],
    );
    await postgres.query(`UPDATE shop.orders SET status = 'cancelled', updated_at = $1 WHERE order_id = $2`, [changedAt, orders[0]!.order_id]);
    const second = await airflow.runDag(nightlyDag, { waitTimeoutMs: 600_000, pollIntervalMs: 1000 });
    expect(second.state).toBe('success');
    expect(await airflow.getXCom(nightlyDag, second.dag_run_id, 'check_counts')).toMatchObject({ fact_orders: 625, orders: 625 });
    const extractRuns = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'nifi_flow_warehouse_extract' } });
    const latest = extractRuns.sort((a, b) => String(b.run_after).localeCompare(String(a.run_after)))[0]!;
    const extractReport = (await airflow.getXCom('nifi_flow_warehouse_extract', latest.dag_run_id, 'run_flow')) as { processors: Array<{ name: string; flowFilesOut: number }> };
    expect(extractReport.processors.find((processor) => processor.name === 'extract customers')?.flowFilesOut).toBe(0);
    const status = await trino.query(`SELECT status FROM iceberg.warehouse.fact_orders WHERE order_id = ${orders[0]!.order_id}`, { rowMode: 'array' }).all();
    expect(status).toEqual([['cancelled']]);
  });
});
