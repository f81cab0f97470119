// @dataplat/nifi against the real NiFi through the fault proxy (resets, stalls, 502/503 bursts, black
// holes, latency): idempotent calls complete, POSTs are never replayed blindly (read back: no duplicate
// groups or processors), a run once triggers its source once, and a wait ends by its deadline naming the
// last error. Setup and read-backs go straight to NiFi; only the operations under test cross the proxy.
import { FaultTally, mixedFaults, startFaultProxy, type FaultProxy } from '@dataplat/stack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PollingError } from '@dataplat/core';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';

const endpoints = inject('stackEndpoints');
const apiUrl = new URL(endpoints.nifi!.apiUrl);
const requestTimeoutMs = 2000;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;


let direct: NifiClient;
let faulty: NifiClient;
let proxy: FaultProxy;
let parentGroupId: string;
const tally = new FaultTally();

beforeAll(async () => {
  direct = createNifiClient({ baseUrl: apiUrl.toString() });
  proxy = await startFaultProxy({ target: apiUrl.origin, seed: 15, stallMs: requestTimeoutMs + 1500 });
  faulty = createNifiClient({
    baseUrl: `${proxy.url}${apiUrl.pathname}`,
    timeoutMs: requestTimeoutMs,
    retry: { retries: 4, initialDelayMs: 50, maxDelayMs: 400 },
    onRetry: tally.countRetry,
  });
  parentGroupId = (await direct.processGroups.create('root', { name: unique('faults') })).id;
});

afterAll(async () => {
  console.log(tally.report('NiFi (CRUD, run once, waits)', [proxy]));
  await faulty?.close();
  await proxy?.close();
  if (parentGroupId) await direct.processGroups.delete(parentGroupId, { waitTimeoutMs: 60_000 });
  await direct?.close();
  expect(tally.duplicates).toBe(0);
  expect(tally.hangs).toBe(0);
}, 120_000);

