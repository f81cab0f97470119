// NiFi's cluster answers that a real cluster produces only in narrow windows (a node connecting, an election,
// the flow loading, a node vanishing between checks): their codes, and which requests the client repeats, on
// undici's MockAgent. The states a test can hold (a disconnected node) are proven on the real cluster.
import { describe, expect, it } from 'vitest';
import { HttpError, isTransientError } from '@dataplat/core';
import { createNifiClient } from './create-nifi-client.ts';
import { classifyNifiError } from './nifi-errors.ts';
import { useMockAgent } from '../../../core/test/mock-agent.ts';
import { interceptContext, interceptUpdateRequests } from '../../test/mock-update-request.ts';

const mockAgent = useMockAgent();

const origin = 'http://127.0.0.1:18102';


const json = { headers: { 'content-type': 'application/json' } };
const text = { headers: { 'content-type': 'text/plain' } };
const client = () => createNifiClient({ baseUrl: `${origin}/nifi-api`, dispatcher: mockAgent(), retry: { retries: 2, initialDelayMs: 1 } });
const classify = (status: number, body: string) => classifyNifiError({ status, body, method: 'POST', path: '/nifi-api/x' }, { calledNode: '127.0.0.1:18102' });

// NiFi 2.3.0's wording (ThreadPoolRequestReplicator, ApplicationResource and the exception mappers).
const connecting =
  'Unable to service request because at least one node is connecting to the cluster. When all nodes are finished connecting, please try the request again.';
const noCoordinator = 'No node has yet been elected Cluster Coordinator. Cannot establish connection to cluster yet.';
const initializing = 'The Flow Controller is initializing the Data Flow.';
const disconnectedHere =
  'This node is disconnected from its configured cluster. The requested change will only be allowed if the flag to acknowledge the disconnected node is set.';
const deleteRefused = 'Cannot delete component because the following Nodes are not connected: [127.0.0.1:18103, 127.0.0.1:18101]';

