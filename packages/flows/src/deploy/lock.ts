// The apply lock: one lease per parent process group, held in NiFi itself, so overlapping applies,
// destroys and `plan --out` (from CI pipelines, people, scripts) take turns instead of racing each other
// into duplicate groups. The lease is a parameter context named after the parent group — NiFi refuses a
// second context of one name (409), so exactly one of any number of concurrent creators gets it — whose
// description records the holder. Every later change is a compare-and-swap on the context's revision
// (NiFi refuses a stale version with 400): renewal, release, and the takeover of a lease whose holder
// died, which a waiter may do once it has seen the same revision for the lease's TTL on its own clock
// (no clocks are compared between machines). The holder counts its lease from when it *sent* its last
// confirmed write and stops before its next step a margin before a waiter could take over; there is no
// fencing beyond that (a step already running finishes). docs/flows.md ("The apply lock") says why and what was measured.
import { randomUUID } from 'node:crypto';
import { HttpError, isTransientError, sleep } from '@dataplat/core';
import { DataplatError } from '@dataplat/core/errors';
import type { NifiClient, ParameterContextEntity } from '@dataplat/nifi';
import { registerHeldLock } from './held-locks.ts';
import { currentHolder, describeHolder, type LockHolder } from './lock-holder.ts';

/** Contexts named with this prefix (and the parent group's id) are apply locks. */
export const lockNamePrefix = 'dataplat-flows lock ';
const leaseLine = 'dataplat-flows apply lock: remove only with flows unlock --force <lockId>';

export const defaultLockTimeoutMs = 5 * 60_000;
export const defaultLockTtlMs = 60_000;
/** Below 3 s a renewal (given a third of the TTL) has too little time even on a healthy NiFi. */
export const minLockTtlMs = 3000;
/** Above an hour a dead holder's lease blocks everyone for too long; unlock --force is the tool for that. */
export const maxLockTtlMs = 60 * 60_000;

/** The holder's timing, all from the TTL: renew every third, give a renewal a third, stop a tenth early. */
export function leaseTiming(ttlMs: number) {
  return {
    renewEveryMs: ttlMs / 3,
    /** A renewal not answered within this is abandoned (never repeated: the next tick sends a new one). */
    renewalTimeoutMs: ttlMs / 3,
    /** The holder treats the lease as lost once its last confirmed write was *sent* ttl - margin ago. */
    marginMs: ttlMs / 10,
    /** How often the holder looks whether a renewal is due (no request unless one is). */
    tickMs: Math.max(100, ttlMs / 12),
  };
}

/** How long `release` waits for a renewal in flight (to learn the newest revision) before deleting without it. */
const releaseWaitsForRenewalMs = 500;
/** Consecutive 409s on create with no lock context to be found before the 409 is reported (FLOWS_LOCK_REFUSED). */
const unexplainedRefusalsAllowed = 3;

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
  /**
   * Set when the holder released the lease but NiFi kept its context: a cluster deletes nothing while a node is
   * disconnected. A released lease is free: the next acquirer claims it in place at once.
   */
  releasedAt?: string | undefined;
}

export type LockEvent =
  | { type: 'waiting'; lock: LockInfo; takeoverInMs: number; waitedMs: number }
  | { type: 'acquired'; lock: LockInfo }
  | { type: 'taken-over'; lock: LockInfo; previous: LockInfo }
  | { type: 'released'; lock: LockInfo }
  | { type: 'release-failed'; lock: LockInfo; reason: string }
  | { type: 'lost'; lock: LockInfo; reason: string }
  /** The work finished, but the lease lapsed or was lost before it was released: someone may have taken it after the last step. */
  | { type: 'lapsed-after-work'; lock: LockInfo; reason: string }
  /** Waiting with a timeout shorter than the holder's TTL: this waiter gives up before it could take over a dead holder's lease. */
  | { type: 'timeout-below-ttl'; lock: LockInfo; timeoutMs: number };

export interface LockOptions {
  /** How long to wait for a lease someone else holds before FLOWS_LOCKED. Default 5 minutes; 0 fails at once. */
  timeoutMs?: number | undefined;
  /** How long the lease lives without renewal (renewed every third of it). Default 60 s; 3 s to 1 h. */
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
  /** Why the lease is no longer this process's (lost, or not renewed in time), or undefined while it is held. */
  lostReason(): string | undefined;
  /** Deletes the lease if it is still this process's (idempotent; never throws). */
  release(): Promise<void>;
}

