// The apply lock: one lease per parent process group, held in NiFi itself, so overlapping applies,
// destroys and `plan --out` (from CI pipelines, people, scripts) take turns instead of racing each other
// into duplicate groups. The lease is a parameter context named after the parent group — NiFi refuses a
// second context of one name (409), so exactly one of any number of concurrent creators gets it — whose
// description records the holder. Every later change is a compare-and-swap on the context's revision
// (NiFi refuses a stale version with 400): renewal, release, and the takeover of a lease whose holder
// died, which a waiter may do once it has seen the same revision for the lease's TTL on its own clock
// (no clocks are compared between machines). docs/flows.md ("The apply lock") says why and what was measured.
import { randomUUID } from 'node:crypto';
import { HttpError, sleep } from '@dataplat/core';
import { DataplatError } from '@dataplat/core/errors';
import type { NifiClient, ParameterContextEntity } from '@dataplat/nifi';
import { registerHeldLock } from './held-locks.ts';
import { currentHolder, describeHolder, type LockHolder } from './lock-holder.ts';

/** Contexts named with this prefix (and the parent group's id) are apply locks. */
export const lockNamePrefix = 'dataplat-flows lock ';
const leaseLine = 'dataplat-flows apply lock: remove only with flows unlock --force <lockId>';

export const defaultLockTimeoutMs = 5 * 60_000;
export const defaultLockTtlMs = 60_000;

/** A lease as NiFi holds it (in the lock context's description) and as errors and events report it. */
export interface LockInfo {
  /** Names this lease (one acquisition); what `flows unlock --force` takes. */
  lockId: string;
  /** The parent process group the lease is for (its real id, never the alias `root`). */
  parentGroupId: string;
  holder: LockHolder;
  /** When the holder took it (the holder's clock, ISO 8601). */
  since: string;
  /** When the holder last renewed it (the holder's clock). */
  renewedAt: string;
  /** A lease not renewed for this long (as a waiter measures it) may be taken over. */
  ttlSeconds: number;
}

export type LockEvent =
  | { type: 'waiting'; lock: LockInfo; takeoverInMs: number; waitedMs: number }
  | { type: 'acquired'; lock: LockInfo }
  | { type: 'taken-over'; lock: LockInfo; previous: LockInfo }
  | { type: 'released'; lock: LockInfo }
  | { type: 'release-failed'; lock: LockInfo; reason: string }
  | { type: 'lost'; lock: LockInfo; reason: string };

export interface LockOptions {
  /** How long to wait for a lease someone else holds before FLOWS_LOCKED. Default 5 minutes; 0 fails at once. */
  timeoutMs?: number | undefined;
  /** How long the lease lives without renewal (renewed every third of it). Default 60 s. */
  ttlMs?: number | undefined;
  /** For the holder's CI run (GITHUB_*, CI_*, …); default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Waiting, acquired, taken over, released, lost: for progress output. */
  onEvent?: ((event: LockEvent) => void) | undefined;
  /** Stops waiting at once (the lease is not taken). */
  signal?: AbortSignal | undefined;
  /** How often a waiter looks at the lease again. Default 1 s (plus jitter), at most a quarter of the TTL. */
  pollIntervalMs?: number | undefined;
}

/** A lease this process holds. */
export interface HeldLock {
  readonly info: LockInfo;
  /** Throws FLOWS_LOCK_LOST when the lease was taken from this process (forced unlock, or not renewed within its TTL). */
  assertHeld(): void;
  /** Deletes the lease if it is still this process's (idempotent; never throws). */
  release(): Promise<void>;
}

export type LockErrorCode = 'FLOWS_LOCKED' | 'FLOWS_LOCK_LOST' | 'FLOWS_LOCK_NOT_FOUND' | 'FLOWS_LOCK_UNREADABLE';

/** A lock failure; `details.lock` is the lease concerned (the holder to talk to), printed with --json too. */
export class FlowsLockError extends DataplatError {
  override name = 'FlowsLockError';
  declare readonly code: LockErrorCode;
  readonly details: { lock: LockInfo | undefined };

