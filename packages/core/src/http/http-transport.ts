// The one HTTP transport of every @dataplat client (undici): timeouts, AbortSignal, retries only where
// repeating is harmless, TLS with verification on, credentials, middleware, and secrets kept out of errors.
import { Agent, errors as undiciErrors, FormData as UndiciFormData, request, type Dispatcher } from 'undici';
import { assertMayCarryCredentials } from '../auth/credential-policy.ts';
import { InvalidOptionsError, InvalidResponseError } from '../errors/common-errors.ts';
import { DataplatError } from '../errors/dataplat-error.ts';
import { sleep as abortableSleep } from '../timing/sleep.ts';
import { codeForStatus, HttpError, maxErrorBodyLength, RequestFailedError } from './http-errors.ts';
import type { HttpMethod } from './http-method.ts';
import { createMiddlewareChain, type HttpMiddleware, type MiddlewareHost, type MiddlewareRequest } from './middleware.ts';
import { redactText, redactUrl, truncate } from './redact.ts';
import { errorCodes, isTransientNetworkError, isTransientStatus } from '../errors/transient-errors.ts';
import { backoffDelay, parseRetryAfter, resolveRetryPolicy, type RetryOptions } from './retry-policy.ts';

export type { HttpMethod };

export type QueryValue = string | number | boolean | bigint | null | undefined | readonly (string | number | boolean)[];

export type HttpRequestBody =
  | { json: unknown }
  | { form: Record<string, string> }
  | { multipart: FormData }
  | { text: string; contentType?: string }
  | { bytes: Uint8Array; contentType?: string };

/** How to read the response body; `auto` follows the Content-Type (JSON, text, otherwise bytes). */
export type ResponseType = 'auto' | 'json' | 'text' | 'bytes';

export interface HttpRequest {
  method: HttpMethod;
  /**
   * Path appended to the base URL, or an absolute URL. Credentials, the transport's default headers and
   * middleware headers are only sent to the base URL's origin (and `trustedOrigins`).
   */
  path: string;
  query?: Record<string, QueryValue> | undefined;
  headers?: Record<string, string> | undefined;
  body?: HttpRequestBody | undefined;
  responseType?: ResponseType | undefined;
  signal?: AbortSignal | undefined;
  /** Overrides the transport's timeout for this request (each attempt). */
  timeoutMs?: number | undefined;
  /**
   * Whether repeating the request is harmless. Defaults to true for GET, HEAD, PUT and DELETE. An
   * idempotent request is repeated after a connection error, a timeout (at most `retry.timeoutRetries`
   * times), 502/503/504 and 429; any other only when it provably never reached the server (connection
   * refused) or on 429.
   */
  idempotent?: boolean | undefined;
  /**
   * The server's protocol says 502/503/504 mean "not processed, send it again" (Trino's POST
   * /v1/statement): repeat this request on them even when it is not idempotent. Timeouts and resets of
   * such a request are still never repeated: the server may have acted on it.
   */
  retryUnavailable?: boolean | undefined;
  /** Send no credentials (used by login requests themselves). */
  anonymous?: boolean | undefined;
  /** Strings to scrub from any error this request raises (e.g. a password sent in the body). */
  secrets?: string[] | undefined;
  /** Leave out the transport's default headers even on the base origin (e.g. presigned storage URLs served there). */
  omitDefaultHeaders?: boolean | undefined;
}

export interface HttpResponse<Body = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Body;
}

/** Supplies credentials to a transport; implemented by each API client's auth modes. */
export interface HttpAuthentication {
  /** Headers that authenticate one request, e.g. `{ authorization: 'Bearer …' }`. */
  headers(signal: AbortSignal | undefined): Promise<Record<string, string>>;
  /**
   * Called once per request on a 401: renew the credentials and return true to retry with them.
   * `rejected` are the headers the refused attempt carried (already-renewed credentials need no new login).
   */
  refresh?(signal: AbortSignal | undefined, rejected?: Record<string, string>): Promise<boolean>;
  /** Secrets to scrub from anything the transport reports (passwords, tokens). */
  secrets?(): Iterable<string>;
}

