// createAirflowClient: Airflow's typed /api/v2 and the helpers bound to one context, on core's shared
// client kit (options, credentials check, transport, middleware), with Airflow's login and error codes.
import { bindHelpers, checkPasswordCredentials, createClientTransport, createTypedApi, type ClientOptions } from '@dataplat/core';
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

export interface AirflowClientOptions extends ClientOptions {
  /** The API server's root URL, e.g. `https://airflow.example.com` (the client adds `/api/v2/...`). */
  baseUrl: string;
  auth?: AirflowAuth | undefined;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number | undefined;
}

export function createAirflowClient(options: AirflowClientOptions) {
  const auth = options.auth;
  checkPasswordCredentials(auth);
  const transport = createClientTransport(options, {
    baseUrl: options.baseUrl,
    serviceName: 'Airflow',
    defaultUserAgent: 'dataplat-airflow',
    classifyError: classifyAirflowError,
    authentication: auth ? (self) => airflowAuthentication(auth, self, async () => void (await getVersion(context))) : undefined,
  });
  const context: AirflowContext = { api: createTypedApi<paths>(transport, 'Airflow'), transport };
  const bound = bindHelpers(context);

  return {
    /** Every endpoint of Airflow's /api/v2, typed from Airflow's own OpenAPI spec. */
    api: context.api,
    /** Adds request/response middleware (sees every request, logins and retries included); returns its remover. */
    use: transport.use,
    /** Removes middleware added with `use` or the `middleware` option. */
    eject: transport.eject,
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
