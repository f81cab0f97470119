// The cluster profile's NiFi: three NiFi 2.3.0 nodes (the same assembly as the single node) clustered through
// the stack's ZooKeeper over plain HTTP on loopback, started at a lower CPU priority; ready once all three are
// CONNECTED and a primary node and a cluster coordinator are elected.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { nifiClusterNodePorts, resolveStackConfig, type NifiClusterNodePorts, type StackConfig, type StackOptions, type StackPorts } from '../../config/stack-config.ts';
import { StackError } from '../../errors.ts';
import { loadOrCreateSecrets } from '../../install/persistent-secrets.ts';
import { writePrivateFile } from '../../install/private-files.ts';
import { httpProbe } from '../../readiness/http-probe.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import type { NodeReadiness } from '../../stack-events.ts';
import { startClusterNodeProcess } from '../cluster-process.ts';
import { logFile, pidFile, serviceDir, type RunningProcess, type ServiceContext, type StackService } from '../service.ts';
import { zookeeperConnectString } from '../zookeeper/zookeeper-config.ts';
import { nifiClusterNodeHeap, renderNifiClusterNode, type NifiClusterSecrets } from './nifi-cluster-config.ts';
import { nifiJvmArguments, renderLogback, type NifiInstanceLayout } from './nifi-config.ts';
import { installNifi } from './nifi-install.ts';
import { nifiJavaRequirement, removeDriversLink } from './nifi-service.ts';

/** A node as GET /nifi-api/controller/cluster lists it (NiFi's NodeDTO, the fields the stack reads). */
export interface NifiClusterNode {
  nodeId: string;
  address: string;
  apiPort: number;
  /** CONNECTING, CONNECTED, OFFLOADING, DISCONNECTING, OFFLOADED, DISCONNECTED or REMOVED. */
  status: string;
  /** "Primary Node", "Cluster Coordinator". */
  roles: string[];
  heartbeat?: string;
  nodeStartTime?: string;
}

/** What a cluster listing says about the stack's nodes. */
export interface NifiClusterAssessment {
  /** Every node listed, with the stack's name for it (node-1 …; undefined for a node on none of the stack's ports). */
  nodes: Array<NifiClusterNode & { name: string | undefined }>;
  /** The stack's node names (node-1 …) NiFi lists as CONNECTED. */
  connected: string[];
  /** The stack's name of the CONNECTED node holding the role. */
  primary: string | undefined;
  coordinator: string | undefined;
  /** Every stack node CONNECTED, nothing else listed, a primary and a coordinator elected. */
  complete: boolean;
}

/** Which of the stack's nodes (node-1 …) serves the API on this port; undefined for a port that is none of theirs. */
export function nifiClusterNodeName(ports: Pick<StackPorts, 'nifiClusterBase'>, apiPort: number): string | undefined {
  return nameAt(nifiClusterNodePorts(ports), apiPort);
}

function nameAt(nodes: readonly NifiClusterNodePorts[], apiPort: number): string | undefined {
  return nodes.find((node) => node.web === apiPort)?.node;
}

export function assessNifiCluster(listed: readonly NifiClusterNode[], nodes: readonly NifiClusterNodePorts[]): NifiClusterAssessment {
  const named = listed.map((entry) => ({ ...entry, name: nameAt(nodes, entry.apiPort) }));
  const withRole = (role: string) => named.find((entry) => entry.status === 'CONNECTED' && entry.roles.includes(role))?.name;
  const connected = named.flatMap((entry) => (entry.status === 'CONNECTED' ? [entry.name ?? `${entry.address}:${entry.apiPort}`] : []));
  const primary = withRole('Primary Node');
  const coordinator = withRole('Cluster Coordinator');
  const complete =
    listed.length === nodes.length &&
    nodes.every((node) => connected.includes(node.node)) &&
    primary !== undefined &&
    coordinator !== undefined;
  return { nodes: named, connected, primary, coordinator, complete };
}

/**
 * The stack's NiFi cluster as its nodes list it right now — which node is primary and coordinator, each node's
 * status — for failover tests and scripts; undefined while no node answers with the listing.
 */
export async function readNifiClusterState(options: StackOptions = {}): Promise<NifiClusterAssessment | undefined> {
  const config = resolveStackConfig({ ...options, services: ['nifi-cluster'] });
  const listed = await readNifiClusterNodes(config);
  return listed && assessNifiCluster(listed, nifiClusterNodePorts(config.ports));
}

/**
 * The cluster's nodes as the first node that answers lists them (any connected node forwards the request to
 * the coordinator); undefined while none does (a node that is not connected answers 404).
 */
export async function readNifiClusterNodes(config: StackConfig): Promise<NifiClusterNode[] | undefined> {
  let lastError: unknown;
  for (const node of nifiClusterNodePorts(config.ports)) {
    try {
      const response = await httpProbe(`http://127.0.0.1:${node.web}/nifi-api/controller/cluster`, { timeoutMs: 10_000 });
      if (response.status === 200) return (JSON.parse(response.body) as { cluster: { nodes: NifiClusterNode[] } }).cluster.nodes;
    } catch (error) {
      lastError = error;
    }
  }
  if (lastError) throw lastError;
  return undefined;
}

function nodeLayout(config: StackConfig, installDir: string, node: string): NifiInstanceLayout {
  const instanceDir = join(serviceDir(config, 'nifi-cluster'), node);
  return { installDir, instanceDir, confDir: join(instanceDir, 'conf'), logsDir: join(instanceDir, 'logs') };
}