describe('classifying NiFi cluster answers', () => {
  it('names the disconnected node: the called one on a 400, the listed ones on a delete refused with 409', () => {
    expect(classify(400, disconnectedHere)).toMatchObject({ code: 'NIFI_NODE_DISCONNECTED', detail: { nodes: ['127.0.0.1:18102'] } });
    expect(classify(400, disconnectedHere)?.hint).toContain('disconnectedNodeAcknowledged');
    const refused = classify(409, deleteRefused);
    expect(refused).toMatchObject({ code: 'NIFI_NODE_DISCONNECTED', detail: { nodes: ['127.0.0.1:18103', '127.0.0.1:18101'] } });
    expect(refused?.hint).toContain('127.0.0.1:18103, 127.0.0.1:18101');
    // Nothing proves the delete is safe to repeat until the nodes are back: not retried.
    expect(refused?.notPerformed).toBeUndefined();
  });

  it('takes connecting nodes, a missing coordinator, a loading flow and a node lost between checks as unstable, not performed', () => {
    for (const [status, body] of [
      [409, connecting],
      [409, 'Node 127.0.0.1:18103 is currently connecting'],
      [503, noCoordinator],
      [409, initializing],
      [409, 'Cannot replicate request to Node 127.0.0.1:18103 because the node is not connected'],
    ] as const) {
      expect(classify(status, body)).toMatchObject({ code: 'NIFI_CLUSTER_UNSTABLE', notPerformed: true });
    }
  });

  it("classifies a node's veto in phase one of a replicated change by the node's reason", () => {
    const staleOnNode = 'Node 127.0.0.1:18103 is unable to fulfill this request due to: Error: [1, null, 5f5b] is not the most up-to-date revision. This component appears to have been modified.';
    expect(classify(409, staleOnNode)).toMatchObject({ code: 'NIFI_STALE_REVISION', detail: { nodes: ['127.0.0.1:18103'] } });
    const running = 'Node 127.0.0.1:18101 is unable to fulfill this request due to: Processor abc is currently running.';
    expect(classify(409, running)).toMatchObject({ code: 'NIFI_CONFLICT', detail: { nodes: ['127.0.0.1:18101'] } });
    const connectingOnNode = `Node 127.0.0.1:18101 is unable to fulfill this request due to: ${connecting}`;
    expect(classify(409, connectingOnNode)).toMatchObject({ code: 'NIFI_CLUSTER_UNSTABLE', notPerformed: true });
    // A node killed and not yet disconnected fails phase one: no verdict, nothing done anywhere, repeated.
    const silentOnNode = 'Node 127.0.0.1:18102 is unable to fulfill this request due to: Unexpected Response Code 500';
    expect(classify(409, silentOnNode)).toMatchObject({ code: 'NIFI_CLUSTER_UNSTABLE', notPerformed: true, detail: { nodes: ['127.0.0.1:18102'] } });
    // The vetoing node is the one named, also when the reason is that it is itself disconnected.
    const disconnectedOnNode = 'Node 127.0.0.1:18103 is unable to fulfill this request due to: This node is disconnected from its configured cluster.';
    const vetoed = classify(409, disconnectedOnNode);
    expect(vetoed).toMatchObject({ code: 'NIFI_NODE_DISCONNECTED', detail: { nodes: ['127.0.0.1:18103'] } });
    expect(vetoed?.hint).toContain('127.0.0.1:18103');
    expect(classify(409, 'Node 127.0.0.1:18101 is unable to fulfill this request due to: something unheard of')).toMatchObject({ code: 'NIFI_CONFLICT', detail: { nodes: ['127.0.0.1:18101'] } });
    // Outside a cluster, the answers of before.
    expect(classify(400, 'Error: [0, null, x] is not the most up-to-date revision.')).toMatchObject({ code: 'NIFI_STALE_REVISION' });
    expect(classify(409, 'Cannot delete processor: it is running')).toMatchObject({ code: 'NIFI_CONFLICT' });
    expect(classify(500, 'Action was performed, but no nodes are connected.')).toBeUndefined();
  });

  it('names the node that did not answer a replicated request (killed, restarting) and lets waits ride it out, never repeating it', () => {
    const silent =
      'org.apache.nifi.web.client.api.WebClientServiceException: Request execution failed HTTP Method [GET] URI [http://127.0.0.1:18102/nifi-api/flow/process-groups/g/status?recursive=true]';
    const classified = classify(500, silent);
    expect(classified).toMatchObject({ code: 'NIFI_CLUSTER_UNSTABLE', isRetryable: true, detail: { nodes: ['127.0.0.1:18102'] } });
    expect(classified?.notPerformed).toBeUndefined();
    expect(classified?.hint).toContain('127.0.0.1:18102');
  });
});

