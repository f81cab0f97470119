// How the CLI's changing commands (apply, destroy, plan --out) hold the apply lock: the wait from
// --lock-timeout or FLOWS_LOCK_TIMEOUT, the lease's TTL from FLOWS_LOCK_TTL, the holder's CI run from the
// environment, and the lock's events shown through the view (text for people, JSON lines with --json).
import { maxLockTtlMs, minLockTtlMs, type LockEvent, type LockOptions } from '../deploy/lock.ts';
import { describeHolder } from '../deploy/lock-holder.ts';
import { duration, UsageError } from './arguments/options.ts';
import type { CliIo } from './io.ts';
import type { View } from './views/view.ts';

export function lockSettings(flags: { 'lock-timeout'?: number | undefined }, io: CliIo, view: View): LockOptions {
  const fromEnvironment = (name: string) => {
    const raw = io.env[name];
    if (raw === undefined || raw === '') return undefined;
    try {
      return duration(raw);
    } catch (error) {
      throw new UsageError(`${name} ${(error as Error).message}.`);
    }
  };
  const ttlMs = fromEnvironment('FLOWS_LOCK_TTL');
  if (ttlMs !== undefined && (ttlMs < minLockTtlMs || ttlMs > maxLockTtlMs)) {
    throw new UsageError(`FLOWS_LOCK_TTL must be between ${minLockTtlMs / 1000}s and ${maxLockTtlMs / 60_000}m, not "${io.env['FLOWS_LOCK_TTL']}".`);
  }
  let lastHolder: string | undefined;
  return {
    timeoutMs: flags['lock-timeout'] ?? fromEnvironment('FLOWS_LOCK_TIMEOUT'),
    ttlMs,
    env: io.env,
    signal: io.signal,
    onEvent: (event) => {
      view.event(`lock-${event.type}`, event, () => {
        // Said once per holder (also in CI logs); the countdown only on a terminal.
        if (event.type === 'waiting' && event.lock.lockId !== lastHolder) {
          lastHolder = event.lock.lockId;
          return { note: waitingText(event) };
        }
        if (event.type === 'waiting') return { progress: waitingText(event) };
        if (event.type === 'taken-over') return { warning: `took over the apply lock of ${describeHolder(event.previous.holder)} (lock ${event.previous.lockId}, not renewed for ${event.previous.ttlSeconds} s)` };
        if (event.type === 'lost') return { warning: `lost the apply lock (${event.lock.lockId}): ${event.reason}` };
        if (event.type === 'release-failed') {
          return { warning: `could not release the apply lock ${event.lock.lockId} (${event.reason}); the next apply takes it over once it has watched it unrenewed for ${event.lock.ttlSeconds} s, or run flows unlock --force ${event.lock.lockId}` };
        }
        if (event.type === 'lapsed-after-work') return { warning: `every step completed, but the apply lock ${event.lock.lockId} lapsed before it was released (${event.reason}): another process may have started changing these flows since` };
        if (event.type === 'timeout-below-ttl') {
          return {
            warning: `--lock-timeout (${Math.round(event.timeoutMs / 1000)} s) is shorter than the lock's TTL (${event.lock.ttlSeconds} s): if its holder is gone, this command gives up before it could take the lock over`,
          };
        }
        return { progress: `apply lock ${event.lock.lockId} on process group ${event.lock.parentGroupId} ${event.type}` };
      });
    },
  };
}

function waitingText(event: Extract<LockEvent, { type: 'waiting' }>): string {
  const { lock } = event;
  return `waiting for the apply lock on process group ${lock.parentGroupId}: held by ${describeHolder(lock.holder)} since ${lock.since} (lock ${lock.lockId}); taken over in ${Math.ceil(event.takeoverInMs / 1000)} s if not renewed`;
}
