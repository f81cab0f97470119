import { createHttpTransport, createTypedApi, DataplatError, type RetryEvent, type RetryOptions, type TlsOptions } from '@dataplat/core';
import type { Dispatcher } from 'undici';
import type { paths } from '../generated/airflow-api.ts';
import * as assets from '../helpers/assets.ts';
import * as configuration from '../helpers/configuration.ts';
import * as dagRuns from '../helpers/dag-runs.ts';
import { listAll, paginate } from '../helpers/pagination.ts';
import * as taskInstances from '../helpers/task-instances.ts';
import { getVersion } from '../helpers/version.ts';
import { airflowAuthentication, type AirflowAuth } from './airflow-authentication.ts';
import type { AirflowContext } from './airflow-context.ts';
import { classifyAirflowError } from './airflow-errors.ts';

export interface AirflowClientOptions {
  /** The API server's root URL, e.g. `https://airflow.example.com` (the client adds `/api/v2/...`). */
  baseUrl: string;
  auth?: AirflowAuth | undefined;
  /** CA to trust and client certificate; certificate verification is on unless you turn it off here. */
  tls?: TlsOptions | undefined;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Retries of idempotent requests on connection errors, 502/503/504 and 429. `false` disables. */
  retry?: RetryOptions | false | undefined;
  /** An undici dispatcher (MockAgent in tests, or your own Agent/ProxyAgent). */
  dispatcher?: Dispatcher | undefined;
  userAgent?: string | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

export function createAirflowClient(options: AirflowClientOptions) {
  const auth = options.auth;
  if (auth && 'username' in auth && (!auth.username || !auth.password)) {
    throw new DataplatError({ code: 'INVALID_OPTIONS', message: 'auth.username and auth.password must both be set.', hint: 'Pass both, or omit auth.' });
  }
  const transport = createHttpTransport({
    baseUrl: options.baseUrl,
    serviceName: 'Airflow',
    dispatcher: options.dispatcher,
    tls: options.tls,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    userAgent: options.userAgent ?? 'dataplat-airflow',
    classifyError: classifyAirflowError,
    onRetry: options.onRetry,
    authentication: auth ? (self) => airflowAuthentication(auth, self, async () => void (await getVersion(context))) : undefined,
  });
  const context: AirflowContext = { api: createTypedApi<paths>(transport, 'Airflow'), transport };

  const bound =
    <Rest extends unknown[], Result>(helper: (context: AirflowContext, ...rest: Rest) => Result) =>
    (...rest: Rest): Result =>
      helper(context, ...rest);

  return {
    /** Every endpoint of Airflow's /api/v2, typed from Airflow's own OpenAPI spec. */
    api: context.api,
    version: bound(getVersion),
    /** Async iterator over every entry of a list endpoint (pages of up to 100 followed for you). */
    paginate: bound(paginate),
    listAll: bound(listAll),
    getDag: bound(dagRuns.getDag),
    setDagPaused: bound(dagRuns.setDagPaused),
    triggerDagRun: bound(dagRuns.triggerDagRun),
    getDagRun: bound(dagRuns.getDagRun),
    waitForDagRun: bound(dagRuns.waitForDagRun),
    /** Triggers a run (idempotently with a runId) and waits for it: the run on success, DagRunFailedError otherwise. */
    async runDag(dagId: string, runOptions: dagRuns.TriggerOptions & dagRuns.WaitOptions = {}) {
      const { run } = await dagRuns.triggerDagRun(context, dagId, runOptions);
      return dagRuns.waitForDagRun(context, dagId, run.dag_run_id, runOptions);
    },
    taskInstances: bound(taskInstances.listTaskInstances),
    taskLogs: bound(taskInstances.getTaskLogs),
    streamTaskLogs: bound(taskInstances.streamTaskLogs),
    getXCom: bound(taskInstances.getXCom),
    clearTaskInstances: bound(taskInstances.clearTaskInstances),
    resolveAsset: bound(assets.resolveAsset),
    emitAssetEvent: bound(assets.emitAssetEvent),
    assetEvents: bound(assets.assetEvents),
    variables: {
      get: bound(configuration.getVariable),
      set: bound(configuration.setVariable),
      delete: bound(configuration.deleteVariable),
      list: bound(configuration.listVariables),
    },
    connections: {
      get: bound(configuration.getConnection),
      set: bound(configuration.setConnection),
      delete: bound(configuration.deleteConnection),
      list: bound(configuration.listConnections),
    },
    pools: {
      get: bound(configuration.getPool),
      set: bound(configuration.setPool),
      delete: bound(configuration.deletePool),
      list: bound(configuration.listPools),
    },
    /** Closes pooled connections. */
    close: () => transport.close(),
  };
}

export type AirflowClient = ReturnType<typeof createAirflowClient>;
