// pnpm demo [--keep]: boots the local stack (NiFi over HTTP and HTTPS, Airflow, Trino, PostgreSQL) and runs
// one real round trip through each service. Until the example flows exist (issue 7) this is the smoke run.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { startStack, stopStack, type StackRunOptions } from '@dataplat/stack';

const { values } = parseArgs({ options: { keep: { type: 'boolean', default: false } } });
const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
const options: StackRunOptions = {
  dagsFolder: join(repositoryRoot, 'examples', 'dags'),
  stateDir: process.env['DATAPLAT_STACK_DIR'] ?? join(repositoryRoot, '.dataplat', 'stack'),
  onEvent: (event) => {
    if (event.type === 'service-ready') console.log(`  ${event.service.padEnd(10)} ready (${(event.totalMs / 1000).toFixed(1)} s)`);
  },
};

async function json<T>(url: string, init: Parameters<typeof request>[1] = {}): Promise<{ status: number; body: T }> {
  const response = await request(url, init);
  return { status: response.statusCode, body: (await response.body.json()) as T };
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`demo check failed: ${what}`);
  console.log(`  ✓ ${what}`);
}

console.log('Starting the local stack…');
const startedAt = performance.now();
const stack = await startStack(options);
const { nifi, nifiHttps, airflow, trino } = stack.endpoints;
console.log(`Stack ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s\n`);

try {
  console.log('NiFi');
  const about = await json<{ about: { version: string } }>(`${nifi!.apiUrl}/flow/about`);
  check(about.status === 200, `NiFi ${about.body.about.version} answers over HTTP`);
  const dispatcher = new Agent({ connect: { ca: await readFile(nifiHttps!.caCertificateFile, 'utf8') } });
  const token = await request(`${nifiHttps!.apiUrl}/access/token`, {
    method: 'POST', dispatcher, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: nifiHttps!.username, password: nifiHttps!.password }).toString(),
  });
  const jwt = await token.body.text();
  const root = await json<{ processGroupFlow: { id: string } }>(`${nifiHttps!.apiUrl}/flow/process-groups/root`, { dispatcher, headers: { authorization: `Bearer ${jwt}` } });
  check(token.statusCode === 201 && root.status === 200, 'NiFi over HTTPS issues a token and serves the root process group');
  await dispatcher.close();

  console.log('Airflow');
  const auth = await json<{ access_token: string }>(`${airflow!.url}/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: airflow!.admin.username, password: airflow!.admin.password }),
  });
  const headers = { authorization: `Bearer ${auth.body.access_token}`, 'content-type': 'application/json' };
  let dag = await json<{ dag_id?: string }>(`${airflow!.url}/api/v2/dags/dataplat_smoke`, { headers });
  for (let attempt = 0; dag.status !== 200 && attempt < 60; attempt++) {
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 1000));
    dag = await json(`${airflow!.url}/api/v2/dags/dataplat_smoke`, { headers });
  }
  check(dag.status === 200, 'the dataplat_smoke DAG from examples/dags is parsed');
  await json(`${airflow!.url}/api/v2/dags/dataplat_smoke?update_mask=is_paused`, { method: 'PATCH', headers, body: JSON.stringify({ is_paused: false }) });
  const runId = `demo__${Date.now()}`;
  const triggered = await json<{ state: string }>(`${airflow!.url}/api/v2/dags/dataplat_smoke/dagRuns`, {
    method: 'POST', headers, body: JSON.stringify({ dag_run_id: runId, logical_date: null }),
  });
  check(triggered.status === 200, `triggered run ${runId}`);
  let state = triggered.body.state;
  const runStartedAt = performance.now();
  while (!['success', 'failed'].includes(state) && performance.now() - runStartedAt < 180_000) {
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 2000));
    state = (await json<{ state: string }>(`${airflow!.url}/api/v2/dags/dataplat_smoke/dagRuns/${runId}`, { headers })).body.state;
  }
  check(state === 'success', `run finished with state ${state} in ${((performance.now() - runStartedAt) / 1000).toFixed(1)} s`);

  console.log('Trino');
  const queryStartedAt = performance.now();
  let page = await json<{ nextUri?: string; data?: unknown[][]; error?: { message: string } }>(`${trino!.url}/v1/statement`, {
    method: 'POST', headers: { 'X-Trino-User': trino!.user }, body: 'SELECT count(*) FROM tpch.tiny.nation',
  });
  const rows: unknown[][] = [];
  while (page.body.nextUri) {
    page = await json(page.body.nextUri, { headers: { 'X-Trino-User': trino!.user } });
    if (page.body.error) throw new Error(page.body.error.message);
    rows.push(...(page.body.data ?? []));
  }
  check(rows[0]?.[0] === 25, `tpch.tiny.nation has 25 rows (${Math.round(performance.now() - queryStartedAt)} ms)`);
  console.log('\nAll services work.');
} finally {
  if (values.keep) {
    console.log('\nThe stack keeps running (--keep). Open:');
    console.log(`  NiFi     ${nifi!.uiUrl}\n  Airflow  ${airflow!.url}/  (admin / see .dataplat/stack/endpoints.json)\n  Trino    ${trino!.url}/ui/`);
    console.log('Stop it with: ./with-node pnpm stack down');
  } else {
    await stopStack(options);
  }
}
