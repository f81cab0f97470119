// A local HTTP server that replays a recorded query (replay-recording.ts) at memory speed: each answer's
// bytes are ready in memory and written with the recorded headers, so a client's time is its own (decoding,
// not Trino's or S3's). Faults a real server produces only by accident are on demand: a connection dropped
// in the middle of a page, or a segment gone from storage — a client must fail on them, never return fewer rows.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RecordedExchange, Recording } from './replay-recording.ts';

export interface ReplayFaults {
  /** Pages (0 = the POST answer) whose connection is dropped after half of the body, every time they are asked for. */
  dropPages?: readonly number[];
  /** Recorded segments (by index) whose connection is dropped after half of the bytes, every time. */
  dropSegments?: readonly number[];
  /** Recorded segments (by index) answered with 404, as storage does for an expired or deleted one. */
  missingSegments?: readonly number[];
}

/** GET /replay/manifest: the recorded answers in order (a benchmark fetches them for its native-parse limit). */
export interface ReplayManifest {
  sql: string;
  rows: number;
  negotiatedEncoding: string | undefined;
  exchanges: Array<{ method: 'POST' | 'GET'; path: string; kind: 'page' | 'segment'; bytes: number }>;
}

export interface ReplayServer {
  /** `http://127.0.0.1:port`: record with this origin, then `load` the recording. */
  origin: string;
  load(recording: Recording, faults?: ReplayFaults): void;
  /** Requests served since the last load, by path, in order (acks and DELETEs included). */
  served(): Array<{ method: string; path: string; status: number }>;
  close(): Promise<void>;
}

export async function startReplayServer(): Promise<ReplayServer> {
  let answers = new Map<string, { exchange: RecordedExchange; drop: boolean; missing: boolean }>();
  let log: Array<{ method: string; path: string; status: number }> = [];
  let manifest: ReplayManifest | undefined;
  const sockets = new Set<Socket>();
  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    const method = request.method ?? 'GET';
    // The statement's text is not checked: a replay answers the recorded query whatever is posted.
    request.resume();
    const status = (code: number) => log.push({ method, path, status: code });
    if (path === '/replay/manifest') {
      // What a benchmark needs to fetch the same bytes for its native-parse limit.
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(manifest));
      return;
    }
    if (method === 'DELETE' || path.startsWith('/replay/ack/')) {
      status(204);
      response.writeHead(204).end();
      return;
    }
    const found = answers.get(`${method} ${path}`) ?? (method === 'GET' ? undefined : answers.get(`GET ${path}`));
    if (!found) {
      status(404);
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`No recorded answer for ${method} ${path}`);
      return;
    }
    if (found.missing) {
      status(404);
      response.writeHead(404, { 'content-type': 'application/xml' }).end('<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    const { exchange } = found;
    const body = exchange.body;
    response.writeHead(exchange.status, { ...exchange.headers, 'content-length': String(body.length) });
    if (found.drop) {
      status(-1);
      response.write(body.subarray(0, body.length >> 1), () => request.socket.destroy());
      return;
    }
    status(exchange.status);
    response.end(body);
  };
  const server = createServer({ keepAliveTimeout: 60_000 }, answer);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    load(recording, faults = {}) {
      if (recording.origin !== origin) throw new Error(`The recording links to ${recording.origin}, this server is ${origin}.`);
      answers = new Map();
      log = [];
      manifest = {
        sql: recording.sql,
        rows: recording.rows,
        negotiatedEncoding: recording.negotiatedEncoding,
        exchanges: recording.exchanges.map(({ method, path, kind, body }) => ({ method, path, kind, bytes: body.length })),
      };
      let pageIndex = 0;
      let segmentIndex = 0;
      for (const exchange of recording.exchanges) {
        const index = exchange.kind === 'page' ? pageIndex++ : segmentIndex++;
        const drop = (exchange.kind === 'page' ? (faults.dropPages ?? []) : (faults.dropSegments ?? [])).includes(index);
        const missing = exchange.kind === 'segment' && (faults.missingSegments ?? []).includes(index);
        answers.set(`${exchange.method} ${exchange.path}`, { exchange, drop, missing });
      }
    },
    served: () => [...log],
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
