// The generated configuration of the NiFi cluster's nodes: ports of their own, one sensitive-properties key,
// ZooKeeper named in both nifi.properties and state-management.xml; and how a cluster listing is judged ready.
import { describe, expect, it } from 'vitest';
import { nifiClusterNodePorts, resolveStackConfig } from '../../config/stack-config.ts';
import { renderZooConfig, zookeeperConnectString } from '../zookeeper/zookeeper-config.ts';
import { nifiClusterZookeeperRootNode, renderNifiClusterNode } from './nifi-cluster-config.ts';
import { assessNifiCluster, nifiClusterNodeName, nifiClusterService, type NifiClusterNode } from './nifi-cluster-service.ts';
import { nifiJvmArguments } from './nifi-config.ts';

const config = resolveStackConfig({ profile: 'cluster', stateDir: '/state' }, {});
const nodes = nifiClusterNodePorts(config.ports);
const secrets = { sensitivePropertiesKey: 'one-key-for-the-whole-cluster' };
const rendered = nodes.map((node) => {
  const instanceDir = `/state/nifi-cluster/${node.node}`;
  const layout = { installDir: '/cache/nifi/2.3.0', instanceDir, confDir: `${instanceDir}/conf`, logsDir: `${instanceDir}/logs` };
  const files = renderNifiClusterNode(node, layout, secrets, zookeeperConnectString(config));
  return { node, layout, files, properties: parse(files['nifi.properties']) };
});

