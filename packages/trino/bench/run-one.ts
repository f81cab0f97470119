// One benchmark run in its own process, so its peak RSS is its own:
//   node --conditions=@dataplat/source run-one.ts <dataplat|dataplat-tuples|dataplat-direct|trino-client> <server> <user> <sql>
// Prints one JSON line: { rows, milliseconds, peakRssBytes, bytes? }.
import { createTrinoClient } from '@dataplat/trino';
import { BasicAuth, Trino } from 'trino-client';

const [contender, server, user, sql] = process.argv.slice(2) as [string, string, string, string];

async function withDataplat(rowMode: 'object' | 'array', spooling: boolean): Promise<number> {
  const trino = createTrinoClient({ server, user });
  let rows = 0;
  for await (const page of trino.query(sql, { rowMode, ...(spooling ? {} : { encoding: false as const }) }).pages()) rows += page.length;
  await trino.close();
  return rows;
}

async function withTrinoClient(): Promise<number> {
  const trino = Trino.create({ server, auth: new BasicAuth(user), source: 'bench' });
  let rows = 0;
  for await (const result of await trino.query(sql)) {
    // trino-client yields failures instead of throwing.
    if (result.error) throw new Error(result.error.message);
    rows += result.data?.length ?? 0;
  }
  return rows;
}

const started = performance.now();
const rows = contender === 'trino-client' ? await withTrinoClient() : await withDataplat(contender === 'dataplat-tuples' ? 'array' : 'object', contender !== 'dataplat-direct');
const milliseconds = performance.now() - started;
console.log(JSON.stringify({ contender, rows, milliseconds, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
