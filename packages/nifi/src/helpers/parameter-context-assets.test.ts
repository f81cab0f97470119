// What the assets helpers decide without NiFi — names and sizes refused before sending, the upload's retry on a 503 —
// and NiFi's asset refusals a standalone NiFi cannot produce (a cluster node out), on undici's MockAgent. The happy
// paths and the real 409 of a referenced asset are proven against the real NiFi in test/integration.
import { beforeEach, describe, expect, it } from 'vitest';
import { createNifiClient } from '../client/create-nifi-client.ts';
import { classifyNifiError } from '../client/nifi-errors.ts';
import { assetNameProblem, maxAssetBytes } from './parameter-context-assets.ts';
import { useMockAgent } from '../../../core/test/mock-agent.ts';
import { interceptContext, interceptUpdateRequests } from '../../test/mock-update-request.ts';

const mockAgent = useMockAgent();

const origin = 'http://127.0.0.1:18102';
const contextId = '2cf7278d-01a2-1000-856c-4afedf642f5d';
let sent: string[];

beforeEach(() => {
  sent = [];
});

const client = () =>
  createNifiClient({
    baseUrl: `${origin}/nifi-api`,
    dispatcher: mockAgent(),
    retry: { retries: 2, initialDelayMs: 1 },
    onRequest: ({ method, url }) => void sent.push(`${method} ${url}`),
  });
const classify = (status: number, body: string) => classifyNifiError({ status, body, method: 'DELETE', path: '/nifi-api/x' }, { calledNode: '127.0.0.1:18102' });

describe('assetNameProblem', () => {
  it('accepts the names NiFi 2.3.0 took and names what is wrong with those it refused', () => {
    for (const name of ['postgresql-42.7.4.jar', 'a..b', '.hidden', "x!#$%&'()+,;=@[]^_`{}~y.jar", 'a'.repeat(255)]) expect(assetNameProblem(name)).toBeUndefined();
    expect(assetNameProblem('')).toBe('it is empty');
    expect(assetNameProblem('..')).toContain('directory');
    expect(assetNameProblem('../driver.jar')).toContain('"/"');
    expect(assetNameProblem('lib\\driver.jar')).toContain('"\\"');
    for (const character of [':', '*', '?', '"', '<', '>', '|']) expect(assetNameProblem(`x${character}y`)).toContain(`"${character}"`);
    expect(assetNameProblem('my driver.jar')).toContain('whitespace');
    expect(assetNameProblem('pilote-ü.jar')).toContain('U+00FC');
    expect(assetNameProblem('a'.repeat(256))).toContain('256 characters');
  });
});

describe('parameterContexts.assets.upload before sending', () => {
  it('refuses a name with a path separator or an empty one with INVALID_OPTIONS naming the field, and sends nothing', async () => {
    const nifi = client();
    for (const name of ['drivers/postgresql.jar', '']) {
      const error = await nifi.parameterContexts.assets.upload(contextId, { name, content: new Uint8Array([1]) }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
      expect((error as Error).message).toContain('field "name"');
    }
    expect(sent).toEqual([]);
  });

  it('refuses content over NiFi\'s 1 GiB before sending it', async () => {
    // A one-byte array that reports one byte over the limit: the check reads byteLength, nothing is allocated.
    const oversized = Object.defineProperty(new Uint8Array(1), 'byteLength', { value: maxAssetBytes + 1 });
    const error = await client().parameterContexts.assets.upload(contextId, { name: 'huge.bin', content: oversized }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect((error as Error).message).toContain('field "content"');
    expect(sent).toEqual([]);
  });

  it('refuses a parameter with both a value and assets, or sensitive with assets, before sending', async () => {
    const nifi = client();
    await expect(nifi.parameterContexts.create({ name: 'c', parameters: [{ name: 'driver', value: '/tmp/x.jar', assets: [{ id: 'a' }] }] })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('"value" and "assets"'),
    });
    await expect(nifi.parameterContexts.create({ name: 'c', parameters: [{ name: 'driver', value: null, sensitive: true, assets: [{ id: 'a' }] }] })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('sensitive'),
    });
    expect(sent).toEqual([]);
  });
});

