// A dashboard question asked twice through @dataplat/trino: the first (cold) run is what the first viewer
// waits for — Trino fetches the catalog's metadata and compiles the query's code —, the second (warm) run
// is what every refresh sees. Both are reported, the client's wall time and Trino's own elapsed time.
import type { TrinoClient } from '@dataplat/trino';

export interface DashboardQuestion {
  name: string;
  sql: string;
  columns: string[];
  /** The rows of the warm run. */
  rows: unknown[][];
  /** Wall time of the first run, in the client (ms). */
  coldMs: number;
  /** Wall time of the second run, in the client (ms). */
  warmMs: number;
  /** Trino's elapsed time of each run (queued, planning and execution; ms), when it reported one. */
  serverColdMs: number | undefined;
  serverWarmMs: number | undefined;
}

export async function askTwice(trino: TrinoClient, name: string, sql: string): Promise<DashboardQuestion> {
  const ask = async () => {
    const startedAt = performance.now();
    const result = trino.query(sql, { rowMode: 'array' });
    const rows = (await result.all()) as unknown as unknown[][];
    const ms = Math.round(performance.now() - startedAt);
    return { rows, ms, serverMs: result.stats?.elapsedTimeMillis, columns: (await result.columns()).map((column) => column.name) };
  };
  const cold = await ask();
  const warm = await ask();
  return { name, sql, columns: warm.columns, rows: warm.rows, coldMs: cold.ms, warmMs: warm.ms, serverColdMs: cold.serverMs, serverWarmMs: warm.serverMs };
}
