// Parameter-context assets against the real NiFi 2.3.0 of @dataplat/stack: upload, list with NiFi's SHA-256, read back,
// replace by name, bind to a parameter that a processor reads the file through, and the refusal to delete a referenced asset.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { createNifiClient, type HttpError } from '@dataplat/nifi';
import { unique } from '../client-cases.ts';

const endpoints = inject('stackEndpoints');
const nifi = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl });
const createdGroups: string[] = [];
const createdContexts: string[] = [];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

afterAll(async () => {
  // Groups first (they use the contexts), then the contexts: NiFi deletes a context's assets with it.
  for (const id of createdGroups) await nifi.processGroups.delete(id);
  for (const id of createdContexts) await nifi.parameterContexts.delete(id);
  await nifi.close();
});

async function newContext() {
  const context = await nifi.parameterContexts.create({ name: unique() });
  createdContexts.push(context.id);
  return context;
}

describe('parameter context assets on the real NiFi', () => {
  it('uploads bytes, lists them with their SHA-256, reads them back byte for byte, and replaces a name in place (same id, new digest)', async () => {
    const context = await newContext();
    // Binary content with every byte value, so no text decoding on the way would go unnoticed.
    const original = new Uint8Array([...Array.from({ length: 256 }, (_, value) => value), ...randomBytes(200_000)]);
    const uploaded = await nifi.parameterContexts.assets.upload(context.id, { name: 'driver.jar', content: original });
    expect(uploaded).toEqual({ id: expect.any(String), name: 'driver.jar', digest: sha256(original), missingContent: false });
    expect(await nifi.parameterContexts.assets.list(context.id)).toEqual([uploaded]);
    expect(Buffer.compare(await nifi.parameterContexts.assets.content(context.id, uploaded.id), original)).toBe(0);

    const replacement = randomBytes(4096);
    const replaced = await nifi.parameterContexts.assets.upload(context.id, { name: 'driver.jar', content: replacement });
    expect(replaced).toEqual({ id: uploaded.id, name: 'driver.jar', digest: sha256(replacement), missingContent: false });
    expect(replaced.digest).not.toBe(uploaded.digest);
    expect(await nifi.parameterContexts.assets.list(context.id)).toEqual([replaced]);
    expect(Buffer.compare(await nifi.parameterContexts.assets.content(context.id, uploaded.id), replacement)).toBe(0);
  });

  it('binds a parameter to an asset: NiFi reports the reference and the file\'s absolute path, a processor reads the file through #{driver}; a referenced asset is not deleted (NIFI_ASSET_IN_USE) until unbound', async () => {
    const context = await newContext();
    const content = randomBytes(1024);
    const asset = await nifi.parameterContexts.assets.upload(context.id, { name: 'driver.jar', content });

    const bound = await nifi.parameterContexts.update(context.id, { set: [{ name: 'driver', value: null, assets: [{ id: asset.id }] }] });
    const parameter = bound.component.parameters?.find((entry) => entry.parameter?.name === 'driver')?.parameter;
    expect(parameter?.referencedAssets).toEqual([{ id: asset.id, name: 'driver.jar' }]);
    // NiFi reports the parameter's value as the asset's file on the node: <assets directory>/<context id>/<name>.
    const path = parameter?.value ?? '';
    expect(isAbsolute(path)).toBe(true);
    expect(path.endsWith(`/${context.id}/driver.jar`)).toBe(true);

    // A processor sees the same: UpdateAttribute copies #{driver} into an attribute, FetchFile reads the file it names.
    const group = await nifi.processGroups.create('root', { name: unique() });
    createdGroups.push(group.id);
    await nifi.processGroups.bindParameterContext(group.id, context.id);
    const generate = await nifi.processors.create(group.id, { name: 'generate', type: 'GenerateFlowFile', config: { properties: { 'File Size': '0B' }, schedulingPeriod: '1 hour' } });
    const tag = await nifi.processors.create(group.id, { name: 'tag', type: 'UpdateAttribute', config: { properties: { 'driver.path': '#{driver}' } } });
    const fetch = await nifi.processors.create(group.id, {
      name: 'fetch',
      type: 'FetchFile',
      config: { properties: { 'File to Fetch': '#{driver}' }, autoTerminatedRelationships: ['not.found', 'permission.denied', 'failure'] },
    });
    const funnel = await nifi.funnels.create(group.id, {});
    await nifi.connections.create(group.id, { source: { id: generate.id, groupId: group.id, type: 'PROCESSOR' }, destination: { id: tag.id, groupId: group.id, type: 'PROCESSOR' }, selectedRelationships: ['success'] });
    await nifi.connections.create(group.id, { source: { id: tag.id, groupId: group.id, type: 'PROCESSOR' }, destination: { id: fetch.id, groupId: group.id, type: 'PROCESSOR' }, selectedRelationships: ['success'] });
    const fetched = await nifi.connections.create(group.id, {
      source: { id: fetch.id, groupId: group.id, type: 'PROCESSOR' },
      destination: { id: funnel.id, groupId: group.id, type: 'FUNNEL' },
      selectedRelationships: ['success'],
    });
    expect((await nifi.processors.get(fetch.id)).validation).toEqual({ status: 'VALID', errors: [] });

    await nifi.processGroups.start(group.id);
    await pollUntil(
      async () => {
        const queued = (await nifi.connections.statusPerNode(fetched.id)).aggregate.flowFilesQueued ?? 0;
        return queued >= 1 ? { done: true, value: queued } : { done: false, progress: `${queued} fetched` };
      },
      { description: 'FetchFile to pass on the asset it read', timeoutMs: 120_000 },
    );
    await nifi.processGroups.stop(group.id);
    const listing = await nifi.connections.listQueue(fetched.id);
    expect(listing.flowFiles).toHaveLength(1);
    const flowFile = listing.flowFiles[0]!;
    expect((await nifi.connections.queuedAttributes(fetched.id, flowFile))['driver.path']).toBe(path);
    expect(Buffer.compare(await nifi.connections.queuedContent(fetched.id, flowFile), content)).toBe(0);

    // Referenced: NiFi keeps it, and the error says by which parameter and what to do.
    const refused = await nifi.parameterContexts.assets.delete(context.id, asset.id).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'NIFI_ASSET_IN_USE', status: 409, detail: { parameters: ['driver'] } });
    expect((refused as HttpError).hint).toContain('"driver"');
    expect(await nifi.parameterContexts.assets.list(context.id)).toEqual([asset]);

    // Setting the parameter without assets drops the reference; then the asset goes.
    const unbound = await nifi.parameterContexts.update(context.id, { set: [{ name: 'driver', value: null }] });
    expect(unbound.component.parameters?.find((entry) => entry.parameter?.name === 'driver')?.parameter?.referencedAssets ?? []).toEqual([]);
    await nifi.parameterContexts.assets.delete(context.id, asset.id);
    expect(await nifi.parameterContexts.assets.list(context.id)).toEqual([]);
    await expect(nifi.parameterContexts.assets.content(context.id, asset.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('uploads and reads back over HTTPS with a username/password login', async () => {
    const https = endpoints.nifiHttps!;
    const secure = createNifiClient({ baseUrl: https.apiUrl, auth: { username: https.username, password: https.password }, tls: { ca: await readFile(https.caCertificateFile, 'utf8') } });
    const context = await secure.parameterContexts.create({ name: unique() });
    try {
      const content = randomBytes(64 * 1024);
      const asset = await secure.parameterContexts.assets.upload(context.id, { name: 'truststore.p12', content });
      expect(asset.digest).toBe(sha256(content));
      expect(Buffer.compare(await secure.parameterContexts.assets.content(context.id, asset.id), content)).toBe(0);
      await secure.parameterContexts.assets.delete(context.id, asset.id);
      expect(await secure.parameterContexts.assets.list(context.id)).toEqual([]);
    } finally {
      await secure.parameterContexts.delete(context.id);
      await secure.close();
    }
  });
});