  constructor(options: { code: LockErrorCode; message: string; hint?: string | undefined; lock: LockInfo | undefined; cause?: unknown }) {
    super(options);
    this.details = { lock: options.lock };
  }
}

/** The lock context's name for a parent group. */
export function lockName(parentGroupId: string): string {
  return `${lockNamePrefix}${parentGroupId}`;
}

/** Runs `work` holding the lease on `parentGroupId`, released afterwards whatever happens. */
export async function withFlowsLock<Result>(nifi: NifiClient, parentGroupId: string, operation: string, options: LockOptions, work: (lock: HeldLock) => Promise<Result>): Promise<Result> {
  const lock = await acquireFlowsLock(nifi, parentGroupId, operation, options);
  try {
    const result = await work(lock);
    lock.assertHeld();
    return result;
  } finally {
    await lock.release();
  }
}

/**
 * Takes the lease on `parentGroupId`: creates the lock context, or waits while another holder renews
 * it, takes it over once it went unrenewed for its TTL, and throws FLOWS_LOCKED (naming the holder)
 * when `timeoutMs` passes first.
 */
export async function acquireFlowsLock(nifi: NifiClient, parentGroupId: string, operation: string, options: LockOptions = {}): Promise<HeldLock> {
  const ttlMs = options.ttlMs ?? defaultLockTtlMs;
  const timeoutMs = options.timeoutMs ?? defaultLockTimeoutMs;
  if (!(ttlMs >= 1000)) throw new DataplatError({ code: 'FLOWS_INVALID_OPTIONS', message: `The lock TTL must be at least 1 s, not ${ttlMs} ms.` });
  const parentId = (await nifi.processGroups.get(parentGroupId)).id!;
  const name = lockName(parentId);
  const now = new Date().toISOString();
  const lease: LockInfo = { lockId: randomUUID(), parentGroupId: parentId, holder: currentHolder(operation, options.env), since: now, renewedAt: now, ttlSeconds: ttlMs / 1000 };
  const started = performance.now();
  let observed: { key: string; at: number } | undefined;
  let previous: LockInfo | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    const created = await createLease(nifi, name, lease);
    if (created) {
      options.onEvent?.(previous ? { type: 'taken-over', lock: lease, previous } : { type: 'acquired', lock: lease });
      return holdLease(nifi, created, lease, ttlMs, options);
    }
    const current = await findLease(nifi, name);
    if (!current) continue; // released in between: try again at once
    if (current.lease.lockId === lease.lockId) return holdLease(nifi, current.entity, lease, ttlMs, options);
    const key = `${current.entity.id}@${current.entity.revision.version}`;
    const at = performance.now();
    if (observed?.key !== key) observed = { key, at };
    const takeoverInMs = current.lease.ttlSeconds * 1000 - (at - observed.at);
    if (takeoverInMs <= 0) {
      // Unrenewed for its whole TTL: delete exactly the revision we watched (a renewal in between wins).
      if (await deleteAt(nifi, current.entity.id, current.entity.revision.version, lease.lockId)) previous = current.lease;
      continue;
    }
    const waitedMs = at - started;
    if (waitedMs >= timeoutMs) throw lockedError(current.lease, timeoutMs);
    options.onEvent?.({ type: 'waiting', lock: current.lease, takeoverInMs, waitedMs });
    const poll = Math.min(options.pollIntervalMs ?? 1000, ttlMs / 4, current.lease.ttlSeconds * 250) + Math.random() * 250;
    await sleep(Math.max(50, Math.min(poll, takeoverInMs, timeoutMs - waitedMs)), options.signal);
  }
}

/** The leases held under every parent group (or one), for `flows unlock` and tests. */
export async function listFlowsLocks(nifi: NifiClient): Promise<Array<LockInfo & { contextId: string }>> {
  const contexts = await nifi.parameterContexts.list();
  return contexts.flatMap((context) => {
    if (!context.component.name?.startsWith(lockNamePrefix)) return [];
    const lease = parseLease(context.component.description);
    return lease ? [{ ...lease, contextId: context.id }] : [];
  });
}

/**
 * `flows unlock --force <lockId>`: deletes that lease — and only that one: a lease taken since (a new
 * lock id) is left alone, compared by revision. FLOWS_LOCK_NOT_FOUND when no lease has that id.
 */
