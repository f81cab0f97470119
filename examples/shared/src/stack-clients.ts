// Clients for the local stack's services, as every scenario, its test, its main.ts and the demo use them.
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createAirflowClient, type AirflowClient } from '@dataplat/airflow';
import { destroyManagedFlow, listManagedFlows } from '@dataplat/flows';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { readStackEndpoints, type StackEndpoints } from '@dataplat/stack';
import { createTrinoClient, type TrinoClient } from '@dataplat/trino';
import pg from 'pg';

export interface StackClients {
  endpoints: StackEndpoints;
  nifi: NifiClient;
  airflow: AirflowClient;
  trino: TrinoClient;
  /** Connected to the database the example flows write to ("examples"). */
  postgres: pg.Client;
  /** What the example flows read with fromEnv: SENSORS_DB_PASSWORD, SHOP_DB_PASSWORD, AIRFLOW_PASSWORD. */
  secrets: Record<string, string>;
  close(): Promise<void>;
}

export async function connectStack(endpoints: StackEndpoints): Promise<StackClients> {
  const { nifi, airflow, trino, postgres } = endpoints;
  if (!nifi || !airflow || !trino || !postgres) throw new Error('The examples need the whole local stack: ./with-node pnpm stack up');
  const client = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.databases.examples });
  await client.connect();
  const clients = {
    nifi: createNifiClient({ baseUrl: nifi.apiUrl }),
    airflow: createAirflowClient({ baseUrl: airflow.url, auth: airflow.admin }),
    trino: createTrinoClient({ server: trino.url, user: trino.user }),
  };
  return {
    endpoints,
    ...clients,
    postgres: client,
    secrets: { SENSORS_DB_PASSWORD: postgres.password, SHOP_DB_PASSWORD: postgres.password, AIRFLOW_PASSWORD: airflow.admin.password },
    close: async () => void (await Promise.all([client.end(), clients.nifi.close(), clients.airflow.close(), clients.trino.close()])),
  };
}

/** The stack a developer started with `./with-node pnpm stack up` (or DATAPLAT_STACK_DIR). */
export async function connectLocalStack(): Promise<StackClients> {
  // pnpm runs the examples in their folder; the stack lives where the command was typed (the repo root).
  const stateDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), process.env['DATAPLAT_STACK_DIR'] ?? join('.dataplat', 'stack'));
  return connectStack(await readStackEndpoints({ stateDir }));
}

/** A loopback port nothing listens on (for a ListenHTTP that mustn't clash with the demo's). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const { port } = server.address() as { port: number };
  await new Promise((resolvePromise) => server.close(resolvePromise));
  return port;
}

/** The Airflow connection `trino_default` the example DAGs query Trino through (Airflow runs beside the stack). */
export async function registerTrinoInAirflow(stack: StackClients): Promise<void> {
  const trino = stack.endpoints.trino!;
  await stack.airflow.connections.set({ connection_id: 'trino_default', conn_type: 'http', host: trino.url, login: trino.user });
}

/**
 * After a scenario's test: destroys the flow the way `flows destroy` does (its group, and the parameter
 * context flows made for it unless something else uses it), then the test's parent group if it had one.
 */
export async function removeExampleFlow(stack: StackClients, flow: string, parentGroupId?: string): Promise<void> {
  try {
    const managed = (await listManagedFlows(stack.nifi, parentGroupId || 'root')).find((entry) => entry.flow === flow);
    if (managed) await destroyManagedFlow(stack.nifi, managed);
  } finally {
    if (parentGroupId) await stack.nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  }
}