describe('@dataplat/nifi through injected faults', () => {
  it('creates, reads, updates and deletes without ever duplicating a group or a processor', async () => {
    proxy.setRules(mixedFaults());
    const rounds = 8;
    const names = Array.from({ length: rounds }, (_, index) => unique(`crud${index}`));
    const createdGroups: Array<{ name: string; id: string }> = [];
    for (const name of names) {
      const created = await tally.run(requestTimeoutMs * 2, () => faulty.processGroups.create(parentGroupId, { name }));
      if (!created.ok) continue; // a POST that failed is not sent again: the read-back below counts what NiFi made
      createdGroups.push({ name, id: created.value.id });
      const updated = await tally.run(requestTimeoutMs * 6, () => faulty.processGroups.update(created.value.id, { comments: `round of ${name}` }));
      expect(updated.ok).toBe(true); // a PUT with this client's revision is safe to repeat
      const processor = await tally.run(requestTimeoutMs * 2, () => faulty.processors.create(created.value.id, { name: `${name}-p`, type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } }));
      const read = await tally.run(requestTimeoutMs * 6, () => faulty.processGroups.get(created.value.id));
      expect(read.ok).toBe(true);
      if (read.ok) expect(read.value.component?.comments).toBe(`round of ${name}`);
      const processors = (await direct.processGroups.tree(created.value.id)).contents.processors.filter((entity) => entity.component.name === `${name}-p`);
      tally.countCopies(processors.length);
      // A create that succeeded made exactly one; one that failed made none or one (NiFi acted before the reset), never two.
      if (processor.ok) expect(processors.map((entity) => entity.id)).toEqual([processor.value.id]);
      else expect(processors.length).toBeLessThanOrEqual(1);
    }
    // Half of the groups are deleted through the faults: a delete, repeated or not, completes.
    for (const group of createdGroups.filter((_, index) => index % 2 === 0)) {
      const deleted = await tally.run(60_000, () => faulty.processGroups.delete(group.id, { waitTimeoutMs: 30_000 }));
      expect(deleted.ok).toBe(true);
    }
    proxy.setRules([]);

    const children = (await direct.processGroups.tree(parentGroupId)).contents.processGroups;
    for (const name of names) {
      const copies = children.filter((child) => child.component.name === name).length;
      tally.countCopies(copies);
      expect(copies).toBeLessThanOrEqual(1);
    }
    const deletedIds = new Set(createdGroups.filter((_, index) => index % 2 === 0).map((group) => group.id));
    expect(children.filter((child) => deletedIds.has(child.id))).toEqual([]);
    expect(Object.values(proxy.faults).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  });

  it('runs a process group once through faults on every read and run-state change, triggering its source once', async () => {
    const group = await direct.processGroups.create(parentGroupId, { name: unique('run-once') });
    const generate = await direct.processors.create(group.id, {
      name: 'generate',
      type: 'GenerateFlowFile',
      config: { properties: { 'File Size': '10B', 'Batch Size': '5' }, schedulingPeriod: '1 min' },
    });
    const tag = await direct.processors.create(group.id, { name: 'tag', type: 'UpdateAttribute', config: { autoTerminatedRelationships: ['success'] } });
    await direct.connections.create(group.id, {
      source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: tag.id, groupId: group.id, type: 'PROCESSOR' },
      selectedRelationships: ['success'],
    });
    // Run once sends no POST; every GET and PUT may be hit, the RUN_ONCE PUT included (read back, not replayed).
    // The first RUN_ONCE is stalled past the request timeout and delivered late, after the client read the
    // processor back and sent it again: NiFi must apply only one of the two.
    const runStatus = ({ method, path }: { method: string; path: string }) => method === 'PUT' && path.endsWith('/run-status');
    // The processor's read-back after the stalled send gets no fault of its own, so it reliably comes before the
    // late delivery (1.5 s after the client's timeout) and the resend path is the one taken: a faulted read-back
    // could land after it, see the send applied and rightly not resend, which left this test to chance.
    const readBack = ({ method, path }: { method: string; path: string }) => method === 'GET' && /\/processors\/[^/]+$/.test(path);
    const mixed = mixedFaults(1.5).map((rule) => ({ ...rule, match: (request: { method: string; path: string }) => !readBack(request) }));
    proxy.setRules([{ kind: 'stall', match: runStatus, limit: 1 }, ...mixed]);
    const run = await tally.run(120_000, () => faulty.processGroups.runOnce(group.id, { waitTimeoutMs: 90_000, settleMs: 1000 }));
    proxy.setRules([]);
    if (!run.ok) throw run.error;
    expect(proxy.requests.filter((request) => runStatus(request)).length).toBeGreaterThanOrEqual(2);
    const triggers = run.value.processors.find((processor) => processor.name === 'generate')!;
    tally.countCopies(triggers.tasks);
    expect(triggers).toMatchObject({ tasks: 1, flowFilesOut: 5 });
    expect(run.value.processors.find((processor) => processor.name === 'tag')).toMatchObject({ flowFilesIn: 5 });
    expect((await direct.processGroups.status(group.id)).flowFilesQueued).toBe(0);
  });

  it('ends a wait by its own deadline, naming the last error, when NiFi stops answering', async () => {
    const group = await direct.processGroups.create(parentGroupId, { name: unique('silent') });
    // Status reads are answered 503 or never; the 2-s request timeout fires inside an 8-s wait.
    proxy.setRules([
      { kind: 'status-503', match: ({ path }) => path.includes('/status'), probability: 0.5 },
      { kind: 'black-hole', match: ({ path }) => path.includes('/status') },
    ]);
    const startedAt = Date.now();
    const waited = await tally.run(8000, () => faulty.processGroups.waitUntilIdle(group.id, { waitTimeoutMs: 8000, settleMs: 0 }));
    proxy.setRules([]);
    expect(waited.ok).toBe(false);
    if (waited.ok) return;
    expect(PollingError.isInstance(waited.error)).toBe(true);
    expect(waited.error).toMatchObject({ code: 'TIMEOUT', cause: { code: expect.stringMatching(/^(UNAVAILABLE|TIMEOUT)$/) } });
    expect((waited.error as Error).message).toMatch(/waiting for process group .* to become idle \(.*last error: NiFi GET .*\/status/);
    // It used its whole deadline (rather than ending at the first failed read) and no more than it plus a grace.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(8000);
    expect(tally.hangs).toBe(0);
  });
});
