// Test support for the apply lock's unit tests (lock.test.ts): a loopback HTTP server that answers the
// few NiFi endpoints the lock uses, with NiFi's rules (one parameter context per name, 409 otherwise;
// revisions compare-and-swapped, a stale version accepted from the client id that made the last change),
// and faults the real NiFi can't be made to produce on demand: a renewal whose answer is late or never
// comes, a create that lands but whose answer is lost, 409s without a context (a cluster refusing
// writes), contexts this user may not read. Not part of the package's entry points.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fake does with one request, instead of just answering it. */
export type FakeBehaviour =
  /** Acts on the request at once but answers only after `ms` (the client may have given up by then). */
  | { kind: 'answer-late'; ms: number }
  /** Acts on the request, then resets the connection: the client never hears that it happened. */
  | { kind: 'act-then-reset' }
  /** Resets the connection without acting on the request. */
  | { kind: 'reset' }
  /** Neither acts nor answers, the connection left open. */
  | { kind: 'black-hole' }
  /** Answers with this status without acting on the request. */
  | { kind: 'status'; status: number; message: string };

export interface FakeRule {
  method: string;
  /** Matches the path (without the /nifi-api prefix and the query). */
  path: RegExp;
  behaviour: FakeBehaviour;
  /** Only requests sent with this client id (a write's revision, or a DELETE's query): one holder's, e.g. */
  clientId?: string | undefined;
  /** How many matching requests it applies to (default: all). */
  times?: number | undefined;
}

interface StoredContext {
  id: string;
  name: string;
  description: string;
  version: number;
  lastClientId: string | undefined;
  /** Listed without its component, as NiFi lists contexts the user may not read. */
  unreadable: boolean;
}

export interface FakeLockNifi {
  /** The REST API root to give createNifiClient. */
  readonly apiUrl: string;
  /** The parent group id `root` stands for. */
  readonly rootId: string;
  readonly contexts: Map<string, StoredContext>;
  /** Every request received: method, path, and when (performance.now()). */
  readonly requests: Array<{ method: string; path: string; at: number }>;
  addRule(rule: FakeRule): void;
  clearRules(): void;
  /** A parameter context made by someone else (e.g. one this user may not read). */
  addContext(name: string, options?: { unreadable?: boolean; description?: string }): StoredContext;
  close(): Promise<void>;
}

export async function startFakeLockNifi(): Promise<FakeLockNifi> {
  const rootId = 'f0000000-0000-4000-8000-000000000001';
  const contexts = new Map<string, StoredContext>();
  const requests: FakeLockNifi['requests'] = [];
  let rules: FakeRule[] = [];
  let nextId = 1;
  const sockets = new Set<Socket>();

  const entity = (context: StoredContext) =>
    context.unreadable
      ? { id: context.id, revision: { version: context.version }, permissions: { canRead: false, canWrite: false } }
      : { id: context.id, revision: { version: context.version, lastModifier: 'fake' }, component: { id: context.id, name: context.name, description: context.description, parameters: [] } };
  const addContext = (name: string, options: { unreadable?: boolean; description?: string } = {}) => {
    const context: StoredContext = { id: `c0000000-0000-4000-8000-${String(nextId++).padStart(12, '0')}`, name, description: options.description ?? '', version: 1, lastClientId: undefined, unreadable: options.unreadable ?? false };
    contexts.set(context.id, context);
    return context;
  };
  /** NiFi's revision check: the current version, or any version from the client id that made the last change. */
  const revisionOk = (context: StoredContext, version: number, clientId: string | undefined) => version === context.version || (clientId !== undefined && clientId === context.lastClientId);

  /** Acts on a request as NiFi would: [status, body]. */
  const act = (method: string, path: string, query: URLSearchParams, body: Record<string, unknown> | undefined): [number, unknown] => {
    const group = /^\/process-groups\/([^/]+)$/.exec(path);
    if (method === 'GET' && group) {
      const id = group[1] === 'root' ? rootId : group[1]!;
      return [200, { id, revision: { version: 0 }, component: { id, name: 'parent' } }];
    }
    if (method === 'GET' && path === '/flow/parameter-contexts') return [200, { parameterContexts: [...contexts.values()].map(entity) }];
    if (method === 'POST' && path === '/parameter-contexts') {
      const component = body?.['component'] as { name: string; description: string };
      if ([...contexts.values()].some((context) => context.name === component.name)) return [409, `Parameter Context with name '${component.name}' already exists.`];
      const created = addContext(component.name, { description: component.description });
      created.lastClientId = (body?.['revision'] as { clientId?: string }).clientId;
      return [201, entity(created)];
    }
    const one = /^\/parameter-contexts\/([^/]+)$/.exec(path);
    const context = one ? contexts.get(one[1]!) : undefined;
    if (one && !context) return [404, `Unable to find parameter context with id '${one[1]}'.`];
    if (context && method === 'GET') return [200, entity(context)];
    if (context && method === 'PUT') {
      const revision = body?.['revision'] as { version: number; clientId?: string };
      if (!revisionOk(context, revision.version, revision.clientId)) return [400, `[${revision.version}, ${revision.clientId}, ${context.id}] is not the most up-to-date revision.`];
      context.description = (body?.['component'] as { description: string }).description;
      context.version += 1;
      context.lastClientId = revision.clientId;
      return [200, entity(context)];
    }
    if (context && method === 'DELETE') {
      if (!revisionOk(context, Number(query.get('version')), query.get('clientId') ?? undefined)) return [400, `[${query.get('version')}, ${query.get('clientId')}, ${context.id}] is not the most up-to-date revision.`];
      contexts.delete(context.id);
      return [200, entity(context)];
    }
    return [404, `The fake NiFi doesn't know ${method} ${path}.`];
  };

  const send = (response: ServerResponse, [status, body]: [number, unknown]) => {
    if (response.destroyed || response.writableEnded) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' }).end(text);
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://fake');
      const path = url.pathname.replace(/^\/nifi-api/, '');
      const method = request.method ?? 'GET';
      requests.push({ method, path, at: performance.now() });
      const raw = Buffer.concat(chunks).toString();
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      const clientId = (body?.['revision'] as { clientId?: string } | undefined)?.clientId ?? url.searchParams.get('clientId') ?? undefined;
      const rule = rules.find(
        (candidate) =>
          candidate.method === method &&
          candidate.path.test(path) &&
          (candidate.clientId === undefined || candidate.clientId === clientId) &&
          (candidate.times === undefined || candidate.times > 0),
      );
      if (rule?.times !== undefined) rule.times -= 1;
      const behaviour = rule?.behaviour;
      if (!behaviour) return send(response, act(method, path, url.searchParams, body));
      switch (behaviour.kind) {
        case 'answer-late': {
          const answer = act(method, path, url.searchParams, body);
          setTimeout(() => send(response, answer), behaviour.ms).unref();
          return;
        }
        case 'act-then-reset':
          act(method, path, url.searchParams, body);
          request.socket.destroy();
          return;
        case 'reset':
          request.socket.destroy();
          return;
        case 'black-hole':
          return;
        case 'status':
          return send(response, [behaviour.status, behaviour.message]);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/nifi-api`,
    rootId,
    contexts,
    requests,
    addRule: (rule) => void rules.push(rule),
    clearRules: () => void (rules = []),
    addContext,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
