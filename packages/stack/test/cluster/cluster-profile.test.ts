// The cluster profile on the shared test stack: ZooKeeper, three NiFi nodes CONNECTED with one primary and one
// coordinator, a Trino coordinator whose one worker runs the tasks — brought up beside the running default
// services without restarting any of them.
import { request } from 'undici';
import { Trino, BasicAuth } from 'trino-client';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  clusterServiceNames,
  getStackStatus,
  serviceNames,
  type RunningStack,
  type ServiceStatus,
} from '../../src/index.ts';
import { useTestCluster } from '../cluster-stack.ts';
import { testStackOptions } from '../global-setup.ts';

interface ListedNode {
  nodeId: string;
  address: string;
  apiPort: number;
  status: string;
  roles: string[];
}

async function getJson<T>(url: string): Promise<T> {
  const response = await request(url, { headersTimeout: 30_000, bodyTimeout: 30_000 });
  const body = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`GET ${url} answered ${response.statusCode}: ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

const pidsOf = (statuses: ServiceStatus[]) => statuses.map((status) => [status.service, status.processes.map((entry) => entry.pid)]);

describe('the cluster profile', () => {
  let stack: RunningStack;
  let defaultServicesBefore: ServiceStatus[];

  beforeAll(async () => {
    defaultServicesBefore = await getStackStatus({ ...testStackOptions, services: serviceNames });
    // Only the cluster's services (and what they need, reused when running): a default service that happens
    // to be restarting in another test must not be restarted from here.
    stack = (await useTestCluster()).stack;
  }, 1_200_000);

  it('left the default services running as they were', async () => {
    const after = await getStackStatus({ ...testStackOptions, services: serviceNames });
    expect(pidsOf(after)).toEqual(pidsOf(defaultServicesBefore));
  });

  it('lists every node of the cluster in status, and the endpoints name them', async () => {
    const statuses = await getStackStatus({ ...testStackOptions, profile: 'cluster' });
    const cluster = statuses.filter((status) => (clusterServiceNames as readonly string[]).includes(status.service));
    expect(cluster.map((status) => [status.service, status.state, status.processes.map((entry) => [entry.name, entry.alive])])).toEqual([
      ['zookeeper', 'ready', [['zookeeper', true]]],
      ['nifi-cluster', 'ready', [['node-1', true], ['node-2', true], ['node-3', true]]],
      ['trino-cluster', 'ready', [['coordinator', true], ['worker', true]]],
    ]);
    expect(stack.endpoints.nifiCluster?.nodes.map((node) => node.node)).toEqual(['node-1', 'node-2', 'node-3']);
    expect(stack.endpoints.trinoCluster?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.endpoints.zookeeper?.connectString).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it('has three NiFi nodes CONNECTED, one primary and one coordinator, as every node reports it', async () => {
    const nodes = stack.endpoints.nifiCluster!.nodes;
    const apiPorts = nodes.map((node) => Number(new URL(node.apiUrl).port)).sort();
    for (const node of nodes) {
      const { cluster } = await getJson<{ cluster: { nodes: ListedNode[] } }>(`${node.apiUrl}/controller/cluster`);
      expect(cluster.nodes.map((entry) => entry.apiPort).sort()).toEqual(apiPorts);
      expect(cluster.nodes.every((entry) => entry.status === 'CONNECTED' && entry.address === '127.0.0.1')).toBe(true);
      expect(cluster.nodes.filter((entry) => entry.roles.includes('Primary Node'))).toHaveLength(1);
      expect(cluster.nodes.filter((entry) => entry.roles.includes('Cluster Coordinator'))).toHaveLength(1);
      const { clusterSummary } = await getJson<{ clusterSummary: { connectedNodeCount: number; totalNodeCount: number; clustered: boolean; connectedToCluster: boolean } }>(`${node.apiUrl}/flow/cluster/summary`);
      expect(clusterSummary).toMatchObject({ connectedNodeCount: 3, totalNodeCount: 3, clustered: true, connectedToCluster: true });
    }
  });

  it('has one active Trino worker, and a query runs all its tasks there', async () => {
    const endpoint = stack.endpoints.trinoCluster!;
    const trino = Trino.create({ server: endpoint.url, source: 'dataplat-cluster-test', auth: new BasicAuth(endpoint.user) });
    const rows = async (sql: string) => {
      const collected: unknown[][] = [];
      for await (const result of await trino.query(sql)) {
        if (result.error) throw new Error(`${result.error.errorName}: ${result.error.message}`);
        collected.push(...(result.data ?? []));
      }
      return collected;
    };
    expect(await rows('SELECT node_id, coordinator, state FROM system.runtime.nodes ORDER BY coordinator DESC')).toEqual([
      [endpoint.coordinator.nodeId, true, 'active'],
      [endpoint.workers[0]!.nodeId, false, 'active'],
    ]);

    const marker = `cluster_probe_${Date.now()}`;
    expect(await rows(`SELECT count(*) AS ${marker} FROM tpch.tiny.lineitem`)).toEqual([[60175]]);
    const [[queryId]] = (await rows(`SELECT query_id FROM system.runtime.queries WHERE query LIKE '%AS ${marker} FROM tpch%' AND query NOT LIKE '%system.runtime%'`)) as [[string]];
    const tasks = await rows(`SELECT node_id, count(*) FROM system.runtime.tasks WHERE query_id = '${queryId}' GROUP BY node_id`);
    expect(tasks.map((row) => row[0])).toEqual([endpoint.workers[0]!.nodeId]);
    expect(Number(tasks[0]![1])).toBeGreaterThan(0);
  });
});
