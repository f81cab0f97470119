// Records one query's client-protocol responses from a real Trino, once, so a replay server can serve them
// again at memory speed: the POST answer, every nextUri page and every spooled segment, as the bytes Trino
// (and its segment storage) sent, with the headers a client reads. Links in the pages (nextUri, segment uri,
// ackUri) are rewritten to the replay server's origin by exact string replacement, so every other byte of
// each page stays Trino's own.
import { createHash } from 'node:crypto';
import { request } from 'undici';

/** One answer to replay: the path it is served at (on the replay origin), its status, headers and bytes. */
export interface RecordedExchange {
  method: 'POST' | 'GET';
  /** Path and query on the replay origin, e.g. `/v1/statement/executing/…/3` or `/replay/segment/2`. */
  path: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  kind: 'page' | 'segment';
}

export interface Recording {
  sql: string;
  /** The encodings offered (X-Trino-Query-Data-Encoding), or false for the direct protocol. */
  encoding: string | false;
  /** The encoding Trino chose (`json+zstd`, …), or undefined when it answered with direct pages. */
  negotiatedEncoding: string | undefined;
  /** The origin the links were rewritten to. */
  origin: string;
  exchanges: RecordedExchange[];
  rows: number;
}

export interface RecordOptions {
  server: string;
  user: string;
  sql: string;
  encoding: string | false;
  /** The replay server's origin (`http://127.0.0.1:port`): the recorded links point there. */
  origin: string;
}

// Headers a client reads from Trino or storage answers; date, etag and the like would differ on every replay anyway.
const keptHeaders = /^(content-type|content-encoding|x-trino-.*)$/i;

function keptHeadersOf(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && keptHeaders.test(name)) kept[name] = Array.isArray(value) ? value.join(', ') : value;
  return kept;
}

interface PageLinks {
  nextUri?: string;
  error?: { message: string };
  data?: unknown;
}

interface RecordedSegment {
  type: 'inline' | 'spooled';
  uri?: string;
  ackUri?: string;
  headers?: Record<string, string[]>;
  metadata: { rowsCount: number };
}

/** Runs the query on Trino, following nextUri to the end and downloading each spooled segment. */
export async function recordQuery(options: RecordOptions): Promise<Recording> {
  const exchanges: RecordedExchange[] = [];
  const trinoOrigin = new URL(options.server).origin;
  let rows = 0;
  let negotiatedEncoding: string | undefined;
  let segmentIndex = 0;
  let response = await request(new URL('/v1/statement', options.server), {
    method: 'POST',
    body: options.sql,
    headers: { 'x-trino-user': options.user, ...(options.encoding ? { 'x-trino-query-data-encoding': options.encoding } : {}) },
  });
  let method: 'POST' | 'GET' = 'POST';
  let path = '/v1/statement';
  for (;;) {
    const original = Buffer.from(await response.body.arrayBuffer());
    if (response.statusCode !== 200) throw new Error(`Trino answered ${path} with HTTP ${response.statusCode}: ${original.toString('utf8', 0, 500)}`);
    const page = JSON.parse(original.toString('utf8')) as PageLinks;
    if (page.error) throw new Error(`The recorded query failed: ${page.error.message}`);
    let text = original.toString('utf8');
    const replacements: Array<[string, string]> = [];
    if (page.data && !Array.isArray(page.data)) {
      const spooled = page.data as { encoding: string; segments: RecordedSegment[] };
      negotiatedEncoding = spooled.encoding;
      for (const segment of spooled.segments) {
        rows += segment.metadata.rowsCount;
        if (segment.type !== 'spooled' || !segment.uri) continue;
        const index = segmentIndex++;
        const headers = Object.fromEntries(Object.entries(segment.headers ?? {}).map(([name, values]) => [name, values.join(', ')]));
        const download = await request(segment.uri, { headers });
        const body = Buffer.from(await download.body.arrayBuffer());
        if (download.statusCode !== 200) throw new Error(`Segment storage answered HTTP ${download.statusCode}`);
        const segmentPath = `/replay/segment/${index}`;
        exchanges.push({ method: 'GET', path: segmentPath, status: 200, headers: keptHeadersOf(download.headers), body, kind: 'segment' });
        replacements.push([segment.uri, `${options.origin}${segmentPath}`]);
        if (segment.ackUri) replacements.push([segment.ackUri, `${options.origin}/replay/ack/${index}`]);
        // Trino deletes an acknowledged segment now instead of when it expires.
        if (segment.ackUri) await request(segment.ackUri, { headers: { 'x-trino-user': options.user } }).then((ack) => ack.body.dump());
      }
    } else if (Array.isArray(page.data)) {
      rows += page.data.length;
    }
    if (page.nextUri) replacements.push([page.nextUri, `${options.origin}${new URL(page.nextUri).pathname}`]);
    for (const [from, to] of replacements) {
      const parts = text.split(JSON.stringify(from));
      if (parts.length < 2) throw new Error(`The link ${from} is not written verbatim in Trino's page; the recorder cannot rewrite it.`);
      text = parts.join(JSON.stringify(to));
    }
    const body = replacements.length ? Buffer.from(text, 'utf8') : original;
    exchanges.push({ method, path, status: 200, headers: keptHeadersOf(response.headers), body, kind: 'page' });
    if (!page.nextUri) break;
    if (new URL(page.nextUri).origin !== trinoOrigin) throw new Error(`Trino linked to another origin: ${new URL(page.nextUri).origin}`);
    method = 'GET';
    path = new URL(page.nextUri).pathname;
    response = await request(page.nextUri, { headers: { 'x-trino-user': options.user } });
  }
  return { sql: options.sql, encoding: options.encoding, negotiatedEncoding, origin: options.origin, exchanges, rows };
}

/** SHA-256 of a body, to compare what was recorded with what was served. */
export function bodyHash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}
