// What the NiFi, Airflow and Trino clients share instead of repeating it: their common options, the
// username/password check, building their transport from those options, binding helpers to a client's
// context, and the per-call options every helper accepts.
import type { Dispatcher } from 'undici';
import { InvalidOptionsError } from '../errors/common-errors.ts';
import { createHttpTransport, type HttpTransport, type HttpTransportOptions, type RetryEvent, type TlsOptions } from '../http/http-transport.ts';
import type { HttpMiddleware } from '../http/middleware.ts';
import type { RetryOptions } from '../http/retry-policy.ts';

/** Options every @dataplat client accepts besides where its server is and how to authenticate. */
export interface ClientOptions {
  /** CA to trust, client certificate for mutual TLS; certificate verification is on unless you turn it off here. */
  tls?: TlsOptions | undefined;
  /** Per-request timeout (each attempt). */
  timeoutMs?: number | undefined;
  /** Retries of idempotent requests on connection errors, 502/503/504 and 429. `false` disables. */
  retry?: RetryOptions | false | undefined;
  /** An undici dispatcher (MockAgent in tests, or your own Agent/ProxyAgent). Configure TLS on it, not in `tls`. */
  dispatcher?: Dispatcher | undefined;
  userAgent?: string | undefined;
  /** Called before each retry (redacted URL, delay, reason). */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Middleware from the start; `client.use()` adds more later. Sees every request, retries and logins included. */
  middleware?: readonly HttpMiddleware[] | undefined;
  /**
   * Send credentials over plain http to a host other than loopback. Off: such a client is refused with
   * INSECURE_AUTH before anything is sent (https and 127.0.0.1/::1/localhost are always allowed).
   */
  allowInsecureAuth?: boolean | undefined;
}

/** What a client adds to the common options to get its transport. */
export interface ClientTransportSettings {
  /** The API root requests are relative to. */
  baseUrl: string;
  /** Used in messages, e.g. "NiFi". */
  serviceName: string;
  /** User-Agent when the caller gives none, e.g. `dataplat-nifi`. */
  defaultUserAgent: string;
  /** Per-request timeout when the caller gives none (the transport's default is 30 s). */
  defaultTimeoutMs?: number | undefined;
  headers?: Record<string, string> | undefined;
  classifyError?: HttpTransportOptions['classifyError'];
  authentication?: HttpTransportOptions['authentication'];
  /** Other origins of the same service that get credentials and default headers (see HttpTransportOptions). */
  trustedOrigins?: readonly string[] | undefined;
  /** Middleware that goes before the caller's (e.g. an adapter of an older callback option). */
  leadingMiddleware?: readonly HttpMiddleware[] | undefined;
}

/** The transport of a client: the caller's common options plus what the client itself knows. */
export function createClientTransport(options: ClientOptions, settings: ClientTransportSettings): HttpTransport {
  return createHttpTransport({
    baseUrl: settings.baseUrl,
    serviceName: settings.serviceName,
    dispatcher: options.dispatcher,
    tls: options.tls,
    timeoutMs: options.timeoutMs ?? settings.defaultTimeoutMs,
    retry: options.retry,
    userAgent: options.userAgent ?? settings.defaultUserAgent,
    headers: settings.headers,
    classifyError: settings.classifyError,
    onRetry: options.onRetry,
    authentication: settings.authentication,
    allowInsecureAuth: options.allowInsecureAuth,
    trustedOrigins: settings.trustedOrigins,
    middleware: [...(settings.leadingMiddleware ?? []), ...(options.middleware ?? [])],
  });
}

/** Refuses `{ username, password }` credentials with either part missing or empty (other auth kinds pass). */
export function checkPasswordCredentials(auth: object | undefined): void {
  if (!auth || !('username' in auth)) return;
  const { username, password } = auth as { username?: unknown; password?: unknown };
  if (!username || !password) {
    throw new InvalidOptionsError({ message: 'auth.username and auth.password must both be set.', hint: 'Pass both, or omit auth.' });
  }
}

/**
 * `const bound = bindHelpers(context)`; then `bound(helper)` is the helper with its first argument, the
 * client's context, filled in (generic helpers stay generic).
 */
export function bindHelpers<Context>(context: Context) {
  return <Rest extends unknown[], Result>(helper: (context: Context, ...rest: Rest) => Result) =>
    (...rest: Rest): Result =>
      helper(context, ...rest);
}

/** Per-call options of every helper. */
export interface CallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** Just the per-call options out of a helper's wider options (so helper-specific fields are not sent along). */
export function callOptions(options: CallOptions | undefined): CallOptions {
  return { signal: options?.signal, timeoutMs: options?.timeoutMs };
}