describe('parameterContexts.assets.upload on the wire', () => {
  it('sends the bytes with the Filename header and repeats the upload after a 503 (a same-name upload replaces: declared repeatable)', async () => {
    const content = new Uint8Array([0xca, 0xfe, 0xba, 0xbe]);
    const bodies: string[] = [];
    const pool = mockAgent().get(origin);
    const path = `/nifi-api/parameter-contexts/${contextId}/assets`;
    pool
      .intercept({ path, method: 'POST', headers: { filename: 'driver.jar', 'content-type': 'application/octet-stream' } })
      .reply(503, 'Service Unavailable', { headers: { 'content-type': 'text/plain' } });
    pool.intercept({ path, method: 'POST', headers: { filename: 'driver.jar' } }).reply((request) => {
      bodies.push(Buffer.from(request.body as Uint8Array).toString('hex'));
      return { statusCode: 200, data: { asset: { id: 'id-1', name: 'driver.jar', digest: 'abc', missingContent: false } }, responseOptions: { headers: { 'content-type': 'application/json' } } };
    });
    const asset = await client().parameterContexts.assets.upload(contextId, { name: 'driver.jar', content });
    expect(asset).toEqual({ id: 'id-1', name: 'driver.jar', digest: 'abc', missingContent: false });
    expect(bodies).toEqual(['cafebabe']);
    expect(sent).toHaveLength(2);
  });
});

describe('NiFi\'s asset refusals', () => {
  // NiFi 2.3.0's wording, as the stack's NiFi answered a DELETE of a referenced asset (ParameterContextResource).
  const referenced = 'Unable to delete Asset [7cec33fc-510f-3c72-8e97-2a939d1566b5] because it is currently references by Parameters [driver, other driver]';

  it('maps a referenced asset\'s 409 to NIFI_ASSET_IN_USE naming the parameters, also when a cluster node vetoes', () => {
    const inUse = classify(409, referenced);
    expect(inUse).toMatchObject({ code: 'NIFI_ASSET_IN_USE', detail: { parameters: ['driver', 'other driver'] } });
    expect(inUse?.hint).toContain('"other driver"');
    expect(inUse?.hint).toContain('value: null');
    expect(classify(409, `Node 127.0.0.1:18103 is unable to fulfill this request due to: ${referenced}`)).toMatchObject({
      code: 'NIFI_ASSET_IN_USE',
      detail: { parameters: ['driver', 'other driver'], nodes: ['127.0.0.1:18103'] },
    });
  });

  it('maps an upload refused while cluster nodes are out to NIFI_NODE_DISCONNECTED naming them', () => {
    const refused = classify(409, 'Cannot create an Asset because the following 2 nodes are not currently connected: [127.0.0.1:18103, 127.0.0.1:18101]');
    expect(refused).toMatchObject({ code: 'NIFI_NODE_DISCONNECTED', detail: { nodes: ['127.0.0.1:18103', '127.0.0.1:18101'] } });
    expect(refused?.hint).toContain('cluster.connect');
  });
});

describe('a parameter update racing NiFi\'s restart of the components using a replaced asset', () => {
  const context = { id: contextId, revision: { version: 7 }, component: { id: contextId, name: 'reader', parameters: [] } };
  // NiFi 2.3.0's failureReason, seen when its asynchronous restart after an asset upload started the processor again
  // between the update request stopping what ran and applying the change (the fresh-clone CI, under load).
  const restarted =
    "Failed to update Parameter Context due to java.lang.IllegalStateException: Cannot update parameter 'lookup_file' because it is referenced by UpdateAttribute[id=b0c77a49-a551-3b1f-866b-2e80731a7362], which is currently running";

  it('is submitted again (NiFi restored what it stopped and changed nothing), each request deleted, and then applies', async () => {
    const bodies: unknown[] = [];
    interceptContext(mockAgent(), origin, context);
    interceptUpdateRequests(mockAgent(), origin, contextId, [restarted, undefined], bodies);
    await client().parameterContexts.update(contextId, { set: [{ name: 'lookup_file', value: null, assets: [{ id: 'a1' }] }] });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(sent.filter((request) => request.startsWith('DELETE'))).toHaveLength(2);
  });

  it('fails with NiFi\'s reason, NIFI_ASYNC_REQUEST_FAILED, when the component is still started again at the deadline', async () => {
    interceptContext(mockAgent(), origin, context);
    interceptUpdateRequests(mockAgent(), origin, contextId, [restarted]);
    // A deadline shorter than the pause before another attempt: found running once, then given up.
    const failed = await client().parameterContexts.update(contextId, { set: [{ name: 'lookup_file', value: null, assets: [{ id: 'a1' }] }] }, { timeoutMs: 500 }).catch((caught: unknown) => caught);
    expect(failed).toMatchObject({ code: 'NIFI_ASYNC_REQUEST_FAILED' });
    expect((failed as Error).message).toContain("Cannot update parameter 'lookup_file' because it is referenced by UpdateAttribute");
  });
});