export interface TlsOptions {
  /** Certificate authorities to trust (PEM), in addition to nothing else: replaces the system store. */
  ca?: string | Buffer | Array<string | Buffer> | undefined;
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | Buffer | undefined;
  key?: string | Buffer | undefined;
  passphrase?: string | undefined;
  /** Only ever false when asked explicitly; certificate checks are on by default. */
  rejectUnauthorized?: boolean | undefined;
}

/** What an API client can say about an error response to give it a precise code and hint. */
export interface ErrorClassification {
  code: string;
  hint?: string | undefined;
  isRetryable?: boolean | undefined;
  /** A readable rendering of the server's error payload, used in the message instead of the raw body. */
  summary?: string | undefined;
  /** The server's structured error payload (already redacted), kept on the error as `detail`. */
  detail?: unknown;
  /**
   * The server's answer proves it refused the request before acting on it and says to send it again
   * (e.g. NiFi's "a node is connecting, try again"): the transport repeats it whatever its method, like
   * a 429, within the retry policy. Implies `isRetryable` unless that is given.
   */
  notPerformed?: boolean | undefined;
}

export interface RetryEvent {
  method: HttpMethod;
  /** Redacted. */
  url: string;
  retryNumber: number;
  delayMs: number;
  reason: string;
}

export interface HttpTransportOptions {
  baseUrl: string;
  /** Service name used in messages, e.g. "NiFi". */
  serviceName?: string | undefined;
  /** An undici dispatcher (e.g. MockAgent in tests). When set, `tls` must be absent: configure TLS on it. */
  dispatcher?: Dispatcher | undefined;
  tls?: TlsOptions | undefined;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
  userAgent?: string | undefined;
  headers?: Record<string, string> | undefined;
  /**
   * Credentials for every request; a function when they need the transport itself (e.g. to log in through it).
   * Refused (INSECURE_AUTH) when the base URL is plain http to a host other than loopback, unless `allowInsecureAuth`.
   */
  authentication?: HttpAuthentication | ((transport: HttpTransport) => HttpAuthentication) | undefined;
  /** Send credentials over plain http to a host other than loopback (they travel in clear text). */
  allowInsecureAuth?: boolean | undefined;
  /**
   * Origins besides the base URL's that are the same service (e.g. a proxy's public address that the
   * server names in its links): they get credentials and default headers too. Everything else gets neither.
   */
  trustedOrigins?: readonly string[] | undefined;
  classifyError?: ((response: { status: number; body: string; method: HttpMethod; path: string }) => ErrorClassification | undefined) | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Middleware from the start (more can be added with `use`): sees every request sent, retries and logins included. */
  middleware?: readonly HttpMiddleware[] | undefined;
  /** Injectable sleep (tests). */
  sleep?: ((milliseconds: number, signal: AbortSignal | undefined) => Promise<void>) | undefined;
}

export interface HttpTransport extends MiddlewareHost {
  readonly baseUrl: string;
  request<Body = unknown>(httpRequest: HttpRequest): Promise<HttpResponse<Body>>;
  /** Redacts everything the transport knows to be secret (for callers building their own messages). */
  redact(text: string, extraSecrets?: string[]): string;
  /** Closes pooled connections that this transport opened (not an injected dispatcher). */
  close(): Promise<void>;
}

