import { join } from 'node:path';
import type { StackConfig } from '../../config/stack-config.ts';
import { stackDatabases } from '../postgres/postgres-service.ts';

export interface AirflowSecrets {
  /** Signs the API's JWTs; every Airflow process must share it or tokens fail to verify. */
  jwtSecret: string;
  apiSecretKey: string;
  fernetKey: string;
}

/**
 * Airflow 3.3 configuration as AIRFLOW__SECTION__KEY environment variables, shared by every process:
 * LocalExecutor, metadata in the stack's PostgreSQL, SimpleAuthManager with known users, loopback only,
 * and a short DAG folder refresh so new DAG files show up within seconds.
 */
export function airflowEnvironment(config: StackConfig, airflowHome: string, secrets: AirflowSecrets): Record<string, string> {
  const { user, password } = config.credentials.postgres;
  const { admin, viewer } = config.credentials.airflow;
  const apiUrl = `http://127.0.0.1:${config.ports.airflow}`;
  return {
    AIRFLOW_HOME: airflowHome,
    AIRFLOW__CORE__DAGS_FOLDER: config.dagsFolder,
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__EXECUTOR: 'LocalExecutor',
    // Sized for 2 cores and 20 concurrent trigger-and-waits (packages/airflow/test/integration/concurrent-runs.test.ts):
    // LocalExecutor starts one Python process per parallelism slot, and starting 8 at once starved the api-server;
    // 4 slots, 2 api-server workers (the public API and the tasks' execution API no longer queue behind one)
    // and a 30-s execution-API timeout for tasks (5 s by default: a task that can't report its start in 5 s
    // on a busy machine fails) took 20 runs under 3 CPU hogs from 17/20 to 20/20 succeeded.
    AIRFLOW__CORE__PARALLELISM: '4',
    AIRFLOW__CORE__FERNET_KEY: secrets.fernetKey,
    AIRFLOW__CORE__AUTH_MANAGER: 'airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager',
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: `${admin.username}:admin,${viewer.username}:viewer`,
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE: join(airflowHome, 'simple-auth-manager-passwords.json'),
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `${apiUrl}/execution/`,
    AIRFLOW__DATABASE__SQL_ALCHEMY_CONN: `postgresql+psycopg2://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${config.ports.postgres}/${stackDatabases.airflow}`,
    AIRFLOW__API__HOST: '127.0.0.1',
    AIRFLOW__API__PORT: String(config.ports.airflow),
    AIRFLOW__API__WORKERS: '2',
    AIRFLOW__API__BASE_URL: apiUrl,
    AIRFLOW__API__SECRET_KEY: secrets.apiSecretKey,
    AIRFLOW__API_AUTH__JWT_SECRET: secrets.jwtSecret,
    // Short-lived CLI tokens (POST /auth/token/cli) and no leeway let clients' tests prove they survive token
    // expiry within seconds; regular API tokens keep Airflow's 24 h.
    AIRFLOW__API_AUTH__JWT_CLI_EXPIRATION_TIME: '8',
    AIRFLOW__API_AUTH__JWT_LEEWAY: '0',
    AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: '5',
    AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL: '10',
    AIRFLOW__LOGGING__BASE_LOG_FOLDER: join(airflowHome, 'logs'),
    AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR: 'True',
    AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT: '30',
  };
}

/** The processes the stack runs for Airflow, in start order. */
export const airflowComponents = ['api-server', 'scheduler', 'dag-processor', 'triggerer'] as const;
export type AirflowComponent = (typeof airflowComponents)[number];

/**
 * The command line of one component. The scheduler (for LocalExecutor's task processes) and the triggerer
 * would each start a log server on every interface (8793 and 8794: Airflow binds it to `::`/`0.0.0.0` and
 * has no host setting), JWT-protected but reachable from the network (issue 14, finding 10). Everything
 * here runs on one machine and writes task logs to one folder that the api-server reads directly, so the
 * log servers are not started (`--skip-serve-logs`). While a task runs, the api-server still reads its
 * local log file and notes that served logs were unavailable in the log's source details.
 */
export function airflowComponentArguments(component: AirflowComponent): string[] {
  return component === 'scheduler' || component === 'triggerer' ? [component, '--skip-serve-logs'] : [component];
}

/** SimpleAuthManager reads user passwords from this JSON file; writing it first makes them known, not generated. */
export function simpleAuthManagerPasswords(config: StackConfig): string {
  const { admin, viewer } = config.credentials.airflow;
  return `${JSON.stringify({ [admin.username]: admin.password, [viewer.username]: viewer.password })}\n`;
}
