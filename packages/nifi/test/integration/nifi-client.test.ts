// Every helper of @dataplat/nifi against the real NiFi of @dataplat/stack, over plain HTTP (anonymous)
// and over HTTPS (username/password login, the stack's CA trusted, verification on).
import { readFile } from 'node:fs/promises';
import { recordWireRequests } from '@dataplat/stack';
import { Agent } from 'undici';
import { describe, expect, inject, it } from 'vitest';
import type { MiddlewareRequest, MiddlewareResponse } from '@dataplat/core';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { describeClientCases, unique } from '../client-cases.ts';

const endpoints = inject('stackEndpoints');

interface Mode {
  name: string;
  create(): Promise<NifiClient>;
}

const modes: Mode[] = [
  { name: 'HTTP (anonymous)', create: async () => createNifiClient({ baseUrl: endpoints.nifi!.apiUrl }) },
  {
    name: 'HTTPS (username and password)',
    create: async () =>
      createNifiClient({
        baseUrl: endpoints.nifiHttps!.apiUrl,
        auth: { username: endpoints.nifiHttps!.username, password: endpoints.nifiHttps!.password },
        tls: { ca: await readFile(endpoints.nifiHttps!.caCertificateFile, 'utf8') },
      }),
  },
];

for (const mode of modes) describeClientCases(`@dataplat/nifi over ${mode.name}`, { create: mode.create, nodeCount: 1 });

describe('@dataplat/nifi authentication and TLS against the real NiFi', () => {
  it('refuses a wrong password with NIFI_LOGIN_FAILED, without the password anywhere in the error', async () => {
    const password = 'wrong-password-that-must-not-leak';
    const nifi = createNifiClient({
      baseUrl: endpoints.nifiHttps!.apiUrl,
      auth: { username: endpoints.nifiHttps!.username, password },
      tls: { ca: await readFile(endpoints.nifiHttps!.caCertificateFile, 'utf8') },
    });
    const error = await nifi.system.about().catch((caught: unknown) => caught);
    await nifi.close();
    expect(error).toMatchObject({ code: 'NIFI_LOGIN_FAILED' });
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain(password);
  });

  it('says that NiFi issues no tokens over plain HTTP', async () => {
    const nifi = createNifiClient({ baseUrl: endpoints.nifi!.apiUrl, auth: { username: 'someone', password: 'irrelevant-here' } });
    await expect(nifi.system.about()).rejects.toMatchObject({ code: 'NIFI_LOGIN_UNAVAILABLE' });
    await nifi.close();
  });

  it('accepts a bearer token obtained elsewhere, and rejects a forged one with UNAUTHORIZED', async () => {
    const ca = await readFile(endpoints.nifiHttps!.caCertificateFile, 'utf8');
    const login = await fetchToken(ca);
    const withToken = createNifiClient({ baseUrl: endpoints.nifiHttps!.apiUrl, auth: { token: login }, tls: { ca } });
    expect(await withToken.system.about()).toMatchObject({ title: 'NiFi' });
    await withToken.close();
    const forged = createNifiClient({ baseUrl: endpoints.nifiHttps!.apiUrl, auth: { token: `${login.slice(0, -4)}AAAA` }, tls: { ca } });
    const error = await forged.system.about().catch((caught: unknown) => caught);
    await forged.close();
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect((error as Error).message).not.toContain(login.slice(0, 20));
  });

  it('keeps TLS verification on: an untrusted certificate is a NETWORK error that says how to fix it', async () => {
    const nifi = createNifiClient({ baseUrl: endpoints.nifiHttps!.apiUrl, auth: { username: 'x', password: 'y' }, retry: false });
    const error = await nifi.system.about().catch((caught: unknown) => caught);
    await nifi.close();
    expect(error).toMatchObject({ code: 'NETWORK' });
    expect((error as { hint: string }).hint).toContain('tls.ca');
  });
});

describe('@dataplat/nifi middleware against the real NiFi', () => {
  it('sees every request the client sends over HTTPS, the /access/token login included, and adds headers to them', async () => {
    const { username, password, apiUrl, caCertificateFile } = endpoints.nifiHttps!;
    const agent = new Agent({ connect: { ca: await readFile(caCertificateFile, 'utf8') } });
    const wire = recordWireRequests(agent, 'x-dataplat-trace');
    const requests: MiddlewareRequest[] = [];
    const responses: MiddlewareResponse[] = [];
    const counted: string[] = [];
    const nifi = createNifiClient({
      baseUrl: apiUrl,
      auth: { username, password },
      dispatcher: wire.dispatcher,
      // The older callback option still works, on top of the middleware.
      onRequest: ({ method }) => void counted.push(method),
      middleware: [{ onRequest: (request) => void requests.push(request), onResponse: (response) => void responses.push(response) }],
    });
    const removeTracing = nifi.use({ onRequest: ({ attempt }) => ({ 'x-dataplat-trace': `attempt-${attempt}` }) });
    const groups: string[] = [];
    try {
      await nifi.system.about();
      const group = await nifi.processGroups.create('root', { name: unique() });
      groups.push(group.id);
      const definition = await nifi.processGroups.download(group.id);
      const copy = await nifi.processGroups.upload('root', definition, { name: unique() });
      groups.push(copy.id);
      removeTracing();
      await nifi.processGroups.get(copy.id);

      // The known call sequence of these operations: one login (NiFi answers it with 201), then one request each.
      const expected = [
        'POST /nifi-api/access/token 201',
        'GET /nifi-api/flow/about 200',
        'POST /nifi-api/process-groups/root/process-groups 201',
        `GET /nifi-api/process-groups/${group.id}/download 200`,
        'POST /nifi-api/process-groups/root/process-groups/upload 201',
        `GET /nifi-api/process-groups/${copy.id} 200`,
      ];
      expect(responses.map(({ method, url, status }) => `${method} ${new URL(url).pathname} ${status}`)).toEqual(expected);
      expect(responses.every((response) => response.service === 'NiFi' && response.attempt === 1 && response.durationMs > 0)).toBe(true);
      // ...and exactly what went out on the wire, with the added header until the middleware was removed.
      expect(wire.sent.map(({ method, path }) => `${method} ${path}`)).toEqual(expected.map((line) => line.replace(/ \d+$/, '')));
      expect(wire.sent.map(({ header }) => header)).toEqual([...Array(5).fill('attempt-1'), undefined]);
      expect(requests).toHaveLength(6);
      expect(counted).toEqual(['POST', 'GET', 'POST', 'GET', 'POST', 'GET']);
      // Hooks are shown no secret: no password, no token, no header.
      expect(JSON.stringify([requests, responses])).not.toContain(password);
      expect(JSON.stringify([requests, responses])).not.toMatch(/Bearer|eyJ/);
    } finally {
      for (const id of groups) await nifi.processGroups.delete(id).catch(() => undefined);
      await nifi.close();
      await agent.close();
    }
  });
});

async function fetchToken(ca: string): Promise<string> {
  const { createHttpTransport } = await import('@dataplat/core');
  const transport = createHttpTransport({ baseUrl: endpoints.nifiHttps!.apiUrl, tls: { ca } });
  const response = await transport.request<string>({
    method: 'POST',
    path: '/access/token',
    body: { form: { username: endpoints.nifiHttps!.username, password: endpoints.nifiHttps!.password } },
    responseType: 'text',
  });
  await transport.close();
  return response.body;
}
