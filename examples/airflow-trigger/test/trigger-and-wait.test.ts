// examples/airflow-trigger runs for real, so it cannot rot.
import { describe, expect, inject, it } from 'vitest';
import { createAirflowClient } from '@dataplat/airflow';
import { runForDay } from '../src/trigger-and-wait.ts';

describe('examples/airflow-trigger', () => {
  it('runs the DAG for a day, and a retried CI job re-attaches to the same run', async () => {
    const endpoint = inject('stackEndpoints').airflow!;
    const airflow = createAirflowClient({ baseUrl: endpoint.url, auth: endpoint.admin });
    const day = `2026-11-21T${Date.now().toString(36)}`;
    const first = await runForDay(airflow, 'dataplat_echo', day, { day });
    expect(first).toEqual({ state: 'success', result: { conf: { day }, run_id: `ci__${day}` } });
    const retried = await runForDay(airflow, 'dataplat_echo', day, { day });
    expect(retried).toEqual(first);
    const runs = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_echo' }, query: { run_id_pattern: `ci__${day}` } });
    expect(runs).toHaveLength(1);
    await airflow.close();
  });
});
