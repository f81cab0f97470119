import type { TrinoClient } from '@dataplat/trino';

export interface CustomerRevenue {
  name: string;
  orders: bigint;
  /** decimal(38,2) as exact text. */
  revenue: string;
}

/** The customers with the most revenue in a market segment, with a bound parameter and a time limit. */
export async function topCustomers(trino: TrinoClient, segment: string, limit: number): Promise<CustomerRevenue[]> {
  return trino
    .query<CustomerRevenue>(
      `SELECT c.name, count(*) AS orders, CAST(sum(o.totalprice) AS DECIMAL(38, 2)) AS revenue
       FROM tpch.tiny.customer c JOIN tpch.tiny.orders o ON o.custkey = c.custkey
       WHERE c.mktsegment = ?
       GROUP BY c.name ORDER BY revenue DESC, c.name LIMIT ?`,
      { params: [segment, limit], signal: AbortSignal.timeout(30_000) },
    )
    .all();
}
