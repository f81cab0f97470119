// One benchmark run in its own process, so its peak RSS is its own — of the built package (dist/), as users
// run it (plain JavaScript: no type stripping, no source condition; see built-package.mjs):
//   node bench/run-one.mjs <dataplat|dataplat-tuples|dataplat-direct|trino-client> <server> <user> <sql>
// Prints one JSON line: { contender, rows, milliseconds, peakRssBytes }.
// BENCH_MAX_BUFFERED_BYTES: the client's maxBufferedBytes (the knob's memory and throughput cost, docs/trino.md).
import { assertBuiltPackagesFresh } from './built-package.mjs';

assertBuiltPackagesFresh();
const [contender, server, user, sql] = process.argv.slice(2);

// Only the contender's own client is loaded (loading trino-client and its axios too would count against ours).
const client = contender === 'trino-client' ? await import('trino-client') : await import('@dataplat/trino');

async function withDataplat(rowMode, spooling) {
  const trino = client.createTrinoClient({ server, user });
  const maxBufferedBytes = process.env['BENCH_MAX_BUFFERED_BYTES'] ? Number(process.env['BENCH_MAX_BUFFERED_BYTES']) : undefined;
  let rows = 0;
  for await (const page of trino.query(sql, { rowMode, maxBufferedBytes, ...(spooling ? {} : { encoding: false }) }).pages()) rows += page.length;
  await trino.close();
  return rows;
}

async function withTrinoClient() {
  const trino = client.Trino.create({ server, auth: new client.BasicAuth(user), source: 'bench' });
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
