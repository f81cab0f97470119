// A clustered NiFi with a node that is not CONNECTED takes changes on the connected nodes only (the others take the
// cluster's flow when they rejoin) and refuses component deletes: apply and destroy look first, before changing
// anything, and go on only when the user acknowledged the disconnected nodes explicitly.
import { NifiError, type NifiClient } from '@dataplat/nifi';

export interface ClusterNodesOptions {
  /** Go on although nodes are not connected (and send NiFi's disconnectedNodeAcknowledged with every write). */
  acknowledgeDisconnectedNodes?: boolean | undefined;
  /** Told which nodes were acknowledged as not connected when the command goes on. */
  onAcknowledged?: ((nodes: readonly NotConnectedNode[]) => void) | undefined;
  signal?: AbortSignal | undefined;
  /**
   * The command deletes components (destroy, a prune): refused while nodes are out, acknowledged or not — NiFi
   * deletes nothing then, and a command that stopped a flow to delete it would leave it half-destroyed.
   */
  deletes?: boolean | undefined;
}

export interface NotConnectedNode {
  /** address:port */
  name: string;
  status: string;
}

/**
 * The client to make changes with: `nifi` itself on a standalone NiFi or a cluster whose nodes are all
 * connected; its acknowledging twin when nodes are not connected and the caller acknowledged that;
 * otherwise NIFI_NODE_DISCONNECTED naming each node (address:port and status), with nothing changed.
 */
export async function clientForClusterState(nifi: NifiClient, what: string, options: ClusterNodesOptions = {}): Promise<NifiClient> {
  const summary = await nifi.cluster.summary({ signal: options.signal });
  if (!summary.clustered) return nifi;
  // A node that is itself disconnected can't list the cluster: it is the one to name.
  const notConnected: NotConnectedNode[] = summary.connectedToCluster
    ? (await nifi.cluster.nodes({ signal: options.signal })).filter((node) => node.status !== 'CONNECTED').map((node) => ({ name: node.name, status: node.status }))
    : [{ name: new URL(nifi.baseUrl).host, status: 'DISCONNECTED (the node this command talks to)' }];
  if (notConnected.length === 0) return nifi;
  const named = notConnected.map((node) => `${node.name} (${node.status})`).join(', ');
  if (options.deletes) {
    throw new NifiError({
      code: 'NIFI_NODE_DISCONNECTED',
      message: `Refusing to ${what}: NiFi deletes nothing while cluster node(s) are not connected: ${named}; nothing was changed.`,
      hint: 'Reconnect the node(s) (restart them, or connect them from a connected node) or remove them from the cluster (nifi.cluster.remove, or the Cluster page of the NiFi UI), then run again. --acknowledge-disconnected-nodes does not help here: NiFi itself refuses the deletes.',
      nodes: notConnected.map((node) => node.name),
    });
  }
  if (!options.acknowledgeDisconnectedNodes) {
    throw new NifiError({
      code: 'NIFI_NODE_DISCONNECTED',
      message: `Refusing to ${what}: NiFi cluster node(s) not connected: ${named}; nothing was changed.`,
      hint:
        'Reconnect the node(s) (restart them, or connect them from a connected node) and run again — or pass --acknowledge-disconnected-nodes ' +
        '(FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES=1) to change the connected nodes now: the others take the cluster\'s flow when they rejoin. ' +
        'NiFi refuses deletes (--prune, destroy) until every node is connected or removed.',
      nodes: notConnected.map((node) => node.name),
    });
  }
  options.onAcknowledged?.(notConnected);
  return nifi.acknowledgingDisconnectedNodes();
}
