import { describe, expect, inject, it } from 'vitest';
import { runCaptured } from '../run-captured.ts';

describe('dataplat-stack against the running stack', () => {
  const directory = inject('stackStateDir');

  it('status --json reports each service ready with its processes', async () => {
    const result = await runCaptured(['status', '--json', '--dir', directory]);
    expect(result.exitCode).toBe(0);
    const statuses = JSON.parse(result.stdout) as Array<{ service: string; state: string; processes: Array<{ name: string; alive: boolean }> }>;
    expect(statuses.map((status) => [status.service, status.state])).toEqual([
      ['postgres', 'ready'],
      ['s3', 'ready'],
      ['nifi', 'ready'],
      ['nifi-https', 'ready'],
      ['trino', 'ready'],
      ['airflow', 'ready'],
    ]);
    expect(statuses.find((status) => status.service === 'airflow')?.processes.map((entry) => entry.name)).toEqual(['api-server', 'scheduler', 'dag-processor', 'triggerer']);
  });

  it('logs prints the log files of the named service', async () => {
    const result = await runCaptured(['logs', 'trino', '--dir', directory]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`==> ${directory}/trino/logs/trino.log <==`);
    expect(result.stdout).toContain('SERVER STARTED');
  });

  it('env prints the running stack as shell exports the flows CLI and psql read', async () => {
    const result = await runCaptured(['env', '--dir', directory]);
    expect(result.exitCode).toBe(0);
    const endpoints = inject('stackEndpoints');
    expect(result.stdout).toContain(`export NIFI_URL='${endpoints.nifi!.apiUrl}'\n`);
    expect(result.stdout).toContain(`export AIRFLOW_USERNAME='${endpoints.airflow!.admin.username}'\n`);
    expect(result.stdout).toMatch(/^export PGPASSWORD='.+'$/m);
  });
});
