// Twenty trigger-and-waits at once against the stack's Airflow (what overlapping pipelines do): every one
// ends with its run's result, none with a transient error of an overloaded api-server.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAirflowClient, type AirflowClient } from '@dataplat/airflow';

const airflowEndpoint = inject('stackEndpoints').airflow!;
const concurrentRuns = 20;
let airflow: AirflowClient;

beforeAll(async () => {
  airflow = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
  await airflow.setDagPaused('dataplat_echo', false);
});

afterAll(async () => {
  await airflow?.close();
});

describe('concurrent trigger-and-wait', () => {
  it(`completes ${concurrentRuns} runDag calls started together`, async () => {
    const batch = Date.now().toString(36);
    const startedAt = performance.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: concurrentRuns }, (_, index) =>
        airflow.runDag('dataplat_echo', { runId: `concurrent__${batch}_${index}`, conf: { index }, waitTimeoutMs: 10 * 60_000, pollIntervalMs: 1000, maxPollIntervalMs: 5000 }),
      ),
    );
    const seconds = (performance.now() - startedAt) / 1000;
    const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String((outcome.reason as { code?: string }).code ?? outcome.reason)] : []));
    console.log(`[airflow] ${concurrentRuns} concurrent runDag: ${outcomes.length - failures.length} succeeded, ${failures.length} failed (${failures.join(', ') || 'none'}) in ${seconds.toFixed(1)} s`);
    expect(failures).toEqual([]);
    const states = outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.state : 'rejected'));
    expect(states).toEqual(Array.from({ length: concurrentRuns }, () => 'success'));
  }, 12 * 60_000);
});
