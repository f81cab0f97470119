// Configuration of the cluster profile's NiFi nodes: the single-node nifi.properties over plain HTTP with the
// clustering keys changed per node (its own web/site-to-site, protocol and load-balance ports), one shared
// sensitive-properties key, ZooKeeper in both nifi.properties and state-management.xml.
import { nifiClusterNodeCount, type NifiClusterNodePorts } from '../../config/stack-config.ts';
import {
  nifiProperties,
  renderStateManagement,
  serializeProperties,
  type NifiHeap,
  type NifiInstanceLayout,
  type NifiInstanceSecrets,
  type NifiPorts,
} from './nifi-config.ts';

/** ZooKeeper's root node for this cluster: with the connect string, the cluster's identity. */
export const nifiClusterZookeeperRootNode = '/dataplat-nifi-cluster';

/**
 * Heap of each node. Three nodes plus the single-node NiFi instances share 2 cores and 24 GB: an idle
 * node with the stack's NARs settles well below this (see docs/stack.md for the measured figures).
 */
export const nifiClusterNodeHeap: NifiHeap = { initial: '384m', maximum: '768m' };

export interface NifiClusterNodeFiles {
  'nifi.properties': string;
  'state-management.xml': string;
}

/** The cluster's secrets: one sensitive-properties key for every node (a flow encrypted on one node is read on all). */
export interface NifiClusterSecrets {
  sensitivePropertiesKey: string;
}

export function renderNifiClusterNode(
  node: NifiClusterNodePorts,
  layout: NifiInstanceLayout,
  secrets: NifiClusterSecrets,
  zookeeperConnectString: string,
): NifiClusterNodeFiles {
  const ports: NifiPorts = { web: node.web, management: node.management };
  // Plain HTTP: no keystore passwords are used, so none are written.
  const instanceSecrets: NifiInstanceSecrets = { sensitivePropertiesKey: secrets.sensitivePropertiesKey, keystorePassword: '', truststorePassword: '' };
  const properties = {
    ...nifiProperties('http', ports, layout, instanceSecrets),
    // Site-to-site over HTTP on each node's own web port (loopback). No raw-socket site-to-site: NiFi 2.3.0
    // binds that listener on every interface (new ServerSocket(port)), whatever nifi.remote.input.host says.
    'nifi.remote.input.socket.port': '',
    'nifi.cluster.is.node': 'true',
    'nifi.cluster.protocol.is.secure': 'false',
    // The address the other nodes replicate requests to and send heartbeats from; loopback only.
    'nifi.cluster.node.address': '127.0.0.1',
    'nifi.cluster.node.protocol.port': String(node.clusterProtocol),
    'nifi.cluster.node.protocol.max.threads': '16',
    'nifi.cluster.node.event.history.size': '25',
    // NiFi's 5-second defaults are too short while three JVMs boot on two cores.
    'nifi.cluster.node.connection.timeout': '30 sec',
    'nifi.cluster.node.read.timeout': '30 sec',
    'nifi.cluster.node.max.concurrent.requests': '50',
    'nifi.cluster.firewall.file': '',
    // Every node votes; the election ends as soon as all three have (not after NiFi's 5-minute default).
    'nifi.cluster.flow.election.max.candidates': String(nifiClusterNodeCount),
    'nifi.cluster.flow.election.max.wait.time': '2 mins',
    'nifi.cluster.load.balance.host': '127.0.0.1',
    'nifi.cluster.load.balance.port': String(node.loadBalance),
    'nifi.cluster.load.balance.connections.per.node': '1',
    'nifi.cluster.load.balance.max.thread.count': '4',
    'nifi.cluster.load.balance.comms.timeout': '30 sec',
    'nifi.cluster.protocol.heartbeat.interval': '5 sec',
    'nifi.cluster.protocol.heartbeat.missable.max': '8',
    'nifi.cluster.leader.election.implementation': 'CuratorLeaderElectionManager',
    'nifi.zookeeper.connect.string': zookeeperConnectString,
    'nifi.zookeeper.connect.timeout': '30 secs',
    // How long ZooKeeper keeps a node's session after the node stops answering: a killed primary node or
    // coordinator holds its role until then. NiFi's default 10 s; measured on 2 cores (docs/stack.md): with 30 s the
    // role moved after 29.3 s, with 10 s after 9.5 s.
    'nifi.zookeeper.session.timeout': '10 secs',
    'nifi.zookeeper.root.node': nifiClusterZookeeperRootNode,
    'nifi.zookeeper.client.secure': 'false',
    'nifi.state.management.provider.cluster': 'zk-provider',
  };
  return {
    'nifi.properties': serializeProperties(properties),
    'state-management.xml': renderStateManagement(layout.instanceDir, { connectString: zookeeperConnectString, rootNode: nifiClusterZookeeperRootNode }),
  };
}
