// Scenario 3, e-commerce events, on real servers: the events table, the flow from flows/ applied to
// NiFi, seeded events streamed to it in batches, the asset-scheduled Airflow DAG that computes the daily
// KPIs with Trino, and the KPI table read back through @dataplat/trino.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyExampleFlow, askTwice, dagRunIds, httpPortOf, postBatch, registerTrinoInAirflow, waitForDag, waitForNewRun, type StackClients } from '@dataplat-examples/shared';
import type { DagRun } from '@dataplat/airflow';
import { pollUntil } from '@dataplat/core';
import { generateEvents, type EventOptions } from './generate-events.ts';

export const kpiDag = 'dataplat_daily_kpis';
export const shopEventsAsset = 'dataplat://examples/shop-events';

export interface ShopEventsOptions {
  stack: StackClients;
  parentGroupId?: string | undefined;
  httpPort?: number | undefined;
  data?: EventOptions | undefined;
  /** Pause between batches (a stream, not a bulk load). Default 1 s. */
  streamIntervalMs?: number | undefined;
  onProgress?: ((step: string) => void) | undefined;
}

export async function runShopEventsScenario(options: ShopEventsOptions) {
  const progress = options.onProgress ?? (() => undefined);
  const { nifi, airflow, trino, postgres, secrets } = options.stack;
  const generated = generateEvents(options.data);

  progress('PostgreSQL: events.shop_events, emptied for a clean run');
  await postgres.query(await readFile(join(import.meta.dirname, 'schema.sql'), 'utf8'));
  await postgres.query('TRUNCATE events.shop_events');

  progress('Airflow: trino_default, and the KPI DAG scheduled on the shop-events asset unpaused');
  await registerTrinoInAirflow(options.stack);
  // Parsing the DAG registers the asset, which flows apply looks up.
  await waitForDag(airflow, kpiDag);
  await airflow.setDagPaused(kpiDag, false);
  const runsBefore = await dagRunIds(airflow, kpiDag);

  progress('NiFi: flows apply flows/shop-events.yaml');
  const flow = await applyExampleFlow(nifi, 'shop-events.yaml', { env: secrets, airflow, parentGroupId: options.parentGroupId, httpPort: options.httpPort });

  const port = httpPortOf(flow);
  progress(`Shop: streaming ${generated.events.length} events in ${generated.batches.length} batches to http://127.0.0.1:${port}/events`);
  const startedAt = performance.now();
  for (const [index, { batch, events }] of generated.batches.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, options.streamIntervalMs ?? 1000));
    await postBatch(`http://127.0.0.1:${port}/events`, batch, events);
  }
  await pollUntil(
    async () => {
      const { rows } = await postgres.query<{ count: string }>('SELECT count(*) FROM events.shop_events');
      const stored = Number(rows[0]!.count);
      return stored === generated.events.length ? { done: true, value: stored } : { done: false, progress: `${stored}/${generated.events.length} stored` };
    },
    { timeoutMs: 180_000, initialIntervalMs: 250, maxIntervalMs: 1000, description: 'NiFi to store the events', hint: 'flows status shows the flow\'s queues and bulletins (failures wait in the "held" funnel).' },
  );
  const ingestMs = Math.round(performance.now() - startedAt);

  progress(`Airflow: waiting for the ${kpiDag} run that saw the last batch`);
  const lastBatch = generated.batches.at(-1)!.batch;
  const sawLastBatch = (xcom: unknown) => ((xcom as { batches?: string[] }).batches ?? []).includes(lastBatch);
  // Airflow 3.3 can lose the queue entry of an asset event that arrives while its scheduler is creating
  // a run for the previous one (it inserts with ON CONFLICT DO NOTHING, then deletes the row it read),
  // so the last batch may start no run. Each run recomputes the KPIs from all stored events, so the
  // scenario then announces the end of the stream once more itself.
  let reannounced = false;
  const { run } = await waitForNewRun(airflow, kpiDag, 'compute_kpis', runsBefore, sawLastBatch, 20_000).catch(async (error: unknown) => {
    if ((error as { code?: string }).code !== 'TIMEOUT') throw error;
    reannounced = true;
    progress(`Airflow started no run for the last batch (its asset event was dropped from the queue); announcing it again`);
    await airflow.emitAssetEvent({ uri: shopEventsAsset }, { extra: { batch: lastBatch, reannounced: true } });
    return waitForNewRun(airflow, kpiDag, 'compute_kpis', runsBefore, sawLastBatch);
  });

  progress('Trino: the daily KPIs, asked twice (cold, then warm)');
  const kpiQuestion = await askTwice(
    trino,
    'daily KPIs',
    'SELECT CAST(day AS varchar) AS day, sessions, page_views, add_to_carts, orders, revenue, conversion_rate, avg_order_value FROM iceberg.kpis.daily_shop_kpis ORDER BY day',
  );
  const kpis = kpiQuestion.rows.map((row) => Object.fromEntries(kpiQuestion.columns.map((column, index) => [column, row[index]])));
  return { generated, ingestMs, dagRun: run as DagRun, reannounced, kpis, kpiQueryMs: kpiQuestion.coldMs, kpiWarmQueryMs: kpiQuestion.warmMs };
}
