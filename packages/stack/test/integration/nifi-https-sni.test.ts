// What NiFi's HTTPS really does with TLS SNI (docs/nifi.md "Connecting"): an IP address the certificate names works,
// because clients send no SNI for IP addresses; a host name the certificate doesn't name gets 400 Invalid SNI.
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { afterAll, describe, expect, inject, it } from 'vitest';

describe('the HTTPS NiFi and SNI', () => {
  const nifiHttps = inject('stackEndpoints').nifiHttps!;
  const port = new URL(nifiHttps.apiUrl).port;
  const agents: Agent[] = [];
  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.close()));
  });

  async function agentTrustingTheStackCa(connect: { servername?: string; checkServerIdentity?: () => undefined } = {}): Promise<Agent> {
    const agent = new Agent({ connect: { ca: await readFile(nifiHttps.caCertificateFile, 'utf8'), ...connect } });
    agents.push(agent);
    return agent;
  }

  it('logs in at https://127.0.0.1 with full certificate verification', async () => {
    const response = await request(`https://127.0.0.1:${port}/nifi-api/access/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: nifiHttps.username, password: nifiHttps.password }).toString(),
      dispatcher: await agentTrustingTheStackCa(),
    });
    expect(response.statusCode).toBe(201);
    expect((await response.body.text()).split('.')).toHaveLength(3); // a JWT
  });

  it('answers 400 Invalid SNI to a host name its certificate does not name', async () => {
    // The chain is still verified against the stack's CA; only the name check is left to NiFi, which is the point here.
    const dispatcher = await agentTrustingTheStackCa({ servername: 'nifi.example.test', checkServerIdentity: () => undefined });
    const response = await request(`https://127.0.0.1:${port}/nifi-api/access/config`, { dispatcher, headers: { host: `nifi.example.test:${port}` } });
    expect(response.statusCode).toBe(400);
    expect(await response.body.text()).toContain('Invalid SNI');
  });
});
