// Issue 14, finding 8, against the real Airflow: with this machine's clock 2 hours fast (Date faked, timers
// real), a token Airflow issues looks expired at birth by the local clock; judged on Airflow's clock (the
// token's iat) it is used for all 20 requests — one login, not twenty.
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { createAirflowClient } from '@dataplat/airflow';

const airflowEndpoint = inject('stackEndpoints').airflow!;
afterEach(() => void vi.useRealTimers());

describe('a local clock far from Airflow’s', () => {
  it.each([
    ['2 hours fast', 2 * 3_600_000],
    ['25 hours fast (past even the 24-hour tokens)', 25 * 3_600_000],
    ['an hour slow', -3_600_000],
  ])('%s: 20 requests, 1 login, every request answered', async (_, skewMs) => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + skewMs, shouldAdvanceTime: true });
    const logins: string[] = [];
    const airflow = createAirflowClient({
      baseUrl: airflowEndpoint.url,
      auth: airflowEndpoint.admin,
      middleware: [{ onResponse: ({ method, url, status }) => void (method === 'POST' && new URL(url).pathname === '/auth/token' && logins.push(String(status))) }],
    });
    try {
      for (let request = 0; request < 20; request++) expect((await airflow.pools.list()).map((pool) => pool.name)).toContain('default_pool');
      expect(logins).toEqual(['201']);
    } finally {
      await airflow.close();
    }
  });
});
