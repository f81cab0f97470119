import type { StackEndpoints } from '../endpoints.ts';
import type { StackEvent } from '../stack-events.ts';

export function formatDuration(milliseconds: number): string {
  return milliseconds < 1000 ? `${Math.round(milliseconds)} ms` : `${(milliseconds / 1000).toFixed(1)} s`;
}

/** One progress line per event; install sub-steps only on a TTY, where someone watches. */
export function formatEvent(event: StackEvent, isTTY: boolean): string | undefined {
  const service = event.service.padEnd(11);
  switch (event.type) {
    case 'service-install-step':
      return isTTY ? `${service} ${event.step}…` : undefined;
    case 'service-install-end':
      return event.durationMs > 1000 ? `${service} installed in ${formatDuration(event.durationMs)}` : undefined;
    case 'service-start':
      return event.processes ? `${service} starting ${event.processes.join(', ')} (the other nodes keep running)` : `${service} starting`;
    case 'service-ready':
      return event.reused
        ? `${service} already running and ready`
        : `${service} ready in ${formatDuration(event.startToReadyMs)} after start (${formatDuration(event.totalMs)} in all)`;
    case 'service-failed':
      return `${service} FAILED`;
    case 'service-stop':
      return `${service} ${event.wasRunning ? 'stopped' : 'was not running'}`;
    case 'service-node-ready':
      return `${service} ${event.node} ready in ${formatDuration(event.startToReadyMs)} after start`;
    case 'service-install-start':
      return undefined;
    case 'dags-loaded':
      return `${service} loaded ${event.fileCount} file(s) from ${event.source}; Airflow lists ${event.dagIds.length > 0 ? event.dagIds.join(', ') : 'no DAG from them'}`;
  }
}

/**
 * The stack's addresses and logins as `export NAME='value'` lines for a shell (`eval "$(dataplat-stack env)"`):
 * what the flows CLI reads (NIFI_URL, AIRFLOW_*), Airflow's DAG folder, Trino's, and libpq's PG* for psql and JDBC tools. This
 * prints the local stack's passwords, as asked; nothing else prints them.
 */
export function formatEnvironment(endpoints: StackEndpoints): string {
  const quote = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;
  return environmentOf(endpoints).map(([name, value]) => `export ${name}=${quote(value)}\n`).join('');
}

/** The variables formatEnvironment prints, in order. */
export function environmentOf(endpoints: StackEndpoints): Array<[string, string]> {
  const variables: Array<[string, string | number]> = [];
  if (endpoints.nifi) variables.push(['NIFI_URL', endpoints.nifi.apiUrl]);
  if (endpoints.airflow) {
    variables.push(['AIRFLOW_URL', endpoints.airflow.url], ['AIRFLOW_USERNAME', endpoints.airflow.admin.username], ['AIRFLOW_PASSWORD', endpoints.airflow.admin.password]);
    // Where Airflow reads DAG files, e.g. for `flows dag <flow> --out "$AIRFLOW_DAGS_FOLDER/…"`.
    variables.push(['AIRFLOW_DAGS_FOLDER', endpoints.airflow.dagsFolder]);
  }
  if (endpoints.trino) variables.push(['TRINO_URL', endpoints.trino.url], ['TRINO_USER', endpoints.trino.user]);
  // Cluster profile: every NiFi node's API (comma-separated), the Trino coordinator, ZooKeeper.
  if (endpoints.nifiCluster) variables.push(['NIFI_CLUSTER_URLS', endpoints.nifiCluster.nodes.map((node) => node.apiUrl).join(',')]);
  if (endpoints.trinoCluster) variables.push(['TRINO_CLUSTER_URL', endpoints.trinoCluster.url]);
  if (endpoints.zookeeper) variables.push(['ZOOKEEPER_CONNECT_STRING', endpoints.zookeeper.connectString]);
  if (endpoints.postgres) {
    variables.push(['PGHOST', endpoints.postgres.host], ['PGPORT', endpoints.postgres.port], ['PGUSER', endpoints.postgres.user], ['PGPASSWORD', endpoints.postgres.password], ['PGDATABASE', endpoints.postgres.databases.examples]);
  }
  return variables.map(([name, value]) => [name, String(value)]);
}

/** Where to point a browser or client; passwords are shown as *** (they are in endpoints.json). */
export function formatEndpointsForHumans(endpoints: StackEndpoints): string {
  const lines: string[] = [];
  if (endpoints.postgres) lines.push(`  PostgreSQL  postgresql://${endpoints.postgres.user}:***@${endpoints.postgres.host}:${endpoints.postgres.port}/${endpoints.postgres.databases.examples}`);
  if (endpoints.nifi) lines.push(`  NiFi        ${endpoints.nifi.uiUrl}  (HTTP, no login)`);
  if (endpoints.nifiHttps) lines.push(`  NiFi HTTPS  ${endpoints.nifiHttps.uiUrl}  (user ${endpoints.nifiHttps.username}; CA ${endpoints.nifiHttps.caCertificateFile})`);
  if (endpoints.trino) lines.push(`  Trino       ${endpoints.trino.url}/ui/  (user ${endpoints.trino.user})`);
  if (endpoints.airflow) lines.push(`  Airflow     ${endpoints.airflow.url}/  (user ${endpoints.airflow.admin.username})`);
  if (endpoints.nifiCluster) lines.push(`  NiFi cluster ${endpoints.nifiCluster.nodes.map((node) => node.uiUrl).join('  ')}  (HTTP, no login)`);
  if (endpoints.trinoCluster) lines.push(`  Trino cluster ${endpoints.trinoCluster.url}/ui/  (coordinator; ${endpoints.trinoCluster.workers.length} worker)`);
  if (endpoints.zookeeper) lines.push(`  ZooKeeper   ${endpoints.zookeeper.connectString}`);
  lines.push('  Credentials: endpoints.json in the state folder (mode 0600).');
  return lines.join('\n');
}
