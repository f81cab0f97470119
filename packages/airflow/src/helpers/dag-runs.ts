// Triggering DAG runs idempotently and waiting for them — the path CI scripts and NiFi flows take.
import { HttpError, pollUntil } from '@dataplat/core';
import { callOptions, type AirflowContext, type AirflowSchemas, type CallOptions } from '../client/airflow-context.ts';
import { AirflowError } from '../client/airflow-errors.ts';
import { failedTaskReports, type FailedTaskReport } from './task-instances.ts';

export type DagRun = AirflowSchemas['DAGRunResponse'];
export type DagRunState = AirflowSchemas['DagRunState'];
export type Dag = AirflowSchemas['DAGResponse'];

export interface TriggerOptions extends CallOptions {
  /** The run's id. Deterministic ids (e.g. `nightly__2026-11-21`) make re-triggering idempotent. Default: Airflow's own. */
  runId?: string | undefined;
  conf?: Record<string, unknown> | undefined;
  /** The run's logical date; null (default) lets Airflow run it "now" without a data interval. */
  logicalDate?: Date | string | null | undefined;
  note?: string | undefined;
  /** Unpause the DAG first: a paused DAG queues triggered runs forever. Default false. */
  unpause?: boolean | undefined;
}

export interface TriggerResult {
  run: DagRun;
  /**
   * False when a run with this id already existed (and had the same conf): nothing new was started. Also
   * false when the trigger was repeated after a lost answer and found the run its own first attempt created.
   */
  created: boolean;
}

const allowedRunId = /^[A-Za-z0-9_.~:+-]+$/;

export async function getDag(context: AirflowContext, dagId: string, options?: CallOptions): Promise<Dag> {
  return context.api.get('/api/v2/dags/{dag_id}', { ...callOptions(options), path: { dag_id: dagId } });
}

export async function setDagPaused(context: AirflowContext, dagId: string, paused: boolean, options?: CallOptions): Promise<Dag> {
  return context.api.patch('/api/v2/dags/{dag_id}', {
    ...callOptions(options),
    path: { dag_id: dagId },
    query: { update_mask: ['is_paused'] },
    body: { is_paused: paused },
  });
}

export async function getDagRun(context: AirflowContext, dagId: string, runId: string, options?: CallOptions): Promise<DagRun> {
  return context.api.get('/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}', { ...callOptions(options), path: { dag_id: dagId, dag_run_id: runId } });
}

/**
 * Triggers a run. With a `runId` this is idempotent: when that run already exists (Airflow answers 409)
 * the existing run is returned with `created: false` — unless its conf differs, which is an
 * AIRFLOW_RUN_ID_CONFLICT rather than a silently ignored new request. So with a `runId` the POST is
 * repeated after a timeout, a reset or a 502/503/504 (a repeat cannot start a second run); without
 * one it is sent once, as Airflow would start another run for every repeat.
 */
export async function triggerDagRun(context: AirflowContext, dagId: string, options: TriggerOptions = {}): Promise<TriggerResult> {
  const call = callOptions(options);
  if (options.runId !== undefined && !allowedRunId.test(options.runId)) {
    throw new AirflowError({
      code: 'AIRFLOW_RUN_ID_CONFLICT',
      message: `Run id "${options.runId}" is not allowed by Airflow's default allowed_run_id_pattern ^[A-Za-z0-9_.~:+-]+$.`,
      hint: 'Use letters, digits and _ . ~ : + - only (no spaces or slashes).',
    });
  }
  if (options.unpause) {
    const dag = await getDag(context, dagId, call);
    if (dag.is_paused) await setDagPaused(context, dagId, false, call);
  }
  const logicalDate = options.logicalDate instanceof Date ? options.logicalDate.toISOString() : (options.logicalDate ?? null);
  try {
    const run = await context.api.post('/api/v2/dags/{dag_id}/dagRuns', {
      ...call,
      idempotent: options.runId !== undefined,
      path: { dag_id: dagId },
      body: {
        // Airflow 3 requires the field, null included.
        logical_date: logicalDate,
        ...(options.runId !== undefined ? { dag_run_id: options.runId } : {}),
        ...(options.conf !== undefined ? { conf: options.conf } : {}),
        ...(options.note !== undefined ? { note: options.note } : {}),
      },
    });
    return { run, created: true };
  } catch (error) {
    if (!(HttpError.isInstance(error) && error.status === 409 && options.runId !== undefined)) throw error;
    const existing = await getDagRun(context, dagId, options.runId, call);
    if (options.conf !== undefined && !sameJson(existing.conf ?? {}, options.conf)) {
      throw new AirflowError({
        code: 'AIRFLOW_RUN_ID_CONFLICT',
        message: `DAG "${dagId}" already has a run "${options.runId}" with a different conf.`,
        hint: 'Use a new run id for a different request, or the same conf to get the existing run back.',
        cause: error,
      });
    }
    return { run: existing, created: false };
  }
}

