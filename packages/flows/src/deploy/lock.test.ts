// The apply lock under conditions the real NiFi can't be made to produce on demand (a fake NiFi with
// NiFi's rules, lock-fake-nifi.ts): renewals that stall or answer late, a create whose answer is lost,
// 409s without a lock context, contexts this user may not read, a lease that lapses after the last step,
// a release while a renewal hangs. The happy paths run against the real NiFi in apply-lock.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { acquireFlowsLock, leaseTiming, listFlowsLocks, forceUnlock, lockName, withFlowsLock, type LockEvent } from './lock.ts';
import { startFakeLockNifi, type FakeLockNifi } from './lock-fake-nifi.ts';

let fake: FakeLockNifi;
let nifi: NifiClient;
const ttlMs = 3000;

beforeEach(async () => {
  fake = await startFakeLockNifi();
  nifi = createNifiClient({ baseUrl: fake.apiUrl, retry: { initialDelayMs: 1 } });
});

afterEach(async () => {
  await nifi.close();
  await fake.close();
});

const renewals = /^\/parameter-contexts\/[^/]+$/;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const putsSent = () => fake.requests.filter((request) => request.method === 'PUT');
const postsSent = () => fake.requests.filter((request) => request.method === 'POST');

/** Fails the test instead of hanging it when `promise` doesn't settle within `ms`. */
function within<Value>(ms: number, promise: Promise<Value>, what: string): Promise<Value> {
  return Promise.race([promise, delay(ms).then(() => Promise.reject(new Error(`${what} did not settle within ${ms} ms`)))]);
}

