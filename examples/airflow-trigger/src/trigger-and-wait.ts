import { DagRunFailedError, type AirflowClient } from '@dataplat/airflow';

/**
 * Runs a DAG for one logical day and returns what its task returned. The run id is derived from the
 * day, so a CI job that is retried re-attaches to the same run instead of starting a second one.
 */
export async function runForDay(airflow: AirflowClient, dagId: string, day: string, conf: Record<string, unknown>) {
  try {
    const run = await airflow.runDag(dagId, { runId: `ci__${day}`, conf, unpause: true, waitTimeoutMs: 600_000 });
    return { state: run.state, result: await airflow.getXCom(dagId, run.dag_run_id, 'echo') };
  } catch (error) {
    if (DagRunFailedError.isInstance(error)) {
      // Each failed task with the end of its log: enough to act on from a CI log.
      for (const task of (error as DagRunFailedError).failedTasks) console.error(`${task.taskId}: ${task.logTail.join('\n')}`);
    }
    throw error;
  }
}
