// Issue 14, finding 8: a token's expiry is judged on the server's clock (its iat), so a local clock that is
// off never turns every request into a login; and requests refused together renew the token once.
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport } from '../http/http-transport.ts';
import { renewalTime, tokenAuthentication } from './token-authentication.ts';

const origin = 'https://service.test';
const hour = 3_600_000;
let mockAgent: MockAgent | undefined;
afterEach(async () => {
  mockAgent?.assertNoPendingInterceptors();
  await mockAgent?.close();
  mockAgent = undefined;
});

/** A JWT as a server whose clock reads `serverNow` issues it, valid for `lifetimeMs`. */
function jwt(serverNow: number, lifetimeMs: number, claims: { iat?: boolean } = { iat: true }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const seconds = Math.floor(serverNow / 1000);
  return `${encode({ alg: 'HS512' })}.${encode({ sub: 'ana', ...(claims.iat ? { iat: seconds } : {}), exp: seconds + lifetimeMs / 1000 })}.c2lnbmF0dXJl`;
}

/** A transport that logs in at POST /login (counting logins) and serves GET /data, with a settable local clock. */
function setup(issue: () => string) {
  let logins = 0;
  let localNow = Date.now();
  mockAgent = new MockAgent();
  mockAgent.disableNetConnect();
  const pool = mockAgent.get(origin);
  pool.intercept({ path: '/login', method: 'POST' }).reply(() => {
    logins += 1;
    return { statusCode: 200, data: issue() };
  }).persist();
  const transport = createHttpTransport({
    baseUrl: origin,
    dispatcher: mockAgent,
    authentication: (self) =>
      tokenAuthentication({
        secrets: ['the-password'],
        defaultLifetimeMs: hour,
        now: () => localNow,
        login: async (signal) => (await self.request<string>({ method: 'POST', path: '/login', anonymous: true, responseType: 'text', signal })).body,
      }),
  });
  return { pool, transport, logins: () => logins, advance: (milliseconds: number) => void (localNow += milliseconds), localNow: () => localNow };
}

describe('tokenAuthentication and clock skew', () => {
  it('logs in once for 20 requests when the local clock is 2 hours fast (the 1-hour token looks expired at birth)', async () => {
    const { pool, transport, logins } = setup(() => jwt(Date.now() - 2 * hour, hour));
    pool.intercept({ path: '/data', method: 'GET' }).reply(200, 'ok').times(20);
    for (let request = 0; request < 20; request++) await transport.request({ method: 'GET', path: '/data', responseType: 'text' });
    expect(logins()).toBe(1);
  });

  it('also when the token has no iat: an exp already past locally is left to the server to judge (401)', async () => {
    const { pool, transport, logins } = setup(() => jwt(Date.now() - 2 * hour, hour, { iat: false }));
    pool.intercept({ path: '/data', method: 'GET' }).reply(200, 'ok').times(20);
    for (let request = 0; request < 20; request++) await transport.request({ method: 'GET', path: '/data', responseType: 'text' });
    expect(logins()).toBe(1);
  });

  it('renews on the server clock: a quarter of the lifetime (at most a minute) before the server says it ends', async () => {
    const { pool, transport, logins, advance } = setup(() => jwt(Date.now() + 5 * hour, 10 * 60_000));
    pool.intercept({ path: '/data', method: 'GET' }).reply(200, 'ok').times(3);
    await transport.request({ method: 'GET', path: '/data', responseType: 'text' });
    advance(8 * 60_000 + 59_000); // 8:59 of a 10-minute token: still used
    await transport.request({ method: 'GET', path: '/data', responseType: 'text' });
    expect(logins()).toBe(1);
    advance(2_000); // past 9:00: renewed
    await transport.request({ method: 'GET', path: '/data', responseType: 'text' });
    expect(logins()).toBe(2);
  });

  it('renews once when 20 concurrent requests are refused with the same token', async () => {
    let issued = 0;
    const { pool, transport, logins } = setup(() => `token-${++issued}`);
    pool.intercept({ path: '/data', method: 'GET', headers: { authorization: 'Bearer token-1' } }).reply(401, 'expired').times(20);
    pool.intercept({ path: '/data', method: 'GET', headers: { authorization: 'Bearer token-2' } }).reply(200, 'ok').times(20);
    const answers = await Promise.all(Array.from({ length: 20 }, () => transport.request({ method: 'GET', path: '/data', responseType: 'text' })));
    expect(answers.every((answer) => answer.body === 'ok')).toBe(true);
    expect(logins()).toBe(2);
  });
});

describe('renewalTime', () => {
  const requestedAt = 1_000_000_000_000;
  it('counts the lifetime from the local request time, whatever the server clock says', () => {
    for (const skew of [-2 * hour, 0, 3 * hour]) {
      expect(renewalTime(jwt(requestedAt + skew, hour), requestedAt, requestedAt + 50, hour)).toBe(requestedAt + hour - 60_000);
    }
    expect(renewalTime(jwt(requestedAt, 8_000), requestedAt, requestedAt, hour)).toBe(requestedAt + 6_000);
  });

  it('falls back to exp on the local clock without iat, and to the default lifetime without a JWT', () => {
    expect(renewalTime(jwt(requestedAt, hour, { iat: false }), requestedAt, requestedAt, hour)).toBe(requestedAt + hour - 60_000);
    expect(renewalTime(jwt(requestedAt - 2 * hour, hour, { iat: false }), requestedAt, requestedAt, hour)).toBe(Number.POSITIVE_INFINITY);
    expect(renewalTime('opaque-token', requestedAt, requestedAt, 8 * hour)).toBe(requestedAt + 8 * hour - 60_000);
  });
});
