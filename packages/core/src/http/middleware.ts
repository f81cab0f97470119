// Request/response middleware in the spirit of openapi-fetch's `client.use()`, implemented once in the
// transport every @dataplat client shares, so tracing, metrics and request counting see every request
// a client sends (retries, logins, Trino's nextUri pages and cancels) and never a secret.
import { DataplatError } from '../errors/dataplat-error.ts';
import { InvalidOptionsError } from '../errors/common-errors.ts';
import type { HttpMethod } from './http-method.ts';

/** One attempt of a request, as middleware sees it: no headers, no body, a redacted URL. */
export interface MiddlewareRequest {
  /** The service the client talks to, e.g. "NiFi". */
  service: string;
  method: HttpMethod;
  /** The full URL with user info and secret query parameters redacted. */
  url: string;
  /** 1 for the first attempt; a retry, or the repeat after renewed credentials, counts up. */
  attempt: number;
}

export interface MiddlewareResponse extends MiddlewareRequest {
  status: number;
  /** From sending the request until its whole body was read. */
  durationMs: number;
}

export interface MiddlewareFailure extends MiddlewareRequest {
  /** Why no response arrived (code NETWORK, TIMEOUT or ABORTED); retried when the transport may repeat it. */
  error: DataplatError;
  durationMs: number;
}

/**
 * Hooks around every request a client sends. `onRequest` runs in the order middleware was added and
 * may return headers to add (they never replace the request's own headers or its credentials, and are
 * not sent to third-party URLs such as presigned storage links); `onResponse` (any status) and `onError`
 * (no response: network failure, timeout, abort) run in reverse order. A hook that throws fails the
 * request with a MiddlewareError (code MIDDLEWARE_FAILED).
 */
export interface HttpMiddleware {
  onRequest?(request: MiddlewareRequest): void | Record<string, string> | Promise<void | Record<string, string>>;
  onResponse?(response: MiddlewareResponse): void | Promise<void>;
  onError?(failure: MiddlewareFailure): void | Promise<void>;
}

/** The middleware methods every client offers (`client.use(...)`, `client.eject(...)`). */
export interface MiddlewareHost {
  /** Adds middleware (after the ones already there); returns a function that removes exactly these again. */
  use(...middleware: HttpMiddleware[]): () => void;
  /** Removes middleware added before (unknown ones are ignored). */
  eject(...middleware: HttpMiddleware[]): void;
}

const middlewareErrorBrand = Symbol.for('dataplat.middleware-error');

/** Code MIDDLEWARE_FAILED: a middleware hook threw (its error is the cause) or returned an unusable header. */
export class MiddlewareError extends DataplatError {
  readonly [middlewareErrorBrand] = true;
  override name = 'MiddlewareError';
  declare readonly code: 'MIDDLEWARE_FAILED';
  readonly hook: 'onRequest' | 'onResponse' | 'onError';

  constructor(options: { hook: 'onRequest' | 'onResponse' | 'onError'; message: string; hint?: string | undefined; cause?: unknown }) {
    super({ code: 'MIDDLEWARE_FAILED', message: options.message, hint: options.hint, cause: options.cause });
    this.hook = options.hook;
  }

  static override isInstance(error: unknown): error is MiddlewareError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[middlewareErrorBrand] === true;
  }
}

/** The transport's middleware list and the calls of its hooks. */
export interface MiddlewareChain extends MiddlewareHost {
  /** Runs every onRequest; returns the headers they add (names lower-cased). */
  beforeRequest(request: MiddlewareRequest): Promise<Record<string, string>>;
  afterResponse(response: MiddlewareResponse): Promise<void>;
  afterError(failure: MiddlewareFailure): Promise<void>;
}

const hookNames = ['onRequest', 'onResponse', 'onError'] as const;
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function createMiddlewareChain(initial: readonly HttpMiddleware[], redact: (text: string) => string): MiddlewareChain {
  const chain: HttpMiddleware[] = [];

  function eject(...middleware: HttpMiddleware[]): void {
    for (const entry of middleware) {
      const index = chain.lastIndexOf(entry);
      if (index >= 0) chain.splice(index, 1);
    }
  }

  function use(...middleware: HttpMiddleware[]): () => void {
    for (const entry of middleware) {
      const hooks = typeof entry === 'object' && entry !== null ? hookNames.filter((name) => entry[name] !== undefined) : [];
      if (hooks.length === 0 || hooks.some((name) => typeof entry[name] !== 'function')) {
        throw new InvalidOptionsError({
          message: 'A middleware must be an object whose onRequest, onResponse or onError (at least one) are functions.',
          hint: 'Pass e.g. { onResponse: ({ method, url, status, durationMs }) => … }.',
        });
      }
    }
    chain.push(...middleware);
    return () => eject(...middleware);
  }

  async function run<Hook extends (typeof hookNames)[number]>(
    hook: Hook,
    event: MiddlewareRequest,
    call: (middleware: HttpMiddleware) => ReturnType<NonNullable<HttpMiddleware[Hook]>>,
  ): Promise<Array<Awaited<ReturnType<NonNullable<HttpMiddleware[Hook]>>>>> {
    // A snapshot: middleware added or removed while a request is in flight applies from its next attempt.
    const active = chain.filter((middleware) => middleware[hook] !== undefined);
    if (hook !== 'onRequest') active.reverse();
    const results = [];
    for (const middleware of active) {
      try {
        results.push(await call(middleware));
      } catch (error) {
        throw new MiddlewareError({
          hook,
          message: `A middleware's ${hook} failed on ${event.service} ${event.method} ${event.url}: ${redact(error instanceof Error ? error.message : String(error))}`,
          hint: 'The request was not retried; fix or remove the middleware (client.eject).',
          cause: error,
        });
      }
    }
    return results;
  }

  use(...initial);
  return {
    use,
    eject,
    async beforeRequest(request) {
      if (chain.length === 0) return {};
      const added: Record<string, string> = {};
      for (const headers of await run('onRequest', request, (middleware) => middleware.onRequest!({ ...request }))) {
        for (const [name, value] of Object.entries(headers ?? {})) {
          if (!headerName.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value)) {
            throw new MiddlewareError({
              hook: 'onRequest',
              message: `A middleware's onRequest returned an unusable header "${redact(name)}" for ${request.service} ${request.method} ${request.url}.`,
              hint: 'Return header names that are HTTP tokens and string values without line breaks.',
            });
          }
          added[name.toLowerCase()] = value;
        }
      }
      return added;
    },
    async afterResponse(response) {
      if (chain.length === 0) return;
      await run('onResponse', response, (middleware) => middleware.onResponse!({ ...response }));
    },
    async afterError(failure) {
      if (chain.length === 0) return;
      await run('onError', failure, (middleware) => middleware.onError!({ ...failure }));
    },
  };
}
