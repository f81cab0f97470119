// pnpm demo [--keep] [--sensors 24] [--orders 5000] [--sessions 600]: the README's main job. Boots the
// local stack, then runs the three scenarios for real — IoT sensors (NiFi → PostgreSQL → Airflow →
// Trino), the nightly warehouse load (Airflow runs NiFi, Trino builds an Iceberg star schema) and
// e-commerce events (NiFi → asset event → Airflow KPIs with Trino) — prints a short report and writes
// an HTML report with charts. Safe to re-run: every scenario resets its own demo data. Every dashboard
// question is asked twice and reported cold (first run) and warm (second): see docs/trino.md, "Dashboards:
// cold and warm", for where a first query's time goes and what the stack does about it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DagRun } from '@dataplat/airflow';
import { startStack, stopStack, type StartStackOptions } from '@dataplat/stack';
import { runIotScenario } from '@dataplat-examples/iot-sensors';
import { connectStack, type StackClients } from '@dataplat-examples/shared';
import { runShopEventsScenario } from '@dataplat-examples/shop-events';
import { runWarehouseScenario } from '@dataplat-examples/warehouse';
import { questionsUnderASecond, renderReportHtml, type DemoReportData } from './report-html.ts';

const { values } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    sensors: { type: 'string', default: '24' },
    orders: { type: 'string', default: '5000' },
    sessions: { type: 'string', default: '600' },
  },
});
const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
const stateDir = process.env['DATAPLAT_STACK_DIR'] ?? join(repositoryRoot, '.dataplat', 'stack');
// The example DAGs are copied into the stack's own DAG folder (what `stack up --load-dags examples/dags` does),
// so a plain `stack up` later finds them too, and DAGs users write with `flows dag` stay out of the repository.
const options: StartStackOptions = {
  loadDags: [join(repositoryRoot, 'examples', 'dags')],
  stateDir,
  onEvent: (event) => {
    if (event.type === 'service-ready') console.log(`  ${event.service.padEnd(10)} ready (${(event.totalMs / 1000).toFixed(1)} s)`);
  },
};
const timings: DemoReportData['timings'] = [];
const timed = async <Result>(step: string, run: () => Promise<Result>): Promise<Result> => {
  const startedAt = performance.now();
  const result = await run();
  timings.push({ step, ms: performance.now() - startedAt });
  return result;
};
const progress = (step: string) => console.log(`  - ${step}`);
const seconds = (run: DagRun) => (run.start_date && run.end_date ? (Date.parse(run.end_date) - Date.parse(run.start_date)) / 1000 : undefined);
const text = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

