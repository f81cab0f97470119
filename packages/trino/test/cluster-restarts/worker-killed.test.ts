// The Trino cluster's only worker SIGKILLed while two queries stream their rows, one spooled and one direct: each
// ends with a TrinoQueryError within a bound (never a hang, never a short result taken as complete); then the
// worker alone is restarted (the coordinator keeps running) and queries run on it again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { createTrinoClient, TrinoQueryError, type TrinoClient } from '@dataplat/trino';
import { getStackStatus, killStackService, startStack, type TrinoClusterEndpoint } from '@dataplat/stack';
import { useTestCluster } from '../../../stack/test/cluster-stack.ts';
import { testStackOptions } from '../../../stack/test/global-setup.ts';
import { readToEnd, untilAllStreaming } from '../query-to-end.ts';

const lineitemRows = 6_001_215;
/**
 * How long the coordinator may take to fail a query whose worker died: it gives up once its requests to the worker
 * (result pages, task status) have failed for 10 s (exchange.max-error-duration and
 * query.remote-task.max-error-duration in trino-cluster-config.ts; measured: 8.9 s), then the client's next page
 * request brings the error. 30 s leaves room for a loaded 2-core machine and stays far below Trino's default of a
 * minute, so the test fails if the setting is lost.
 */
const errorBoundSeconds = 30;

let endpoint: TrinoClusterEndpoint;
let trino: TrinoClient;

beforeAll(async () => {
  endpoint = (await useTestCluster()).endpoints.trinoCluster;
  trino = createTrinoClient({ server: endpoint.url, user: endpoint.user });
}, 1_200_000);

afterAll(async () => {
  await trino?.close();
  // Whatever failed above, leave the cluster whole (the worker restarted alone when it is missing).
  await startStack({ ...testStackOptions, profile: 'cluster', services: ['trino-cluster'] });
}, 1_200_000);

const stream = (encoding: false | undefined) => readToEnd(trino, 'SELECT * FROM tpch.sf1.lineitem', encoding);

async function processPids(): Promise<Record<string, number | undefined>> {
  // The statuses of what trino-cluster depends on (PostgreSQL, S3) come along: pick the cluster's own.
  const status = (await getStackStatus({ ...testStackOptions, services: ['trino-cluster'] })).find((entry) => entry.service === 'trino-cluster');
  return Object.fromEntries(status!.processes.map((entry) => [entry.name, entry.alive ? entry.pid : undefined]));
}

describe("the Trino cluster's worker killed during queries", () => {
  it('ends a spooled and a direct query with a TrinoQueryError in bounded time, and runs queries again once the worker alone is restarted', async () => {
    const pidsBefore = await processPids();
    // 6M rows each: far more than can arrive before the kill.
    const queries = [
      { mode: 'spooled (default)', ...stream(undefined) },
      { mode: 'direct', ...stream(false) },
    ];
    await untilAllStreaming(queries);
    expect(await killStackService('trino-cluster', { ...testStackOptions, processes: ['worker'] })).toEqual(['worker']);
    const killedAt = performance.now();
    await Promise.all(queries.map((query) => query.done));
    for (const { mode, state } of queries) {
      const secondsToError = (state.endedAt - killedAt) / 1000;
      const failure = state.failure as TrinoQueryError | undefined;
      console.log(`[cluster-restart] Trino worker killed during a ${mode} query: ${state.rows} rows read, then ${failure?.code} ${failure?.errorName ?? ''} after ${secondsToError.toFixed(1)} s`);
      // Not a short result: the loop ended by a TrinoQueryError, soon after the worker died.
      expect(state.completed, mode).toBe(false);
      expect(TrinoQueryError.isInstance(state.failure), `${mode}: ${String(state.failure)}`).toBe(true);
      expect(state.rows).toBeLessThan(lineitemRows);
      expect(secondsToError).toBeLessThan(errorBoundSeconds);
    }

    const restartedAt = performance.now();
    const stack = await startStack({ ...testStackOptions, profile: 'cluster', services: ['trino-cluster'] });
    const timing = stack.timings.find((entry) => entry.service === 'trino-cluster')!;
    expect(timing).toMatchObject({ reused: false, startedProcesses: ['worker'] });
    expect(timing.nodes?.map((node) => node.node)).toEqual(['worker']);
    console.log(`[cluster-restart] Trino worker restarted alone → active after ${(timing.nodes![0]!.startToReadyMs / 1000).toFixed(1)} s, a query ran ${(timing.startToReadyMs / 1000).toFixed(1)} s after the start (startStack ${((performance.now() - restartedAt) / 1000).toFixed(1)} s)`);
    const pidsAfter = await processPids();
    expect(pidsAfter['coordinator']).toBe(pidsBefore['coordinator']);
    expect(pidsAfter['worker']).toBeDefined();
    expect(pidsAfter['worker']).not.toBe(pidsBefore['worker']);

    // Ready means the coordinator listed the new worker active 5 s in a row (the stack's readiness: once in CI a worker
    // listed once was dropped again right after, its failure detector still judging the killed process with the same
    // node id and address) and a query ran. Checked again here and reported: the time it still took after startStack.
    const activeWorker = "SELECT node_id FROM system.runtime.nodes WHERE coordinator = false AND state = 'active'";
    const settledAt = performance.now();
    const workers = await pollUntil(
      async () => {
        const listed = await trino.query<{ node_id: string }>(activeWorker).all();
        return listed.length > 0 ? { done: true, value: listed } : { done: false, progress: 'no active worker listed' };
      },
      { description: 'the coordinator lists the restarted worker active', timeoutMs: 120_000, initialIntervalMs: 500, maxIntervalMs: 2000 },
    );
    console.log(`[cluster-restart] the coordinator listed the worker active ${((performance.now() - settledAt) / 1000).toFixed(1)} s after startStack returned`);
    expect(workers).toEqual([{ node_id: endpoint.workers[0]!.nodeId }]);
    expect(await trino.query('SELECT count(*) AS rows FROM tpch.tiny.lineitem').first()).toEqual({ rows: 60175n });
  });
});
