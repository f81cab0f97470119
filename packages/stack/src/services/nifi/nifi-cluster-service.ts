// The cluster profile's NiFi: three NiFi 2.3.0 nodes (the same assembly as the single node) clustered through
// the stack's ZooKeeper over plain HTTP on loopback, started at a lower CPU priority; ready once all three are
// CONNECTED and a primary node and a cluster coordinator are elected.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { nifiClusterNodePorts, type NifiClusterNodePorts, type StackConfig } from '../../config/stack-config.ts';
import { loadOrCreateSecrets } from '../../install/persistent-secrets.ts';
import { writePrivateFile } from '../../install/private-files.ts';
import { httpProbe } from '../../readiness/http-probe.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import type { NodeReadiness } from '../../stack-events.ts';
import { startClusterNodeProcess } from '../cluster-process.ts';
import { logFile, pidFile, serviceDir, type RunningProcess, type StackService } from '../service.ts';
import { zookeeperConnectString } from '../zookeeper/zookeeper-config.ts';
import { nifiClusterNodeHeap, renderNifiClusterNode, type NifiClusterSecrets } from './nifi-cluster-config.ts';
import { nifiJvmArguments, renderLogback, type NifiInstanceLayout } from './nifi-config.ts';
import { installNifi } from './nifi-install.ts';
import { linkDrivers, nifiJavaRequirement } from './nifi-service.ts';

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
  /** The stack's node names (node-1 …) NiFi lists as CONNECTED. */
  connected: string[];
  primary: string | undefined;
  coordinator: string | undefined;
  /** Every stack node CONNECTED, nothing else listed, a primary and a coordinator elected. */
  complete: boolean;
}

export function assessNifiCluster(listed: readonly NifiClusterNode[], nodes: readonly NifiClusterNodePorts[]): NifiClusterAssessment {
  const nameOf = (entry: NifiClusterNode) => nodes.find((node) => node.web === entry.apiPort)?.node;
  const withRole = (role: string) => {
    const holder = listed.find((entry) => entry.status === 'CONNECTED' && entry.roles.includes(role));
    return holder ? nameOf(holder) : undefined;
  };
  const connected = listed.flatMap((entry) => (entry.status === 'CONNECTED' ? [nameOf(entry) ?? `${entry.address}:${entry.apiPort}`] : []));
  const primary = withRole('Primary Node');
  const coordinator = withRole('Cluster Coordinator');
  const complete =
    listed.length === nodes.length &&
    nodes.every((node) => connected.includes(node.node)) &&
    primary !== undefined &&
    coordinator !== undefined;
  return { connected, primary, coordinator, complete };
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

export const nifiClusterService: StackService = {
  name: 'nifi-cluster',
  processNames: nifiClusterNodePorts({ nifiClusterBase: 0 }).map((node) => node.node),
  ports: (config) => nifiClusterNodePorts(config.ports).flatMap(({ node: _node, ...ports }) => Object.values(ports)),
  javaRequirement: nifiJavaRequirement,
  install: (context) => installNifi(context).then(() => undefined),

  async start(context) {
    const { config } = context;
    const java = await context.java();
    const installDir = await installNifi(context);
    const secrets = await loadOrCreateSecrets<NifiClusterSecrets>(join(serviceDir(config, 'nifi-cluster'), 'secrets.json'), () => ({
      sensitivePropertiesKey: randomBytes(24).toString('base64url'),
    }));
    const processes: RunningProcess[] = [];
    for (const node of nifiClusterNodePorts(config.ports)) {
      const layout = nodeLayout(config, installDir, node.node);
      await mkdir(layout.confDir, { recursive: true });
      await mkdir(layout.logsDir, { recursive: true });
      const files = { ...renderNifiClusterNode(node, layout, secrets, zookeeperConnectString(config)), 'logback.xml': renderLogback() };
      for (const [file, content] of Object.entries(files)) await writePrivateFile(join(layout.confDir, file), content);
      await linkDrivers(layout);
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
  },

  async waitUntilReady(context, processes) {
    const { config } = context;
    const startedAt = performance.now();
    const nodes = nifiClusterNodePorts(config.ports);
    const readyAt = new Map<string, number>();
    await waitUntil(
      async () => {
        const listed = await readNifiClusterNodes(config);
        if (!listed) return undefined;
        const assessment = assessNifiCluster(listed, nodes);
        for (const node of nodes) {
          if (readyAt.has(node.node) || !assessment.connected.includes(node.node)) continue;
          const startToReadyMs = performance.now() - startedAt;
          readyAt.set(node.node, startToReadyMs);
          context.report({ type: 'service-node-ready', service: 'nifi-cluster', node: node.node, startToReadyMs });
        }
        return assessment.complete ? true : undefined;
      },
      {
        service: 'nifi-cluster',
        timeoutMs: config.readinessTimeoutMs,
        intervalMs: 1000,
        processes,
        logFile: logFile(config, 'nifi-cluster', 'node-1'),
        description: `GET /nifi-api/controller/cluster lists ${nodes.map((node) => node.node).join(', ')} CONNECTED with a primary node and a cluster coordinator`,
      },
    );
    return nodes.map((node): NodeReadiness => ({ node: node.node, startToReadyMs: readyAt.get(node.node) ?? performance.now() - startedAt }));
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