/**
 * Whether a node itself says it is connected to the cluster (GET /nifi-api/flow/cluster/summary on its own
 * port). Unlike the coordinator's listing, which keeps a killed node CONNECTED until its heartbeats are missed,
 * this comes from the node's running JVM, so a restarted node is never taken for ready by its predecessor's state.
 */
async function isNodeConnected(node: NifiClusterNodePorts): Promise<boolean> {
  const response = await httpProbe(`http://127.0.0.1:${node.web}/nifi-api/flow/cluster/summary`, { timeoutMs: 10_000 });
  return response.status === 200 && (JSON.parse(response.body) as { clusterSummary: { connectedToCluster?: boolean } }).clusterSummary.connectedToCluster === true;
}

const nodeNames = nifiClusterNodePorts({ nifiClusterBase: 0 }).map((node) => node.node);

function portsOf(config: StackConfig, processName: string): number[] {
  const node = nifiClusterNodePorts(config.ports).find((entry) => entry.node === processName);
  if (!node) throw new StackError({ code: 'STACK_CONFIG_INVALID', service: 'nifi-cluster', message: `nifi-cluster has no node ${processName}.`, hint: `Its nodes: ${nodeNames.join(', ')}.` });
  const { node: _node, ...ports } = node;
  return Object.values(ports);
}

async function startNodes(context: ServiceContext, processNames: readonly string[]): Promise<RunningProcess[]> {
  const { config } = context;
  const java = await context.java();
  const installDir = await installNifi(context);
  const secrets = await loadOrCreateSecrets<NifiClusterSecrets>(join(serviceDir(config, 'nifi-cluster'), 'secrets.json'), () => ({
    sensitivePropertiesKey: randomBytes(24).toString('base64url'),
  }));
  const processes: RunningProcess[] = [];
  for (const node of nifiClusterNodePorts(config.ports).filter((entry) => processNames.includes(entry.node))) {
    const layout = nodeLayout(config, installDir, node.node);
    await mkdir(layout.confDir, { recursive: true });
    await mkdir(layout.logsDir, { recursive: true });
    const files = { ...renderNifiClusterNode(node, layout, secrets, zookeeperConnectString(config)), 'logback.xml': renderLogback() };
    for (const [file, content] of Object.entries(files)) await writePrivateFile(join(layout.confDir, file), content);
    await removeDriversLink(layout);
    const nodeProcess = await startClusterNodeProcess({
      command: java.java,
      args: [...nifiJvmArguments(node, layout, nifiClusterNodeHeap), '--class-path', `${layout.installDir}/lib/*:${layout.confDir}`, 'org.apache.nifi.NiFi'],
      cwd: layout.instanceDir,
      env: { ...process.env, JAVA_HOME: java.home, NIFI_HOME: layout.instanceDir },
      logFile: logFile(config, 'nifi-cluster', node.node),
      pidFile: pidFile(config, 'nifi-cluster', node.node),
      marker: layout.confDir,
    });
    processes.push({ name: node.node, process: nodeProcess });
  }
  return processes;
}

export const nifiClusterService: StackService = {
  name: 'nifi-cluster',
  processNames: nodeNames,
  ports: (config) => nodeNames.flatMap((node) => portsOf(config, node)),
  javaRequirement: nifiJavaRequirement,
  install: (context) => installNifi(context).then(() => undefined),
  start: (context) => startNodes(context, nodeNames),
  nodes: { ports: portsOf, start: startNodes },

  async waitUntilReady(context, processes) {
    const { config } = context;
    const startedAt = performance.now();
    const nodes = nifiClusterNodePorts(config.ports);
    const started = nodes.filter((node) => processes.some((entry) => entry.name === node.node));
    const readyAt = new Map<string, number>();
    await waitUntil(
      async () => {
        const listed = await readNifiClusterNodes(config);
        if (!listed) return undefined;
        const assessment = assessNifiCluster(listed, nodes);
        for (const node of started) {
          if (readyAt.has(node.node) || !assessment.connected.includes(node.node) || !(await isNodeConnected(node))) continue;
          const startToReadyMs = performance.now() - startedAt;
          readyAt.set(node.node, startToReadyMs);
          context.report({ type: 'service-node-ready', service: 'nifi-cluster', node: node.node, startToReadyMs });
        }
        return assessment.complete && readyAt.size === started.length ? true : undefined;
      },
      {
        service: 'nifi-cluster',
        timeoutMs: config.readinessTimeoutMs,
        intervalMs: 1000,
        processes,
        logFile: logFile(config, 'nifi-cluster', started[0]?.node ?? 'node-1'),
        description: `GET /nifi-api/controller/cluster lists ${nodes.map((node) => node.node).join(', ')} CONNECTED with a primary node and a cluster coordinator, and ${started.map((node) => node.node).join(', ')} report themselves connected`,
      },
    );
    return started.map((node): NodeReadiness => ({ node: node.node, startToReadyMs: readyAt.get(node.node) ?? performance.now() - startedAt }));
  },

  async isReady(context) {
    try {
      const listed = await readNifiClusterNodes(context.config);
      return listed !== undefined && assessNifiCluster(listed, nifiClusterNodePorts(context.config.ports)).complete;
    } catch {
      return false;
    }
  },
};
