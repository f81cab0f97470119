// Usage: pnpm --filter @dataplat-examples/warehouse start [--orders 5000] [--seed 11]
// Runs scenario 2 against the local stack (`./with-node pnpm stack up`).
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAirflowClient } from '@dataplat/airflow';
import { createNifiClient } from '@dataplat/nifi';
import { readStackEndpoints } from '@dataplat/stack';
import { createTrinoClient } from '@dataplat/trino';
import pg from 'pg';
import { checkoutFlowsCommand } from './flows-command.ts';
import { runWarehouseScenario } from './scenario.ts';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '5000' }, seed: { type: 'string', default: '11' } } });
const stateDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), process.env['DATAPLAT_STACK_DIR'] ?? join('.dataplat', 'stack'));
const { nifi: nifiEndpoint, airflow: airflowEndpoint, trino: trinoEndpoint, postgres: postgresEndpoint } = await readStackEndpoints({ stateDir });
if (!nifiEndpoint || !airflowEndpoint || !trinoEndpoint || !postgresEndpoint) throw new Error('Start the local stack first: ./with-node pnpm stack up');

const nifi = createNifiClient({ baseUrl: nifiEndpoint.apiUrl });
const airflow = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
const trino = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });
const postgres = new pg.Client({ host: postgresEndpoint.host, port: postgresEndpoint.port, user: postgresEndpoint.user, password: postgresEndpoint.password, database: postgresEndpoint.databases.examples });
await postgres.connect();
try {
  const report = await runWarehouseScenario({
    nifi,
    airflow,
    trino,
    postgres,
    env: { SHOP_DB_PASSWORD: postgresEndpoint.password },
    airflowSide: { nifiUrl: nifiEndpoint.apiUrl, trinoUrl: trinoEndpoint.url, trinoUser: trinoEndpoint.user, flowsCommand: checkoutFlowsCommand() },
    data: { orders: Number(values.orders), seed: Number(values.seed) },
    onProgress: (step) => console.log(`- ${step}`),
  });
  console.log(`\n${report.dagRun.dag_id}: ${report.dagRun.state}; counts ${JSON.stringify(report.counts)}`);
  for (const query of report.dashboard) {
    console.log(`\n${query.name} (${query.ms} ms)\n  ${query.columns.join(' | ')}`);
    for (const row of query.rows.slice(0, 6)) console.log(`  ${row.map(String).join(' | ')}`);
  }
} finally {
  await Promise.all([postgres.end(), nifi.close(), airflow.close(), trino.close()]);
}