export async function forceUnlock(nifi: NifiClient, lockId: string): Promise<LockInfo> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const contexts = await nifi.parameterContexts.list();
    const found = contexts.find((context) => context.component.name?.startsWith(lockNamePrefix) && parseLease(context.component.description)?.lockId === lockId);
    if (!found) break;
    const lease = parseLease(found.component.description)!;
    if (await deleteAt(nifi, found.id, found.revision.version, `dataplat-unlock-${randomUUID()}`)) return lease;
    // Renewed in between (a new revision, same lease): read again and delete that.
  }
  const held = await listFlowsLocks(nifi);
  throw new FlowsLockError({
    code: 'FLOWS_LOCK_NOT_FOUND',
    message: `No apply lock with id ${lockId}: it was released, taken over or is renewed faster than it can be removed.`,
    hint: held.length > 0 ? `Locks held now: ${held.map((lock) => `${lock.lockId} on ${lock.parentGroupId} by ${describeHolder(lock.holder)}`).join('; ')}.` : 'No apply lock is held now.',
    lock: undefined,
  });
}

// ---- the lease in NiFi ------------------------------------------------------------------------------

function renderLease(lease: LockInfo): string {
  const { lockId, parentGroupId, holder, since, renewedAt, ttlSeconds } = lease;
  return `${leaseLine}\n${JSON.stringify({ formatVersion: 1, lockId, parentGroupId, holder, since, renewedAt, ttlSeconds })}`;
}

function parseLease(description: string | undefined): LockInfo | undefined {
  const lines = (description ?? '').split('\n');
  if (lines[0] !== leaseLine || lines.length < 2) return undefined;
  try {
    const parsed = JSON.parse(lines[1]!) as LockInfo & { formatVersion: number };
    if (parsed.formatVersion !== 1 || typeof parsed.lockId !== 'string' || typeof parsed.ttlSeconds !== 'number' || typeof parsed.holder?.user !== 'string') return undefined;
    const { lockId, parentGroupId, holder, since, renewedAt, ttlSeconds } = parsed;
    return { lockId, parentGroupId, holder, since, renewedAt, ttlSeconds };
  } catch {
    return undefined;
  }
}

const statusOf = (error: unknown) => (HttpError.isInstance(error) ? error.status : undefined);

/** The exclusive step: NiFi creates a context of a given name once; everyone else gets 409. */
async function createLease(nifi: NifiClient, name: string, lease: LockInfo): Promise<ParameterContextEntity | undefined> {
  try {
    return (await nifi.api.post('/parameter-contexts', {
      body: { revision: { version: 0, clientId: lease.lockId }, component: { name, description: renderLease(lease), parameters: [], inheritedParameterContexts: [] } },
    })) as ParameterContextEntity;
  } catch (error) {
    if (statusOf(error) === 409) return undefined;
    throw error;
  }
}

async function findLease(nifi: NifiClient, name: string): Promise<{ entity: ParameterContextEntity; lease: LockInfo } | undefined> {
  const entity = (await nifi.parameterContexts.list()).find((context) => context.component.name === name);
  if (!entity) return undefined;
  const lease = parseLease(entity.component.description);
  if (!lease) {
    throw new FlowsLockError({
      code: 'FLOWS_LOCK_UNREADABLE',
      message: `The parameter context "${name}" (${entity.id}) is where flows keeps the apply lock, but it holds no lease flows can read.`,
      hint: 'Someone created or edited it by hand: delete that parameter context in NiFi (it is never used by a flow), then run the command again.',
      lock: undefined,
    });
  }
  return { entity, lease };
}

/** DELETE at exactly `version`: true when it was deleted, false when it changed or is gone. */
async function deleteAt(nifi: NifiClient, id: string, version: number, clientId: string): Promise<boolean> {
  try {
    await nifi.api.delete('/parameter-contexts/{id}', { path: { id }, query: { version, clientId } });
    return true;
  } catch (error) {
    const status = statusOf(error);
    if (status === 400 || status === 404 || status === 409) return false;
    throw error;
  }
}

