// For the flows tests of Airflow triggers against the real NiFi: a flow that receives batches over HTTP
// (headers `batch` and `sensor` become attributes) and fires the given triggers, posting to it, and
// reading a trigger group's parked flowfiles.
import { createServer } from 'node:net';
import { pollUntil } from '@dataplat/core';
import type { NifiClient } from '@dataplat/nifi';
import { defineFlow, type Flow, type FlowInput } from '@dataplat/flows';

/** A TCP port nothing listens on right now (for ListenHTTP). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** ListenHTTP on `port` (base path /batches) with the triggers; Airflow's password from `passwordVariable`. */
export function batchesFlow(name: string, port: number, airflow: { url: string; username: string; passwordVariable: string }, triggers: FlowInput['triggers']): Flow {
  return defineFlow({
    name,
    parameters: {
      airflow_url: { value: airflow.url },
      airflow_username: { value: airflow.username },
      airflow_password: { fromEnv: airflow.passwordVariable, sensitive: true },
    },
    processors: {
      receive: {
        type: 'ListenHTTP',
        properties: { 'Listening Port': String(port), 'Base Path': 'batches', 'HTTP Headers to receive as Attributes (Regex)': 'batch|sensor' },
        autoTerminate: ['success'],
      },
    },
    triggers,
  });
}

/** POSTs to the flow's ListenHTTP with these headers, retrying until it listens (a moment after it starts). */
export async function postBatch(port: number, headers: Record<string, string>, body = '{}'): Promise<void> {
  await pollUntil(
    async () => {
      const response = await fetch(`http://127.0.0.1:${port}/batches`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body }).catch(() => undefined);
      return response?.ok ? { done: true, value: undefined } : { done: false };
    },
    { timeoutMs: 30_000, initialIntervalMs: 250, description: `ListenHTTP on port ${port}` },
  );
}

/** The id of the child group `trigger: <name>` of a flow's group. */
export async function triggerGroupId(nifi: NifiClient, flowGroupId: string, trigger: string): Promise<string> {
  const flow = await nifi.processGroups.flow(flowGroupId);
  return flow.contents.processGroups.find((group) => group.component?.name === `trigger: ${trigger}`)!.id;
}

/** Flowfiles parked in a trigger group's "failed" funnel. */
export async function parkedIn(nifi: NifiClient, triggerGroup: string): Promise<number> {
  const flow = await nifi.processGroups.flow(triggerGroup);
  return flow.contents.connections
    .filter((connection) => connection.component?.destination?.type === 'FUNNEL')
    .reduce((total, connection) => total + (connection.status?.aggregateSnapshot?.flowFilesQueued ?? 0), 0);
}
