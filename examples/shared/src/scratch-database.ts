// A PostgreSQL database of its own for a test of an example flow: created with the scenario's schema beside the
// "examples" database the demo and the scenario tests use (which it never touches), dropped afterwards.
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import type { StackEndpoints } from '@dataplat/stack';

export interface ScratchDatabase {
  /** Connected to the scratch database. */
  client: pg.Client;
  /** What the example flows' jdbc_url parameter takes, pointing at it. */
  jdbcUrl: string;
  /** The password the example flows read with fromEnv (SENSORS_DB_PASSWORD, SHOP_DB_PASSWORD). */
  password: string;
  drop(): Promise<void>;
}

/** Creates `flows_tests_<label>_<time>` and runs the schema file (and `seedSql`, if any) in it. */
export async function createScratchDatabase(endpoints: StackEndpoints, label: string, schemaFile: string, seedSql = ''): Promise<ScratchDatabase> {
  const postgres = endpoints.postgres;
  if (!postgres) throw new Error('The flow tests with PostgreSQL need the stack\'s PostgreSQL: ./with-node pnpm stack up');
  const name = `flows_tests_${label}_${Date.now().toString(36)}`;
  const connection = { host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password };
  const admin = new pg.Client({ ...connection, database: postgres.databases.examples });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const client = new pg.Client({ ...connection, database: name });
  await client.connect();
  await client.query(await readFile(schemaFile, 'utf8'));
  if (seedSql) await client.query(seedSql);
  return {
    client,
    jdbcUrl: `jdbc:postgresql://${postgres.host}:${postgres.port}/${name}`,
    password: postgres.password,
    async drop() {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** What a flow test of an example flow with PostgreSQL works with: NiFi, a parent group of its own, a scratch database. */
export interface FlowTestTarget {
  nifi: NifiClient;
  parentGroupId: string;
  scratch: ScratchDatabase;
  /** Deletes the parent group (and anything a test left in it) and drops the database. */
  close(): Promise<void>;
}

export async function openFlowTestTarget(endpoints: StackEndpoints, label: string, schemaFile: string, seedSql = ''): Promise<FlowTestTarget> {
  const nifi = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl });
  const scratch = await createScratchDatabase(endpoints, label, schemaFile, seedSql);
  const parentGroupId = (await nifi.processGroups.create('root', { name: `flow-tests-postgres-${label}-${Date.now().toString(36)}` })).id;
  return {
    nifi,
    parentGroupId,
    scratch,
    async close() {
      await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
      await nifi.close();
      await scratch.drop();
    },
  };
}
