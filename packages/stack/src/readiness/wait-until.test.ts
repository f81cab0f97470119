// waitUntil (on core's pollUntil): ready values, fast failure when a process exits, timeout messages; and the process bookkeeping it relies on.
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataplatError, HttpError } from '@dataplat/core';
import { describe, expect, it } from 'vitest';
import { startProcess, stopRecordedProcess } from '../process/managed-process.ts';
import { isListening } from '../stack.ts';
import { waitUntil } from './wait-until.ts';

describe('waitUntil', () => {
  it('returns the first defined probe result', async () => {
    let calls = 0;
    const value = await waitUntil(async () => (++calls === 3 ? 'ready' : undefined), { service: 'demo', description: 'x', timeoutMs: 5000, intervalMs: 1, logFile: '/nonexistent' });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('fails fast with the log tail when the service process exits', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dataplat-wait-'));
    const logFile = join(directory, 'demo.log');
    const started = await startProcess({
      command: 'sh', args: ['-c', 'echo "FATAL: port 5432 is taken"; exit 3'], cwd: directory, env: process.env,
      logFile, pidFile: join(directory, 'demo.pid'), marker: directory,
    });
    await started.exited;
    const failure = waitUntil(async () => undefined, { service: 'demo', description: 'never', timeoutMs: 60_000, processes: [{ name: 'server', process: started }], logFile });
    await expect(failure).rejects.toMatchObject({
      code: 'STACK_SERVICE_EXITED',
      service: 'demo',
      message: expect.stringMatching(/process "server" exited with code 3[\s\S]*FATAL: port 5432 is taken/),
    });
  });

  it('rides out what a booting server answers, and stops at once on a permanent @dataplat error', async () => {
    let calls = 0;
    const booting = [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), new SyntaxError('Unexpected token <'), new HttpError({ code: 'UNAVAILABLE', message: '503', status: 503, method: 'GET', url: 'http://127.0.0.1/', responseBody: '', isRetryable: true })];
    const value = await waitUntil(
      async () => {
        const failure = booting[calls++];
        if (failure) throw failure;
        return 'ready';
      },
      { service: 'demo', description: 'x', timeoutMs: 5000, intervalMs: 1, logFile: '/nonexistent' },
    );
    expect(value).toBe('ready');
    expect(calls).toBe(4);
    const refused = new DataplatError({ code: 'STACK_LOGIN_REFUSED', message: 'the admin password was refused' });
    calls = 0;
    await expect(waitUntil(async () => { calls++; throw refused; }, { service: 'demo', description: 'x', timeoutMs: 5000, intervalMs: 1, logFile: '/nonexistent' })).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  it('times out with the description and the last probe error', async () => {
    const failure = waitUntil(async () => { throw new Error('connection refused'); }, { service: 'demo', description: 'GET /health answers 200', timeoutMs: 50, intervalMs: 5, logFile: '/nonexistent' });
    await expect(failure).rejects.toMatchObject({
      code: 'STACK_READINESS_TIMEOUT',
      message: expect.stringMatching(/demo was not ready after 0 s \(waiting until GET \/health answers 200\)\. Last attempt: connection refused/),
    });
  });
});

describe('process bookkeeping', () => {
  it('stops a recorded process group and reports that it was running', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'dataplat-stop-'));
    const pidFile = join(directory, 'sleep.pid');
    const started = await startProcess({ command: 'sleep', args: ['300'], cwd: directory, env: process.env, logFile: join(directory, 'sleep.log'), pidFile, marker: directory });
    expect(started.hasExited()).toBe(false);
    expect(await stopRecordedProcess(pidFile, { graceMs: 5000 })).toBe(true);
    await started.exited;
    expect(await stopRecordedProcess(pidFile)).toBe(false);
  });
});

describe('isListening', () => {
  it('tells a taken port from a free one', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolvePromise) => server.once('listening', resolvePromise));
    const port = (server.address() as { port: number }).port;
    expect(await isListening(port)).toBe(true);
    await new Promise((resolvePromise) => server.close(resolvePromise));
    expect(await isListening(port)).toBe(false);
  });
});
