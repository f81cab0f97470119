// The one owner of "is this failure transient": which statuses, network errors and error classes mean
// "try again later" (a blip, a restart, an overloaded server) rather than "this will never work". The
// transport's retries and every poll loop (pollUntil, so NiFi, Airflow and stack readiness waits) ask here.
import { HttpError, RequestFailedError } from '../http/http-errors.ts';
import { DataplatError } from './dataplat-error.ts';

/** 429 and the gateway/unavailable family are transient; a 500 usually is a bug that a retry repeats. */
export function isTransientStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

// Failures before any (complete) answer arrived: connection refused/reset, DNS hiccups, sockets closed by
// the peer, and undici's own timeouts. A TLS certificate error is not among them: it never heals by itself.
const transientNetworkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  // A body cut short (or longer) than its Content-Length: the transfer failed, the server may answer whole next time.
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** The `code`s along an error's cause chain (undici wraps socket errors: the useful code is often a cause's). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** A raw socket or undici error (not yet wrapped by the transport) that a later attempt may not meet. */
export function isTransientNetworkError(error: unknown): boolean {
  return errorCodes(error).some((code) => transientNetworkCodes.has(code));
}

/**
 * Whether a failed call may well succeed if made again later: NETWORK (refused, reset, closed) and
 * TIMEOUT errors, HTTP 429/502/503/504, and raw socket errors of the same kinds. Everything else is
 * permanent — 400, 401 (after the transport's one credential refresh), 403, 404, 409, 500, ABORTED,
 * a TLS certificate error, an answer that cannot be read, and any error of a @dataplat API's own (a
 * DAG run that failed, an invalid component, a wait that already used up its own deadline).
 */
export function isTransientError(error: unknown): boolean {
  if (RequestFailedError.isInstance(error)) return error.code === 'TIMEOUT' || (error.code === 'NETWORK' && error.isRetryable);
  if (HttpError.isInstance(error)) return error.isRetryable;
  // Other @dataplat errors carry their own meaning; their causes (e.g. a wait's last blip) don't make them transient.
  if (DataplatError.isInstance(error)) return false;
  return isTransientNetworkError(error);
}
