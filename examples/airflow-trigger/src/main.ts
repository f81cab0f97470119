// Usage: pnpm --filter @dataplat-examples/airflow-trigger start [day]
// Talks to AIRFLOW_URL with AIRFLOW_USERNAME/AIRFLOW_PASSWORD, or else to the Airflow of a running
// local stack with the example DAGs (`./with-node pnpm stack up airflow --load-dags examples/dags`): it runs dataplat_echo.
import { resolve } from 'node:path';
import { createAirflowClient } from '@dataplat/airflow';
import { readStackEndpoints } from '@dataplat/stack';
import { runForDay } from './trigger-and-wait.ts';

async function clientFromEnvironment() {
  const url = process.env['AIRFLOW_URL'];
  if (url) {
    const username = process.env['AIRFLOW_USERNAME'];
    const password = process.env['AIRFLOW_PASSWORD'];
    return createAirflowClient({ baseUrl: url, ...(username && password ? { auth: { username, password } } : {}) });
  }
  // pnpm runs this in the example's folder; the stack lives where the command was typed (the repo root).
  const stateDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), process.env['DATAPLAT_STACK_DIR'] ?? '.dataplat/stack');
  const endpoints = await readStackEndpoints({ stateDir });
  if (!endpoints.airflow) throw new Error('Set AIRFLOW_URL, or start the local stack: ./with-node pnpm stack up airflow --load-dags examples/dags');
  return createAirflowClient({ baseUrl: endpoints.airflow.url, auth: endpoints.airflow.admin });
}

const day = process.argv[2] ?? new Date().toISOString().slice(0, 10);
const airflow = await clientFromEnvironment();
try {
  const outcome = await runForDay(airflow, 'dataplat_echo', day, { day });
  console.log(JSON.stringify(outcome));
} finally {
  await airflow.close();
}