describe('the apply lock against a misbehaving NiFi', () => {
  it('stops believing in its lease before a waiter can take it over, when a renewal landed but its answer came late and later ones stall', async () => {
    const holder = await acquireFlowsLock(nifi, 'root', 'holder', { ttlMs });
    // The first renewal lands at once but is answered 0.9 s later; every renewal after it never comes back.
    fake.addRule({ method: 'PUT', path: renewals, behaviour: { kind: 'answer-late', ms: 900 }, times: 1 });
    fake.addRule({ method: 'PUT', path: renewals, behaviour: { kind: 'black-hole' } });
    // When the holder (checking before each of its steps, here every 10 ms) first found its lease lost.
    let lostAt: number | undefined;
    const watching = setInterval(() => {
      if (lostAt === undefined && holder.lostReason() !== undefined) lostAt = performance.now();
    }, 10);
    try {
      const waiter = await acquireFlowsLock(nifi, 'root', 'waiter', { ttlMs, timeoutMs: 15_000, pollIntervalMs: 100 });
      const takenOverAt = performance.now();
      // The holder had stopped (before its next step) before the waiter could take the lease.
      expect(lostAt).toBeDefined();
      expect(lostAt!).toBeLessThan(takenOverAt);
      expect(() => holder.assertHeld()).toThrow(expect.objectContaining({ code: 'FLOWS_LOCK_LOST' }));
      // Stalled renewals end at a third of the TTL and the next is sent, never one chained behind another.
      const stalled = putsSent().slice(1);
      expect(stalled.length).toBeGreaterThanOrEqual(2);
      expect(stalled[1]!.at - stalled[0]!.at).toBeLessThan(leaseTiming(ttlMs).renewalTimeoutMs + 500);
      await waiter.release();
    } finally {
      clearInterval(watching);
      await holder.release();
    }
  });

  it('holds the lease a lost create answer made (read back, never posted again), and creates it again when the lost create made nothing', async () => {
    fake.addRule({ method: 'POST', path: /^\/parameter-contexts$/, behaviour: { kind: 'act-then-reset' }, times: 1 });
    const held = await within(5000, acquireFlowsLock(nifi, 'root', 'lost answer', { ttlMs }), 'acquire after a lost answer');
    expect(postsSent()).toHaveLength(1);
    expect((await listFlowsLocks(nifi)).map((lock) => lock.lockId)).toEqual([held.info.lockId]);
    held.assertHeld();
    await held.release();
    expect(fake.contexts.size).toBe(0);

    fake.addRule({ method: 'POST', path: /^\/parameter-contexts$/, behaviour: { kind: 'reset' }, times: 1 });
    const again = await within(5000, acquireFlowsLock(nifi, 'root', 'reset create', { ttlMs }), 'acquire after a reset create');
    expect(postsSent()).toHaveLength(3);
    expect((await listFlowsLocks(nifi)).map((lock) => lock.lockId)).toEqual([again.info.lockId]);
    await again.release();
  });

  it('waits between 409s that no lock context explains and reports them as FLOWS_LOCK_REFUSED; a passing refusal is ridden out', async () => {
    const refusal = { kind: 'status', status: 409, message: 'Cannot replicate request to Node localhost:8443 because the node is not connected' } as const;
    fake.addRule({ method: 'POST', path: /^\/parameter-contexts$/, behaviour: refusal });
    const started = performance.now();
    const failure = await within(10_000, acquireFlowsLock(nifi, 'root', 'cluster', { ttlMs, timeoutMs: 30_000, pollIntervalMs: 200 }).catch((error: unknown) => error), 'acquire against a refusing cluster');
    expect(failure).toMatchObject({ code: 'FLOWS_LOCK_REFUSED' });
    expect((failure as Error).message).toContain('no lock context of that name can be read');
    // Three attempts of the lock's, each repeated by the client itself (3 retries): NiFi's answer says it replicated nothing.
    expect(postsSent()).toHaveLength(3 * 4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);

    fake.clearRules();
    fake.addRule({ method: 'POST', path: /^\/parameter-contexts$/, behaviour: refusal, times: 2 });
    const held = await within(10_000, acquireFlowsLock(nifi, 'root', 'cluster', { ttlMs, pollIntervalMs: 200 }), 'acquire after two refusals');
    expect(fake.contexts.size).toBe(1);
    await held.release();
  });

  it('skips parameter contexts this user may not read (NiFi lists them without their component)', async () => {
    fake.addContext('secret context', { unreadable: true });
    const held = await acquireFlowsLock(nifi, 'root', 'reader', { ttlMs });
    fake.addContext('another secret', { unreadable: true });
    expect((await listFlowsLocks(nifi)).map((lock) => lock.lockId)).toEqual([held.info.lockId]);
    // A second acquirer reads the contexts (the unreadable ones among them) to find who holds the lease.
    await expect(acquireFlowsLock(nifi, 'root', 'second', { ttlMs, timeoutMs: 0 })).rejects.toMatchObject({ code: 'FLOWS_LOCKED', details: { lock: { lockId: held.info.lockId } } });
    expect(await forceUnlock(nifi, held.info.lockId)).toMatchObject({ lockId: held.info.lockId });
    await held.release();
  });

  it('warns a waiter whose timeout is shorter than the TTL, and its FLOWS_LOCKED hint says how takeover really works', async () => {
    const holder = await acquireFlowsLock(nifi, 'root', 'holder', { ttlMs: 6000 });
    try {
      const events: LockEvent[] = [];
      const failure = await acquireFlowsLock(nifi, 'root', 'waiter', { ttlMs, timeoutMs: 1000, pollIntervalMs: 200, onEvent: (event) => events.push(event) }).catch((error: unknown) => error);
      expect(events.filter((event) => event.type === 'timeout-below-ttl')).toEqual([{ type: 'timeout-below-ttl', lock: expect.objectContaining({ lockId: holder.info.lockId }), timeoutMs: 1000 }]);
      expect(failure).toMatchObject({ code: 'FLOWS_LOCKED' });
      const hint = (failure as { hint: string }).hint;
      expect(hint).not.toContain('after its last renewal anyway');
      expect(hint).toContain('taken over only by a waiter that has watched it unchanged for its TTL (6 s)');
      expect(hint).toContain(`flows unlock --force ${holder.info.lockId}`);
    } finally {
      await holder.release();
    }
  });

  it('returns the work of a withFlowsLock whose lease lapsed after its last step, with a lapsed-after-work warning', async () => {
    const events: LockEvent[] = [];
    fake.addRule({ method: 'PUT', path: renewals, behaviour: { kind: 'black-hole' } });
    const result = await withFlowsLock(nifi, 'root', 'apply', { ttlMs, onEvent: (event) => events.push(event) }, async (lock) => {
      lock.assertHeld();
      // The last step outlasts the lease (renewals never answered).
      await delay(ttlMs);
      return 'applied';
    });
    expect(result).toBe('applied');
    expect(events.map((event) => event.type)).toContain('lapsed-after-work');
    expect(events.find((event) => event.type === 'lapsed-after-work')).toMatchObject({ reason: expect.stringContaining('not renewed within its TTL') });
  });

  it('releases at once while a renewal hangs, and a second release (the signal handler) waits for that same delete', async () => {
    const events: LockEvent[] = [];
    const held = await acquireFlowsLock(nifi, 'root', 'apply', { ttlMs, onEvent: (event) => events.push(event) });
    fake.addRule({ method: 'PUT', path: renewals, behaviour: { kind: 'black-hole' } });
    // Until the first renewal is on its way (a third of the TTL).
    while (putsSent().length === 0) await delay(20);
    const started = performance.now();
    const first = held.release();
    const second = held.release();
    await within(2000, Promise.all([first, second]), 'release during a hanging renewal');
    expect(performance.now() - started).toBeLessThan(1500);
    expect(fake.contexts.size).toBe(0);
    expect(events.map((event) => event.type)).toEqual(['acquired', 'released']);
  });

  it('deletes a lease whose late renewal made a newer revision than the one release knows', async () => {
    const held = await acquireFlowsLock(nifi, 'root', 'apply', { ttlMs });
    // The renewal lands at once, its answer comes after release stopped waiting for it.
    fake.addRule({ method: 'PUT', path: renewals, behaviour: { kind: 'answer-late', ms: 1500 }, times: 1 });
    while (putsSent().length === 0) await delay(20);
    const [context] = fake.contexts.values();
    // Someone else touched the context since (NiFi then refuses our stale revision even from our client id).
    context!.lastClientId = 'someone-else';
    await within(3000, held.release(), 'release with a stale revision');
    expect([...fake.contexts.values()].filter((entry) => entry.name === lockName(fake.rootId))).toEqual([]);
  });

  it('while a cluster node is out (NiFi deletes nothing), marks a released lease free and claims it (or a dead holder\'s) in place', async () => {
    const nodeOut = { kind: 'status', status: 409, message: 'Cannot delete component because the following Nodes are not connected: [127.0.0.1:18101]' } as const;
    fake.addRule({ method: 'DELETE', path: renewals, behaviour: nodeOut });
    const events: LockEvent[] = [];
    const first = await acquireFlowsLock(nifi, 'root', 'first', { ttlMs, onEvent: (event) => events.push(event) });
    await within(3000, first.release(), 'release while a node is out');
    expect(events.map((event) => event.type)).toEqual(['acquired', 'released']);
    const [context] = fake.contexts.values();
    expect(fake.contexts.size).toBe(1);
    expect(context!.description).toContain('"releasedAt"');
    expect((await listFlowsLocks(nifi))[0]).toMatchObject({ lockId: first.info.lockId, releasedAt: expect.any(String) });

    // The next acquirer doesn't wait for a TTL: the released lease is claimed in place (same context, new lease).
    const second = await within(2000, acquireFlowsLock(nifi, 'root', 'second', { ttlMs, timeoutMs: 0 }), 'acquire a released lease');
    expect([...fake.contexts.keys()]).toEqual([context!.id]);
    expect(await listFlowsLocks(nifi)).toEqual([expect.objectContaining({ lockId: second.info.lockId, contextId: context!.id })]);
    expect((await listFlowsLocks(nifi))[0]!.releasedAt).toBeUndefined();

    // Its holder dies (renewals never arrive): a waiter takes the lease over in place after watching it for the TTL.
    fake.addRule({ method: 'PUT', path: renewals, behaviour: { kind: 'black-hole' }, clientId: second.info.lockId });
    const waiterEvents: LockEvent[] = [];
    const third = await within(10_000, acquireFlowsLock(nifi, 'root', 'third', { ttlMs, timeoutMs: 8000, onEvent: (event) => waiterEvents.push(event) }), 'take over a dead holder');
    expect(waiterEvents.at(-1)).toMatchObject({ type: 'taken-over', previous: { lockId: second.info.lockId } });
    expect(await listFlowsLocks(nifi)).toEqual([expect.objectContaining({ lockId: third.info.lockId, contextId: context!.id })]);
    expect(second.lostReason()).toBeDefined();
    // The dead holder, back, releases: its stale revision can neither delete nor mark the new holder's lease.
    fake.clearRules();
    fake.addRule({ method: 'DELETE', path: renewals, behaviour: nodeOut });
    await within(3000, second.release(), 'release of a lease taken over');
    expect(await listFlowsLocks(nifi)).toEqual([expect.objectContaining({ lockId: third.info.lockId, contextId: context!.id })]);
    expect((await listFlowsLocks(nifi))[0]!.releasedAt).toBeUndefined();
    expect(third.lostReason()).toBeUndefined();

    // Two acquirers at once for a released lease: exactly one claims it, the other is told who holds it.
    await third.release();
    const racers = await Promise.allSettled([acquireFlowsLock(nifi, 'root', 'left', { ttlMs, timeoutMs: 0 }), acquireFlowsLock(nifi, 'root', 'right', { ttlMs, timeoutMs: 0 })]);
    const winners = racers.flatMap((racer) => (racer.status === 'fulfilled' ? [racer.value] : []));
    expect(winners).toHaveLength(1);
    expect(racers.find((racer) => racer.status === 'rejected')).toMatchObject({ reason: { code: 'FLOWS_LOCKED', details: { lock: { lockId: winners[0]!.info.lockId } } } });
    expect(await listFlowsLocks(nifi)).toEqual([expect.objectContaining({ lockId: winners[0]!.info.lockId })]);
    fake.clearRules();
    await winners[0]!.release();
    expect(fake.contexts.size).toBe(0);
  }, 20_000);

  it('refuses TTLs outside 3 s to 1 h', async () => {
    await expect(acquireFlowsLock(nifi, 'root', 'apply', { ttlMs: 1000 })).rejects.toMatchObject({ code: 'FLOWS_INVALID_OPTIONS' });
    await expect(acquireFlowsLock(nifi, 'root', 'apply', { ttlMs: 2 * 60 * 60_000 })).rejects.toMatchObject({ code: 'FLOWS_INVALID_OPTIONS' });
    expect(fake.contexts.size).toBe(0);
  });
});