const idempotentMethods = new Set<HttpMethod>(['GET', 'HEAD', 'PUT', 'DELETE']);
// A request that failed while connecting never reached the server, so even a POST may be repeated.
const connectPhaseCodes = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH']);

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  if (options.dispatcher && options.tls) {
    throw new InvalidOptionsError({
      message: 'Both `dispatcher` and `tls` were given.',
      hint: 'Configure TLS on your own dispatcher (undici Agent `connect` options), or drop `dispatcher`.',
    });
  }
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl.replace(/\/+$/, ''));
  } catch (error) {
    throw new InvalidOptionsError({
      message: `baseUrl is not a valid URL: ${redactUrl(options.baseUrl)}`,
      hint: 'Pass an absolute URL such as https://nifi.example.com:8443/nifi-api.',
      cause: error,
    });
  }
  if (baseUrl.username || baseUrl.password) {
    throw new InvalidOptionsError({
      message: 'baseUrl must not contain credentials.',
      hint: 'Pass credentials through the client\'s `auth` option instead.',
    });
  }
  const base = baseUrl.toString().replace(/\/+$/, '');
  const serviceName = options.serviceName ?? 'HTTP';
  const trustedOrigins = new Set([baseUrl.origin, ...(options.trustedOrigins ?? []).map((origin) => parseOrigin(origin))]);
  if (options.authentication) {
    for (const origin of trustedOrigins) assertMayCarryCredentials(new URL(origin), serviceName, { allowInsecureAuth: options.allowInsecureAuth });
  }
  const ownAgent = options.dispatcher
    ? undefined
    : new Agent({
        keepAliveTimeout: 30_000,
        connections: 16,
        ...(options.tls ? { connect: { ...options.tls, rejectUnauthorized: options.tls.rejectUnauthorized ?? true } } : {}),
      });
  const dispatcher: Dispatcher = options.dispatcher ?? ownAgent!;
  const retryPolicy = resolveRetryPolicy(options.retry);
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? abortableSleep;
  // Set once the transport exists: a login may itself go through the transport.
  let authentication: HttpAuthentication | undefined;

  const redact = (text: string, extraSecrets: string[] = []) => redactText(text, [...(authentication?.secrets?.() ?? []), ...extraSecrets]);
  const middleware = createMiddlewareChain(options.middleware ?? [], (text) => redact(text));

  function resolveUrl(path: string, query: HttpRequest['query']): URL {
    const url = /^https?:\/\//i.test(path) ? new URL(path) : new URL(base + (path.startsWith('/') ? path : `/${path}`));
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
      else url.searchParams.append(name, String(value));
    }
    return url;
  }

  async function send(httpRequest: HttpRequest, url: URL, signal: AbortSignal, authHeaders: Record<string, string>, middlewareHeaders: Record<string, string>) {
    // The caller's default headers may hold secrets of their own (API keys, tenant ids): the service only.
    const withDefaultHeaders = !httpRequest.omitDefaultHeaders && trustedOrigins.has(url.origin);
    const headers: Record<string, string> = {
      'user-agent': options.userAgent ?? 'dataplat',
      accept: 'application/json, text/plain;q=0.9, */*;q=0.8',
      ...(withDefaultHeaders ? options.headers : {}),
      ...httpRequest.headers,
      ...authHeaders,
    };
    // Middleware adds headers; it never replaces one the request already has, and third parties get none.
    if (withDefaultHeaders) {
      const present = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
      for (const [name, value] of Object.entries(middlewareHeaders)) if (!present.has(name)) headers[name] = value;
    }
    let body: string | Uint8Array | FormData | undefined;
    const requestBody = httpRequest.body;
    if (requestBody) {
      if ('json' in requestBody) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(requestBody.json);
      } else if ('form' in requestBody) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(requestBody.form).toString();
      } else if ('multipart' in requestBody) {
        body = toUndiciFormData(requestBody.multipart); // undici sets the multipart boundary itself
      } else if ('text' in requestBody) {
        headers['content-type'] = requestBody.contentType ?? 'text/plain; charset=utf-8';
        body = requestBody.text;
      } else {
        headers['content-type'] = requestBody.contentType ?? 'application/octet-stream';
        body = requestBody.bytes;
      }
    }
    return request(url, { dispatcher, method: httpRequest.method, headers, body: (body ?? null) as string | Uint8Array | UndiciFormData | null, signal });
  }

  /** Reads the whole body: bytes, or text (parsed by `decodeBody` when JSON is expected). */
  async function readBody(response: Dispatcher.ResponseData, responseType: ResponseType, method: HttpMethod): Promise<{ kind: 'bytes'; bytes: Uint8Array } | { kind: 'json' | 'text'; text: string }> {
    const contentType = String(response.headers['content-type'] ?? '');
    const kind = responseType === 'auto' ? (/\bjson\b/i.test(contentType) ? 'json' : /^text\//i.test(contentType) ? 'text' : 'bytes') : responseType;
    // A HEAD answer announces a length but has no body.
    if (kind === 'bytes') return { kind, bytes: method === 'HEAD' || response.statusCode === 204 ? new Uint8Array(await response.body.arrayBuffer()) : await readBytes(response) };
    return { kind, text: await response.body.text() };
  }

  /**
   * With a Content-Length, each chunk is copied into one buffer of that size as it arrives: chunks die young
   * and nothing is concatenated at the end (undici's arrayBuffer() keeps every chunk of a slow download alive
   * until the end, then copies them, which for multi-MB bodies leaves twice their size to a full GC).
   */
  async function readBytes(response: Dispatcher.ResponseData): Promise<Uint8Array> {
    const length = Number(headerValue(response.headers['content-length']));
    // undici's request() never decodes a Content-Encoding, so Content-Length counts the bytes that arrive.
    if (!Number.isSafeInteger(length) || length < 64 * 1024 || length > 2 ** 31) return new Uint8Array(await response.body.arrayBuffer());
    const bytes = new Uint8Array(length);
    let offset = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      if (offset + chunk.length > length) throw contentLengthMismatch(`the body is longer than its Content-Length (${length} bytes)`);
      bytes.set(chunk, offset);
      offset += chunk.length;
    }
    if (offset !== length) throw contentLengthMismatch(`the body ended after ${offset} of its ${length} bytes`);
    return bytes;
  }

  function decodeBody(body: Awaited<ReturnType<typeof readBody>>): unknown {
    if (body.kind === 'bytes') return body.bytes;
    const text = body.text;
    if (body.kind === 'text') return text;
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new InvalidResponseError({
        message: `${serviceName} answered with a body that is not valid JSON: ${redact(truncate(text, 200))}`,
        hint: 'Check that baseUrl points at the API itself and not at a proxy or login page.',
        cause: error,
      });
    }
  }

  async function performRequest<Body>(httpRequest: HttpRequest): Promise<HttpResponse<Body>> {
    const url = resolveUrl(httpRequest.path, httpRequest.query);
    const displayUrl = redactUrl(url);
    const method = httpRequest.method;
    const idempotent = httpRequest.idempotent ?? idempotentMethods.has(method);
    const sendsCredentials = !httpRequest.anonymous && authentication !== undefined && trustedOrigins.has(url.origin);
    let retryNumber = 0;
    let timeoutRetries = 0;
    let refreshedCredentials = false;
    let attempt = 0;

    for (;;) {
      if (httpRequest.signal?.aborted) throw abortedError(method, displayUrl, serviceName, httpRequest.signal);
      const timeoutMs = httpRequest.timeoutMs ?? defaultTimeoutMs;
      const timeoutSignal = AbortSignal.timeout(timeoutMs);
      const signal = httpRequest.signal ? AbortSignal.any([httpRequest.signal, timeoutSignal]) : timeoutSignal;

      let retry: { delayMs: number; reason: string } | undefined;
      let failure: Error;
      // Set once middleware saw the attempt: only then does a failure to get an answer go to onError.
      let attemptEvent: MiddlewareRequest | undefined;
      let startedAt = 0;
      // The credentials this attempt carried: a 401 renews them only if nobody renewed them meanwhile.
      let authHeaders: Record<string, string> = {};
      try {
        authHeaders = sendsCredentials ? await authentication!.headers(httpRequest.signal) : {};
        attempt += 1;
        attemptEvent = { service: serviceName, method, url: displayUrl, attempt };
        const middlewareHeaders = await middleware.beforeRequest(attemptEvent);
        startedAt = performance.now();
        const response = await send(httpRequest, url, signal, authHeaders, middlewareHeaders);
        if (response.statusCode < 300) {
          const received = await readBody(response, httpRequest.responseType ?? 'auto', method);
          await middleware.afterResponse({ ...attemptEvent, status: response.statusCode, durationMs: performance.now() - startedAt });
          return { status: response.statusCode, headers: response.headers, body: decodeBody(received) as Body };
        }
        const rawBody = await response.body.text().catch(() => '');
        await middleware.afterResponse({ ...attemptEvent, status: response.statusCode, durationMs: performance.now() - startedAt });
        const bodyText = redact(truncate(rawBody, maxErrorBodyLength), httpRequest.secrets);
        if (response.statusCode < 400) {
          // APIs don't redirect; a redirect means baseUrl points at a UI, a proxy login or the wrong path.
          const location = headerValue(response.headers['location']);
          throw new HttpError({
            code: 'REDIRECTED',
            message: `${serviceName} ${method} ${displayUrl} answered a redirect (HTTP ${response.statusCode}${location ? ` to ${redactUrl(location)}` : ''}) instead of an API response.`,
            hint: `Check that baseUrl is the ${serviceName} API's URL; redirects are not followed.`,
            status: response.statusCode,
            method,
            url: displayUrl,
            responseBody: bodyText,
            isRetryable: false,
          });
        }
        if (response.statusCode === 401 && sendsCredentials && !refreshedCredentials && authentication?.refresh) {
          refreshedCredentials = true;
          if (await authentication.refresh(httpRequest.signal, authHeaders)) continue;
        }
        const classification = options.classifyError?.({ status: response.statusCode, body: bodyText, method, path: url.pathname });
        const retryableStatus = isTransientStatus(response.statusCode);
        failure = new HttpError({
          code: classification?.code ?? codeForStatus(response.statusCode),
          message: `${serviceName} ${method} ${displayUrl} failed with HTTP ${response.statusCode}${(classification?.summary ?? bodyText) ? `: ${classification?.summary ?? bodyText}` : ''}`,
          hint: classification?.hint ?? hintForStatus(response.statusCode, serviceName),
          status: response.statusCode,
          method,
          url: displayUrl,
          responseBody: bodyText,
          detail: classification?.detail,
          isRetryable: classification?.isRetryable ?? (retryableStatus || classification?.notPerformed === true),
        });
        // 429 means "not processed", so it is safe to repeat even a POST; so is an answer the client classified as not performed.
        const notPerformed = classification?.notPerformed === true;
        if ((retryableStatus || notPerformed) && (idempotent || httpRequest.retryUnavailable || response.statusCode === 429 || notPerformed)) {
          const retryAfterMs = parseRetryAfter(headerValue(response.headers['retry-after']));
          if (retryAfterMs === undefined || retryAfterMs <= retryPolicy.maxRetryAfterMs) {
            retry = { delayMs: retryAfterMs ?? backoffDelay(retryPolicy, retryNumber + 1), reason: `HTTP ${response.statusCode}` };
          }
        }
      } catch (error) {
        // From authentication, a middleware hook or an unreadable answer: already precise.
        if (DataplatError.isInstance(error)) throw error;
        const noAnswer = requestFailure(error, { method, displayUrl, serviceName, timeoutMs, userSignal: httpRequest.signal, timeoutSignal, redact: (text) => redact(text, httpRequest.secrets) });
        failure = noAnswer;
        if (attemptEvent) await middleware.afterError({ ...attemptEvent, error: noAnswer, durationMs: performance.now() - startedAt });
        if (noAnswer.code === 'NETWORK' && isTransientNetworkError(error)) {
          if (idempotent || isConnectPhaseError(error)) {
            retry = { delayMs: backoffDelay(retryPolicy, retryNumber + 1), reason: noAnswer.code };
          }
        } else if (noAnswer.code === 'TIMEOUT' && idempotent && timeoutRetries < retryPolicy.timeoutRetries) {
          // A stalled server or a lost answer: repeating a harmless request is safe; a POST may have been acted on.
          timeoutRetries += 1;
          retry = { delayMs: backoffDelay(retryPolicy, retryNumber + 1), reason: noAnswer.code };
        }
      }

      if (!retry || retryNumber >= retryPolicy.retries) throw failure;
      retryNumber += 1;
      options.onRetry?.({ method, url: displayUrl, retryNumber, delayMs: retry.delayMs, reason: retry.reason });
      try {
        await sleep(retry.delayMs, httpRequest.signal);
      } catch (error) {
        if (httpRequest.signal?.aborted) throw abortedError(method, displayUrl, serviceName, httpRequest.signal);
        throw error;
      }
    }
  }

  const transport: HttpTransport = {
    baseUrl: base,
    request: performRequest,
    use: middleware.use,
    eject: middleware.eject,
    redact,
    async close() {
      await ownAgent?.close();
    },
  };
  authentication = typeof options.authentication === 'function' ? options.authentication(transport) : options.authentication;
  return transport;
}

