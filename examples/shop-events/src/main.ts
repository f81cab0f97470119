// Usage: pnpm --filter @dataplat-examples/shop-events start [--sessions 600] [--seed 5]
// Runs scenario 3 against the local stack (`./with-node pnpm stack up`).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAirflowClient } from '@dataplat/airflow';
import { createNifiClient } from '@dataplat/nifi';
import { readStackEndpoints } from '@dataplat/stack';
import { createTrinoClient } from '@dataplat/trino';
import pg from 'pg';
import { runShopEventsScenario } from './scenario.ts';

const { values } = parseArgs({ options: { sessions: { type: 'string', default: '600' }, seed: { type: 'string', default: '5' } } });
const stateDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), process.env['DATAPLAT_STACK_DIR'] ?? join('.dataplat', 'stack'));
const { nifi: nifiEndpoint, airflow: airflowEndpoint, trino: trinoEndpoint, postgres: postgresEndpoint } = await readStackEndpoints({ stateDir });
if (!nifiEndpoint || !airflowEndpoint || !trinoEndpoint || !postgresEndpoint) throw new Error('Start the local stack first: ./with-node pnpm stack up');

const nifi = createNifiClient({ baseUrl: nifiEndpoint.apiUrl });
const airflow = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
const trino = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });
const postgres = new pg.Client({ host: postgresEndpoint.host, port: postgresEndpoint.port, user: postgresEndpoint.user, password: postgresEndpoint.password, database: postgresEndpoint.databases.examples });
await postgres.connect();
try {
  const report = await runShopEventsScenario({
    nifi,
    airflow,
    trino,
    postgres,
    env: { SHOP_DB_PASSWORD: postgresEndpoint.password, AIRFLOW_PASSWORD: airflowEndpoint.admin.password },
    trinoForAirflow: { url: trinoEndpoint.url, user: trinoEndpoint.user },
    data: { sessions: Number(values.sessions), seed: Number(values.seed) },
    onProgress: (step) => console.log(`- ${step}`),
  });
  console.log(`\n${report.generated.events.length} events stored in ${report.ingestMs} ms; ${report.dagRun.dag_id} run ${report.dagRun.dag_run_id}: ${report.dagRun.state}`);
  console.table(report.kpis);
} finally {
  await Promise.all([postgres.end(), nifi.close(), airflow.close(), trino.close()]);
}
