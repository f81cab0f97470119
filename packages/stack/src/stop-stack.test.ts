// stopStack stops exactly the services it is given: stopping the cluster profile's services (or `down trino`)
// must leave PostgreSQL and S3, which the default services share, running.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterServiceNames, resolveStackConfig, type ServiceName } from './config/stack-config.ts';
import { isRecordedProcessAlive, readPidFile, startProcess } from './process/managed-process.ts';
import { logFile, pidFile } from './services/service.ts';
import { stopStack } from './stack.ts';

/** A stand-in process recorded where the stack looks for the service's process. */
async function recordSleeper(stateDir: string, service: ServiceName, processName: string): Promise<string> {
  const config = resolveStackConfig({ stateDir }, {});
  const file = pidFile(config, service, processName);
  await startProcess({ command: 'sleep', args: ['300'], cwd: stateDir, env: process.env, logFile: logFile(config, service, processName), pidFile: file, marker: stateDir });
  return file;
}

describe('stopStack', () => {
  it('stops the named services and not what they depend on', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'dataplat-stop-'));
    const postgres = await recordSleeper(stateDir, 'postgres', 'postgres');
    const s3 = await recordSleeper(stateDir, 's3', 's3proxy');
    const zookeeper = await recordSleeper(stateDir, 'zookeeper', 'zookeeper');
    const worker = await recordSleeper(stateDir, 'trino-cluster', 'worker');
    const stopped: string[] = [];

    await stopStack({ stateDir, services: ['trino-cluster'], onEvent: (event) => event.type === 'service-stop' && event.wasRunning && stopped.push(event.service) });
    expect(stopped).toEqual(['trino-cluster']);
    expect(await isRecordedProcessAlive(await readPidFile(worker))).toBe(false);
    for (const file of [postgres, s3, zookeeper]) expect(await isRecordedProcessAlive(await readPidFile(file))).toBe(true);

    await stopStack({ stateDir, services: clusterServiceNames, onEvent: (event) => event.type === 'service-stop' && event.wasRunning && stopped.push(event.service) });
    expect(stopped).toEqual(['trino-cluster', 'zookeeper']);
    for (const file of [postgres, s3]) expect(await isRecordedProcessAlive(await readPidFile(file))).toBe(true);

    await stopStack({ stateDir });
    for (const file of [postgres, s3]) expect(await isRecordedProcessAlive(await readPidFile(file))).toBe(false);
  });
});
