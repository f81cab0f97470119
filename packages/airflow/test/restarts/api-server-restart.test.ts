// Airflow's api-server SIGKILLed and Airflow started again while waitForDagRun polls: the wait rides out
// the outage (connection refused, then a booting server) and ends with the run's real state — never
// with a transient error — and the same holds for runDag started before the restart.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { createAirflowClient, DagRunFailedError, type AirflowClient } from '@dataplat/airflow';
import { killStackService, startStack } from '@dataplat/stack';
import { testStackOptions } from '../../../stack/test/global-setup.ts';

const airflowEndpoint = inject('stackEndpoints').airflow!;
const dagId = 'dataplat_restart_probe';
let airflow: AirflowClient;

beforeAll(async () => {
  // The probe DAG (a task that sleeps as long as its conf says), parsed before the test starts.
  await startStack({ ...testStackOptions, services: ['airflow'], loadDags: [join(import.meta.dirname, 'dags')] });
  airflow = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
  await airflow.setDagPaused(dagId, false);
});

afterAll(async () => {
  await airflow?.close();
});

/** The run's final state as the wait saw it: its run on success, the failed run on AIRFLOW_DAG_RUN_FAILED. */
async function outcome(wait: Promise<{ state: string }>): Promise<string> {
  try {
    return (await wait).state;
  } catch (error) {
    if (error instanceof DagRunFailedError) return error.run.state;
    throw error;
  }
}

describe("Airflow's api-server restarted during a wait", () => {
  it('ends each wait with the run\'s real state', async () => {
    const suffix = Date.now().toString(36);
    const observed = airflow.triggerDagRun(dagId, { runId: `restart_wait__${suffix}`, conf: { seconds: 20 } });
    const { run } = await observed;
    const waiting = outcome(airflow.waitForDagRun(dagId, run.dag_run_id, { waitTimeoutMs: 5 * 60_000, pollIntervalMs: 500, maxPollIntervalMs: 2000 }));
    const runningDag = outcome(airflow.runDag(dagId, { runId: `restart_run__${suffix}`, conf: { seconds: 20 }, waitTimeoutMs: 5 * 60_000, pollIntervalMs: 500, maxPollIntervalMs: 2000 }));
    await pollUntil(async () => ((await airflow.getDagRun(dagId, run.dag_run_id)).state === 'running' ? { done: true, value: true } : { done: false }), {
      timeoutMs: 120_000,
      description: 'the probe run to start',
    });

    expect(await killStackService('airflow', { ...testStackOptions, processes: ['api-server'] })).toEqual(['api-server']);
    const killedAt = performance.now();
    await startStack({ ...testStackOptions, services: ['airflow'] });
    console.log(`[restart] Airflow's api-server killed; Airflow back after ${((performance.now() - killedAt) / 1000).toFixed(1)} s`);

    const [waited, ran] = await Promise.all([waiting, runningDag]);
    const realStates = await Promise.all([run.dag_run_id, `restart_run__${suffix}`].map(async (runId) => (await airflow.getDagRun(dagId, runId)).state));
    console.log(`[restart] the waits ended with ${waited} and ${ran}; Airflow says ${realStates.join(' and ')}`);
    expect([waited, ran]).toEqual(realStates);
    for (const state of realStates) expect(['success', 'failed']).toContain(state);
  });
});
