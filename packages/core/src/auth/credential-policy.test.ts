// Issue 14, finding 7: credentials never travel over plain http to a host other than loopback unless the
// caller says allowInsecureAuth — one rule in core for every client, checked before anything is sent.
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createHttpTransport } from '../http/http-transport.ts';
import { isLoopbackHost, mayCarryCredentials } from './credential-policy.ts';
import { bearerAuthentication } from './token-authentication.ts';

describe('mayCarryCredentials', () => {
  it('allows https anywhere and plain http only to loopback hosts', () => {
    expect(mayCarryCredentials(new URL('https://nifi.example.com:8443/nifi-api'))).toBe(true);
    for (const loopback of ['http://127.0.0.1:18082', 'http://127.8.9.10/', 'http://localhost:8080', 'http://LOCALHOST.:1', 'http://[::1]:8080']) {
      expect(mayCarryCredentials(new URL(loopback)), loopback).toBe(true);
    }
    for (const remote of ['http://airflow.example.com', 'http://10.0.0.5:8080', 'http://[::2]/', 'http://localhost.example.com/', 'http://127.0.0.1.nip.io/', 'http://api.localhost/', 'ftp://127.0.0.1/']) {
      expect(mayCarryCredentials(new URL(remote)), remote).toBe(false);
    }
    expect(mayCarryCredentials(new URL('http://airflow.example.com'), { allowInsecureAuth: true })).toBe(true);
  });

  it('recognises loopback host names exactly', () => {
    expect([isLoopbackHost('127.0.0.1'), isLoopbackHost('[::1]'), isLoopbackHost('::1'), isLoopbackHost('localhost')]).toEqual([true, true, true, true]);
    expect([isLoopbackHost('128.0.0.1'), isLoopbackHost('0.0.0.0'), isLoopbackHost('localhostx')]).toEqual([false, false, false]);
  });
});

describe('the transport refuses credentials over plain http to a remote host', () => {
  it('throws INSECURE_AUTH when created, before any request, naming the origin and not the token', () => {
    const create = () =>
      createHttpTransport({ baseUrl: 'http://trino.example.com:8080', serviceName: 'Trino', authentication: bearerAuthentication('token-0123456789-distinctive', 'Trino') });
    expect(create).toThrow(expect.objectContaining({ code: 'INSECURE_AUTH', message: expect.stringContaining('http://trino.example.com:8080') }));
    expect(() => create()).toThrow(expect.not.objectContaining({ message: expect.stringContaining('token-0123456789') }));
  });

  it('takes a login function (credentials it will post) the same way', () => {
    expect(() =>
      createHttpTransport({ baseUrl: 'http://nifi.example.com:8080/nifi-api', serviceName: 'NiFi', authentication: () => bearerAuthentication('t-0123456789', 'NiFi') }),
    ).toThrow(expect.objectContaining({ code: 'INSECURE_AUTH' }));
  });

  it('sends them to loopback over http, to anything over https, and to a remote http host when allowInsecureAuth is set', async () => {
    const mockAgent = new MockAgent();
    mockAgent.disableNetConnect();
    const seen: string[] = [];
    for (const origin of ['http://127.0.0.1:18082', 'https://airflow.example.com', 'http://airflow.example.com']) {
      mockAgent
        .get(origin)
        .intercept({ path: '/api/v2/version', method: 'GET' })
        .reply((request) => {
          seen.push(`${origin} ${(request.headers as Record<string, string>)['authorization']}`);
          return { statusCode: 200, data: '{}', responseOptions: { headers: { 'content-type': 'application/json' } } };
        });
      const transport = createHttpTransport({
        baseUrl: origin,
        dispatcher: mockAgent,
        authentication: bearerAuthentication('abc-token', 'Airflow'),
        allowInsecureAuth: origin === 'http://airflow.example.com',
      });
      await transport.request({ method: 'GET', path: '/api/v2/version' });
    }
    expect(seen).toEqual(['http://127.0.0.1:18082 Bearer abc-token', 'https://airflow.example.com Bearer abc-token', 'http://airflow.example.com Bearer abc-token']);
    await mockAgent.close();
  });

  it('lets a transport without credentials talk plain http to anything', async () => {
    const mockAgent = new MockAgent();
    mockAgent.disableNetConnect();
    mockAgent.get('http://nifi.example.com:8080').intercept({ path: '/nifi-api/flow/about', method: 'GET' }).reply(200, 'ok');
    const transport = createHttpTransport({ baseUrl: 'http://nifi.example.com:8080/nifi-api', dispatcher: mockAgent });
    await expect(transport.request({ method: 'GET', path: '/flow/about', responseType: 'text' })).resolves.toMatchObject({ status: 200, body: 'ok' });
    await mockAgent.close();
  });
});
