// The CLI's lock settings: durations as Terraform writes them, FLOWS_LOCK_TIMEOUT/FLOWS_LOCK_TTL from the
// environment (bad ones are usage errors), and lock events as text for people or JSON lines with --json.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { LockInfo } from '../deploy/lock.ts';
import { duration, UsageError } from './arguments/options.ts';
import { lockSettings } from './lock-settings.ts';
import { createView } from './views/view.ts';

const lock: LockInfo = {
  lockId: 'c0ffee00-0000-4000-8000-000000000001',
  parentGroupId: 'parent-1',
  holder: { user: 'ci', host: 'runner-3', pid: 4242, operation: 'apply', ci: { system: 'GitHub Actions', runId: '42', url: 'https://github.com/acme/flows/actions/runs/42' } },
  since: '2025-01-01T00:00:00.000Z',
  renewedAt: '2025-01-01T00:00:20.000Z',
  ttlSeconds: 60,
};

function cli(env: NodeJS.ProcessEnv, json: boolean, isTTY = false) {
  const printed = { stdout: '', stderr: '' };
  const stdout = new PassThrough().on('data', (chunk: Buffer) => (printed.stdout += chunk.toString()));
  const stderr = new PassThrough().on('data', (chunk: Buffer) => (printed.stderr += chunk.toString()));
  const io = { stdout, stderr, isTTY, cwd: '/', env };
  return { io, view: createView(io, json), printed };
}

describe('lock settings of the flows CLI', () => {
  it('reads durations as Terraform writes them, or seconds', () => {
    expect([duration('90'), duration('0'), duration('30s'), duration('5m'), duration('1m30s'), duration('500ms'), duration('1h')]).toEqual([90_000, 0, 30_000, 300_000, 90_000, 500, 3_600_000]);
    for (const bad of ['', '5 minutes', '-1s', '1d', '5m junk']) expect(() => duration(bad)).toThrow(/expects a duration/);
  });

  it('takes the timeout from the flag over FLOWS_LOCK_TIMEOUT, the TTL from FLOWS_LOCK_TTL, and refuses bad values', () => {
    const { io, view } = cli({ FLOWS_LOCK_TIMEOUT: '2m', FLOWS_LOCK_TTL: '3s' }, false);
    expect(lockSettings({}, io, view)).toMatchObject({ timeoutMs: 120_000, ttlMs: 3000 });
    expect(lockSettings({ 'lock-timeout': 0 }, io, view)).toMatchObject({ timeoutMs: 0 });
    expect(() => lockSettings({}, cli({ FLOWS_LOCK_TTL: 'soon' }, false).io, view)).toThrow(UsageError);
    // A renewal gets a third of the TTL: below 3 s that is too little; above an hour a dead holder blocks too long.
    for (const ttl of ['500ms', '2s', '61m']) expect(() => lockSettings({}, cli({ FLOWS_LOCK_TTL: ttl }, false).io, view)).toThrow(/FLOWS_LOCK_TTL must be between 3s and 60m/);
    expect(lockSettings({}, cli({ FLOWS_LOCK_TTL: '1h' }, false).io, view)).toMatchObject({ ttlMs: 3_600_000 });
  });

  it('says once per holder who holds the lock (the countdown only on a terminal), and prints JSON lines with --json', () => {
    const human = cli({}, false);
    const settings = lockSettings({}, human.io, human.view);
    settings.onEvent!({ type: 'waiting', lock, takeoverInMs: 41_000, waitedMs: 19_000 });
    settings.onEvent!({ type: 'waiting', lock, takeoverInMs: 40_000, waitedMs: 20_000 });
    expect(human.printed.stderr.trim().split('\n')).toEqual([
      `waiting for the apply lock on process group parent-1: held by ci@runner-3 (pid 4242, apply, GitHub Actions run 42 https://github.com/acme/flows/actions/runs/42) since 2025-01-01T00:00:00.000Z (lock ${lock.lockId}); taken over in 41 s if not renewed`,
    ]);
    settings.onEvent!({ type: 'taken-over', lock, previous: lock });
    expect(human.printed.stderr).toContain(`warning: took over the apply lock of ci@runner-3`);

    settings.onEvent!({ type: 'timeout-below-ttl', lock, timeoutMs: 10_000 });
    expect(human.printed.stderr).toContain(`warning: --lock-timeout (10 s) is shorter than the lock's TTL (60 s): if its holder is gone, this command gives up before it could take the lock over`);
    settings.onEvent!({ type: 'lapsed-after-work', lock, reason: 'not renewed within its TTL of 60 s' });
    expect(human.printed.stderr).toContain(`warning: every step completed, but the apply lock ${lock.lockId} lapsed before it was released (not renewed within its TTL of 60 s)`);

    const machine = cli({}, true);
    lockSettings({}, machine.io, machine.view).onEvent!({ type: 'waiting', lock, takeoverInMs: 41_000, waitedMs: 19_000 });
    expect(machine.printed.stdout).toBe('');
    expect(JSON.parse(machine.printed.stderr)).toEqual({ event: 'lock-waiting', type: 'waiting', lock, takeoverInMs: 41_000, waitedMs: 19_000 });
  });
});