function parse(properties: string): Record<string, string> {
  return Object.fromEntries(properties.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('renderNifiClusterNode', () => {
  it('makes each node a plain-HTTP cluster node on loopback', () => {
    for (const { node, properties } of rendered) {
      expect(properties['nifi.cluster.is.node']).toBe('true');
      expect(properties['nifi.cluster.protocol.is.secure']).toBe('false');
      expect(properties['nifi.web.http.host']).toBe('127.0.0.1');
      expect(properties['nifi.web.http.port']).toBe(String(node.web));
      expect(properties['nifi.web.https.port']).toBe('');
      expect(properties['nifi.cluster.node.address']).toBe('127.0.0.1');
      expect(properties['nifi.cluster.load.balance.host']).toBe('127.0.0.1');
      expect(properties['nifi.remote.input.host']).toBe('127.0.0.1');
      expect(properties['nifi.state.management.embedded.zookeeper.start']).toBe('false');
      // Site-to-site over HTTP only: NiFi binds a raw site-to-site socket on every interface.
      expect(properties['nifi.remote.input.http.enabled']).toBe('true');
      expect(properties['nifi.remote.input.socket.port']).toBe('');
    }
  });

  it('gives no two nodes the same web (and HTTP site-to-site), cluster-protocol or load-balance port', () => {
    const keys = ['nifi.web.http.port', 'nifi.cluster.node.protocol.port', 'nifi.cluster.load.balance.port'];
    const ports = rendered.flatMap(({ properties }) => keys.map((key) => properties[key]));
    expect(ports.every((port) => /^\d+$/.test(port ?? ''))).toBe(true);
    expect(new Set(ports).size).toBe(keys.length * nodes.length);
    // The management server (bootstrap) of each node too.
    const management = rendered.map(({ node, layout }) => nifiJvmArguments(node, layout).find((argument) => argument.startsWith('-Dorg.apache.nifi.management.server.address=')));
    expect(new Set(management).size).toBe(nodes.length);
  });

  it('shares one sensitive-properties key and ends the flow election once all three nodes voted', () => {
    expect(new Set(rendered.map(({ properties }) => properties['nifi.sensitive.props.key']))).toEqual(new Set([secrets.sensitivePropertiesKey]));
    for (const { properties } of rendered) expect(properties['nifi.cluster.flow.election.max.candidates']).toBe('3');
  });

  it('names the stack ZooKeeper in nifi.properties and in the zk-provider of state-management.xml', () => {
    for (const { properties, files } of rendered) {
      expect(properties['nifi.zookeeper.connect.string']).toBe(`127.0.0.1:${config.ports.zookeeper}`);
      expect(properties['nifi.zookeeper.root.node']).toBe(nifiClusterZookeeperRootNode);
      // ZooKeeper grants sessions of 2 to 20 ticks (tickTime=2000): 10 s is granted as asked, not clamped.
      expect(properties['nifi.zookeeper.session.timeout']).toBe('10 secs');
      expect(renderZooConfig(config, '/data')).toContain('tickTime=2000\n');
      expect(properties['nifi.state.management.provider.cluster']).toBe('zk-provider');
      expect(files['state-management.xml']).toContain('<id>zk-provider</id>');
      expect(files['state-management.xml']).toContain(`<property name="Connect String">127.0.0.1:${config.ports.zookeeper}</property>`);
      expect(files['state-management.xml']).toContain(`<property name="Root Node">${nifiClusterZookeeperRootNode}</property>`);
    }
  });

  it('keeps each node in its own folder', () => {
    const repositories = rendered.map(({ properties }) => properties['nifi.flowfile.repository.directory']);
    expect(repositories).toEqual(['/state/nifi-cluster/node-1/flowfile_repository', '/state/nifi-cluster/node-2/flowfile_repository', '/state/nifi-cluster/node-3/flowfile_repository']);
  });
});

describe('nifiClusterNodeName', () => {
  it("names the stack's node serving an API port, and no node for another port", () => {
    expect(nodes.map((node) => nifiClusterNodeName(config.ports, node.web))).toEqual(['node-1', 'node-2', 'node-3']);
    expect(nifiClusterNodeName(config.ports, nodes[0]!.clusterProtocol)).toBeUndefined();
  });
});

describe('assessNifiCluster', () => {
  const listed = (statuses: string[], roles: string[][]): NifiClusterNode[] =>
    nodes.map((node, index) => ({ nodeId: `id-${index}`, address: '127.0.0.1', apiPort: node.web, status: statuses[index] ?? 'CONNECTED', roles: roles[index] ?? [] }));

  it('is complete when the three nodes are CONNECTED with a primary and a coordinator', () => {
    const assessment = assessNifiCluster(listed(['CONNECTED', 'CONNECTED', 'CONNECTED'], [['Cluster Coordinator'], [], ['Primary Node']]), nodes);
    expect(assessment).toMatchObject({ connected: ['node-1', 'node-2', 'node-3'], primary: 'node-3', coordinator: 'node-1', complete: true });
    expect(assessment.nodes.map((entry) => [entry.name, entry.nodeId, entry.status])).toEqual([
      ['node-1', 'id-0', 'CONNECTED'],
      ['node-2', 'id-1', 'CONNECTED'],
      ['node-3', 'id-2', 'CONNECTED'],
    ]);
  });

  it('names no primary while the node still listed with the role is not CONNECTED (a killed primary before failover)', () => {
    const assessment = assessNifiCluster(listed(['CONNECTED', 'DISCONNECTED', 'CONNECTED'], [['Cluster Coordinator'], ['Primary Node'], []]), nodes);
    expect(assessment).toMatchObject({ connected: ['node-1', 'node-3'], primary: undefined, coordinator: 'node-1', complete: false });
    expect(assessment.nodes[1]).toMatchObject({ name: 'node-2', status: 'DISCONNECTED', roles: ['Primary Node'] });
  });

  it('leaves a node on a port that is none of the stack\'s unnamed, and the cluster incomplete', () => {
    const foreign = { nodeId: 'stranger', address: '127.0.0.1', apiPort: 1, status: 'CONNECTED', roles: [] };
    const assessment = assessNifiCluster([...listed(['CONNECTED', 'CONNECTED', 'CONNECTED'], [['Cluster Coordinator', 'Primary Node']]), foreign], nodes);
    expect(assessment.nodes[3]?.name).toBeUndefined();
    expect(assessment.connected).toEqual(['node-1', 'node-2', 'node-3', '127.0.0.1:1']);
    expect(assessment.complete).toBe(false);
  });

  it('waits while a node is connecting or a role is not yet elected', () => {
    expect(assessNifiCluster(listed(['CONNECTED', 'CONNECTING', 'CONNECTED'], [['Cluster Coordinator', 'Primary Node']]), nodes)).toMatchObject({ connected: ['node-1', 'node-3'], complete: false });
    expect(assessNifiCluster(listed(['CONNECTED', 'CONNECTED', 'CONNECTED'], [['Cluster Coordinator']]), nodes)).toMatchObject({ primary: undefined, complete: false });
    expect(assessNifiCluster(listed(['CONNECTED', 'CONNECTED', 'CONNECTED'], [['Primary Node', 'Cluster Coordinator']]).slice(0, 2), nodes).complete).toBe(false);
  });
});

describe('starting single NiFi nodes', () => {
  it("checks exactly the named node's ports, and those of all nodes make the service's", () => {
    const single = nifiClusterService.nodes!;
    const [first, second] = nodes;
    expect(single.ports(config, 'node-2')).toEqual([second!.web, second!.management, second!.clusterProtocol, second!.loadBalance]);
    expect(nifiClusterService.ports(config)).toEqual(nodes.flatMap((node) => single.ports(config, node.node)));
    expect(single.ports(config, 'node-1')).toContain(first!.web);
  });

  it('refuses a node the cluster does not have', () => {
    expect(() => nifiClusterService.nodes!.ports(config, 'node-4')).toThrow(expect.objectContaining({ code: 'STACK_CONFIG_INVALID' }));
  });
});
