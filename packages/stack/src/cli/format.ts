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
      return `${service} starting`;
    case 'service-ready':
      return event.reused
        ? `${service} already running and ready`
        : `${service} ready in ${formatDuration(event.startToReadyMs)} after start (${formatDuration(event.totalMs)} in all)`;
    case 'service-failed':
      return `${service} FAILED`;
    case 'service-stop':
      return `${service} ${event.wasRunning ? 'stopped' : 'was not running'}`;
    case 'service-install-start':
      return undefined;
  }
}

/** Where to point a browser or client; passwords are shown as *** (they are in endpoints.json). */
export function formatEndpointsForHumans(endpoints: StackEndpoints): string {
  const lines: string[] = [];
  if (endpoints.postgres) lines.push(`  PostgreSQL  postgresql://${endpoints.postgres.user}:***@${endpoints.postgres.host}:${endpoints.postgres.port}/${endpoints.postgres.databases.examples}`);
  if (endpoints.nifi) lines.push(`  NiFi        ${endpoints.nifi.uiUrl}  (HTTP, no login)`);
  if (endpoints.nifiHttps) lines.push(`  NiFi HTTPS  ${endpoints.nifiHttps.uiUrl}  (user ${endpoints.nifiHttps.username}; CA ${endpoints.nifiHttps.caCertificateFile})`);
  if (endpoints.trino) lines.push(`  Trino       ${endpoints.trino.url}/ui/  (user ${endpoints.trino.user})`);
  if (endpoints.airflow) lines.push(`  Airflow     ${endpoints.airflow.url}/  (user ${endpoints.airflow.admin.username})`);
  lines.push('  Credentials: endpoints.json in the state folder (mode 0600).');
  return lines.join('\n');
}
