// For tests that play a server (a fake Trino, a foreign origin, object storage): a node:http server on
// loopback that records every request it receives — method, path, headers and body — and answers with
// whatever the test's handler says.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path with query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Every header line as received, names and values, for scanning. */
  rawHeaders: string[];
  body: string;
}

export type RecordingHandler = (request: RecordedRequest, response: ServerResponse, server: RecordingServer) => void | Promise<void>;

export interface RecordingServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  requests: RecordedRequest[];
  /** Replaces how requests are answered (default: 404). */
  handle(handler: RecordingHandler): void;
  close(): Promise<void>;
}

/** Answers a request with JSON. */
export function replyJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startRecordingServer(handler?: RecordingHandler): Promise<RecordingServer> {
  let current: RecordingHandler = handler ?? ((_, response) => void response.writeHead(404).end());
  const requests: RecordedRequest[] = [];
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const recorded: RecordedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        rawHeaders: incoming.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(current(recorded, response, recording)).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const { port } = server.address() as AddressInfo;
  const recording: RecordingServer = {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      }),
  };
  return recording;
}