export type LockErrorCode = 'FLOWS_LOCKED' | 'FLOWS_LOCK_LOST' | 'FLOWS_LOCK_NOT_FOUND' | 'FLOWS_LOCK_UNREADABLE' | 'FLOWS_LOCK_REFUSED';

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

/**
 * Runs `work` holding the lease on `parentGroupId`, released afterwards whatever happens. The work checks
 * the lease itself before each step (assertHeld); a lease that lapsed after its last step doesn't undo
 * what was done: the result is returned and a `lapsed-after-work` event says so.
 */
export async function withFlowsLock<Result>(nifi: NifiClient, parentGroupId: string, operation: string, options: LockOptions, work: (lock: HeldLock) => Promise<Result>): Promise<Result> {
  const lock = await acquireFlowsLock(nifi, parentGroupId, operation, options);
  try {
    const result = await work(lock);
    const lapsed = lock.lostReason();
    if (lapsed) options.onEvent?.({ type: 'lapsed-after-work', lock: lock.info, reason: lapsed });
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
  if (!(ttlMs >= minLockTtlMs && ttlMs <= maxLockTtlMs)) {
    throw new DataplatError({ code: 'FLOWS_INVALID_OPTIONS', message: `The lock TTL must be between ${minLockTtlMs / 1000} s and ${maxLockTtlMs / 60_000} min, not ${ttlMs} ms.` });
  }
  if (!(timeoutMs >= 0)) throw new DataplatError({ code: 'FLOWS_INVALID_OPTIONS', message: `The lock timeout must be 0 or more, not ${timeoutMs} ms.` });
  const parentId = (await nifi.processGroups.get(parentGroupId)).id!;
  const name = lockName(parentId);
  const now = new Date().toISOString();
  const lease: LockInfo = { lockId: randomUUID(), parentGroupId: parentId, holder: currentHolder(operation, options.env), since: now, renewedAt: now, ttlSeconds: ttlMs / 1000 };
  const started = performance.now();
  let observed: { key: string; at: number } | undefined;
  let previous: LockInfo | undefined;
  // When the first create that may have made our lease without us hearing back was sent: a lease found
  // with our lock id is counted from there (it can't be older).
  let unansweredSince: number | undefined;
  let unexplainedRefusals = 0;
  let misses = 0;
  const warnedOf = new Set<string>();
  const pollMs = (leaseTtlMs: number) => Math.min(options.pollIntervalMs ?? 1000, ttlMs / 4, leaseTtlMs / 4) + Math.random() * 250;
  /** After a claim in place that didn't win: within the timeout, a pause before the next round (never a spin). */
  const pauseAfterLostClaim = async (claimed: LockInfo) => {
    const waitedMs = performance.now() - started;
    // Out of time: name whoever holds it now (the winner of the claim), not the lease that was up for grabs.
    if (waitedMs >= timeoutMs) throw lockedError((await findLease(nifi, name).catch(() => undefined))?.lease ?? claimed, timeoutMs);
    await sleep(Math.max(50, Math.min(pollMs(ttlMs), timeoutMs - waitedMs)), options.signal);
  };
  for (;;) {
    options.signal?.throwIfAborted();
    const sentAt = performance.now();
    const attempt = await createLease(nifi, name, lease);
    if ('created' in attempt) {
      options.onEvent?.(previous ? { type: 'taken-over', lock: lease, previous } : { type: 'acquired', lock: lease });
      return holdLease(nifi, attempt.created, lease, ttlMs, sentAt, options);
    }
    if ('unanswered' in attempt) unansweredSince ??= sentAt;
    // Never repeated blindly: whoever made it, the lease (if any) is read back first.
    const current = await findLease(nifi, name);
    if (current?.lease.lockId === lease.lockId) {
      options.onEvent?.(previous ? { type: 'taken-over', lock: lease, previous } : { type: 'acquired', lock: lease });
      return holdLease(nifi, current.entity, lease, ttlMs, unansweredSince ?? sentAt, options);
    }
    if (!current) {
      // Released in between (try again at once, the first time), our create lost on the way (try again),
      // or a 409 that isn't a lease at all (a clustered NiFi refusing writes while a node connects).
      if ('refused' in attempt && ++unexplainedRefusals >= unexplainedRefusalsAllowed) throw refusedError(name, attempt.refused);
      if (misses++ === 0) continue;
      const waitedMs = performance.now() - started;
      if (waitedMs >= timeoutMs) throw 'refused' in attempt ? refusedError(name, attempt.refused) : attempt.unanswered;
      await sleep(Math.max(50, Math.min(pollMs(ttlMs), timeoutMs - waitedMs)), options.signal);
      continue;
    }
    unexplainedRefusals = 0;
    misses = 0;
    if (current.lease.releasedAt) {
      // Released by its holder, kept by NiFi (no deletes while a cluster node is out): free, claimed in place.
      const claimSentAt = performance.now();
      const claim = await claimAt(nifi, current.entity.id, current.entity.revision.version, lease);
      if ('claimed' in claim) {
        options.onEvent?.({ type: 'acquired', lock: lease });
        return holdLease(nifi, claim.claimed, lease, ttlMs, claimSentAt, options);
      }
      // Someone else's claim won, or ours went unanswered (the next round reads back whose lease it is).
      if ('unanswered' in claim) unansweredSince ??= claimSentAt;
      await pauseAfterLostClaim(current.lease);
      continue;
    }
    const key = `${current.entity.id}@${current.entity.revision.version}`;
    const at = performance.now();
    if (observed?.key !== key) observed = { key, at };
    const leaseTtlMs = current.lease.ttlSeconds * 1000;
    const takeoverInMs = leaseTtlMs - (at - observed.at);
    if (takeoverInMs <= 0) {
      // Unrenewed for its whole TTL: delete exactly the revision we watched (a renewal in between wins), then
      // create ours. A cluster with a node out deletes nothing: the lease is then claimed in place, as exactly.
      const claimSentAt = performance.now();
      const deleted = await deleteAt(nifi, current.entity.id, current.entity.revision.version, lease.lockId).catch((error: unknown) => {
        if (isNodeDisconnected(error)) return 'kept' as const;
        throw error;
      });
      if (deleted === 'kept') {
        const claim = await claimAt(nifi, current.entity.id, current.entity.revision.version, lease);
        if ('claimed' in claim) {
          options.onEvent?.({ type: 'taken-over', lock: lease, previous: current.lease });
          return holdLease(nifi, claim.claimed, lease, ttlMs, claimSentAt, options);
        }
        if ('unanswered' in claim) unansweredSince ??= claimSentAt;
        previous = current.lease;
        await pauseAfterLostClaim(current.lease);
      } else if (deleted) previous = current.lease;
      continue;
    }
    const waitedMs = at - started;
    if (waitedMs >= timeoutMs) throw lockedError(current.lease, timeoutMs);
    if (timeoutMs > 0 && timeoutMs < leaseTtlMs && !warnedOf.has(current.lease.lockId)) {
      warnedOf.add(current.lease.lockId);
      options.onEvent?.({ type: 'timeout-below-ttl', lock: current.lease, timeoutMs });
    }
    options.onEvent?.({ type: 'waiting', lock: current.lease, takeoverInMs, waitedMs });
    await sleep(Math.max(50, Math.min(pollMs(leaseTtlMs), takeoverInMs, timeoutMs - waitedMs)), options.signal);
  }
}

/** The leases held under every parent group (or one), for `flows unlock` and tests. */
export async function listFlowsLocks(nifi: NifiClient): Promise<Array<LockInfo & { contextId: string }>> {
  const contexts = await nifi.parameterContexts.list();
  return contexts.flatMap((context) => {
    const component = readableComponent(context);
    if (!component?.name?.startsWith(lockNamePrefix)) return [];
    const lease = parseLease(component.description);
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
    const found = contexts.find((context) => readableComponent(context)?.name?.startsWith(lockNamePrefix) && parseLease(readableComponent(context)?.description)?.lockId === lockId);
    if (!found) break;
    const lease = parseLease(readableComponent(found)?.description)!;
    if (await deleteAt(nifi, found.id, found.revision.version, `dataplat-unlock-${randomUUID()}`)) return lease;
    // Renewed in between (a new revision, same lease): read again and delete that.
  }
  const held = (await listFlowsLocks(nifi)).filter((lock) => !lock.releasedAt);
  throw new FlowsLockError({
    code: 'FLOWS_LOCK_NOT_FOUND',
    message: `No apply lock with id ${lockId}: it was released, taken over or is renewed faster than it can be removed.`,
    hint: held.length > 0 ? `Locks held now: ${held.map((lock) => `${lock.lockId} on ${lock.parentGroupId} by ${describeHolder(lock.holder)}`).join('; ')}.` : 'No apply lock is held now.',
    lock: undefined,
  });
}

// ---- the lease in NiFi ------------------------------------------------------------------------------

function renderLease(lease: LockInfo): string {
  const { lockId, parentGroupId, holder, since, renewedAt, ttlSeconds, releasedAt } = lease;
  return `${leaseLine}\n${JSON.stringify({ formatVersion: 1, lockId, parentGroupId, holder, since, renewedAt, ttlSeconds, ...(releasedAt ? { releasedAt } : {}) })}`;
}

function parseLease(description: string | undefined): LockInfo | undefined {
  const lines = (description ?? '').split('\n');
  if (lines[0] !== leaseLine || lines.length < 2) return undefined;
  try {
    const parsed = JSON.parse(lines[1]!) as LockInfo & { formatVersion: number };
    if (parsed.formatVersion !== 1 || typeof parsed.lockId !== 'string' || typeof parsed.ttlSeconds !== 'number' || typeof parsed.holder?.user !== 'string') return undefined;
    const { lockId, parentGroupId, holder, since, renewedAt, ttlSeconds, releasedAt } = parsed;
    return { lockId, parentGroupId, holder, since, renewedAt, ttlSeconds, ...(typeof releasedAt === 'string' ? { releasedAt } : {}) };
  } catch {
    return undefined;
  }
}

const statusOf = (error: unknown) => (HttpError.isInstance(error) ? error.status : undefined);

/** A context's component, or undefined when NiFi left it out (this user may not read that context). */
function readableComponent(context: ParameterContextEntity): ParameterContextEntity['component'] | undefined {
  return (context as { component?: ParameterContextEntity['component'] }).component;
}

type CreateAttempt = { created: ParameterContextEntity } | { refused: unknown } | { unanswered: unknown };

/**
 * The exclusive step: NiFi creates a context of a given name once; everyone else gets 409. A create
 * whose answer was lost (timeout, reset) may or may not have made the lease: the caller reads it back.
 */
async function createLease(nifi: NifiClient, name: string, lease: LockInfo): Promise<CreateAttempt> {
  try {
    const created = (await nifi.api.post('/parameter-contexts', {
      body: { revision: { version: 0, clientId: lease.lockId }, ...acknowledgement(nifi), component: { name, description: renderLease(lease), parameters: [], inheritedParameterContexts: [] } },
    })) as ParameterContextEntity;
    return { created };
  } catch (error) {
    if (statusOf(error) === 409) return { refused: error };
    if (isTransientError(error)) return { unanswered: error };
    throw error;
  }
}

async function findLease(nifi: NifiClient, name: string): Promise<{ entity: ParameterContextEntity; lease: LockInfo } | undefined> {
  // Contexts this user may not read come without their component: they can't be the lease we look for.
  const entity = (await nifi.parameterContexts.list()).find((context) => readableComponent(context)?.name === name);
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

/**
 * The lock's requests go through the raw API, which sends only what it is given: a client made to acknowledge
 * disconnected nodes (an acknowledged apply or destroy) must say so here too, or the node it talks to, if itself
 * disconnected, refuses the lease.
 */
function acknowledgement(nifi: NifiClient): { disconnectedNodeAcknowledged?: true } {
  return nifi.acknowledgesDisconnectedNodes ? { disconnectedNodeAcknowledged: true } : {};
}

/** NiFi refused a delete because a cluster node is not connected (it deletes nothing then, anywhere). */
function isNodeDisconnected(error: unknown): boolean {
  return HttpError.isInstance(error) && error.code === 'NIFI_NODE_DISCONNECTED';
}

/** Writes `lease` into the lock context at exactly `version` (NiFi refuses a stale one); the context as written. */
async function putLease(nifi: NifiClient, contextId: string, version: number, lease: LockInfo, request: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ParameterContextEntity> {
  return (await nifi.api.put('/parameter-contexts/{id}', {
    path: { id: contextId },
    body: { id: contextId, revision: { version, clientId: lease.lockId }, ...acknowledgement(nifi), component: { id: contextId, name: lockName(lease.parentGroupId), description: renderLease(lease), parameters: [], inheritedParameterContexts: [] } },
    ...request,
    // Never repeated after a timeout: whether it landed is read back, never guessed.
    idempotent: false,
  })) as ParameterContextEntity;
}

type ClaimAttempt = { claimed: ParameterContextEntity } | { movedOn: true } | { unanswered: unknown };

/**
 * Puts `lease` into the context at exactly `version` (a compare-and-swap): claimed when this write won; moved on
 * when NiFi holds a newer revision or no context; unanswered when it may or may not have landed (read it back).
 */
async function claimAt(nifi: NifiClient, contextId: string, version: number, lease: LockInfo): Promise<ClaimAttempt> {
  try {
    return { claimed: await putLease(nifi, contextId, version, lease) };
  } catch (error) {
    if (statusOf(error) === 404 || (HttpError.isInstance(error) && error.code === 'NIFI_STALE_REVISION')) return { movedOn: true };
    if (isTransientError(error)) return { unanswered: error };
    throw error;
  }
}

/** DELETE at exactly `version`: true when it was deleted, false when it changed or is gone. */
async function deleteAt(nifi: NifiClient, id: string, version: number, clientId: string): Promise<boolean> {
  try {
    await nifi.api.delete('/parameter-contexts/{id}', { path: { id }, query: { version, clientId, ...acknowledgement(nifi) } });
    return true;
  } catch (error) {
    // NiFi deletes no component while a cluster node is disconnected: the callers claim or mark the lease in place instead.
    if (isNodeDisconnected(error)) throw error;
    const status = statusOf(error);
    if (status === 400 || status === 404 || status === 409) return false;
    throw error;
  }
}

function lockedError(lease: LockInfo, timeoutMs: number): FlowsLockError {
  const ttlMs = lease.ttlSeconds * 1000;
  const takeover =
    timeoutMs > ttlMs
      ? `it was renewed all along, so its holder is alive`
      : `a lease its holder stopped renewing is taken over only by a waiter that has watched it unchanged for its TTL (${lease.ttlSeconds} s): run with --lock-timeout longer than that to let this command do it`;
  return new FlowsLockError({
    code: 'FLOWS_LOCKED',
    message: `Process group ${lease.parentGroupId} is locked by ${describeHolder(lease.holder)} since ${lease.since} (last renewed ${lease.renewedAt}; lock id ${lease.lockId}); waited ${Math.round(timeoutMs / 1000)} s.`,
    hint: `Wait for it to finish and run again, or wait longer with --lock-timeout (${takeover}). Only if that process is gone: flows unlock --force ${lease.lockId}.`,
    lock: lease,
  });
}

function refusedError(name: string, cause: unknown): FlowsLockError {
  return new FlowsLockError({
    code: 'FLOWS_LOCK_REFUSED',
    message: `NiFi refused to create the apply lock "${name}" (409: ${(cause as Error).message}) ${unexplainedRefusalsAllowed} times, and no lock context of that name can be read.`,
    hint: 'A clustered NiFi refuses changes while a node connects or disconnects: wait until the cluster is connected and run again. If a parameter context of that name exists that this user may not read, grant read access to it (or delete it).',
    lock: undefined,
    cause,
  });
}

/**
 * The holder's side. Renewals are compare-and-swap PUTs, one at a time (a tick is skipped while one is in
 * flight), each given a third of the TTL and never repeated. The lease is counted from when the last
 * write NiFi confirmed was *sent* — a waiter can't have started watching that revision earlier — and
 * treated as lost a margin before a waiter could take it over. Release doesn't wait for a stuck renewal.
 */
function holdLease(nifi: NifiClient, created: ParameterContextEntity, lease: LockInfo, ttlMs: number, sentAt: number, options: LockOptions): HeldLock {
  const { renewEveryMs, renewalTimeoutMs, marginMs, tickMs } = leaseTiming(ttlMs);
  const contextId = created.id;
  let version = created.revision.version;
  let confirmedSentAt = sentAt;
  let lastSentAt = sentAt;
  let lastFailure: string | undefined;
  let lost: string | undefined;
  let inFlight: { settled: Promise<void>; abort: AbortController } | undefined;
  let releasing: Promise<void> | undefined;
  const loseLease = (reason: string) => {
    if (lost || releasing) return;
    lost = reason;
    options.onEvent?.({ type: 'lost', lock: lease, reason });
  };
  const lapsed = () => performance.now() - confirmedSentAt > ttlMs - marginMs;
  const checkLapse = () => {
    if (!lost && lapsed()) loseLease(`not renewed within its TTL of ${ttlMs / 1000} s${lastFailure ? ` (${lastFailure})` : ''}`);
  };
  /** After a refused write: is the lease still ours (our own write may have landed without an answer)? */
  const rereadOwn = async (): Promise<boolean> => {
    try {
      const current = await nifi.parameterContexts.get(contextId);
      if (parseLease(readableComponent(current)?.description)?.lockId !== lease.lockId) return false;
      version = current.revision.version;
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  };
  const renew = async (abort: AbortController) => {
    const renewalSentAt = performance.now();
    lastSentAt = renewalSentAt;
    const renewed: LockInfo = { ...lease, renewedAt: new Date().toISOString() };
    try {
      // A late answer is worthless: the next tick sends a fresh renewal.
      const answer = await putLease(nifi, contextId, version, renewed, { timeoutMs: renewalTimeoutMs, signal: abort.signal });
      version = answer.revision.version;
      confirmedSentAt = Math.max(confirmedSentAt, renewalSentAt);
      lastFailure = undefined;
    } catch (error) {
      if (releasing) return;
      const status = statusOf(error);
      if (status === 404) return loseLease('the lock was removed (flows unlock --force) or taken over');
      if (status === 400 || status === 409) {
        // Still ours: only the revision is learned; the lease is extended by the next confirmed renewal.
        const own = await rereadOwn().catch(() => undefined);
        if (own === false) return loseLease('another process holds the lock now');
      }
      lastFailure = (error as Error).message;
      checkLapse();
    }
  };
  const tick = () => {
    if (releasing || lost) return;
    checkLapse();
    if (lost || inFlight) return;
    if (!lastFailure && performance.now() - lastSentAt < renewEveryMs) return;
    const abort = new AbortController();
    const settled = renew(abort).finally(() => (inFlight = undefined));
    inFlight = { settled, abort };
  };
  const timer = setInterval(tick, tickMs);
  timer.unref();
  const releaseNow = async () => {
    clearInterval(timer);
    try {
      if (inFlight) {
        // A renewal about to land tells us the newest revision; a stuck one is abandoned (a revision it
        // makes later is deleted below: NiFi takes our own stale revision, or we read it again).
        const { settled, abort } = inFlight;
        await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, releaseWaitsForRenewalMs).unref())]);
        abort.abort();
      }
      for (let attempt = 0; attempt < 3; attempt++) {
        const deleted = await deleteAt(nifi, contextId, version, lease.lockId).catch((error: unknown) => {
          if (isNodeDisconnected(error)) return 'kept' as const;
          throw error;
        });
        // NiFi deletes nothing while a cluster node is out: the lease is marked released instead, free at once.
        const released = deleted === 'kept' ? 'claimed' in (await claimAt(nifi, contextId, version, { ...lease, releasedAt: new Date().toISOString() })) : deleted;
        if (released) {
          options.onEvent?.({ type: 'released', lock: lease });
          return;
        }
        if (!(await rereadOwn())) return; // removed or taken over: nothing of ours left
      }
      options.onEvent?.({ type: 'release-failed', lock: lease, reason: 'it kept changing' });
    } catch (error) {
      options.onEvent?.({ type: 'release-failed', lock: lease, reason: (error as Error).message });
    } finally {
      unregister();
    }
  };
  // Every caller (the work's end, a signal handler) gets the one release in progress.
  const release = () => (releasing ??= releaseNow());
  const unregister = registerHeldLock(release);
  return {
    info: lease,
    lostReason() {
      checkLapse();
      return lost;
    },
    assertHeld() {
      checkLapse();
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
