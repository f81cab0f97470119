// Flow tests of flows/iot-sensors.yaml with the real PostgreSQL instead of stubs: each case's copy points the flow at
// a scratch database of its own (a parameter override, in the case's own parameter context), so the copy's
// PutDatabaseRecords write there — with the stack's JDBC driver and password — and the rows are checked in SQL.
// The examples database the demo and the scenario tests read is never written.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { defineFlowTest, loadFlowFile, testFlow } from '@dataplat/flows';

const endpoints = inject('stackEndpoints');
const postgres = endpoints.postgres!;
const nifi = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl });
const database = `flows_tests_${Date.now().toString(36)}`;
const admin = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database: postgres.databases.examples });
let scratch: pg.Client;
let parentGroupId = '';

beforeAll(async () => {
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  scratch = new pg.Client({ host: postgres.host, port: postgres.port, user: postgres.user, password: postgres.password, database });
  await scratch.connect();
  await scratch.query(await readFile(join(import.meta.dirname, '..', 'src', 'schema.sql'), 'utf8'));
  parentGroupId = (await nifi.processGroups.create('root', { name: `flow-tests-postgres-${database}` })).id;
});

afterAll(async () => {
  if (parentGroupId) await nifi.processGroups.delete(parentGroupId).catch(() => undefined);
  await nifi.close();
  await scratch?.end();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
});

describe('flows test of iot-sensors with the real PostgreSQL', () => {
  it('stores a valid reading and quarantines an invalid one in the database, through the flow as deployed', async () => {
    const [iotSensors] = loadFlowFile('flows/iot-sensors.yaml', await readFile(join(import.meta.dirname, '..', '..', '..', 'flows', 'iot-sensors.yaml'), 'utf8')).flows;
    const parameters = { jdbc_url: `jdbc:postgresql://${postgres.host}:${postgres.port}/${database}` };
    const valid = { sensor_id: 's-pg-1', location: 'Lille', zone_type: 'urban', latitude: 50.63, longitude: 3.06, measured_at: 1767250000000, pm25: 41.5, temperature: 9.5, humidity: 80, co2: 430 };
    const cases = [
      defineFlowTest(iotSensors!, {
        name: 'a valid reading lands in iot.measurements and iot.sensors',
        parameters,
        inputs: [{ before: 'validate', json: [valid], attributes: { batch: 'b-pg' } }],
        // store.success fired the Airflow trigger in production: the copy has no trigger, so a test can expect it.
        expect: [{ at: 'store.success', count: 1, attributes: { batch: 'b-pg' } }, { at: 'register.success', count: 1 }],
      }),
      defineFlowTest(iotSensors!, {
        name: 'an invalid reading lands in iot.quarantine with the reason',
        parameters,
        inputs: [{ before: 'validate', json: [{ ...valid, sensor_id: 's-pg-2', humidity: 'wet' }], attributes: { batch: 'b-pg-bad' } }],
        expect: [{ at: 'quarantine.success', count: 1 }],
      }),
    ];
    const run = await testFlow(nifi, cases, { parentGroupId, env: { SENSORS_DB_PASSWORD: postgres.password } });
    expect(run.results.map((result) => [result.name, result.status, result.failures, result.error])).toEqual([
      ['a valid reading lands in iot.measurements and iot.sensors', 'passed', [], undefined],
      ['an invalid reading lands in iot.quarantine with the reason', 'passed', [], undefined],
    ]);
    console.info(`flow tests with PostgreSQL: ${run.results.map((result) => `${result.name} ${(result.durationMs / 1000).toFixed(1)} s`).join(', ')}`);
    expect(run.coverage[0]!.processors).toEqual({ exercised: ['validate', 'flag', 'store', 'register', 'explain', 'quarantine'], stubbed: [], missed: ['receive'] });

    const measurements = await scratch.query('SELECT sensor_id, pm25, above_who_pm25, batch FROM iot.measurements');
    expect(measurements.rows).toEqual([{ sensor_id: 's-pg-1', pm25: 41.5, above_who_pm25: true, batch: 'b-pg' }]);
    expect((await scratch.query('SELECT sensor_id, location FROM iot.sensors')).rows).toEqual([{ sensor_id: 's-pg-1', location: 'Lille' }]);
    const quarantined = await scratch.query<{ sensor_id: string; humidity: string; batch: string; reason: string }>('SELECT sensor_id, humidity, batch, reason FROM iot.quarantine');
    expect(quarantined.rows).toEqual([{ sensor_id: 's-pg-2', humidity: 'wet', batch: 'b-pg-bad', reason: expect.stringContaining('[/humidity]') }]);
    // The copies and their contexts are gone.
    expect((await nifi.processGroups.flow(parentGroupId)).contents.processGroups).toEqual([]);
    expect((await nifi.parameterContexts.list()).filter((context) => context.component.name?.startsWith(`dataplat-flows-test ${run.runId} `))).toEqual([]);
  });
});
