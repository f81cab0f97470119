// Task instances of a run: listing, structured logs (streamed through continuation tokens), XCom, clearing.
import { callOptions, type AirflowContext, type AirflowSchemas, type CallOptions } from '../client/airflow-context.ts';
import { listAll } from './pagination.ts';

export type TaskInstance = AirflowSchemas['TaskInstanceResponse'];
export type LogLine = AirflowSchemas['StructuredLogMessage'];

export async function listTaskInstances(context: AirflowContext, dagId: string, runId: string, options?: CallOptions): Promise<TaskInstance[]> {
  return listAll(context, '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances', {
    ...callOptions(options),
    path: { dag_id: dagId, dag_run_id: runId },
  });
}

export interface LogOptions extends CallOptions {
  /** Try to read; default the task instance's latest try. */
  tryNumber?: number | undefined;
  /** For mapped tasks. Default -1 (unmapped). */
  mapIndex?: number | undefined;
}

/**
 * Streams a task instance's log as structured lines (`{ event, timestamp, level, … }`), following
 * Airflow's continuation tokens until the log has been read to its current end.
 */
export async function* streamTaskLogs(context: AirflowContext, dagId: string, runId: string, taskId: string, options: LogOptions = {}): AsyncGenerator<LogLine> {
  const call = callOptions(options);
  const mapIndex = options.mapIndex ?? -1;
  const tryNumber =
    options.tryNumber ??
    (await context.api.get('/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}', { ...call, path: { dag_id: dagId, dag_run_id: runId, task_id: taskId } }))
      .try_number;
  let token: string | undefined;
  for (let page = 0; page < 10_000; page++) {
    const answer = await context.api.get('/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}', {
      ...call,
      path: { dag_id: dagId, dag_run_id: runId, task_id: taskId, try_number: Math.max(1, tryNumber) },
      query: { full_content: false, map_index: mapIndex, ...(token ? { token } : {}) },
    });
    for (const line of answer.content) yield typeof line === 'string' ? { event: line } : line;
    const next = answer.continuation_token;
    // Airflow hands back a token even at the end; an empty page or an unchanged token means "read it all".
    if (!next || next === token || answer.content.length === 0) return;
    token = next;
  }
}

/** The whole current log of a task instance. */
export async function getTaskLogs(context: AirflowContext, dagId: string, runId: string, taskId: string, options?: LogOptions): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  for await (const line of streamTaskLogs(context, dagId, runId, taskId, options)) lines.push(line);
  return lines;
}

interface ErrorDetail {
  exc_type?: string;
  exc_value?: string;
}

/** Renders a structured log line like Airflow's UI does: time, level, event, and the exception if any. */
export function formatLogLine(line: LogLine): string {
  const level = typeof line['level'] === 'string' ? ` ${line['level'].toUpperCase()}` : '';
  const errors = Array.isArray(line['error_detail']) ? (line['error_detail'] as ErrorDetail[]) : [];
  const exceptions = errors.map((error) => ` — ${error.exc_type ?? 'Error'}: ${error.exc_value ?? ''}`).join('');
  return `${line.timestamp ?? ''}${level} ${line.event}${exceptions}`.trim();
}

export interface FailedTaskReport {
  taskId: string;
  state: string;
  tryNumber: number;
  mapIndex: number;
  /** The last lines of its log, rendered. */
  logTail: string[];
}

/** The failed task instances of a run, each with the tail of its log. */
export async function failedTaskReports(
  context: AirflowContext,
  dagId: string,
  runId: string,
  options: CallOptions & { logTailLines: number },
): Promise<FailedTaskReport[]> {
  const instances = await listTaskInstances(context, dagId, runId, options);
  const failed = instances.filter((instance) => instance.state === 'failed' || instance.state === 'upstream_failed');
  return Promise.all(
    failed.map(async (instance) => {
      const logTail =
        instance.state === 'failed'
          ? (await getTaskLogs(context, dagId, runId, instance.task_id, { ...options, tryNumber: instance.try_number, mapIndex: instance.map_index }).catch(() => []))
              .map(formatLogLine)
              .slice(-options.logTailLines)
          : [];
      return { taskId: instance.task_id, state: instance.state ?? 'unknown', tryNumber: instance.try_number, mapIndex: instance.map_index, logTail };
    }),
  );
}

export interface XComOptions extends CallOptions {
  /** Default `return_value` (what a task returns). */
  key?: string | undefined;
  mapIndex?: number | undefined;
}

/** The value a task pushed to XCom (by default its return value), as JSON. */
export async function getXCom(context: AirflowContext, dagId: string, runId: string, taskId: string, options: XComOptions = {}): Promise<unknown> {
  const entry = await context.api.get('/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries/{xcom_key}', {
    ...callOptions(options),
    path: { dag_id: dagId, dag_run_id: runId, task_id: taskId, xcom_key: options.key ?? 'return_value' },
    query: { map_index: options.mapIndex ?? -1, deserialize: true, stringify: false },
  });
  return entry.value;
}

export interface ClearOptions extends CallOptions {
  runId?: string | undefined;
  taskIds?: string[] | undefined;
  /** Only clear failed task instances. Default true, as upstream. */
  onlyFailed?: boolean | undefined;
  includeDownstream?: boolean | undefined;
  /**
   * Airflow's own default is a dry run (nothing is cleared). Here clearing clears; pass true to only
   * list what would be cleared.
   */
  dryRun?: boolean | undefined;
}

/** Clears task instances so the scheduler runs them again (the "retry" of the UI). Returns the affected instances. */
export async function clearTaskInstances(context: AirflowContext, dagId: string, options: ClearOptions = {}): Promise<TaskInstance[]> {
  const answer = await context.api.post('/api/v2/dags/{dag_id}/clearTaskInstances', {
    ...callOptions(options),
    path: { dag_id: dagId },
    body: {
      dry_run: options.dryRun ?? false,
      only_failed: options.onlyFailed ?? true,
      ...(options.runId !== undefined ? { dag_run_id: options.runId } : {}),
      ...(options.taskIds !== undefined ? { task_ids: options.taskIds } : {}),
      ...(options.includeDownstream !== undefined ? { include_downstream: options.includeDownstream } : {}),
    },
  });
  return answer.task_instances;
}
