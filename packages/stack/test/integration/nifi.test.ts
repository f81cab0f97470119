import { readFile } from 'node:fs/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

interface ProcessGroupEntity {
  id: string;
  revision: { version: number };
  component: { name: string; parentGroupId: string };
}

async function nifiCall(url: string, init: { method?: Dispatcher.HttpMethod; body?: unknown; token?: string; dispatcher?: Dispatcher } = {}) {
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : null,
    ...(init.dispatcher ? { dispatcher: init.dispatcher } : {}),
  });
  const text = await response.body.text();
  return { status: response.statusCode, text, json: () => JSON.parse(text) as unknown };
}

/** Create, read and delete a process group under the root group: the REST round trip every client needs. */
async function processGroupRoundTrip(apiUrl: string, auth: { token?: string; dispatcher?: Dispatcher } = {}) {
  const name = `stack-smoke-${Date.now()}`;
  const created = await nifiCall(`${apiUrl}/process-groups/root/process-groups`, {
    ...auth,
    method: 'POST',
    body: { revision: { version: 0, clientId: 'dataplat-stack-test' }, component: { name, position: { x: 0, y: 0 } } },
  });
  expect(created.status).toBe(201);
  const group = created.json() as ProcessGroupEntity;
  expect(group.component.name).toBe(name);

  const read = await nifiCall(`${apiUrl}/process-groups/${group.id}`, auth);
  expect(read.status).toBe(200);
  expect((read.json() as ProcessGroupEntity).component.name).toBe(name);

  const deleted = await nifiCall(`${apiUrl}/process-groups/${group.id}?version=${group.revision.version}&clientId=dataplat-stack-test`, { ...auth, method: 'DELETE' });
  expect(deleted.status).toBe(200);
  expect((await nifiCall(`${apiUrl}/process-groups/${group.id}`, auth)).status).toBe(404);
}

describe('NiFi over plain HTTP (anonymous)', () => {
  const endpoint = inject('stackEndpoints').nifi;

  it('reports the assembled NiFi version', async () => {
    const about = await nifiCall(`${endpoint!.apiUrl}/flow/about`);
    expect(about.status).toBe(200);
    expect(about.json()).toMatchObject({ about: { title: 'NiFi', version: '2.3.0' } });
  });

  it('creates, reads and deletes a process group', async () => {
    await processGroupRoundTrip(endpoint!.apiUrl);
  });

  it('has the standard processors, record services and DBCP pool that the examples use', async () => {
    const processors = (await nifiCall(`${endpoint!.apiUrl}/flow/processor-types`)).json() as { processorTypes: Array<{ type: string }> };
    const processorTypes = processors.processorTypes.map((entry) => entry.type.split('.').at(-1));
    expect(processorTypes).toEqual(expect.arrayContaining(['ListenHTTP', 'ValidateRecord', 'PutDatabaseRecord', 'QueryDatabaseTableRecord', 'InvokeHTTP', 'UpdateAttribute', 'GenerateFlowFile']));
    const services = (await nifiCall(`${endpoint!.apiUrl}/flow/controller-service-types`)).json() as { controllerServiceTypes: Array<{ type: string }> };
    const serviceTypes = services.controllerServiceTypes.map((entry) => entry.type.split('.').at(-1));
    expect(serviceTypes).toEqual(expect.arrayContaining(['JsonTreeReader', 'JsonRecordSetWriter', 'DBCPConnectionPool']));
  });
});

describe('NiFi over HTTPS with single-user credentials', () => {
  const endpoint = inject('stackEndpoints').nifiHttps!;
  let dispatcher: Agent;

  beforeAll(async () => {
    // Verification stays on: the test trusts the stack's certificate instead of disabling checks.
    dispatcher = new Agent({ connect: { ca: await readFile(endpoint.caCertificateFile, 'utf8') } });
  });
  afterAll(() => dispatcher.close());

  async function token(username: string, password: string) {
    const response = await request(`${endpoint.apiUrl}/access/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
      dispatcher,
    });
    return { status: response.statusCode, body: await response.body.text() };
  }

  it('issues a JWT for the configured user and refuses a wrong password', async () => {
    const granted = await token(endpoint.username, endpoint.password);
    expect(granted.status).toBe(201);
    expect(granted.body.split('.')).toHaveLength(3);
    const refused = await token(endpoint.username, `${endpoint.password}-wrong`);
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
  });

  it('rejects anonymous requests', async () => {
    expect((await nifiCall(`${endpoint.apiUrl}/flow/process-groups/root`, { dispatcher })).status).toBe(401);
  });

  it('creates, reads and deletes a process group with a bearer token', async () => {
    const granted = await token(endpoint.username, endpoint.password);
    await processGroupRoundTrip(endpoint.apiUrl, { token: granted.body, dispatcher });
  });

  it('refuses a client that does not trust the stack certificate', async () => {
    await expect(request(`${endpoint.apiUrl}/flow/about`)).rejects.toThrow(/certificate/i);
  });
});