const demoStartedAt = performance.now();
console.log('Starting the local stack (NiFi, Airflow, Trino, PostgreSQL, S3)…');
const { endpoints } = await timed('boot the stack', () => startStack(options));
const { nifi: nifiEndpoint, airflow: airflowEndpoint, trino: trinoEndpoint } = endpoints;
let stack: StackClients | undefined;
let failed = false;
try {
  const clients = await connectStack(endpoints);
  stack = clients;
  console.log('\n1. IoT sensors: HTTP → NiFi → PostgreSQL, asset event → Airflow, questions → Trino');
  const iot = await timed('scenario 1: IoT sensors', () =>
    runIotScenario({ stack: clients, data: { sensors: Number(values.sensors) }, onProgress: progress }),
  );
  console.log('\n2. Nightly warehouse: Airflow runs the NiFi extract, Trino builds the Iceberg star schema');
  const warehouse = await timed('scenario 2: nightly warehouse load', () =>
    runWarehouseScenario({ stack: clients, data: { orders: Number(values.orders) }, onProgress: progress }),
  );
  console.log('\n3. E-commerce events: HTTP stream → NiFi → PostgreSQL, asset event → Airflow KPIs with Trino');
  const events = await timed('scenario 3: e-commerce events', () =>
    runShopEventsScenario({ stack: clients, data: { sessions: Number(values.sessions) }, onProgress: progress }),
  );
  timings.push({ step: 'the whole demo', ms: performance.now() - demoStartedAt });

  const [, , hourly, zones] = iot.queries;
  const [byMonth] = warehouse.dashboard;
  const report: DemoReportData = {
    generatedAt: new Date().toISOString(),
    timings,
    facts: [
      { scenario: 'IoT sensors', fact: 'readings posted', value: String(iot.posted.readings) },
      { scenario: 'IoT sensors', fact: 'measurements stored', value: String(iot.stored.measurements) },
      { scenario: 'IoT sensors', fact: 'readings rejected (quarantined)', value: String(iot.stored.quarantined) },
      { scenario: 'IoT sensors', fact: 'readings above the WHO PM2.5 guideline', value: String(iot.stored.aboveWho) },
      { scenario: 'Warehouse', fact: 'orders loaded into the star schema', value: String(warehouse.counts['fact_orders']) },
      { scenario: 'Warehouse', fact: 'customers / products', value: `${warehouse.counts['dim_customer']} / ${warehouse.counts['dim_product']}` },
      { scenario: 'E-commerce', fact: 'events stored', value: String(events.generated.events.length) },
      { scenario: 'E-commerce', fact: 'end of stream announced again (Airflow dropped the last asset event from its queue)', value: events.reannounced ? 'yes' : 'no' },
    ],
    dagRuns: [iot.dagRun, warehouse.dagRun, events.dagRun].map((run) => ({ dag: run.dag_id, run: run.dag_run_id, state: String(run.state), seconds: seconds(run) })),
    // Every dashboard question asked twice: cold (the first viewer) and warm (every refresh).
    queries: [
      ...iot.queries.map((query) => ({ scenario: 'IoT sensors', name: query.name, coldMs: query.coldMs, warmMs: query.warmMs })),
      ...warehouse.dashboard.map((query) => ({ scenario: 'Warehouse dashboard', name: query.name, coldMs: query.coldMs, warmMs: query.warmMs })),
      { scenario: 'E-commerce', name: 'daily KPIs', coldMs: events.kpiQueryMs, warmMs: events.kpiWarmQueryMs },
    ],
    charts: [
      { title: 'Hourly PM2.5, last 24 h', unit: 'µg/m³', bars: hourly!.rows.map((row) => ({ label: text(row[0]).slice(11, 16), value: Number(row[1]) })), threshold: { value: 35, label: 'WHO 24-h guideline (35)' } },
      { title: 'PM2.5 by zone type', unit: 'µg/m³', bars: zones!.rows.map((row) => ({ label: text(row[0]), value: Number(row[1]) })), threshold: { value: 35, label: 'WHO 24-h guideline (35)' } },
      { title: 'Revenue by month', unit: 'EUR', bars: byMonth!.rows.map((row) => ({ label: `${row[0]}-${String(row[1]).padStart(2, '0')}`, value: Number(row[2]) })) },
      { title: 'Orders per day (events)', unit: 'orders', bars: events.kpis.map((row) => ({ label: text(row['day']), value: Number(row['orders']) })) },
    ],
    tables: [
      { title: 'Daily shop KPIs (Airflow + Trino)', columns: Object.keys(events.kpis[0] ?? {}), rows: events.kpis.map((row) => Object.values(row).map(text)) },
      ...warehouse.dashboard.slice(1).map((query) => ({ title: `Warehouse: ${query.name}`, columns: query.columns, rows: query.rows.map((row) => row.map(text)) })),
    ],
  };
  const reportFile = join(stateDir, 'demo-report.html');
  await mkdir(stateDir, { recursive: true });
  await writeFile(reportFile, renderReportHtml(report));

  console.log('\nReport');
  for (const fact of report.facts) console.log(`  ${fact.scenario.padEnd(12)} ${fact.fact}: ${fact.value}`);
  for (const run of report.dagRuns) console.log(`  Airflow      ${run.dag} ${run.state} in ${run.seconds?.toFixed(1) ?? '?'} s`);
  console.log('  Daily shop KPIs:');
  console.table(events.kpis.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value]))));
  for (const query of report.queries) {
    console.log(`  Trino        ${query.scenario} — ${query.name}: cold ${query.coldMs} ms${query.warmMs === undefined ? '' : `, warm ${query.warmMs} ms`}`);
  }
  const { cold, warm } = questionsUnderASecond(report.queries);
  console.log(`  Trino        dashboard questions under 1 s: ${warm.under}/${warm.of} warm, ${cold.under}/${cold.of} cold`);
  console.log(`\nHTML report with charts: ${reportFile}`);
  console.log(`Demo finished in ${((performance.now() - demoStartedAt) / 1000).toFixed(1)} s (stack boot ${(timings[0]!.ms / 1000).toFixed(1)} s).`);
} catch (error) {
  failed = true;
  console.error(`\nThe demo failed: ${(error as Error).message}`);
  if ((error as { hint?: string }).hint) console.error(`hint: ${(error as { hint?: string }).hint}`);
} finally {
  await stack?.close();
  if (values.keep) {
    console.log('\nThe stack keeps running (--keep). Open:');
    console.log(`  NiFi     ${nifiEndpoint!.uiUrl}  (the flows iot-sensors, warehouse-extract and shop-events)`);
    console.log(`  Airflow  ${airflowEndpoint!.url}/  (user ${airflowEndpoint!.admin.username}; password in ${join(stateDir, 'endpoints.json')})`);
    console.log(`  Trino    ${trinoEndpoint!.url}/ui/  (user ${trinoEndpoint!.user})`);
    console.log('Stop it with: ./with-node pnpm stack down');
  } else {
    await stopStack(options);
  }
}
process.exitCode = failed ? 1 : 0;
