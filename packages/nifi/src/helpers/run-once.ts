// Run a process group as a batch: trigger its sources once (or for a bounded time), let everything
// downstream process what they produced, wait until the group has drained, stop it, and report.
// NiFi has no such operation; this is what Airflow-style orchestration of NiFi needs. On a cluster the figures
// are the cluster's totals, per node on request, and a node that drops out during the run is named.
import { sleep } from '@dataplat/core';
import { acknowledgement, callOptions, type AcknowledgeOption, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { NifiError } from '../client/nifi-errors.ts';
import { getClusterSummary, listClusterNodes, type ClusterNode } from './cluster.ts';
import { flattenTree, getGroupTree, type GroupTree } from './process-group-flow.ts';
import { enableControllerServices, setProcessorRunState, stopProcessGroup, waitForNoActiveThreads } from './scheduling.ts';
import { nodeSnapshotsOf, readGroupStatus, waitUntilIdle } from './status.ts';
import { assertRunnable } from './validation.ts';

export interface RunOnceOptions extends CallOptions, AcknowledgeOption {
  /** `once` (default): each source runs exactly one time (RUN_ONCE). `{ forMs }`: sources run for that long. */
  mode?: 'once' | { forMs: number } | undefined;
  /** Names of the processors to trigger; default: every processor without incoming connections. */
  sources?: string[] | undefined;
  /** Ids of the processors to trigger, instead of `sources`; may be empty (nothing is triggered, queued data drains). */
  sourceIds?: string[] | undefined;
  /** Ids of processors that stay stopped for the run (neither triggered nor started with the rest), e.g. listeners. */
  keepStopped?: string[] | undefined;
  /** Deadline for the group to drain. Default 10 minutes. */
  waitTimeoutMs?: number | undefined;
  /** How long the group must stay idle to count as drained. Default 2 s. */
  settleMs?: number | undefined;
  /** Also report each cluster node's own figures (`nodes`); on a standalone NiFi `nodes` is empty. */
  perNode?: boolean | undefined;
}

export interface ProcessorRunReport {
  id: string;
  name: string;
  flowFilesIn: number;
  flowFilesOut: number;
  bytesRead: number;
  bytesWritten: number;
  tasks: number;
}

/** What one cluster node did during a run (with `perNode`). */
export interface NodeRunReport {
  nodeId: string;
  address: string;
  apiPort: number;
  /** `address:apiPort`. */
  name: string;
  flowFilesIn: number;
  bytesIn: number;
  flowFilesOut: number;
  bytesOut: number;
  processors: ProcessorRunReport[];
  /**
   * The node was connected when the run started and was not at its end (killed, disconnected): its figures
   * stop where NiFi last saw them (zero when it never reported after the start), and its share of the data may
   * still sit on it. Also listed in the report's `lostNodes`.
   */
  lost: boolean;
}

export interface RunOnceReport {
  groupId: string;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  /** Names of the processors that were triggered. */
  sources: string[];
  /** Flowfiles the sources emitted plus those entering through the group's input ports. */
  flowFilesIn: number;
  bytesIn: number;
  /** Flowfiles that left the group: through output ports or sent to external systems. */
  flowFilesOut: number;
  bytesOut: number;
  processors: ProcessorRunReport[];
  /** Bulletins (warnings and errors) raised inside the group during the run. */
  bulletins: NifiSchemas['BulletinDTO'][];
  /**
   * NiFi counts over a rolling 5-minute window; runs longer than that under-report the counters
   * (the run itself still drained). True when the run came close to that limit.
   */
  countsMayBeIncomplete: boolean;
  /**
   * Cluster nodes (address:port) connected when the run started and not connected at its end: the totals miss
   * their share. Empty on a standalone NiFi and when every node stayed.
   */
  lostNodes: string[];
  /** With `perNode`: each node's own figures, lost nodes included (sorted by name). */
  nodes?: NodeRunReport[] | undefined;
}

const statusWindowMs = 5 * 60_000;

export async function runProcessGroupOnce(context: NifiContext, groupId: string, options: RunOnceOptions = {}): Promise<RunOnceReport> {
  const call = callOptions(options);
  const tree = await getGroupTree(context, groupId, options);
  const groups = flattenTree(tree);
  const processors = groups.flatMap((group) => group.contents.processors);
  const sources = pickSources(tree, options.sources, options.sourceIds);
  const sourceIds = new Set(sources.map((source) => source.id));

  const running = sources.filter((source) => source.component.state === 'RUNNING');
  if (running.length > 0) {
    throw new NifiError({
      code: 'NIFI_CONFLICT',
      message: `Sources of process group ${groupId} are already running (${running.map((source) => source.component.name).join(', ')}); a run-once needs them stopped.`,
      hint: 'Stop the group first (stopProcessGroup), then run it once.',
    });
  }

  const write = { ...call, ...acknowledgement(context, options) };
  await enableControllerServices(context, groupId, { ...write, waitTimeoutMs: options.waitTimeoutMs });
  // A component NiFi won't run would hold the data until the deadline: refuse now, naming it and why.
  await assertRunnable(context, groupId, `run process group ${groupId} once`, { ...call, skipIds: options.keepStopped, servicesJustEnabled: true });
  const nodesAtStart = await connectedNodes(context, call);
  // On a cluster always per node: the totals are summed over the nodes connected from start to end, since the
  // cluster's own aggregate at the start counts a node that may be gone at the end (and the other way round).
  const clustered = nodesAtStart.length > 0;
  const before = await readCounters(context, groupId, options.perNode === true || clustered, call);
  const lastBulletinId = await latestBulletinId(context, call);
  const startedAt = new Date();

  // Everything but the sources runs, so it processes whatever the sources emit.
  const downstream: Record<string, { version: number; clientId: string }> = {};
  for (const group of groups) {
    for (const component of [...group.contents.processors, ...group.contents.inputPorts, ...group.contents.outputPorts]) {
      if (sourceIds.has(component.id) || component.component.state === 'DISABLED' || options.keepStopped?.includes(component.id)) continue;
      downstream[component.id] = { version: component.revision.version, clientId: context.clientId };
    }
  }
  try {
    if (Object.keys(downstream).length > 0) {
      await context.api.put('/flow/process-groups/{id}', { ...call, path: { id: groupId }, body: { id: groupId, state: 'RUNNING', components: downstream, ...acknowledgement(context, options) } });
    }
    const mode = options.mode ?? 'once';
    if (mode === 'once') {
      for (const source of sources) await setProcessorRunState(context, source.id, 'RUN_ONCE', write);
    } else {
      for (const source of sources) await setProcessorRunState(context, source.id, 'RUNNING', write);
      await sleep(mode.forMs, options.signal);
      for (const source of sources) await setProcessorRunState(context, source.id, 'STOPPED', write);
    }
    await waitUntilIdle(context, groupId, { ...call, waitTimeoutMs: options.waitTimeoutMs ?? 600_000, settleMs: options.settleMs ?? 2000 });
  } catch (error) {
    await stopProcessGroup(context, groupId, { timeoutMs: options.timeoutMs, ...acknowledgement(context, options) }).catch(() => undefined);
    // A node that dropped out is the likeliest reason on a cluster: name it.
    const lost = [...new Set([...(await lostSince(context, nodesAtStart, { timeoutMs: options.timeoutMs }).catch(() => [])), ...nodesNamedBy(error)])];
    throw new NifiError({
      code: 'NIFI_RUN_FAILED',
      message: `Running process group ${groupId} once did not complete${lost.length ? ` (cluster node(s) lost during the run: ${lost.join(', ')})` : ''}: ${(error as Error).message}`,
      hint: lost.length
        ? 'The group was stopped. Bring the lost node(s) back (restart, or cluster.connect) — their share of the data is still on them — and run again.'
        : 'The group was stopped; look at its queues and bulletins to see where data is stuck.',
      nodes: lost.length ? lost : undefined,
      cause: error,
    });
  }
  await stopProcessGroup(context, groupId, { ...write, waitTimeoutMs: options.waitTimeoutMs });
  await waitForNoActiveThreads(context, groupId, call);
  const finishedAt = new Date();

  const after = await readCounters(context, groupId, options.perNode === true || clustered, call);
  const lostNodes = await lostSince(context, nodesAtStart, call);
  const groupIds = new Set(groups.map((group) => group.id));
  const bulletins = await bulletinsSince(context, lastBulletinId, groupIds, call);
  const durationMs = finishedAt.getTime() - startedAt.getTime();
  const nodes = options.perNode
    ? [...before.nodes.entries()].map(([nodeId, start]): NodeRunReport => {
        const end = after.nodes.get(nodeId);
        const lost = end === undefined || lostNodes.includes(start.name);
        return {
          nodeId,
          address: start.address,
          apiPort: start.apiPort,
          name: start.name,
          ...runFigures(start.counters, end?.counters ?? start.counters, processors, sources),
          lost,
        };
      })
    : undefined;
  return {
    groupId,
    startedAt,
    finishedAt,
    durationMs,
    sources: sources.map((source) => source.component.name ?? source.id),
    ...(clustered
      ? sumRunFigures(
          [...before.nodes.entries()].flatMap(([nodeId, start]) => {
            const end = after.nodes.get(nodeId);
            return end && !lostNodes.includes(start.name) ? [runFigures(start.counters, end.counters, processors, sources)] : [];
          }),
        )
      : runFigures(before.aggregate, after.aggregate, processors, sources)),
    bulletins,
    countsMayBeIncomplete: durationMs > statusWindowMs * 0.9,
    lostNodes,
    ...(nodes ? { nodes } : {}),
  };
}

type Processor = GroupTree['contents']['processors'][number];

/** In, out and per-processor deltas between two readings of the same counters (the cluster's, or one node's). */
function runFigures(before: Counters, after: Counters, processors: readonly Processor[], sources: readonly Processor[]) {
  const processorReports = processors
    .map((processor) => {
      const start = before.processors.get(processor.id);
      const end = after.processors.get(processor.id);
      return {
        id: processor.id,
        name: processor.component.name ?? processor.id,
        flowFilesIn: delta(start?.flowFilesIn, end?.flowFilesIn),
        flowFilesOut: delta(start?.flowFilesOut, end?.flowFilesOut),
        bytesRead: delta(start?.bytesRead, end?.bytesRead),
        bytesWritten: delta(start?.bytesWritten, end?.bytesWritten),
        tasks: delta(start?.taskCount, end?.taskCount),
      };
    })
    .sort((left, right) => left.name.localeCompare(right.name) || left.id.localeCompare(right.id));
  const sourceIds = new Set(sources.map((source) => source.id));
  const sourceOutput = processorReports.filter((report) => sourceIds.has(report.id));
  const sourceBytes = sources.map((source) => delta(before.processors.get(source.id)?.bytesOut, after.processors.get(source.id)?.bytesOut));
  return {
    flowFilesIn: sum(sourceOutput.map((report) => report.flowFilesOut)) + delta(before.group.flowFilesIn, after.group.flowFilesIn),
    bytesIn: sum(sourceBytes) + delta(before.group.bytesIn, after.group.bytesIn),
    flowFilesOut: delta(before.group.flowFilesOut, after.group.flowFilesOut) + delta(before.group.flowFilesSent, after.group.flowFilesSent),
    bytesOut: delta(before.group.bytesOut, after.group.bytesOut) + delta(before.group.bytesSent, after.group.bytesSent),
    processors: processorReports,
  };
}

/** Several nodes' figures of one run as one: in and out added up, each processor's figures added up. */
function sumRunFigures(figures: ReadonlyArray<ReturnType<typeof runFigures>>): ReturnType<typeof runFigures> {
  const processors = new Map<string, ProcessorRunReport>();
  for (const report of figures.flatMap((figure) => figure.processors)) {
    const total = processors.get(report.id);
    processors.set(
      report.id,
      total
        ? { ...total, flowFilesIn: total.flowFilesIn + report.flowFilesIn, flowFilesOut: total.flowFilesOut + report.flowFilesOut, bytesRead: total.bytesRead + report.bytesRead, bytesWritten: total.bytesWritten + report.bytesWritten, tasks: total.tasks + report.tasks }
        : { ...report },
    );
  }
  return {
    flowFilesIn: sum(figures.map((figure) => figure.flowFilesIn)),
    bytesIn: sum(figures.map((figure) => figure.bytesIn)),
    flowFilesOut: sum(figures.map((figure) => figure.flowFilesOut)),
    bytesOut: sum(figures.map((figure) => figure.bytesOut)),
    processors: [...processors.values()].sort((left, right) => left.name.localeCompare(right.name) || left.id.localeCompare(right.id)),
  };
}

/** The cluster's connected nodes when clustered (one summary read on a standalone NiFi, which has none). */
async function connectedNodes(context: NifiContext, call: CallOptions): Promise<ClusterNode[]> {
  if (!(await getClusterSummary(context, call)).clustered) return [];
  return (await listClusterNodes(context, call)).filter((node) => node.status === 'CONNECTED');
}

/** The nodes an error (or its causes) names: a cluster error's `nodes`, or a classified answer's `detail.nodes`. */
function nodesNamedBy(error: unknown): string[] {
  for (let current = error, depth = 0; current && depth < 5; depth++, current = (current as { cause?: unknown }).cause) {
    const named = (current as { nodes?: unknown }).nodes ?? ((current as { detail?: { nodes?: unknown } }).detail?.nodes as unknown);
    if (Array.isArray(named) && named.length > 0) return named.filter((node): node is string => typeof node === 'string');
  }
  return [];
}

/** Names of the nodes connected at the start that are not connected now. */
async function lostSince(context: NifiContext, atStart: readonly ClusterNode[], call: CallOptions): Promise<string[]> {
  if (atStart.length === 0) return [];
  const now = new Map((await listClusterNodes(context, call)).map((node) => [node.nodeId, node]));
  return atStart.filter((node) => now.get(node.nodeId)?.status !== 'CONNECTED').map((node) => node.name);
}

/** Processors with no incoming connection inside the group tree (or the named ones, or those with the given ids). */
function pickSources(tree: GroupTree, names: string[] | undefined, ids: string[] | undefined) {
  const groups = flattenTree(tree);
  const processors = groups.flatMap((group) => group.contents.processors);
  if (ids) {
    const missing = ids.filter((id) => !processors.some((processor) => processor.id === id));
    if (missing.length > 0) {
      throw new NifiError({ code: 'NIFI_UNKNOWN_COMPONENT', message: `Process group ${tree.id} has no processor(s) ${missing.join(', ')} to trigger.`, hint: 'Pass ids of processors inside the group.' });
    }
    return processors.filter((processor) => ids.includes(processor.id));
  }
  if (names) {
    return names.map((name) => {
      const matches = processors.filter((processor) => processor.component.name === name);
      if (matches.length !== 1) {
        throw new NifiError({
          code: 'NIFI_NOT_UNIQUE',
          message: `Source "${name}" matches ${matches.length} processors in process group ${tree.id}.`,
          hint: 'Name sources exactly and uniquely.',
        });
      }
      return matches[0]!;
    });
  }
  const destinations = new Set(groups.flatMap((group) => group.contents.connections.map((connection) => connection.component.destination?.id)));
  const sources = processors.filter((processor) => !destinations.has(processor.id) && processor.component.state !== 'DISABLED');
  if (sources.length === 0) {
    throw new NifiError({
      code: 'NIFI_CONFLICT',
      message: `Process group ${tree.id} has no source processor (every processor has an incoming connection).`,
      hint: 'Pass the processors to trigger as `sources`.',
    });
  }
  return sources;
}

type ProcessorSnapshot = NifiSchemas['ProcessorStatusSnapshotDTO'];
type GroupSnapshot = NifiSchemas['ProcessGroupStatusSnapshotDTO'];
interface Counters {
  group: GroupSnapshot;
  processors: Map<string, ProcessorSnapshot>;
}

/** The group's counters (recursive), the cluster's totals and, when `perNode`, each node's, keyed by node id. */
async function readCounters(context: NifiContext, groupId: string, perNode: boolean, call: CallOptions) {
  const status = await readGroupStatus(context, groupId, perNode, call);
  const nodes = new Map(nodeSnapshotsOf<GroupSnapshot>(status.nodeSnapshots).map((node) => [node.nodeId, { ...node, counters: countersOf(node.snapshot) }]));
  return { aggregate: countersOf(status.aggregateSnapshot ?? {}), nodes };
}

function countersOf(group: GroupSnapshot): Counters {
  const processors = new Map<string, ProcessorSnapshot>();
  const visit = (snapshot: GroupSnapshot | undefined) => {
    for (const entity of snapshot?.processorStatusSnapshots ?? []) {
      if (entity.processorStatusSnapshot?.id) processors.set(entity.processorStatusSnapshot.id, entity.processorStatusSnapshot);
    }
    for (const child of snapshot?.processGroupStatusSnapshots ?? []) visit(child.processGroupStatusSnapshot);
  };
  visit(group);
  return { group, processors };
}

async function latestBulletinId(context: NifiContext, call: CallOptions): Promise<number> {
  const answer = await context.api.get('/flow/bulletin-board', { ...call, query: { limit: 1000 } });
  return Math.max(0, ...(answer.bulletinBoard?.bulletins ?? []).map((bulletin) => bulletin.id ?? 0));
}

async function bulletinsSince(context: NifiContext, afterId: number, groupIds: Set<string>, call: CallOptions) {
  const answer = await context.api.get('/flow/bulletin-board', { ...call, query: { after: afterId, limit: 1000 } });
  return (answer.bulletinBoard?.bulletins ?? [])
    .filter((bulletin) => bulletin.groupId !== undefined && groupIds.has(bulletin.groupId) && bulletin.bulletin)
    .map((bulletin) => bulletin.bulletin!);
}

function delta(before: number | undefined, after: number | undefined): number {
  return Math.max(0, (after ?? 0) - (before ?? 0));
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
