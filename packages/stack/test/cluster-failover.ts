// For the tests that kill NiFi cluster nodes: the cluster as its nodes list it, how long until it reaches a state,
// the nodes' PIDs, and the restart of only the killed nodes (startStack starts just the missing ones).
import { getStackStatus, readNifiClusterState, startStack, type NifiClusterAssessment, type ServiceTiming } from '../src/index.ts';
import { testStackOptions } from './global-setup.ts';

export const clusterOptions = { ...testStackOptions, profile: 'cluster' as const };

/** The cluster as its nodes list it; undefined while no node answers (e.g. during a coordinator failover). */
export async function clusterState(): Promise<NifiClusterAssessment | undefined> {
  try {
    return await readNifiClusterState(testStackOptions);
  } catch {
    return undefined;
  }
}

/** Polls the cluster every 500 ms until `reached` holds; the milliseconds from `since` until it did. */
export async function millisecondsUntil(description: string, since: number, reached: (state: NifiClusterAssessment) => boolean, timeoutMs = 300_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const state = await clusterState();
    if (state && reached(state)) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`The NiFi cluster did not reach "${description}" within ${timeoutMs / 1000} s; last state: ${JSON.stringify(await clusterState())}`);
}

/** Each node's PID (node-1 …), undefined for a node that is not running. */
export async function nodePids(): Promise<Record<string, number | undefined>> {
  // The statuses of what nifi-cluster depends on (ZooKeeper) come along: pick the cluster's own.
  const status = (await getStackStatus({ ...testStackOptions, services: ['nifi-cluster'] })).find((entry) => entry.service === 'nifi-cluster');
  return Object.fromEntries(status!.processes.map((entry) => [entry.name, entry.alive ? entry.pid : undefined]));
}

/** Starts the killed nodes again, as an operator would; what startStack reports for nifi-cluster. */
export async function restartMissingNodes(): Promise<{ timing: ServiceTiming; seconds: number }> {
  const restartedAt = performance.now();
  const stack = await startStack({ ...clusterOptions, services: ['nifi-cluster'] });
  const timing = stack.timings.find((entry) => entry.service === 'nifi-cluster')!;
  return { timing, seconds: (performance.now() - restartedAt) / 1000 };
}

export const seconds = (milliseconds: number) => `${(milliseconds / 1000).toFixed(1)} s`;
