// @dataplat/airflow against the real Airflow through the fault proxy (resets, stalls, 502/503 bursts, black
// holes, latency): trigger-and-wait completes, a trigger without a run id and an asset event are never
// replayed blindly (read back: no duplicate DAG runs or events), and a wait ends by its deadline naming
// the last error. Setup and read-backs go straight to Airflow; only the operations under test cross the proxy.
import { FaultTally, mixedFaults, startFaultProxy, type FaultProxy } from '@dataplat/stack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PollingError } from '@dataplat/core';
import { createAirflowClient, type AirflowClient } from '@dataplat/airflow';

const endpoints = inject('stackEndpoints');
const airflowEndpoint = endpoints.airflow!;
const requestTimeoutMs = 3000;
const unique = (prefix: string) => `${prefix}__${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;


let direct: AirflowClient;
let faulty: AirflowClient;
let proxy: FaultProxy;
const tally = new FaultTally();

beforeAll(async () => {
  direct = createAirflowClient({ baseUrl: airflowEndpoint.url, auth: airflowEndpoint.admin });
  proxy = await startFaultProxy({ target: airflowEndpoint.url, seed: 15, stallMs: requestTimeoutMs + 1500 });
  faulty = createAirflowClient({
    baseUrl: proxy.url,
    auth: airflowEndpoint.admin,
    timeoutMs: requestTimeoutMs,
    retry: { retries: 4, initialDelayMs: 50, maxDelayMs: 500 },
    onRetry: tally.countRetry,
  });
  await direct.setDagPaused('dataplat_echo', false);
});

afterAll(async () => {
  console.log(tally.report('Airflow (trigger-and-wait, asset events, waits)', [proxy]));
  await faulty?.close();
  await proxy?.close();
  await direct?.close();
  expect(tally.duplicates).toBe(0);
  expect(tally.hangs).toBe(0);
});

/** Runs of dataplat_echo whose conf carries this marker. */
async function runsMarked(marker: string) {
  const runs = await direct.listAll('/api/v2/dags/{dag_id}/dagRuns', { path: { dag_id: 'dataplat_echo' }, query: { order_by: ['-run_after'] } });
  return runs.filter((run) => (run.conf as { marker?: string } | null | undefined)?.marker === marker);
}

describe('@dataplat/airflow through injected faults', () => {
  it('triggers and waits through faults: runs with a run id complete once, triggers without one are never replayed', async () => {
    proxy.setRules(mixedFaults());
    const runIds = [unique('faults'), unique('faults')];
    const waits = await Promise.all(
      runIds.map((runId) => tally.run(180_000, () => faulty.runDag('dataplat_echo', { runId, conf: { marker: runId }, waitTimeoutMs: 180_000, pollIntervalMs: 500, maxPollIntervalMs: 2000 }))),
    );
    for (const wait of waits) {
      if (!wait.ok) throw wait.error;
      expect(wait.value.state).toBe('success');
    }
    const markers = [unique('no-run-id'), unique('no-run-id'), unique('no-run-id')];
    // The POSTs of these are reset after Airflow acted, stalled, or refused: none may be sent twice.
    proxy.setRules([{ kind: 'reset-after-body', match: ({ method }) => method === 'POST', limit: 1 }, { kind: 'stall', match: ({ method }) => method === 'POST', limit: 1 }, ...mixedFaults()]);
    const triggers = [];
    for (const marker of markers) triggers.push(await tally.run(requestTimeoutMs * 4, () => faulty.triggerDagRun('dataplat_echo', { conf: { marker } })));
    proxy.setRules([]);
    expect(triggers.filter((trigger) => !trigger.ok).length).toBeGreaterThan(0);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, requestTimeoutMs + 2000)); // a stalled POST lands late
    for (const [index, marker] of markers.entries()) {
      const copies = (await runsMarked(marker)).length;
      tally.countCopies(copies);
      if (triggers[index]!.ok) expect(copies).toBe(1);
      else expect(copies).toBeLessThanOrEqual(1);
    }
    for (const runId of runIds) {
      const copies = (await runsMarked(runId)).length;
      tally.countCopies(copies);
      expect(copies).toBe(1);
    }
  }, 240_000);

  it('emits asset events through faults without ever recording one twice', async () => {
    const asset = await direct.resolveAsset({ uri: 'dataplat://examples/orders-landed' });
    proxy.setRules([{ kind: 'reset-after-body', match: ({ method }) => method === 'POST', limit: 1 }, ...mixedFaults()]);
    const batches = [unique('batch'), unique('batch'), unique('batch'), unique('batch')];
    const emitted = [];
    for (const batch of batches) emitted.push(await tally.run(requestTimeoutMs * 4, () => faulty.emitAssetEvent({ uri: 'dataplat://examples/orders-landed' }, { extra: { batch, rows: 1 } })));
    proxy.setRules([]);
    const recent = [];
    for await (const event of direct.assetEvents(asset)) {
      recent.push(event);
      if (recent.length === 50) break;
    }
    for (const [index, batch] of batches.entries()) {
      const copies = recent.filter((event) => (event.extra as { batch?: string } | null | undefined)?.batch === batch).length;
      tally.countCopies(copies);
      if (emitted[index]!.ok) expect(copies).toBe(1);
      else expect(copies).toBeLessThanOrEqual(1);
    }
    expect(emitted.filter((event) => !event.ok).length).toBeGreaterThan(0);
  });

  it('ends a wait by its own deadline, naming the last error, when the api-server stops answering', async () => {
    const runId = unique('silent');
    await direct.triggerDagRun('dataplat_echo', { runId, conf: { marker: runId } });
    proxy.setRules([
      { kind: 'status-503', match: ({ path }) => path.includes(runId), probability: 0.5 },
      { kind: 'black-hole', match: ({ path }) => path.includes(runId) },
    ]);
    const startedAt = Date.now();
    const waited = await tally.run(8000, () => faulty.waitForDagRun('dataplat_echo', runId, { waitTimeoutMs: 8000, pollIntervalMs: 200 }));
    proxy.setRules([]);
    expect(waited.ok).toBe(false);
    if (waited.ok) return;
    expect(PollingError.isInstance(waited.error)).toBe(true);
    expect(waited.error).toMatchObject({ code: 'TIMEOUT', cause: { code: expect.stringMatching(/^(UNAVAILABLE|TIMEOUT)$/) } });
    expect((waited.error as Error).message).toMatch(new RegExp(`waiting for run "${runId}" of DAG "dataplat_echo" to finish \\(.*last error: Airflow GET `));
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(8000);
  });
});
