// Scenario 3 on the real stack: streamed shop events → NiFi (flows/shop-events.yaml) → PostgreSQL, an
// asset event per batch → the asset-scheduled KPI DAG → Trino, with the KPIs checked against the data.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectStack, freePort, removeExampleFlow, type StackClients } from '@dataplat-examples/shared';
import { runShopEventsScenario } from '../src/scenario.ts';

let stack: StackClients;
let parentGroupId = '';
beforeAll(async () => void (stack = await connectStack(inject('stackEndpoints'))));
afterAll(async () => {
  await removeExampleFlow(stack, 'shop-events', parentGroupId);
  await stack.close();
});

describe('scenario 3: e-commerce events, end to end on the real stack', () => {
  it('stores the streamed events and computes the daily KPIs in Airflow with Trino', { timeout: 300_000 }, async () => {
    parentGroupId = (await stack.nifi.processGroups.create('root', { name: `scenario-events-${Date.now().toString(36)}` })).id;
    const report = await runShopEventsScenario({
      stack,
      parentGroupId,
      httpPort: await freePort(),
      data: { seed: 9, sessions: 150, batchSize: 200 },
    });
    expect(report.generated.batches.length).toBeGreaterThan(2);
    expect(report.dagRun.state).toBe('success');
    expect(
      report.kpis.map((row) => ({
        day: row['day'],
        sessions: Number(row['sessions']),
        page_views: Number(row['page_views']),
        add_to_carts: Number(row['add_to_carts']),
        orders: Number(row['orders']),
        revenue_cents: Math.round(Number(row['revenue']) * 100),
      })),
    ).toEqual(report.generated.kpis);
    for (const row of report.kpis) expect(Number(row['conversion_rate'])).toBeCloseTo(Number(row['orders']) / Number(row['sessions']), 10);
  });
});