export interface WaitOptions extends CallOptions {
  /** Deadline for the run to finish. Default 1 hour. */
  waitTimeoutMs?: number | undefined;
  /** First poll interval; grows to `maxPollIntervalMs`. Defaults 1 s and 15 s. */
  pollIntervalMs?: number | undefined;
  maxPollIntervalMs?: number | undefined;
  /** Log lines kept per failed task in the error. Default 30. */
  logTailLines?: number | undefined;
  /** Called whenever the run's state changes. */
  onState?: ((run: DagRun) => void) | undefined;
}

const terminalStates = new Set<string>(['success', 'failed']);

/**
 * Waits until the run finishes. Returns it on success; on failure throws AIRFLOW_DAG_RUN_FAILED with
 * the failed task instances and the tail of their logs. A run that stays queued because its DAG is
 * paused is reported as AIRFLOW_DAG_PAUSED instead of waiting for the deadline. Transient failures of
 * a status read (NETWORK, TIMEOUT, 429, 502/503/504: the api-server stalled or restarting) are ridden
 * out until `waitTimeoutMs`; its TIMEOUT then names the last one. 401 (after a token refresh), 403 and
 * 404 (no such run) end the wait at once.
 */
export async function waitForDagRun(context: AirflowContext, dagId: string, runId: string, options: WaitOptions = {}): Promise<DagRun> {
  const call = callOptions(options);
  let lastState: string | undefined;
  let queuedChecks = 0;
  const run = await pollUntil(
    async (signal) => {
      const current = await getDagRun(context, dagId, runId, { ...call, signal });
      if (current.state !== lastState) {
        lastState = current.state;
        options.onState?.(current);
      }
      if (terminalStates.has(current.state)) return { done: true, value: current };
      if (current.state === 'queued' && ++queuedChecks % 3 === 0 && (await getDag(context, dagId, { ...call, signal })).is_paused) {
        throw new AirflowError({
          code: 'AIRFLOW_DAG_PAUSED',
          message: `Run "${runId}" of DAG "${dagId}" is queued and will not start: the DAG is paused.`,
          hint: 'Unpause it (setDagPaused(dagId, false)), or trigger with { unpause: true }.',
        });
      }
      return { done: false, progress: `state ${current.state}` };
    },
    {
      description: `run "${runId}" of DAG "${dagId}" to finish`,
      timeoutMs: options.waitTimeoutMs ?? 3_600_000,
      initialIntervalMs: options.pollIntervalMs ?? 1000,
      maxIntervalMs: options.maxPollIntervalMs ?? 15_000,
      signal: options.signal,
    },
  );
  if (run.state === 'success') return run;
  const failedTasks = await failedTaskReports(context, dagId, runId, { ...call, logTailLines: options.logTailLines ?? 30 });
  throw new DagRunFailedError(run, failedTasks);
}

/** A run ended `failed`; carries the run and each failed task instance with the end of its log. */
export class DagRunFailedError extends AirflowError {
  override name = 'DagRunFailedError';
  readonly run: DagRun;
  readonly failedTasks: FailedTaskReport[];

  constructor(run: DagRun, failedTasks: FailedTaskReport[]) {
    const summary = failedTasks.length
      ? failedTasks.map((task) => `  ${task.taskId} (${task.state}, try ${task.tryNumber}):\n${task.logTail.map((line) => `    ${line}`).join('\n')}`).join('\n')
      : '  (no task instance is marked failed)';
    super({
      code: 'AIRFLOW_DAG_RUN_FAILED',
      message: `Run "${run.dag_run_id}" of DAG "${run.dag_id}" failed. Failed tasks:\n${summary}`,
      hint: 'Fix the task, then clear it (clearTaskInstances) to retry within the same run.',
    });
    this.run = run;
    this.failedTasks = failedTasks;
  }
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(sortKeys(left)) === JSON.stringify(sortKeys(right));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).sort(([left], [right]) => left.localeCompare(right)).map(([key, inner]) => [key, sortKeys(inner)]));
  }
  return value;
}
