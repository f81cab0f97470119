// apply/destroy's look at the cluster before changing anything, on a stand-in NiFi that answers the two cluster
// reads (the real cluster with a disconnected node is in packages/flows/test/cluster-restarts), and how the CLI
// takes the acknowledgement and shows per-node run figures.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNifiClient, type RunOnceReport } from '@dataplat/nifi';
import { acknowledgesDisconnectedNodes } from '../cli/arguments/options.ts';
import { formatRunReport } from '../cli/views/flows.ts';
import { clientForClusterState } from './cluster-nodes.ts';

let server: Server;
let state: { clustered: boolean; statuses: string[] };
let requests: string[];

beforeEach(async () => {
  requests = [];
  server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const nodes = state.statuses.map((status, index) => ({ nodeId: `n${index + 1}`, address: '127.0.0.1', apiPort: 18101 + index, status, roles: [] }));
    const body =
      request.url === '/nifi-api/flow/cluster/summary'
        ? { clusterSummary: { clustered: state.clustered, connectedToCluster: state.clustered } }
        : request.url === '/nifi-api/controller/cluster' && state.clustered
          ? { cluster: { nodes } }
          : undefined;
    response.writeHead(body ? 200 : 404, { 'content-type': body ? 'application/json' : 'text/plain' }).end(body ? JSON.stringify(body) : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function answer(clustered: boolean, statuses: string[] = []) {
  state = { clustered, statuses };
}

describe('clientForClusterState', () => {
  const nifi = () => createNifiClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/nifi-api`, retry: false });

  it('goes on with the same client on a standalone NiFi and on a cluster whose nodes are all connected', async () => {
    const client = nifi();
    answer(false);
    expect(await clientForClusterState(client, 'apply')).toBe(client);
    answer(true, ['CONNECTED', 'CONNECTED', 'CONNECTED']);
    expect(await clientForClusterState(client, 'apply')).toBe(client);
    // Reads only.
    expect(requests).toEqual(['GET /nifi-api/flow/cluster/summary', 'GET /nifi-api/flow/cluster/summary', 'GET /nifi-api/controller/cluster']);
    await client.close();
  });

  it('refuses before any change, naming each node not connected with its status and both ways out', async () => {
    answer(true, ['CONNECTED', 'DISCONNECTED', 'OFFLOADED']);
    const error = await clientForClusterState(nifi(), 'apply').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NIFI_NODE_DISCONNECTED', nodes: ['127.0.0.1:18102', '127.0.0.1:18103'] });
    expect((error as Error).message).toContain('Refusing to apply: NiFi cluster node(s) not connected: 127.0.0.1:18102 (DISCONNECTED), 127.0.0.1:18103 (OFFLOADED); nothing was changed.');
    expect((error as Error).message).toContain('--acknowledge-disconnected-nodes');
    expect((error as Error).message).toContain('FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES=1');
  });

  it('refuses a command that deletes (destroy, a prune) while nodes are out, acknowledged or not: NiFi deletes nothing then', async () => {
    answer(true, ['CONNECTED', 'DISCONNECTED', 'CONNECTED']);
    const error = await clientForClusterState(nifi(), 'destroy flows', { acknowledgeDisconnectedNodes: true, deletes: true }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NIFI_NODE_DISCONNECTED', nodes: ['127.0.0.1:18102'] });
    expect((error as Error).message).toContain('Refusing to destroy flows: NiFi deletes nothing while cluster node(s) are not connected: 127.0.0.1:18102 (DISCONNECTED); nothing was changed.');
    expect((error as Error).message).toContain('remove them from the cluster');
    answer(true, ['CONNECTED', 'CONNECTED', 'CONNECTED']);
    const client = nifi();
    expect(await clientForClusterState(client, 'destroy flows', { deletes: true })).toBe(client);
    await client.close();
  });

  it('goes on when acknowledged, with a client whose writes carry the acknowledgement, and says which nodes', async () => {
    answer(true, ['CONNECTED', 'DISCONNECTED', 'CONNECTED']);
    const acknowledged: unknown[] = [];
    const client = await clientForClusterState(nifi(), 'apply', { acknowledgeDisconnectedNodes: true, onAcknowledged: (nodes) => acknowledged.push(...nodes) });
    expect(client.acknowledgesDisconnectedNodes).toBe(true);
    expect(acknowledged).toEqual([{ name: '127.0.0.1:18102', status: 'DISCONNECTED' }]);
  });
});

describe('the CLI side', () => {
  it('takes the acknowledgement from the flag or FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES, never by default', () => {
    expect(acknowledgesDisconnectedNodes({}, {})).toBe(false);
    expect(acknowledgesDisconnectedNodes({ 'acknowledge-disconnected-nodes': false }, { FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES: '0' })).toBe(false);
    expect(acknowledgesDisconnectedNodes({ 'acknowledge-disconnected-nodes': true }, {})).toBe(true);
    expect(acknowledgesDisconnectedNodes({}, { FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES: '1' })).toBe(true);
    expect(acknowledgesDisconnectedNodes({}, { FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES: 'true' })).toBe(true);
  });

  it('shows each node of a --per-node run, a lost one marked and named', () => {
    const node = (apiPort: number, flowFilesIn: number, lost: boolean) => ({
      nodeId: `n${apiPort}`,
      address: '127.0.0.1',
      apiPort,
      name: `127.0.0.1:${apiPort}`,
      flowFilesIn,
      bytesIn: flowFilesIn * 10,
      flowFilesOut: 0,
      bytesOut: 0,
      processors: [],
      lost,
    });
    const report: RunOnceReport = {
      groupId: 'g',
      startedAt: new Date(0),
      finishedAt: new Date(1500),
      durationMs: 1500,
      sources: ['generate'],
      flowFilesIn: 6,
      bytesIn: 60,
      flowFilesOut: 0,
      bytesOut: 0,
      processors: [],
      bulletins: [],
      countsMayBeIncomplete: false,
      lostNodes: ['127.0.0.1:18103'],
      nodes: [node(18101, 3, false), node(18102, 3, false), node(18103, 0, true)],
    };
    const text = formatRunReport('shop', report, [], 0);
    expect(text).toContain('cluster node(s) lost during the run: 127.0.0.1:18103');
    expect(text).toContain('node 127.0.0.1:18101: in 3, out 0, 30 bytes in, 0 bytes out');
    expect(text).toContain('node 127.0.0.1:18103 (lost): in 0, out 0');
  });
});
