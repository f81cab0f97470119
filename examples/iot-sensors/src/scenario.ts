// The IoT sensors scenario, end to end on real servers: PostgreSQL tables, the flow from flows/ applied
// to NiFi, seeded readings posted to it over HTTP, the Airflow run its asset event starts, and the
// analyst questions answered by Trino.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyExampleFlow, askTwice, dagRunIds, httpPortOf, postBatch, waitForDag, waitForNewRun, type DashboardQuestion, type StackClients } from '@dataplat-examples/shared';
import type { DagRun } from '@dataplat/airflow';
import { pollUntil } from '@dataplat/core';
import type pg from 'pg';
import { generateReadings, type GenerateOptions, type GeneratedReadings } from './generate-readings.ts';

export const measurementsDag = 'dataplat_measurements_landed';

export interface IotScenarioOptions {
  stack: StackClients;
  parentGroupId?: string | undefined;
  /** Port ListenHTTP listens on (the flow's http_port parameter). Default 18100. */
  httpPort?: number | undefined;
  data?: GenerateOptions | undefined;
  onProgress?: ((step: string) => void) | undefined;
}

/** An analyst question with its rows and its cold (first) and warm (second) latency. */
export type AnalystQuery = DashboardQuestion;

export interface IotScenarioReport {
  generated: GeneratedReadings;
  posted: { batches: number; readings: number };
  stored: { sensors: number; measurements: number; aboveWho: number; quarantined: number };
  /** The asset-triggered Airflow run that saw our batches. */
  dagRun: DagRun;
  queries: AnalystQuery[];
  ingestMs: number;
}

export async function runIotScenario(options: IotScenarioOptions): Promise<IotScenarioReport> {
  const progress = options.onProgress ?? (() => undefined);
  const { nifi, airflow, trino, postgres, secrets } = options.stack;
  const generated = generateReadings(options.data);

  progress('PostgreSQL: tables (iot.sensors, iot.measurements, iot.quarantine), emptied for a clean run');
  await postgres.query(await readFile(join(import.meta.dirname, 'schema.sql'), 'utf8'));
  await postgres.query('TRUNCATE iot.sensors, iot.measurements, iot.quarantine');

  progress('Airflow: unpausing the DAG scheduled on the measurements asset');
  // Parsing the DAG registers the asset, which flows apply looks up.
  await waitForDag(airflow, measurementsDag);
  await airflow.setDagPaused(measurementsDag, false);
  const runsBefore = await dagRunIds(airflow, measurementsDag);

  progress('NiFi: flows apply flows/iot-sensors.yaml');
  const flow = await applyExampleFlow(nifi, 'iot-sensors.yaml', { env: secrets, airflow, parentGroupId: options.parentGroupId, httpPort: options.httpPort });

  const port = httpPortOf(flow);
  progress(`Sensors: posting ${generated.batches.length} batches (${generated.valid.length + generated.invalid.length} readings) to http://127.0.0.1:${port}/readings`);
  const ingestStartedAt = performance.now();
  for (const { batch, readings } of generated.batches) await postBatch(`http://127.0.0.1:${port}/readings`, batch, readings);

  progress('Waiting for NiFi to store every reading');
  const stored = await pollUntil(
    async () => {
      const counts = await tableCounts(postgres);
      const done = counts.measurements === generated.valid.length && counts.quarantined === generated.invalid.length;
      return done ? { done: true, value: counts } : { done: false, progress: `${counts.measurements}/${generated.valid.length} measurements, ${counts.quarantined}/${generated.invalid.length} quarantined` };
    },
    { timeoutMs: 180_000, initialIntervalMs: 250, maxIntervalMs: 1000, description: 'NiFi to store the readings', hint: 'Look at the flow in NiFi: flows status shows queues and bulletins (failures wait in the "held" funnel).' },
  );
  const ingestMs = Math.round(performance.now() - ingestStartedAt);

  progress('Airflow: waiting for the run the asset events started');
  const batchIds = new Set(generated.batches.map((entry) => entry.batch));
  const { run: dagRun } = await waitForNewRun(airflow, measurementsDag, 'summarize', runsBefore, (xcom) =>
    ((xcom as { extra?: Array<{ batch?: string }> }).extra ?? []).some((extra) => extra.batch !== undefined && batchIds.has(extra.batch)),
  );

  progress('Trino: the analyst questions, each asked twice (cold, then warm)');
  const queries: AnalystQuery[] = [];
  for (const [name, sql] of analystQueries(generated.window.from)) queries.push(await askTwice(trino, name, sql));
  return { generated, posted: { batches: generated.batches.length, readings: generated.valid.length + generated.invalid.length }, stored, dagRun, queries, ingestMs };
}

/** The questions an analyst asks of the sensor data (through Trino's PostgreSQL catalog). */
export function analystQueries(windowStart: number): Array<[string, string]> {
  return [
    ['sensors per location', 'SELECT location, count(*) AS sensors FROM postgresql.iot.sensors GROUP BY location ORDER BY location'],
    [
      'measurements per sensor',
      'SELECT sensor_id, count(*) AS measurements, max(measured_at) AS last_measured_at FROM postgresql.iot.measurements GROUP BY sensor_id ORDER BY sensor_id',
    ],
    [
      'hourly PM2.5, last 24 h',
      `SELECT date_trunc('hour', measured_at) AS hour, round(avg(pm25), 1) AS avg_pm25, count_if(above_who_pm25) AS above_who
       FROM postgresql.iot.measurements WHERE measured_at >= from_unixtime(${Math.floor(windowStart / 1000)}) GROUP BY 1 ORDER BY 1`,
    ],
    [
      'zone types by air quality',
      `SELECT s.zone_type, round(avg(m.pm25), 1) AS avg_pm25, count_if(m.above_who_pm25) AS above_who, rank() OVER (ORDER BY avg(m.pm25)) AS rank
       FROM postgresql.iot.measurements m JOIN postgresql.iot.sensors s ON s.sensor_id = m.sensor_id GROUP BY s.zone_type ORDER BY rank`,
    ],
  ];
}

async function tableCounts(postgres: pg.Client) {
  const { rows } = await postgres.query<{ sensors: string; measurements: string; above_who: string; quarantined: string }>(
    `SELECT (SELECT count(*) FROM iot.sensors) AS sensors, (SELECT count(*) FROM iot.measurements) AS measurements,
            (SELECT count(*) FROM iot.measurements WHERE above_who_pm25) AS above_who, (SELECT count(*) FROM iot.quarantine) AS quarantined`,
  );
  const row = rows[0]!;
  return { sensors: Number(row.sensors), measurements: Number(row.measurements), aboveWho: Number(row.above_who), quarantined: Number(row.quarantined) };
}
