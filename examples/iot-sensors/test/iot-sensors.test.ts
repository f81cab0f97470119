// Scenario 1 on the real stack: seeded readings → NiFi (flows/iot-sensors.yaml) → PostgreSQL, the
// Airflow run started by NiFi's asset event, and Trino's answers — all checked against what the
// generator says they must be.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectStack, freePort, removeExampleFlow, type StackClients } from '@dataplat-examples/shared';
import type { Reading } from '../src/generate-readings.ts';
import { runIotScenario } from '../src/scenario.ts';

let stack: StackClients;
let parentGroupId = '';
beforeAll(async () => void (stack = await connectStack(inject('stackEndpoints'))));
afterAll(async () => {
  await removeExampleFlow(stack, 'iot-sensors', parentGroupId);
  await stack.close();
});

const groupBy = <Item>(items: Item[], key: (item: Item) => string) =>
  items.reduce((groups, item) => groups.set(key(item), [...(groups.get(key(item)) ?? []), item]), new Map<string, Item[]>());
const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('scenario 1: IoT sensors, end to end on the real stack', () => {
  it('stores valid readings, quarantines the rest, triggers Airflow and answers the analyst questions', async () => {
    const { nifi, postgres } = stack;
    parentGroupId = (await nifi.processGroups.create('root', { name: `scenario-iot-${Date.now().toString(36)}` })).id;
    const report = await runIotScenario({
      stack,
      parentGroupId,
      httpPort: await freePort(),
      data: { seed: 7, sensors: 20, readingsPerSensor: 24, batchSize: 120 },
    });
    const { valid, invalid, sensors } = report.generated;
    expect(invalid.length).toBeGreaterThan(0);
    const aboveWho = valid.filter((reading) => reading.pm25 > 35);
    expect(aboveWho.length).toBeGreaterThan(0);
    expect(report.stored).toEqual({ sensors: new Set(valid.map((reading) => reading.sensor_id)).size, measurements: valid.length, aboveWho: aboveWho.length, quarantined: invalid.length });

    // Quarantined readings keep their batch and NiFi's reason; stored ones their batch.
    const quarantine = await postgres.query<{ batch: string | null; reason: string | null }>('SELECT batch, reason FROM iot.quarantine');
    expect(quarantine.rows.every((row) => row.batch?.startsWith('seed7-') && (row.reason ?? '').length > 0)).toBe(true);
    const batches = await postgres.query<{ batch: string }>('SELECT DISTINCT batch FROM iot.measurements ORDER BY batch');
    expect(batches.rows.map((row) => row.batch)).toEqual(report.generated.batches.map((entry) => entry.batch));
    expect(report.dagRun.state).toBe('success');

    const [perLocation, perSensor, hourly, zones] = report.queries;
    // count(*) is a bigint: the client returns it exactly, as a BigInt.
    expect(perLocation!.rows).toEqual(
      [...groupBy(sensors, (sensor) => sensor.location)].sort(([a], [b]) => a.localeCompare(b)).map(([location, members]) => [location, BigInt(members.length)]),
    );
    expect(perSensor!.rows.map(([sensorId, count]) => [sensorId, count])).toEqual(
      [...groupBy(valid, (reading) => reading.sensor_id)].sort(([a], [b]) => a.localeCompare(b)).map(([sensorId, readings]) => [sensorId, BigInt(readings.length)]),
    );
    const hours = groupBy(valid, (reading) => String(Math.floor(reading.measured_at / 3_600_000)));
    expect(hourly!.rows).toHaveLength(hours.size);
    expect(hourly!.rows.reduce((sum, row) => sum + Number(row[2]), 0)).toBe(aboveWho.length);
    const expectedZones = [...groupBy(valid, (reading: Reading) => reading.zone_type)].map(([zone, readings]) => [zone, average(readings.map((reading) => reading.pm25))] as const).sort((a, b) => a[1] - b[1]);
    expect(zones!.rows.map((row) => row[0])).toEqual(expectedZones.map(([zone]) => zone));
    zones!.rows.forEach((row, index) => expect(Number(row[1])).toBeCloseTo(expectedZones[index]![1], 1));
    // Each question was asked twice, cold then warm, and both runs were timed by the client and by Trino.
    for (const query of report.queries) {
      expect(query).toMatchObject({ coldMs: expect.any(Number), warmMs: expect.any(Number), serverColdMs: expect.any(Number), serverWarmMs: expect.any(Number) });
    }
  });
});
