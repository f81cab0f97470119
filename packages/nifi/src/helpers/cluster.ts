// Production NiFi is a cluster: which nodes there are, which is primary and coordinator, and taking a node out
// (disconnect → offload → remove) or back in (connect), each waiting until NiFi really got there (its calls return at once).
import { HttpError, pollUntil } from '@dataplat/core';
import { callOptions, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { calledNodeOf, NifiError } from '../client/nifi-errors.ts';

/** NiFi's node states (NodeConnectionState). */
export type NodeStatus = 'CONNECTING' | 'CONNECTED' | 'DISCONNECTING' | 'DISCONNECTED' | 'OFFLOADING' | 'OFFLOADED' | 'REMOVED';

export interface ClusterNode {
  nodeId: string;
  address: string;
  apiPort: number;
  /** `address:apiPort`, how errors and reports name the node. */
  name: string;
  status: NodeStatus;
  /** NiFi's role names, e.g. "Primary Node", "Cluster Coordinator". */
  roles: string[];
  isPrimary: boolean;
  isCoordinator: boolean;
  /** The last heartbeat the coordinator received (NiFi's own text, e.g. "11/30/2026 12:01:02 UTC"), if any. */
  heartbeat: string | undefined;
  /** When the node's NiFi started (NiFi's text), if known. */
  nodeStartTime: string | undefined;
  activeThreadCount: number;
  flowFilesQueued: number;
  bytesQueued: number;
  /** The node's recent connection events, newest first, as NiFi lists them. */
  events: Array<{ timestamp: string | undefined; category: string | undefined; message: string | undefined }>;
}

export interface ClusterSummary {
  /** False for a standalone NiFi (every other field then says nothing). */
  clustered: boolean;
  /** Whether the node this client calls is connected to its cluster. */
  connectedToCluster: boolean;
  connectedNodeCount: number;
  totalNodeCount: number;
}

export interface NodeWaitOptions extends CallOptions {
  /** How long to wait for the node to reach the state (or to be gone). Default 2 minutes. */
  waitTimeoutMs?: number | undefined;
}

const primaryRole = 'Primary Node';
const coordinatorRole = 'Cluster Coordinator';

export function toClusterNode(node: NifiSchemas['NodeDTO']): ClusterNode {
  const roles = node.roles ?? [];
  const address = node.address ?? 'unknown';
  const apiPort = node.apiPort ?? 0;
  return {
    nodeId: node.nodeId ?? '',
    address,
    apiPort,
    name: `${address}:${apiPort}`,
    status: (node.status ?? 'DISCONNECTED') as NodeStatus,
    roles,
    isPrimary: roles.includes(primaryRole),
    isCoordinator: roles.includes(coordinatorRole),
    heartbeat: node.heartbeat,
    nodeStartTime: node.nodeStartTime,
    activeThreadCount: node.activeThreadCount ?? 0,
    flowFilesQueued: node.flowFilesQueued ?? 0,
    bytesQueued: node.bytesQueued ?? 0,
    events: (node.events ?? []).map((event) => ({ timestamp: event.timestamp, category: event.category, message: event.message })),
  };
}

/** Whether this NiFi is clustered and the called node connected, with node counts. Works on a standalone NiFi too. */
export async function getClusterSummary(context: NifiContext, options?: CallOptions): Promise<ClusterSummary> {
  const answer = await context.api.get('/flow/cluster/summary', callOptions(options));
  const summary = answer.clusterSummary ?? {};
  return {
    clustered: summary.clustered === true,
    connectedToCluster: summary.connectedToCluster === true,
    connectedNodeCount: summary.connectedNodeCount ?? 0,
    totalNodeCount: summary.totalNodeCount ?? 0,
  };
}

/**
 * Every node of the cluster as the coordinator sees it. A standalone NiFi throws NIFI_NOT_CLUSTERED (a typed
 * answer rather than an empty list: "no nodes" would read as "all down"); a node that is itself disconnected
 * can't answer for the cluster and throws NIFI_NODE_DISCONNECTED naming it (ask a connected node).
 */
export async function listClusterNodes(context: NifiContext, options?: CallOptions): Promise<ClusterNode[]> {
  try {
    const answer = await context.api.get('/controller/cluster', callOptions(options));
    return (answer.cluster?.nodes ?? []).map(toClusterNode).sort((left, right) => left.name.localeCompare(right.name, 'en', { numeric: true }));
  } catch (error) {
    // NiFi answers 404 on a standalone NiFi and on a disconnected node alike: the summary tells them apart.
    if (HttpError.isInstance(error) && error.status === 404) {
      const summary = await getClusterSummary(context, options);
      if (!summary.clustered) throw notClustered(context, error);
      if (!summary.connectedToCluster) {
        const calledNode = calledNodeOf(context.transport.baseUrl);
        throw new NifiError({
          code: 'NIFI_NODE_DISCONNECTED',
          message: `NiFi node ${calledNode} is disconnected from its cluster and can't answer for it.`,
          hint: 'Ask a connected node (any of them serves the cluster), or reconnect this one from a connected node (cluster.connect).',
          nodes: [calledNode],
          cause: error,
        });
      }
    }
    throw error;
  }
}

function notClustered(context: NifiContext, cause?: unknown): NifiError {
  return new NifiError({
    code: 'NIFI_NOT_CLUSTERED',
    message: `NiFi at ${context.transport.baseUrl} is a standalone instance, not a cluster: it has no nodes to list or manage.`,
    hint: 'Point the client at a node of a NiFi cluster; cluster.summary() answers on a standalone NiFi too ({ clustered: false }).',
    cause,
  });
}

/**
 * One node by id, from the cluster's list (NiFi 2.3.0 answers GET /controller/cluster/nodes/{id} of a removed
 * node with a bare 500): NIFI_UNKNOWN_COMPONENT naming the nodes there are when the cluster has no such node.
 */
export async function getClusterNode(context: NifiContext, nodeId: string, options?: CallOptions): Promise<ClusterNode> {
  const nodes = await listClusterNodes(context, options);
  const node = nodes.find((candidate) => candidate.nodeId === nodeId);
  if (!node) throw unknownNode(nodeId, 'read', nodes);
  return node;
}

function unknownNode(nodeId: string, action: string, nodes: readonly ClusterNode[]): NifiError {
  return new NifiError({
    code: 'NIFI_UNKNOWN_COMPONENT',
    message: `The NiFi cluster has no node ${nodeId} to ${action} (a removed node is no longer listed).`,
    hint: `Its nodes: ${nodes.map((entry) => `${entry.name} (${entry.nodeId})`).join(', ')}.`,
  });
}

/** The node holding the given role, or undefined while none does (e.g. during an election). */
async function nodeWithRole(context: NifiContext, role: 'isPrimary' | 'isCoordinator', options?: CallOptions): Promise<ClusterNode | undefined> {
  return (await listClusterNodes(context, options)).find((node) => node[role]);
}

/** The primary node (runs primary-only processors), or undefined while none is elected. */
export function getPrimaryNode(context: NifiContext, options?: CallOptions): Promise<ClusterNode | undefined> {
  return nodeWithRole(context, 'isPrimary', options);
}

/** The cluster coordinator (answers for the cluster, replicates changes), or undefined while none is elected. */
export function getCoordinatorNode(context: NifiContext, options?: CallOptions): Promise<ClusterNode | undefined> {
  return nodeWithRole(context, 'isCoordinator', options);
}

/** Asks NiFi for a node's transition (DISCONNECTING, CONNECTING or OFFLOADING): the only statuses its PUT acts on. */
async function requestTransition(context: NifiContext, nodeId: string, status: 'DISCONNECTING' | 'CONNECTING' | 'OFFLOADING', options?: CallOptions): Promise<void> {
  await context.api.put('/controller/cluster/nodes/{id}', { ...callOptions(options), path: { id: nodeId }, body: { node: { nodeId, status } } });
}

/** Waits until `read` reports the node in `wanted` (or gone, when `wanted` is undefined). Transient failures are ridden out. */
async function waitForNode(context: NifiContext, nodeId: string, wanted: NodeStatus | undefined, label: string, options?: NodeWaitOptions): Promise<ClusterNode | undefined> {
  return pollUntil(
    async (signal) => {
      const nodes = await listClusterNodes(context, { timeoutMs: options?.timeoutMs, signal });
      const node = nodes.find((candidate) => candidate.nodeId === nodeId);
      if (wanted === undefined) return node === undefined ? { done: true, value: undefined } : { done: false, progress: `${node.name} still listed as ${node.status}` };
      if (node?.status === wanted) return { done: true, value: node };
      return { done: false, progress: node ? `${node.name} is ${node.status}` : 'the node is not listed' };
    },
    {
      description: `NiFi node ${label} to ${wanted === undefined ? 'leave the cluster' : `become ${wanted}`}`,
      timeoutMs: options?.waitTimeoutMs ?? 120_000,
      signal: options?.signal,
      initialIntervalMs: 250,
      maxIntervalMs: 2000,
      hint: 'Look at the node\'s events (cluster.nodes()[i].events) and its nifi-app.log.',
    },
  );
}

/** The node, refusing with NIFI_NODE_STATE (naming it and what to do) unless it is in one of `allowed`. */
async function nodeIn(context: NifiContext, nodeId: string, allowed: readonly NodeStatus[], action: string, hint: string, options?: CallOptions): Promise<{ node: ClusterNode; nodes: ClusterNode[] }> {
  const nodes = await listClusterNodes(context, options);
  const node = nodes.find((candidate) => candidate.nodeId === nodeId);
  if (!node) throw unknownNode(nodeId, action, nodes);
  if (!allowed.includes(node.status)) {
    throw new NifiError({ code: 'NIFI_NODE_STATE', message: `Cannot ${action} NiFi node ${node.name} (${nodeId}): it is ${node.status}; nothing was changed.`, hint, nodes: [node.name] });
  }
  return { node, nodes };
}

/**
 * Disconnects a node and waits until it is DISCONNECTED (it keeps running its flow on its own, data stays on it).
 * Already disconnected or offloaded: returns it as it is. The last connected node is refused (NIFI_NODE_STATE).
 */
export async function disconnectNode(context: NifiContext, nodeId: string, options?: NodeWaitOptions): Promise<ClusterNode> {
  const { node, nodes } = await nodeIn(
    context,
    nodeId,
    ['CONNECTED', 'CONNECTING', 'DISCONNECTING', 'DISCONNECTED', 'OFFLOADED'],
    'disconnect',
    'Wait until the node is OFFLOADED (offloading moves its data away), then it is disconnected already.',
    options,
  );
  if (node.status === 'DISCONNECTED' || node.status === 'OFFLOADED') return node;
  const otherConnected = nodes.filter((candidate) => candidate.nodeId !== nodeId && candidate.status === 'CONNECTED');
  if (otherConnected.length === 0) {
    throw new NifiError({
      code: 'NIFI_NODE_STATE',
      message: `Cannot disconnect NiFi node ${node.name} (${nodeId}): it is the only node connected to the cluster; nothing was changed.`,
      hint: 'Connect another node first (cluster.connect), or stop the whole cluster instead.',
      nodes: [node.name],
    });
  }
  await requestTransition(context, nodeId, 'DISCONNECTING', options);
  return (await waitForNode(context, nodeId, 'DISCONNECTED', node.name, options))!;
}

/** Asks a disconnected (or offloaded) node to reconnect and waits until it is CONNECTED; a connected node is returned as it is. */
export async function connectNode(context: NifiContext, nodeId: string, options?: NodeWaitOptions): Promise<ClusterNode> {
  const { node } = await nodeIn(
    context,
    nodeId,
    ['CONNECTED', 'CONNECTING', 'DISCONNECTED', 'OFFLOADED', 'DISCONNECTING'],
    'connect',
    'Wait until the node is OFFLOADED, then connect it.',
    options,
  );
  if (node.status === 'CONNECTED') return node;
  if (node.status !== 'CONNECTING') await requestTransition(context, nodeId, 'CONNECTING', options);
  return (await waitForNode(context, nodeId, 'CONNECTED', node.name, options))!;
}

/**
 * Offloads a DISCONNECTED node: NiFi moves its queued flowfiles to the connected nodes and stops its
 * components; waits until OFFLOADED. A connected node is refused (NIFI_NODE_STATE: disconnect it first).
 */
export async function offloadNode(context: NifiContext, nodeId: string, options?: NodeWaitOptions): Promise<ClusterNode> {
  const { node } = await nodeIn(
    context,
    nodeId,
    ['DISCONNECTED', 'OFFLOADING', 'OFFLOADED'],
    'offload',
    'NiFi offloads only a disconnected node: disconnect it first (cluster.disconnect), then offload it.',
    options,
  );
  if (node.status === 'OFFLOADED') return node;
  if (node.status === 'DISCONNECTED') await requestTransition(context, nodeId, 'OFFLOADING', options);
  return (await waitForNode(context, nodeId, 'OFFLOADED', node.name, options))!;
}

/**
 * Removes a DISCONNECTED or OFFLOADED node from the cluster (DELETE) and waits until it is no longer listed.
 * Its NiFi keeps running outside the cluster; it rejoins when restarted. A connected node is refused
 * (NIFI_NODE_STATE: disconnect, ideally offload, first — NiFi's decommissioning order).
 */
export async function removeNode(context: NifiContext, nodeId: string, options?: NodeWaitOptions): Promise<void> {
  const { node } = await nodeIn(
    context,
    nodeId,
    ['DISCONNECTED', 'OFFLOADED'],
    'remove',
    'NiFi removes only a disconnected or offloaded node: disconnect it (cluster.disconnect), offload its data (cluster.offload), then remove it.',
    options,
  );
  try {
    await context.api.delete('/controller/cluster/nodes/{id}', { ...callOptions(options), path: { id: nodeId } });
  } catch (error) {
    // A repeated DELETE whose first attempt NiFi carried out (its answer lost): the node is gone, as asked.
    if (!(HttpError.isInstance(error) && error.status === 404)) throw error;
  }
  await waitForNode(context, nodeId, undefined, node.name, options);
}
