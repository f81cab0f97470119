// The errors of requests that failed (an error status, or no usable answer), with stable codes and nothing secret kept.
import { DataplatError } from '../errors/dataplat-error.ts';

const httpErrorBrand = Symbol.for('dataplat.http-error');
const requestFailedBrand = Symbol.for('dataplat.request-failed-error');

/** Longest response body kept in an error: enough for a server's message, never a whole payload. */
export const maxErrorBodyLength = 2000;

/** Stable codes for HTTP error responses; API clients may refine them (e.g. `NIFI_STALE_REVISION`). */
export type HttpStatusCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNPROCESSABLE'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'UNAVAILABLE'
  | 'REDIRECTED'
  | 'HTTP_ERROR';

export function codeForStatus(status: number): HttpStatusCode {
  if (status === 400) return 'BAD_REQUEST';
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 422) return 'UNPROCESSABLE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  if (status >= 500) return 'SERVER_ERROR';
  return 'HTTP_ERROR';
}

export interface HttpErrorOptions {
  code: string;
  message: string;
  hint?: string | undefined;
  status: number;
  method: string;
  /** Already redacted. */
  url: string;
  /** Already redacted and truncated. */
  responseBody: string;
  /** The server's structured error payload, when the API client parsed one. */
  detail?: unknown;
  isRetryable: boolean;
  cause?: unknown;
}

/** The server answered with an error status. `url` and `responseBody` are redacted; no header is kept. */
export class HttpError extends DataplatError {
  readonly [httpErrorBrand] = true;
  override name = 'HttpError';
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly responseBody: string;
  /** The server's structured error payload (e.g. Airflow's `detail`), when the API client parsed one. */
  readonly detail: unknown;
  readonly isRetryable: boolean;

  constructor(options: HttpErrorOptions) {
    super({ code: options.code, message: options.message, hint: options.hint, cause: options.cause });
    this.status = options.status;
    this.method = options.method;
    this.url = options.url;
    this.responseBody = options.responseBody;
    this.detail = options.detail;
    this.isRetryable = options.isRetryable;
  }

  static override isInstance(error: unknown): error is HttpError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[httpErrorBrand] === true;
  }
}

/** Codes of requests that got no (complete) response. */
export type RequestFailedCode = 'NETWORK' | 'TIMEOUT' | 'ABORTED';

export interface RequestFailedErrorOptions {
  code: RequestFailedCode;
  message: string;
  hint?: string | undefined;
  method: string;
  url: string;
  isRetryable: boolean;
  cause?: unknown;
}

/** No usable response: connection refused or reset, timeout, or cancelled through an AbortSignal. */
export class RequestFailedError extends DataplatError {
  readonly [requestFailedBrand] = true;
  override name = 'RequestFailedError';
  declare readonly code: RequestFailedCode;
  readonly method: string;
  readonly url: string;
  /** The failure is transient (a later attempt may succeed); whether the transport repeated the request also depended on it being idempotent. */
  readonly isRetryable: boolean;

  constructor(options: RequestFailedErrorOptions) {
    super({ code: options.code, message: options.message, hint: options.hint, cause: options.cause });
    this.method = options.method;
    this.url = options.url;
    this.isRetryable = options.isRetryable;
  }

  static override isInstance(error: unknown): error is RequestFailedError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[requestFailedBrand] === true;
  }
}