// undici.request() only accepts FormData of its own package instance, not Node's global one that
// callers naturally build: copy the entries over (files keep their name and type).
function toUndiciFormData(form: FormData): UndiciFormData {
  if ((form as unknown) instanceof UndiciFormData) return form as unknown as UndiciFormData;
  const copy = new UndiciFormData();
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') copy.append(name, value);
    else copy.append(name, value as unknown as Blob, (value as File).name);
  }
  return copy;
}

function parseOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch (error) {
    throw new InvalidOptionsError({ message: `trustedOrigins holds something that is not a URL: ${redactUrl(origin)}`, hint: 'Pass origins such as https://trino.example.com:8443.', cause: error });
  }
}

/**
 * A body that does not match its Content-Length is a transfer cut short or garbled: undici's own error (code
 * UND_ERR_RES_CONTENT_LENGTH_MISMATCH), so the catch below reports it as NETWORK and repeats an idempotent request.
 */
function contentLengthMismatch(detail: string): Error {
  const error = new undiciErrors.ResponseContentLengthMismatchError();
  error.message = `${error.message}: ${detail}`;
  return error;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isConnectPhaseError(error: unknown): boolean {
  return errorCodes(error).some((code) => connectPhaseCodes.has(code));
}

function hintForStatus(status: number, serviceName: string): string | undefined {
  if (status === 401) return `Check the credentials given to the ${serviceName} client.`;
  if (status === 403) return `The ${serviceName} user lacks a permission for this request; grant it in ${serviceName}'s policies.`;
  if (status === 404) return 'Check the id or path: the resource does not exist (or no longer does).';
  if (status === 429) return `${serviceName} is rate limiting this client; retry later or lower the request rate.`;
  if (status >= 500) return `${serviceName} failed or is unavailable; check its logs.`;
  return undefined;
}

function requestFailure(
  error: unknown,
  context: {
    method: HttpMethod;
    displayUrl: string;
    serviceName: string;
    timeoutMs: number;
    userSignal: AbortSignal | undefined;
    timeoutSignal: AbortSignal;
    redact: (text: string) => string;
  },
): RequestFailedError {
  const { method, displayUrl, serviceName } = context;
  if (context.userSignal?.aborted) return abortedError(method, displayUrl, serviceName, context.userSignal);
  const code = errorCode(error);
  if (context.timeoutSignal.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new RequestFailedError({
      code: 'TIMEOUT',
      message: `${serviceName} ${method} ${displayUrl} timed out after ${context.timeoutMs} ms.`,
      hint: `Raise timeoutMs if ${serviceName} is slow under load, or check that it is healthy.`,
      method,
      url: displayUrl,
      // Transient: a later attempt may be answered in time (the transport repeats only idempotent requests).
      isRetryable: true,
      cause: error,
    });
  }
  const detail = context.redact(error instanceof Error ? error.message : String(error));
  return new RequestFailedError({
    code: 'NETWORK',
    message: `${serviceName} ${method} ${displayUrl} failed: ${detail}${code ? ` (${code})` : ''}`,
    hint: /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i.test(String(code ?? detail))
      ? `The TLS certificate of ${serviceName} is not trusted: pass its CA certificate as tls.ca (verification stays on).`
      : `Check that ${serviceName} is running and reachable at ${new URL(displayUrl).origin}.`,
    method,
    url: displayUrl,
    isRetryable: isTransientNetworkError(error),
    cause: error,
  });
}

function abortedError(method: HttpMethod, displayUrl: string, serviceName: string, signal: AbortSignal): RequestFailedError {
  return new RequestFailedError({
    code: 'ABORTED',
    message: `${serviceName} ${method} ${displayUrl} was aborted.`,
    method,
    url: displayUrl,
    isRetryable: false,
    cause: signal.reason,
  });
}

function errorCode(error: unknown): string | undefined {
  return errorCodes(error)[0];
}
