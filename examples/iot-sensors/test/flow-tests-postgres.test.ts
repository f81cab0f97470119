// Flow tests of flows/iot-sensors.yaml with the real PostgreSQL instead of stubs: each case's copy points the flow at
// a scratch database of its own (a parameter override, in the case's own parameter context), so the copy's
// PutDatabaseRecords write there — with the stack's JDBC driver and password — and the rows are checked in SQL.
// The examples database the demo and the scenario tests read is never written.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defineFlowTest, testFlow } from '@dataplat/flows';
import { loadExampleContexts, loadExampleFlow, openFlowTestTarget, type FlowTestTarget } from '@dataplat-examples/shared';

let target: FlowTestTarget;
beforeAll(async () => void (target = await openFlowTestTarget(inject('stackEndpoints'), 'iot', join(import.meta.dirname, '..', 'src', 'schema.sql'))));
afterAll(async () => target?.close());

describe('flows test of iot-sensors with the real PostgreSQL', () => {
  it('stores a valid reading and quarantines an invalid one in the database, through the flow as deployed', async () => {
    const iotSensors = await loadExampleFlow('iot-sensors.yaml');
    // The case's copy gets what the flow inherits (examples-db: the JDBC URL the case overrides, the driver asset) as its own.
    const parameterContexts = await loadExampleContexts();
    const caseOf = (input: Parameters<typeof defineFlowTest>[1]) => defineFlowTest(iotSensors, input, { parameterContexts });
    const parameters = { jdbc_url: target.scratch.jdbcUrl };
    const valid = { sensor_id: 's-pg-1', location: 'Lille', zone_type: 'urban', latitude: 50.63, longitude: 3.06, measured_at: 1767250000000, pm25: 41.5, temperature: 9.5, humidity: 80, co2: 430 };
    const cases = [
      caseOf({
        name: 'a valid reading lands in iot.measurements and iot.sensors',
        parameters,
        inputs: [{ before: 'validate', json: [valid], attributes: { batch: 'b-pg' } }],
        expect: [
          { at: 'store.success', count: 1, attributes: { batch: 'b-pg' } },
          { at: 'register.success', count: 1 },
          // What the flow's Airflow trigger would post to /api/v2/assets/events (asset id 0: tests don't ask Airflow).
          { at: 'trigger:measurements-landed', count: 1, content: { json: { asset_id: 0, extra: { batch: 'b-pg' } } } },
        ],
      }),
      caseOf({
        name: 'an invalid reading lands in iot.quarantine with the reason',
        parameters,
        inputs: [{ before: 'validate', json: [{ ...valid, sensor_id: 's-pg-2', humidity: 'wet' }], attributes: { batch: 'b-pg-bad' } }],
        expect: [{ at: 'quarantine.success', count: 1 }],
      }),
    ];
    const run = await testFlow(target.nifi, cases, { parentGroupId: target.parentGroupId, env: { SENSORS_DB_PASSWORD: target.scratch.password } });
    expect(run.results.map((result) => [result.name, result.status, result.failures, result.error])).toEqual([
      ['a valid reading lands in iot.measurements and iot.sensors', 'passed', [], undefined],
      ['an invalid reading lands in iot.quarantine with the reason', 'passed', [], undefined],
    ]);
    console.info(`flow tests with PostgreSQL: ${run.results.map((result) => `${result.name} ${(result.durationMs / 1000).toFixed(1)} s`).join(', ')}`);
    expect(run.coverage[0]!.processors).toEqual({ exercised: ['validate', 'flag', 'store', 'register', 'explain', 'quarantine'], stubbed: [], missed: ['receive'] });

    const measurements = await target.scratch.client.query('SELECT sensor_id, pm25, above_who_pm25, batch FROM iot.measurements');
    expect(measurements.rows).toEqual([{ sensor_id: 's-pg-1', pm25: 41.5, above_who_pm25: true, batch: 'b-pg' }]);
    expect((await target.scratch.client.query('SELECT sensor_id, location FROM iot.sensors')).rows).toEqual([{ sensor_id: 's-pg-1', location: 'Lille' }]);
    const quarantined = await target.scratch.client.query<{ sensor_id: string; humidity: string; batch: string; reason: string }>('SELECT sensor_id, humidity, batch, reason FROM iot.quarantine');
    expect(quarantined.rows).toEqual([{ sensor_id: 's-pg-2', humidity: 'wet', batch: 'b-pg-bad', reason: expect.stringContaining('[/humidity]') }]);
    // The copies and their contexts are gone.
    expect((await target.nifi.processGroups.flow(target.parentGroupId)).contents.processGroups).toEqual([]);
    expect((await target.nifi.parameterContexts.list()).filter((context) => context.component.name?.startsWith(`dataplat-flows-test ${run.runId} `))).toEqual([]);
  });
});
