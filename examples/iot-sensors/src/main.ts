// Usage: pnpm --filter @dataplat-examples/iot-sensors start [--sensors 24] [--readings 96] [--seed 42]
// Runs scenario 1 against the local stack (`./with-node pnpm stack up`): applies flows/iot-sensors.yaml,
// posts seeded readings, waits for NiFi and Airflow, and prints Trino's answers.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAirflowClient } from '@dataplat/airflow';
import { createNifiClient } from '@dataplat/nifi';
import { readStackEndpoints } from '@dataplat/stack';
import { createTrinoClient } from '@dataplat/trino';
import pg from 'pg';
import { runIotScenario } from './scenario.ts';

const { values } = parseArgs({ options: { sensors: { type: 'string', default: '24' }, readings: { type: 'string', default: '96' }, seed: { type: 'string', default: '42' } } });
const stateDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), process.env['DATAPLAT_STACK_DIR'] ?? join('.dataplat', 'stack'));
const endpoints = await readStackEndpoints({ stateDir });
const { nifi: nifiEndpoint, airflow: airflowEndpoint, trino: trinoEndpoint, postgres: postgresEndpoint } = endpoints;
if (!nifiEndpoint || !airflowEndpoint || !trinoEndpoint || !postgresEndpoint) throw new Error('Start the local stack first: ./with-node pnpm stack up');

const nifi = createNifiClient({ baseUrl: nifiEndpoint.apiUrl });
const airflow = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
const trino = createTrinoClient({ server: trinoEndpoint.url, user: trinoEndpoint.user });
const postgres = new pg.Client({ host: postgresEndpoint.host, port: postgresEndpoint.port, user: postgresEndpoint.user, password: postgresEndpoint.password, database: postgresEndpoint.databases.examples });
await postgres.connect();
try {
  const report = await runIotScenario({
    nifi,
    airflow,
    trino,
    postgres,
    env: { SENSORS_DB_PASSWORD: postgresEndpoint.password, AIRFLOW_PASSWORD: airflowEndpoint.admin.password },
    data: { sensors: Number(values.sensors), readingsPerSensor: Number(values.readings), seed: Number(values.seed) },
    onProgress: (step) => console.log(`- ${step}`),
  });
  console.log(`\n${report.posted.readings} readings in ${report.posted.batches} batches → ${report.stored.measurements} stored (${report.stored.aboveWho} above the WHO PM2.5 guideline), ${report.stored.quarantined} quarantined, ${report.stored.sensors} sensors, in ${report.ingestMs} ms`);
  console.log(`Airflow ${report.dagRun.dag_id} run ${report.dagRun.dag_run_id}: ${report.dagRun.state}`);
  for (const query of report.queries) {
    console.log(`\n${query.name} (${query.ms} ms)\n  ${query.columns.join(' | ')}`);
    for (const row of query.rows.slice(0, 8)) console.log(`  ${row.map((value) => (value instanceof Date ? value.toISOString() : String(value))).join(' | ')}`);
    if (query.rows.length > 8) console.log(`  … ${query.rows.length - 8} more`);
  }
} finally {
  await Promise.all([postgres.end(), nifi.close(), airflow.close(), trino.close()]);
}
