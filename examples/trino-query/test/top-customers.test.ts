// examples/trino-query runs for real, so it cannot rot.
import { describe, expect, inject, it } from 'vitest';
import { createTrinoClient } from '@dataplat/trino';
import { topCustomers } from '../src/top-customers.ts';

describe('examples/trino-query', () => {
  it('returns typed, exact rows for a bound parameter', async () => {
    const endpoint = inject('stackEndpoints').trino!;
    const trino = createTrinoClient({ server: endpoint.url, user: endpoint.user });
    const customers = await topCustomers(trino, 'BUILDING', 3);
    // A hostile "segment" is just a value that matches nothing.
    expect(await topCustomers(trino, "x' OR '1'='1", 3)).toEqual([]);
    await trino.close();
    expect(customers).toHaveLength(3);
    for (const customer of customers) {
      expect(typeof customer.orders).toBe('bigint');
      expect(customer.revenue).toMatch(/^\d+\.\d{2}$/);
    }
    expect(Number(customers[0]!.revenue)).toBeGreaterThanOrEqual(Number(customers[1]!.revenue));
  });
});