function lockedError(lease: LockInfo, timeoutMs: number): FlowsLockError {
  return new FlowsLockError({
    code: 'FLOWS_LOCKED',
    message: `Process group ${lease.parentGroupId} is locked by ${describeHolder(lease.holder)} since ${lease.since} (last renewed ${lease.renewedAt}; lock id ${lease.lockId}); waited ${Math.round(timeoutMs / 1000)} s.`,
    hint: `Wait for it to finish and run again, or wait longer with --lock-timeout. Only if that process is gone: flows unlock --force ${lease.lockId} (a lease its holder stops renewing is taken over ${lease.ttlSeconds} s after its last renewal anyway).`,
    lock: lease,
  });
}

/** The holder's side: renew every third of the TTL by compare-and-swap, notice a lost lease, release once. */
function holdLease(nifi: NifiClient, created: ParameterContextEntity, lease: LockInfo, ttlMs: number, options: LockOptions): HeldLock {
  const contextId = created.id;
  let version = created.revision.version;
  let confirmedAt = performance.now();
  let lost: string | undefined;
  let released = false;
  let renewal: Promise<void> = Promise.resolve();
  const loseLease = (reason: string) => {
    if (lost || released) return;
    lost = reason;
    options.onEvent?.({ type: 'lost', lock: lease, reason });
  };
  /** After a refused write: is the lease still ours (our own write may have landed before a repeat)? */
  const rereadOwn = async (): Promise<boolean> => {
    try {
      const current = await nifi.parameterContexts.get(contextId);
      if (parseLease(current.component.description)?.lockId !== lease.lockId) return false;
      version = current.revision.version;
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  };
  const renew = async () => {
    if (released || lost) return;
    const renewed: LockInfo = { ...lease, renewedAt: new Date().toISOString() };
    try {
      const answer = (await nifi.api.put('/parameter-contexts/{id}', {
        path: { id: contextId },
        body: { id: contextId, revision: { version, clientId: lease.lockId }, component: { id: contextId, name: lockName(lease.parentGroupId), description: renderLease(renewed), parameters: [], inheritedParameterContexts: [] } },
      })) as ParameterContextEntity;
      version = answer.revision.version;
      confirmedAt = performance.now();
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return loseLease('the lock was removed (flows unlock --force) or taken over');
      if (status === 400 || status === 409) {
        const own = await rereadOwn().catch(() => undefined);
        if (own === true) confirmedAt = performance.now();
        else if (own === false) loseLease('another process holds the lock now');
        return;
      }
      // Not answered (network, NiFi restarting): try again sooner; assertHeld fails once the TTL has passed.
      if (performance.now() - confirmedAt > ttlMs) loseLease(`not renewed within its TTL (${(error as Error).message})`);
    }
  };
  const timer = setInterval(() => (renewal = renewal.then(renew)), Math.max(250, ttlMs / 3));
  timer.unref();
  const release = async () => {
    if (released) return;
    released = true;
    clearInterval(timer);
    unregister();
    await renewal;
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        if (await deleteAt(nifi, contextId, version, lease.lockId)) {
          options.onEvent?.({ type: 'released', lock: lease });
          return;
        }
        if (!(await rereadOwn())) return; // removed or taken over: nothing of ours left
      }
      options.onEvent?.({ type: 'release-failed', lock: lease, reason: 'it kept changing' });
    } catch (error) {
      options.onEvent?.({ type: 'release-failed', lock: lease, reason: (error as Error).message });
    }
  };
  const unregister = registerHeldLock(release);
  return {
    info: lease,
    assertHeld() {
      if (!lost && performance.now() - confirmedAt > ttlMs) loseLease('not renewed within its TTL');
      if (lost) {
        throw new FlowsLockError({
          code: 'FLOWS_LOCK_LOST',
          message: `The apply lock on process group ${lease.parentGroupId} (lock id ${lease.lockId}) is no longer held by this process: ${lost}. Stopped before the next change.`,
          hint: 'Another process may be changing these flows now: check flows status, then run the command again (what was applied so far converges).',
          lock: lease,
        });
      }
    },
    release,
  };
}
