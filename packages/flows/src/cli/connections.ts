// Server connections for the CLI: flags win over environment variables. Certificate verification is
// always on; a private CA is trusted through a CA file.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createAirflowClient, type AirflowClient } from '@dataplat/airflow';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';

export type ConnectionFlags = Partial<Record<'nifi-url' | 'nifi-username' | 'nifi-password' | 'nifi-ca-file' | 'airflow-url' | 'airflow-username' | 'airflow-password' | 'airflow-ca-file', string>>;

export function nifiUrl(flags: ConnectionFlags, env: NodeJS.ProcessEnv): string | undefined {
  return flags['nifi-url'] ?? env['NIFI_URL'];
}

export async function connectNifi(url: string, flags: ConnectionFlags, env: NodeJS.ProcessEnv, cwd: string): Promise<NifiClient> {
  const username = flags['nifi-username'] ?? env['NIFI_USERNAME'];
  const password = flags['nifi-password'] ?? env['NIFI_PASSWORD'];
  const caFile = flags['nifi-ca-file'] ?? env['NIFI_CA_FILE'];
  return createNifiClient({
    baseUrl: url,
    ...(username && password ? { auth: { username, password } } : {}),
    ...(caFile ? { tls: { ca: await readFile(resolve(cwd, caFile), 'utf8') } } : {}),
  });
}

/** Airflow, when an URL is configured (only asset-event triggers need it at plan time). */
export async function connectAirflow(flags: ConnectionFlags, env: NodeJS.ProcessEnv, cwd: string): Promise<AirflowClient | undefined> {
  const url = flags['airflow-url'] ?? env['AIRFLOW_URL'];
  if (!url) return undefined;
  const username = flags['airflow-username'] ?? env['AIRFLOW_USERNAME'];
  const password = flags['airflow-password'] ?? env['AIRFLOW_PASSWORD'];
  const caFile = flags['airflow-ca-file'] ?? env['AIRFLOW_CA_FILE'];
  return createAirflowClient({
    baseUrl: url,
    ...(username && password ? { auth: { username, password } } : {}),
    ...(caFile ? { tls: { ca: await readFile(resolve(cwd, caFile), 'utf8') } } : {}),
  });
}
