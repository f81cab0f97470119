// For the security suite (issue 14): where, if anywhere, distinctive secret values show up in what a client
// hands back — an error's message, hint, cause chain and every other property, log lines, middleware events.
import { inspect } from 'node:util';
import type { HttpMiddleware, RetryEvent } from '@dataplat/core';
import { startRecordingServer, type RecordingServer } from './recording-server.ts';

/** One place a secret was found: which secret (by index, never the value) and where. */
export interface SecretLeak {
  secretIndex: number;
  where: string;
}

/**
 * Every place one of `secrets` (or its base64 / URL-encoded form) occurs in `subject`: its JSON, its
 * `util.inspect` rendering (non-enumerable properties, symbols, the cause chain) and, for errors,
 * message, hint and stack of each cause. Empty when the subject is clean.
 */
export function findSecretLeaks(subject: unknown, secrets: readonly string[]): SecretLeak[] {
  const renderings: Array<[string, string]> = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: string) => {
    if (value === null || value === undefined || seen.has(value)) return;
    if (typeof value === 'string') {
      renderings.push([path, value]);
      return;
    }
    if (typeof value !== 'object' && typeof value !== 'function') {
      renderings.push([path, String(value)]);
      return;
    }
    seen.add(value);
    if (value instanceof Error) {
      renderings.push([`${path}.message`, value.message], [`${path}.stack`, value.stack ?? '']);
    }
    for (const key of Reflect.ownKeys(value)) {
      const child = (value as Record<PropertyKey, unknown>)[key];
      visit(child, `${path}.${String(key)}`);
    }
  };
  visit(subject, 'subject');
  renderings.push(['inspect(subject)', inspect(subject, { depth: 10, showHidden: true })]);
  try {
    renderings.push(['JSON.stringify(subject)', JSON.stringify(subject, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)) ?? '']);
  } catch {
    // circular or otherwise unserialisable: the walk above covered it
  }
  const leaks: SecretLeak[] = [];
  secrets.forEach((secret, secretIndex) => {
    const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
    for (const [where, text] of renderings) {
      if (forms.some((form) => text.includes(form))) leaks.push({ secretIndex, where });
    }
  });
  return leaks;
}

/** Client options (`onRetry`, `middleware`) that record every retry and middleware event, to scan them afterwards. */
export function recordClientEvents(): { events: unknown[]; options: { onRetry: (event: RetryEvent) => void; middleware: HttpMiddleware[] } } {
  const events: unknown[] = [];
  const record = (event: unknown) => void events.push(event);
  return { events, options: { onRetry: record, middleware: [{ onRequest: record, onResponse: record, onError: record }] } };
}

/** What `run` rejects with; undefined when it resolves. */
export function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (error: unknown) => error,
  );
}

/**
 * A fake server and the client events of one test: `start()` in beforeEach (a fresh server, no events),
 * `stop()` in afterEach; `server` and `recorded` are the current test's.
 */
export function fakeServerFixture(): { readonly server: RecordingServer; readonly recorded: ReturnType<typeof recordClientEvents>; start(): Promise<void>; stop(): Promise<void> } {
  let server: RecordingServer | undefined;
  let recorded = recordClientEvents();
  return {
    get server() {
      if (!server) throw new Error('fakeServerFixture: call start() first (in beforeEach).');
      return server;
    },
    get recorded() {
      return recorded;
    },
    async start() {
      server = await startRecordingServer();
      recorded = recordClientEvents();
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
  };
}
