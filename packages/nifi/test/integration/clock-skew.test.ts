// Issue 14, finding 8, against the real HTTPS NiFi: with this machine's clock 13 hours fast (Date faked, timers
// real), the token NiFi issues (8 to 12 hours) looks expired at birth by the local clock; judged on NiFi's clock
// (the token's iat) it serves all 20 requests — one login, not twenty.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';

const nifiHttps = inject('stackEndpoints').nifiHttps!;
afterEach(() => void vi.useRealTimers());

describe('a local clock far from NiFi’s', () => {
  it.each([
    ['13 hours fast (past the lifetime of its tokens)', 13 * 3_600_000],
    ['an hour slow', -3_600_000],
  ])('%s: 20 requests, 1 login, every request answered', async (_, skewMs) => {
    const ca = await readFile(nifiHttps.caCertificateFile, 'utf8');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + skewMs, shouldAdvanceTime: true });
    const logins: number[] = [];
    const nifi = createNifiClient({
      baseUrl: nifiHttps.apiUrl,
      auth: { username: nifiHttps.username, password: nifiHttps.password },
      tls: { ca },
      middleware: [{ onResponse: ({ method, url, status }) => void (method === 'POST' && url.endsWith('/access/token') && logins.push(status)) }],
    });
    try {
      for (let request = 0; request < 20; request++) expect((await nifi.system.about()).version).toBe('2.3.0');
      expect(logins).toEqual([201]);
    } finally {
      await nifi.close();
    }
  });
});