describe('repeating what NiFi refused before doing it', () => {
  it('repeats a POST refused because a node was connecting (NiFi did nothing), and succeeds', async () => {
    const pool = mockAgent().get(origin);
    let creates = 0;
    pool.intercept({ path: '/nifi-api/process-groups/root/processors', method: 'POST' }).reply(409, connecting, text);
    pool.intercept({ path: '/nifi-api/process-groups/root/processors', method: 'POST' }).reply(() => {
      creates += 1;
      return { statusCode: 201, data: { id: 'p1', revision: { version: 1 }, component: { id: 'p1', name: 'tag', type: 'x', bundle: {} } }, responseOptions: json };
    });
    const nifi = client();
    const created = await nifi.processors.create('root', { name: 'tag', type: 'org.example.Tag', bundle: { group: 'g', artifact: 'a', version: '1' } });
    expect(created.id).toBe('p1');
    expect(creates).toBe(1);
  });

  it('repeats a POST while no coordinator is elected (503 that says so), but never a POST whose 503 says nothing', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/nifi-api/parameter-contexts', method: 'POST' }).reply(503, noCoordinator, text);
    pool.intercept({ path: '/nifi-api/parameter-contexts', method: 'POST' }).reply(201, { id: 'c1', revision: { version: 1 }, component: { id: 'c1', name: 'ctx' } }, json);
    const nifi = client();
    expect((await nifi.parameterContexts.create({ name: 'ctx' })).id).toBe('c1');

    // A bare 503 from a proxy may come after NiFi acted: the POST is not repeated.
    pool.intercept({ path: '/nifi-api/parameter-contexts', method: 'POST' }).reply(503, 'Service Unavailable', text);
    const error = await nifi.parameterContexts.create({ name: 'ctx' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', status: 503, method: 'POST' });
  });

  it('gives up after the retry budget with NIFI_CLUSTER_UNSTABLE, keeping status, method, redacted url and a retryable flag for waits', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/nifi-api/flow/process-groups/g1', method: 'PUT' }).reply(409, initializing, text).times(3);
    const nifi = client();
    const error = await nifi.api.put('/flow/process-groups/{id}', { path: { id: 'g1' }, body: { id: 'g1', state: 'STOPPED' } }).catch((caught: unknown) => caught);
    expect(HttpError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NIFI_CLUSTER_UNSTABLE', status: 409, method: 'PUT', url: `${origin}/nifi-api/flow/process-groups/g1`, isRetryable: true });
    // pollUntil (every wait of the client) rides it out until its own deadline.
    expect(isTransientError(error)).toBe(true);
  });

  it('does not repeat a write refused for a disconnected node, and names the node', async () => {
    const pool = mockAgent().get(origin);
    pool.intercept({ path: '/nifi-api/processors/p1', method: 'GET' }).reply(200, { id: 'p1', revision: { version: 3 }, component: { id: 'p1', name: 'tag' } }, json);
    pool.intercept({ path: '/nifi-api/processors/p1', method: 'PUT' }).reply(400, disconnectedHere, text);
    const nifi = client();
    const error = await nifi.processors.update('p1', { name: 'renamed' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'NIFI_NODE_DISCONNECTED', status: 400, detail: { nodes: ['127.0.0.1:18102'] } });
    expect(isTransientError(error)).toBe(false);
  });

  it('sends disconnectedNodeAcknowledged only when asked: per call, or on every write of an acknowledging client', async () => {
    const pool = mockAgent().get(origin);
    const bodies: unknown[] = [];
    const deletes: string[] = [];
    const entity = { id: 'p1', revision: { version: 3 }, component: { id: 'p1', name: 'tag' } };
    pool.intercept({ path: '/nifi-api/processors/p1', method: 'GET' }).reply(200, entity, json).times(3);
    pool
      .intercept({ path: '/nifi-api/processors/p1', method: 'PUT' })
      .reply((request) => {
        bodies.push(JSON.parse(String(request.body)));
        return { statusCode: 200, data: entity, responseOptions: json };
      })
      .times(3);
    pool
      .intercept({ path: (path) => path.startsWith('/nifi-api/processors/p1?'), method: 'DELETE' })
      .reply((request) => {
        deletes.push(request.path);
        return { statusCode: 200, data: entity, responseOptions: json };
      })
      .times(2);
    const nifi = client();
    await nifi.processors.update('p1', { name: 'a' });
    await nifi.processors.update('p1', { name: 'b' }, { disconnectedNodeAcknowledged: true });
    await nifi.processors.delete(entity);
    const acknowledging = nifi.acknowledgingDisconnectedNodes();
    expect(acknowledging.acknowledgesDisconnectedNodes).toBe(true);
    expect(nifi.acknowledgesDisconnectedNodes).toBe(false);
    await acknowledging.processors.update('p1', { name: 'c' });
    await acknowledging.processors.delete(entity);
    expect(bodies.map((body) => (body as { disconnectedNodeAcknowledged?: boolean }).disconnectedNodeAcknowledged)).toEqual([undefined, true, true]);
    expect(deletes.map((path) => new URL(path, origin).searchParams.get('disconnectedNodeAcknowledged'))).toEqual([null, 'true']);
  });
});

describe('the cluster namespace', () => {
  it('answers a standalone NiFi with NIFI_NOT_CLUSTERED and a disconnected node with NIFI_NODE_DISCONNECTED naming it', async () => {
    const pool = mockAgent().get(origin);
    const notConnected = 'Only a node connected to a cluster can process the request.';
    pool.intercept({ path: '/nifi-api/controller/cluster', method: 'GET' }).reply(404, notConnected, text).times(2);
    pool.intercept({ path: '/nifi-api/flow/cluster/summary', method: 'GET' }).reply(200, { clusterSummary: { clustered: false, connectedToCluster: false } }, json);
    pool.intercept({ path: '/nifi-api/flow/cluster/summary', method: 'GET' }).reply(200, { clusterSummary: { clustered: true, connectedToCluster: false } }, json);
    const nifi = client();
    await expect(nifi.cluster.nodes()).rejects.toMatchObject({ code: 'NIFI_NOT_CLUSTERED' });
    await expect(nifi.cluster.nodes()).rejects.toMatchObject({ code: 'NIFI_NODE_DISCONNECTED', nodes: ['127.0.0.1:18102'] });
  });

  it('refuses wrong-state node operations before sending anything, naming the node and the way out', async () => {
    const pool = mockAgent().get(origin);
    const node = (nodeId: string, apiPort: number, status: string) => ({ nodeId, address: '127.0.0.1', apiPort, status, roles: [] });
    const cluster = { cluster: { nodes: [node('n1', 18101, 'CONNECTED'), node('n2', 18102, 'DISCONNECTED'), node('n3', 18103, 'DISCONNECTED')] } };
    pool.intercept({ path: '/nifi-api/controller/cluster', method: 'GET' }).reply(200, cluster, json).times(4);
    const nifi = client();
    const offload = await nifi.cluster.offload('n1').catch((caught: unknown) => caught);
    expect(offload).toMatchObject({ code: 'NIFI_NODE_STATE', nodes: ['127.0.0.1:18101'] });
    expect((offload as Error).message).toContain('it is CONNECTED');
    expect((offload as Error).message).toContain('disconnect it first');
    await expect(nifi.cluster.remove('n1')).rejects.toMatchObject({ code: 'NIFI_NODE_STATE', message: expect.stringContaining('offload its data') });
    await expect(nifi.cluster.disconnect('n1')).rejects.toMatchObject({ code: 'NIFI_NODE_STATE', message: expect.stringContaining('only node connected') });
    await expect(nifi.cluster.connect('n9')).rejects.toMatchObject({ code: 'NIFI_UNKNOWN_COMPONENT', message: expect.stringContaining('127.0.0.1:18102 (n2)') });
  });
});

describe('an update request the cluster refused while a node was connecting', () => {
  const context = { id: 'c1', revision: { version: 4 }, component: { id: 'c1', name: 'iot-sensors', parameters: [] } };
  // NiFi 2.3.0's words in the update request's failureReason (seen on the 3-node cluster under load).
  const refusedWhileConnecting =
    'Failed to update Parameter Context due to org.apache.nifi.web.util.LifecycleManagementException: Failed to update Flow on all nodes in cluster due to Cluster is unable to service request to change flow: Node 127.0.0.1:18103 is currently connecting';

  it('is submitted again with the revision read again (nothing was changed), each request deleted, and then succeeds', async () => {
    const submitted: unknown[] = [];
    interceptContext(mockAgent(), origin, context);
    interceptUpdateRequests(mockAgent(), origin, 'c1', [refusedWhileConnecting, undefined], submitted);
    const updated = await client().parameterContexts.update('c1', { set: [{ name: 'who_pm25_limit', value: '15' }] });
    expect(updated.id).toBe('c1');
    expect(submitted).toHaveLength(2);
    expect(submitted.map((body) => (body as { revision: { version: number } }).revision.version)).toEqual([4, 4]);
  });

  it('is NIFI_CLUSTER_UNSTABLE when the cluster keeps refusing until the deadline, and any other failure is NIFI_ASYNC_REQUEST_FAILED, submitted once', async () => {
    interceptContext(mockAgent(), origin, context);
    interceptUpdateRequests(mockAgent(), origin, 'c1', [refusedWhileConnecting]);
    // A deadline shorter than the pause before another attempt: refused once, then given up.
    const unstable = await client().parameterContexts.update('c1', { set: [{ name: 'a', value: '1' }] }, { timeoutMs: 500 }).catch((caught: unknown) => caught);
    expect(unstable).toMatchObject({ code: 'NIFI_CLUSTER_UNSTABLE' });
    expect((unstable as Error).message).toContain('127.0.0.1:18103 is currently connecting');

    interceptUpdateRequests(mockAgent(), origin, 'c1', ['Failed to update Parameter Context: processor p1 is invalid']);
    const failed = await client().parameterContexts.update('c1', { set: [{ name: 'a', value: '1' }] }).catch((caught: unknown) => caught);
    expect(failed).toMatchObject({ code: 'NIFI_ASYNC_REQUEST_FAILED' });
  });
});
