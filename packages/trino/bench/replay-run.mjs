// One contender against a replay server, in its own process (peak RSS is its own), with the native-parse
// limit measured in this same process on the same bytes. It runs the built package (dist/), as users do
// (plain JavaScript: no type stripping; see built-package.mjs):
//   node bench/replay-run.mjs <dataplat|dataplat-tuples|trino-client> <replay origin> <tries> [client-only]
// (client-only: no limit, so the peak RSS is the client's alone)
// The limit: every recorded page through JSON.parse, and every segment decompressed (zstd, lz4) and through
// JSON.parse, with the bytes already in memory — the least work any JSON client must do. Prints one JSON line.
import { zstdDecompressSync } from 'node:zlib';
import { request } from 'undici';
import { assertBuiltPackagesFresh } from './built-package.mjs';

assertBuiltPackagesFresh();
const [contender, origin, triesText, only] = process.argv.slice(2);
const tries = Number(triesText);
// Only the contender's own client is loaded (trino-client's axios would otherwise count against ours).
const client = contender === 'trino-client' ? await import('trino-client') : await import('@dataplat/trino');
/** The limit's LZ4 block decoder is the client's own (from its source: it is not public API); loaded only for the limit. */
let lz4BlockDecompress;

/** @typedef {{ data?: { encoding: string, segments: Array<{ type: string, data?: string, uri?: string, metadata: { uncompressedSize?: number } }> } | unknown[][] }} SpooledPage */
/** @typedef {import('./replay/replay-server.ts').ReplayManifest} ReplayManifest */

/** @returns {Promise<Buffer>} */
async function fetchBytes(path, method) {
  const response = await request(`${origin}${path}`, { method, body: method === 'POST' ? 'replay' : null });
  return Buffer.from(await response.body.arrayBuffer());
}

/** The recorded bodies, fetched once (outside any timing). */
async function loadBodies(manifest) {
  const bodies = new Map();
  for (const exchange of manifest.exchanges) bodies.set(exchange.path, await fetchBytes(exchange.path, exchange.method));
  return bodies;
}

function decompress(encoding, bytes, uncompressedSize) {
  if (uncompressedSize === undefined) return bytes;
  return encoding === 'json+zstd' ? zstdDecompressSync(bytes) : lz4BlockDecompress(bytes, uncompressedSize);
}

/** Native JSON.parse of every page and segment (plus decompression); returns rows and JSON bytes parsed. */
function nativeParse(manifest, bodies) {
  let rows = 0;
  let jsonBytes = 0;
  for (const exchange of manifest.exchanges) {
    if (exchange.kind !== 'page') continue;
    const body = bodies.get(exchange.path);
    jsonBytes += body.length;
    /** @type {SpooledPage} */
    const page = JSON.parse(body.toString('utf8'));
    if (Array.isArray(page.data)) rows += page.data.length;
    else if (page.data) {
      for (const segment of page.data.segments) {
        const raw = segment.type === 'inline' ? Buffer.from(segment.data, 'base64') : bodies.get(new URL(segment.uri).pathname);
        const json = decompress(page.data.encoding, raw, segment.metadata.uncompressedSize);
        jsonBytes += json.byteLength;
        rows += JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8')).length;
      }
    }
  }
  return { rows, jsonBytes };
}

async function runContender() {
  if (contender === 'trino-client') {
    const trino = client.Trino.create({ server: origin, auth: new client.BasicAuth('replay'), source: 'bench' });
    let rows = 0;
    for await (const result of await trino.query('replay')) {
      if (result.error) throw new Error(result.error.message);
      rows += result.data?.length ?? 0;
    }
    return rows;
  }
  const trino = client.createTrinoClient({ server: origin, user: 'replay' });
  let rows = 0;
  // The replay answers with the recorded protocol whatever is offered; rows as objects (default) or tuples.
  // BENCH_MAX_BUFFERED_BYTES measures the memory knob's cost (docs/trino.md).
  const maxBufferedBytes = process.env['BENCH_MAX_BUFFERED_BYTES'] ? Number(process.env['BENCH_MAX_BUFFERED_BYTES']) : undefined;
  for await (const page of trino.query('replay', { rowMode: contender === 'dataplat-tuples' ? 'array' : 'object', maxBufferedBytes }).pages()) rows += page.length;
  await trino.close();
  return rows;
}

// BENCH_MEMORY_TRACE=1: the largest rss, heapTotal, external and arrayBuffers seen (sampled every 50 ms), on stderr.
const largest = {};
const sampler = process.env['BENCH_MEMORY_TRACE']
  ? setInterval(() => {
      for (const [name, value] of Object.entries(process.memoryUsage())) largest[name] = Math.max(largest[name] ?? 0, Math.round(value / 2 ** 20));
    }, 50)
  : undefined;
/** @type {ReplayManifest} */
const manifest = await (await request(`${origin}/replay/manifest`)).body.json();
const bodies = only === 'client-only' ? new Map() : await loadBodies(manifest);
if (only !== 'client-only' && manifest.exchanges.some((exchange) => exchange.kind === 'page' && bodies.get(exchange.path).includes('"json+lz4"'))) {
  ({ lz4BlockDecompress } = await import('../src/types/segments.ts'));
}
// Limit and client alternate, best of each: on a loaded machine both see the same phases of load.
let limitMilliseconds = Infinity;
let limit = { rows: 0, jsonBytes: 0 };
let milliseconds = Infinity;
let rows = 0;
for (let attempt = 0; attempt < tries; attempt++) {
  if (only !== 'client-only') {
    const limitStarted = performance.now();
    limit = nativeParse(manifest, bodies);
    limitMilliseconds = Math.min(limitMilliseconds, performance.now() - limitStarted);
  }
  const started = performance.now();
  rows = await runContender();
  milliseconds = Math.min(milliseconds, performance.now() - started);
}
bodies.clear();
if (rows !== manifest.rows || (only !== 'client-only' && limit.rows !== manifest.rows)) throw new Error(`${contender} read ${rows} rows, the limit ${limit.rows}, the recording holds ${manifest.rows}`);
console.log(JSON.stringify({ contender, rows, milliseconds, limitMilliseconds, jsonBytes: limit.jsonBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
if (sampler) {
  clearInterval(sampler);
  console.error(JSON.stringify({ largestMiB: largest }));
}
