// Waiting on Airflow in the scenarios: DAGs parsed, and the run our data started.
import type { AirflowClient, DagRun } from '@dataplat/airflow';
import { pollUntil } from '@dataplat/core';

/** Ids of the DAG's runs so far (to tell the runs that come next). */
export async function dagRunIds(airflow: AirflowClient, dagId: string): Promise<Set<string>> {
  return new Set((await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: dagId } })).map((run) => run.dag_run_id));
}

/**
 * Waits for a successful run of `dagId` that is not in `before` and whose XCom (of `taskId`) satisfies
 * `accept` — e.g. the run that saw our last batch's asset event.
 */
export async function waitForNewRun(
  airflow: AirflowClient,
  dagId: string,
  taskId: string,
  before: Set<string>,
  accept: (xcom: unknown) => boolean,
  timeoutMs = 180_000,
): Promise<{ run: DagRun; xcom: unknown }> {
  return pollUntil(
    async () => {
      const runs = await airflow.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: dagId } });
      for (const run of runs.filter((candidate) => !before.has(candidate.dag_run_id) && candidate.state === 'success')) {
        const xcom = await airflow.getXCom(dagId, run.dag_run_id, taskId);
        if (accept(xcom)) return { done: true, value: { run, xcom } };
      }
      return { done: false };
    },
    { timeoutMs, initialIntervalMs: 1000, maxIntervalMs: 3000, description: `a successful ${dagId} run started by our data` },
  );
}

/** Waits until Airflow parsed the DAG (new DAG files show up within the DAG processor's refresh interval). */
export async function waitForDag(airflow: AirflowClient, dagId: string): Promise<void> {
  await pollUntil(
    async () => {
      try {
        await airflow.getDag(dagId);
        return { done: true, value: undefined };
      } catch (error) {
        if ((error as { code?: string }).code === 'NOT_FOUND') return { done: false, progress: 'not parsed yet' };
        throw error;
      }
    },
    { timeoutMs: 180_000, initialIntervalMs: 1000, maxIntervalMs: 3000, description: `Airflow to parse the DAG ${dagId}`, hint: 'Check the DAG file for import errors (GET /api/v2/importErrors).' },
  );
}
