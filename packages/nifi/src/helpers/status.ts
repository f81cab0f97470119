// Live counters of a group, a processor or a connection — aggregated across a cluster's nodes, or per node on
// request (NiFi's nodewise=true) — and what "idle" and "drained" are decided on.
import { pollUntil } from '@dataplat/core';
import { callOptions, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';

export type GroupStatusSnapshot = NifiSchemas['ProcessGroupStatusSnapshotDTO'] & { terminatedThreadCount?: number };
export type ProcessorStatusSnapshot = NifiSchemas['ProcessorStatusSnapshotDTO'];
export type ConnectionStatusSnapshot = NifiSchemas['ConnectionStatusSnapshotDTO'];

/** One node's share of a status: which node, and its own counters. */
export interface NodeStatusSnapshot<Snapshot> {
  nodeId: string;
  address: string;
  apiPort: number;
  /** `address:apiPort`. */
  name: string;
  snapshot: Snapshot;
}

/** A status as the cluster totals it, and each connected node's own figures (empty on a standalone NiFi). */
export interface PerNodeStatus<Snapshot> {
  aggregate: Snapshot;
  nodes: NodeStatusSnapshot<Snapshot>[];
}

/** NiFi's nodeSnapshots[] as NodeStatusSnapshot, sorted by node name. */
export function nodeSnapshotsOf<Snapshot>(
  nodeSnapshots: ReadonlyArray<{ nodeId?: string; address?: string; apiPort?: number; statusSnapshot?: Snapshot }> | undefined,
): NodeStatusSnapshot<Snapshot>[] {
  return (nodeSnapshots ?? [])
    .map((node) => ({
      nodeId: node.nodeId ?? '',
      address: node.address ?? 'unknown',
      apiPort: node.apiPort ?? 0,
      name: `${node.address ?? 'unknown'}:${node.apiPort ?? 0}`,
      snapshot: node.statusSnapshot ?? ({} as Snapshot),
    }))
    .sort((left, right) => left.name.localeCompare(right.name, 'en', { numeric: true }));
}

/** The status of a group including all descendants, aggregated across nodes (counters cover NiFi's last 5 minutes). */
export async function getGroupStatus(context: NifiContext, groupId: string, options?: CallOptions): Promise<GroupStatusSnapshot> {
  return (await readGroupStatus(context, groupId, false, options)).aggregateSnapshot ?? {};
}

/** The group's status (recursive) as the cluster totals it and per node. */
export async function getGroupStatusPerNode(context: NifiContext, groupId: string, options?: CallOptions): Promise<PerNodeStatus<GroupStatusSnapshot>> {
  const status = await readGroupStatus(context, groupId, true, options);
  return { aggregate: status.aggregateSnapshot ?? {}, nodes: nodeSnapshotsOf<GroupStatusSnapshot>(status.nodeSnapshots) };
}

export async function readGroupStatus(context: NifiContext, groupId: string, nodewise: boolean, options?: CallOptions): Promise<NifiSchemas['ProcessGroupStatusDTO']> {
  const answer = await context.api.get('/flow/process-groups/{id}/status', {
    ...callOptions(options),
    path: { id: groupId },
    query: { recursive: true, ...(nodewise ? { nodewise: true } : {}) },
  });
  return answer.processGroupStatus ?? {};
}

/** A processor's status as the cluster totals it and per node. */
export async function getProcessorStatusPerNode(context: NifiContext, processorId: string, options?: CallOptions): Promise<PerNodeStatus<ProcessorStatusSnapshot>> {
  const answer = await context.api.get('/flow/processors/{id}/status', { ...callOptions(options), path: { id: processorId }, query: { nodewise: true } });
  return { aggregate: answer.processorStatus?.aggregateSnapshot ?? {}, nodes: nodeSnapshotsOf<ProcessorStatusSnapshot>(answer.processorStatus?.nodeSnapshots) };
}

/** A connection's status (queued, in, out) as the cluster totals it and per node. */
export async function getConnectionStatusPerNode(context: NifiContext, connectionId: string, options?: CallOptions): Promise<PerNodeStatus<ConnectionStatusSnapshot>> {
  const answer = await context.api.get('/flow/connections/{id}/status', { ...callOptions(options), path: { id: connectionId }, query: { nodewise: true } });
  return { aggregate: answer.connectionStatus?.aggregateSnapshot ?? {}, nodes: nodeSnapshotsOf<ConnectionStatusSnapshot>(answer.connectionStatus?.nodeSnapshots) };
}

export interface IdleOptions extends CallOptions {
  /** Default 5 minutes. */
  waitTimeoutMs?: number | undefined;
  /** The group must stay idle this long before it counts as idle (catches flowfiles between two processors). Default 1 s. */
  settleMs?: number | undefined;
}

/**
 * Waits until nothing is queued and no thread is active in the group (recursively), for a settle window.
 * Transient failures of a status read (NiFi restarting, a stalled answer) are ridden out until the deadline.
 */
export async function waitUntilIdle(context: NifiContext, groupId: string, options: IdleOptions = {}): Promise<GroupStatusSnapshot> {
  const settleMs = options.settleMs ?? 1000;
  let idleSince: number | undefined;
  return pollUntil(
    async (signal) => {
      const snapshot = await getGroupStatus(context, groupId, { timeoutMs: options.timeoutMs, signal });
      const queued = snapshot.flowFilesQueued ?? 0;
      const threads = (snapshot.activeThreadCount ?? 0) + (snapshot.terminatedThreadCount ?? 0);
      if (queued > 0 || threads > 0) {
        idleSince = undefined;
        return { done: false, progress: `${queued} queued, ${threads} active thread(s)` };
      }
      idleSince ??= Date.now();
      return Date.now() - idleSince >= settleMs ? { done: true, value: snapshot } : { done: false, progress: 'idle, settling' };
    },
    {
      description: `process group ${groupId} to become idle`,
      timeoutMs: options.waitTimeoutMs ?? 300_000,
      signal: options.signal,
      initialIntervalMs: 200,
      maxIntervalMs: Math.max(250, Math.min(2000, settleMs / 2)),
      hint: 'Check for processors that are stuck or a queue whose destination is stopped.',
    },
  );
}
