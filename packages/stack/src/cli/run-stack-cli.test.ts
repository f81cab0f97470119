import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../../test/run-captured.ts';

describe('dataplat-stack usage errors (exit code 2)', () => {
  it('prints usage without a command', async () => {
    const result = await runCaptured([]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Usage: dataplat-stack <command>');
  });

  it('names an unknown command', async () => {
    const result = await runCaptured(['start']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('Unknown command "start".');
  });

  it('names an unknown service and lists the known ones, also as JSON', async () => {
    const result = await runCaptured(['status', 'kafka', '--json']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'STACK_CONFIG_INVALID', message: expect.stringContaining('Unknown service "kafka" in the command line.') },
    });
  });

  it('rejects unknown options', async () => {
    const result = await runCaptured(['up', '--fast']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("Unknown option '--fast'");
  });

  it('takes --load-dags only on up', async () => {
    const result = await runCaptured(['status', '--load-dags', 'examples/dags']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--load-dags is an option of up, not of status.');
  });

  it('refuses --load-dags when the services named leave Airflow out, before starting anything', async () => {
    const result = await runCaptured(['up', 'trino', '--load-dags', 'examples/dags', '--json', '--dir', '/nonexistent/dataplat-stack']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: { code: 'STACK_CONFIG_INVALID', message: expect.stringContaining('Loading DAGs (--load-dags) needs the airflow service, which is not among postgres, s3, trino.') },
    });
  });

  it('shows help on --help with exit code 0', async () => {
    const result = await runCaptured(['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Exit codes: 0 success, 1 failure, 2 usage error.');
    expect(result.stdout).toContain('--load-dags <folder>');
  });
});

describe('dataplat-stack --profile', () => {
  it('names an unknown profile and lists the known ones', async () => {
    const result = await runCaptured(['status', '--profile', 'ha', '--json']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({ error: { code: 'STACK_CONFIG_INVALID', message: expect.stringContaining('Unknown profile "ha" in --profile.') } });
  });

  it('status --profile cluster lists the cluster services with one process per node; plain status only the default ones', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dataplat-profile-'));
    const cluster = await runCaptured(['status', '--profile', 'cluster', '--json', '--dir', directory]);
    expect(cluster.exitCode).toBe(0);
    const statuses = JSON.parse(cluster.stdout) as Array<{ service: string; state: string; processes: Array<{ name: string }> }>;
    expect(statuses.map((status) => status.service)).toEqual(['postgres', 's3', 'nifi', 'nifi-https', 'trino', 'airflow', 'zookeeper', 'nifi-cluster', 'trino-cluster']);
    expect(statuses.every((status) => status.state === 'stopped')).toBe(true);
    expect(statuses.find((status) => status.service === 'nifi-cluster')?.processes.map((entry) => entry.name)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(statuses.find((status) => status.service === 'trino-cluster')?.processes.map((entry) => entry.name)).toEqual(['coordinator', 'worker']);
    const plain = JSON.parse((await runCaptured(['status', '--json', '--dir', directory])).stdout) as Array<{ service: string }>;
    expect(plain.map((status) => status.service)).toEqual(['postgres', 's3', 'nifi', 'nifi-https', 'trino', 'airflow']);
  });
});
