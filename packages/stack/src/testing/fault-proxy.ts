// A loopback HTTP proxy that injects faults between a client and a real server, for tests that prove
// retries and waits: added latency, stalls past the client's timeout, connection resets before and after
// the request reached the server, bursts of 502/503, black holes and refused connections (an outage).
// Written here rather than taken from npm: toxiproxy needs its own server binary, and the HTTP proxies on
// npm (http-proxy, http-proxy-middleware) inject no faults; a reset *after* the server acted on a request
// needs an HTTP-aware proxy anyway.
import { Agent as HttpAgent, createServer, request as forwardRequest, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export const faultKinds = ['latency', 'stall', 'reset-before-body', 'reset-after-body', 'status-502', 'status-503', 'black-hole'] as const;

/**
 * - `latency`: forwarded after `latencyMs`.
 * - `stall`: held for `stallMs` (longer than the client's timeout), then forwarded — the server acts on it late.
 * - `reset-before-body`: the connection is reset as soon as the request line and headers arrive; never forwarded.
 * - `reset-after-body`: forwarded whole, the server's full answer awaited, then the client's connection reset
 *   instead of answering — the server acted on a request whose client saw only an error.
 * - `status-502` / `status-503`: answered by the proxy; never forwarded.
 * - `black-hole`: never forwarded, never answered, the connection left open.
 */
export type FaultKind = (typeof faultKinds)[number];

export interface ProxiedRequest {
  method: string;
  /** Path and query, as the client sent it. */
  path: string;
  /** The fault injected into this request, if any. */
  fault: FaultKind | undefined;
}

export interface FaultRule {
  kind: FaultKind;
  /** Which requests the rule may hit (default: all). */
  match?: ((request: { method: string; path: string }) => boolean) | undefined;
  /** Chance that a matching request gets the fault, drawn from the proxy's seeded generator. Default 1. */
  probability?: number | undefined;
  /** At most this many requests get this rule's fault (default: no limit). */
  limit?: number | undefined;
  /** Once the rule fires, this many consecutive matching requests get the fault (a burst). Default 1. */
  burst?: number | undefined;
}

export interface FaultProxyOptions {
  /** The real server's origin, e.g. http://127.0.0.1:18080. */
  target: string;
  /** Tried in order for each request; the first that fires decides its fault. */
  rules?: readonly FaultRule[] | undefined;
  /** Seed of the generator behind `probability`, so a failing run can be repeated exactly. Default 1. */
  seed?: number | undefined;
  /** Delay added by `latency`. Default 300 ms. */
  latencyMs?: number | undefined;
  /** How long `stall` holds a request before forwarding it. Default 3 s. */
  stallMs?: number | undefined;
  /**
   * The Host header the server sees: the client's (default; servers such as Trino then build the URLs
   * in their answers, e.g. nextUri, on the proxy) or the target's (for signed requests, e.g. presigned S3 URLs).
   */
  hostHeader?: 'client' | 'target' | undefined;
  /** Text replacements in JSON and text answers (e.g. a storage origin → another proxy's), Content-Length fixed. */
  rewriteResponses?: ReadonlyArray<{ from: string; to: string }> | undefined;
}

export interface FaultProxy {
  /** The proxy's origin, e.g. http://127.0.0.1:41234: give it to the client instead of the target. */
  readonly url: string;
  /** Faults injected so far, per kind (refused connections during `outage` are counted as `refused`). */
  readonly faults: Record<FaultKind | 'refused', number>;
  /** Every request the proxy received, in order, with the fault it got. */
  readonly requests: readonly ProxiedRequest[];
  /** Replaces the rules (e.g. no faults for a test's setup and checks, faults for the operations under test). */
  setRules(rules: readonly FaultRule[]): void;
  /** Refuses connections (ECONNREFUSED) for `durationMs` and drops open ones, like a restarting server; resolves when back. */
  outage(durationMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every kind of fault on any request, a few percent each (about a quarter of requests hit): the suites'
 * common mix. `scale` multiplies the probabilities.
 */
export function mixedFaults(scale = 1): FaultRule[] {
  return [
    { kind: 'reset-before-body', probability: 0.05 * scale },
    { kind: 'reset-after-body', probability: 0.06 * scale },
    { kind: 'status-503', probability: 0.04 * scale, burst: 2 },
    { kind: 'status-502', probability: 0.03 * scale },
    { kind: 'stall', probability: 0.02 * scale },
    { kind: 'black-hole', probability: 0.01 * scale },
    { kind: 'latency', probability: 0.08 * scale },
  ];
}

/** Starts a fault-injecting proxy on 127.0.0.1 (a free port) in front of `options.target`. */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const latencyMs = options.latencyMs ?? 300;
  const stallMs = options.stallMs ?? 3000;
  const random = seededRandom(options.seed ?? 1);
  const upstreamAgent = new HttpAgent({ keepAlive: true, maxSockets: 32 });
  const faults = Object.fromEntries([...faultKinds, 'refused'].map((kind) => [kind, 0])) as Record<FaultKind | 'refused', number>;
  const requests: ProxiedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let rules = [...(options.rules ?? [])];
  let ruleState = rules.map(() => ({ fired: 0, burstLeft: 0 }));
  let closed = false;

  const later = (milliseconds: number, action: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, milliseconds);
    timers.add(timer);
  };

  function pickFault(method: string, path: string): FaultKind | undefined {
    for (const [index, rule] of rules.entries()) {
      if (rule.match && !rule.match({ method, path })) continue;
      const state = ruleState[index]!;
      if (state.burstLeft > 0) {
        state.burstLeft -= 1;
        return rule.kind;
      }
      if (rule.limit !== undefined && state.fired >= rule.limit) continue;
      if (random() >= (rule.probability ?? 1)) continue;
      state.fired += 1;
      state.burstLeft = (rule.burst ?? 1) - 1;
      return rule.kind;
    }
    return undefined;
  }

  /** Sends the request (its body already read, so a late forward doesn't depend on the client still being there) and hands over the whole answer. */
  function forward(incoming: IncomingMessage, body: Buffer, outgoing: ServerResponse, onAnswered: (answer: { status: number; headers: OutgoingHttpHeaders; body: Buffer }) => void): void {
    const headers: OutgoingHttpHeaders = { ...incoming.headers };
    delete headers['connection'];
    delete headers['keep-alive'];
    delete headers['transfer-encoding'];
    if (body.length > 0 || incoming.headers['content-length'] !== undefined) headers['content-length'] = String(body.length);
    if (options.hostHeader === 'target') headers['host'] = target.host;
    const upstream = forwardRequest(
      { host: target.hostname, port: target.port || 80, method: incoming.method, path: incoming.url, headers, agent: upstreamAgent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const answerHeaders: OutgoingHttpHeaders = { ...answer.headers };
          delete answerHeaders['connection'];
          delete answerHeaders['keep-alive'];
          delete answerHeaders['transfer-encoding'];
          let body = Buffer.concat(chunks);
          if (options.rewriteResponses?.length && /json|text/i.test(String(answer.headers['content-type'] ?? '')) && !answer.headers['content-encoding']) {
            let text = body.toString('utf8');
            for (const { from, to } of options.rewriteResponses) text = text.replaceAll(from, to);
            body = Buffer.from(text, 'utf8');
          }
          answerHeaders['content-length'] = String(body.length);
          onAnswered({ status: answer.statusCode ?? 502, headers: answerHeaders, body });
        });
        answer.on('error', () => outgoing.socket?.destroy());
      },
    );
    upstream.on('error', (error) => {
      // The real server refused or dropped the request: say so as a gateway would.
      if (!outgoing.headersSent && !outgoing.destroyed) outgoing.writeHead(502, { 'content-type': 'text/plain' }).end(`fault proxy: upstream failed: ${error.message}`);
    });
    upstream.end(body);
  }

  const answer = (outgoing: ServerResponse) => (reply: { status: number; headers: OutgoingHttpHeaders; body: Buffer }) => {
    if (outgoing.destroyed) return;
    outgoing.writeHead(reply.status, reply.headers).end(reply.body);
  };

  const server = createServer((incoming, outgoing) => {
    const method = incoming.method ?? 'GET';
    const path = incoming.url ?? '/';
    const fault = closed ? undefined : pickFault(method, path);
    requests.push({ method, path, fault });
    if (fault) faults[fault] += 1;
    const socket = incoming.socket;
    if (fault === 'reset-before-body') {
      socket.resetAndDestroy();
      return;
    }
    if (fault === 'black-hole') {
      incoming.pause();
      return;
    }
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      switch (fault) {
        case undefined:
          forward(incoming, body, outgoing, answer(outgoing));
          return;
        case 'latency':
          later(latencyMs, () => forward(incoming, body, outgoing, answer(outgoing)));
          return;
        case 'stall':
          later(stallMs, () => forward(incoming, body, outgoing, answer(outgoing)));
          return;
        case 'reset-after-body':
          forward(incoming, body, outgoing, () => socket.resetAndDestroy());
          return;
        case 'status-502':
        case 'status-503': {
          const status = fault === 'status-502' ? 502 : 503;
          outgoing.writeHead(status, { 'content-type': 'text/plain' }).end(`fault proxy: injected HTTP ${status}`);
          return;
        }
      }
    });
  });
  server.keepAliveTimeout = 5000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A socket reset by a fault, or a client that gave up, is expected here: never let it crash the test run.
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  const port = (server.address() as AddressInfo).port;

  const dropConnections = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    setRules(next) {
      rules = [...next];
      ruleState = rules.map(() => ({ fired: 0, burstLeft: 0 }));
    },
    async outage(durationMs) {
      const closedListener = new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      dropConnections();
      await closedListener;
      faults.refused += 1;
      await new Promise<void>((resolvePromise) => later(durationMs, resolvePromise));
      if (!closed) await new Promise<void>((resolvePromise) => server.listen(port, '127.0.0.1', resolvePromise));
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const closedListener = server.listening ? new Promise<void>((resolvePromise) => server.close(() => resolvePromise())) : Promise.resolve();
      dropConnections();
      await closedListener;
      upstreamAgent.destroy();
    },
  };
}

/** mulberry32: a tiny seeded generator, so a run's faults can be reproduced from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
