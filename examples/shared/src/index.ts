// What the example scenarios share: seeded randomness for their data generators, posting batches to a
// NiFi ListenHTTP, and waiting for the Airflow run that NiFi's asset events started.
import type { AirflowClient, DagRun } from '@dataplat/airflow';
import { pollUntil } from '@dataplat/core';

/**
 * Mulberry32: a small, fast, seedable PRNG. The example data generators use it so that the same seed
 * gives the same data everywhere, and the scenarios know exactly what each system must end up with.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Posts one batch as JSON with a `batch` header; retried while ListenHTTP is still starting or busy. */
export async function postBatch(url: string, batch: string, records: unknown[]): Promise<void> {
  await pollUntil(
    async () => {
      try {
        const response = await fetch(url, { method: 'POST', headers: { batch, 'content-type': 'application/json' }, body: JSON.stringify(records) });
        await response.arrayBuffer();
        if (response.ok) return { done: true, value: undefined };
        if (response.status === 503) return { done: false, progress: 'ListenHTTP is busy (503)' };
        throw new Error(`${url} answered ${response.status} for batch ${batch}`);
      } catch (error) {
        if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return { done: false, progress: 'ListenHTTP is not listening yet' };
        throw error;
      }
    },
    { timeoutMs: 60_000, initialIntervalMs: 200, description: `posting batch ${batch} to ${url}` },
  );
}

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
