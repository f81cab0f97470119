// Scenario 3 on the real stack: streamed shop events → NiFi (flows/shop-events.yaml) → PostgreSQL, an
// asset event per batch → the asset-scheduled KPI DAG → Trino, with the KPIs checked against the data.
import { createServer } from 'node:net';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAirflowClient } from '@dataplat/airflow';
import { createNifiClient } from '@dataplat/nifi';
import { createTrinoClient } from '@dataplat/trino';
import pg from 'pg';
import { runShopEventsScenario } from '../src/scenario.ts';

const endpoints = inject('stackEndpoints');
const postgresEndpoint = endpoints.postgres!;
const nifi = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl });
const airflow = createAirflowClient({ baseUrl: endpoints.airflow!.url, auth: endpoints.airflow!.admin });
const trino = createTrinoClient({ server: endpoints.trino!.url, user: endpoints.trino!.user });
const postgres = new pg.Client({ host: postgresEndpoint.host, port: postgresEndpoint.port, user: postgresEndpoint.user, password: postgresEndpoint.password, database: postgresEndpoint.databases.examples });
let parentGroupId = '';

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  const context = await nifi.parameterContexts.findByName('shop-events');
  if (context) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  await Promise.all([postgres.end(), nifi.close(), airflow.close(), trino.close()]);
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('scenario 3: e-commerce events, end to end on the real stack', () => {
  it('stores the streamed events and computes the daily KPIs in Airflow with Trino', { timeout: 300_000 }, async () => {
    await postgres.connect();
    parentGroupId = (await nifi.processGroups.create('root', { name: `scenario-events-${Date.now().toString(36)}` })).id;
    const report = await runShopEventsScenario({
      nifi,
      airflow,
      trino,
      postgres,
      parentGroupId,
      httpPort: await freePort(),
      env: { SHOP_DB_PASSWORD: postgresEndpoint.password, AIRFLOW_PASSWORD: endpoints.airflow!.admin.password },
      trinoForAirflow: { url: endpoints.trino!.url, user: endpoints.trino!.user },
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
