// Airflow's own error codes, and the mapping of Airflow's JSON error details onto readable messages.
import { DataplatError, type ErrorClassification, type HttpMethod } from '@dataplat/core';

/**
 * Codes specific to Airflow (on top of the transport's BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND,
 * CONFLICT, UNPROCESSABLE, TIMEOUT, NETWORK, …):
 * - AIRFLOW_LOGIN_FAILED: `/auth/token` refused the username/password.
 * - AIRFLOW_UNSUPPORTED_VERSION: the server is Airflow 2 (`/api/v1`) or otherwise has no `/api/v2`.
 * - AIRFLOW_DAG_RUN_FAILED: a awaited run ended `failed`; the error lists the failed task instances with log tails.
 * - AIRFLOW_DAG_PAUSED: a run waits in `queued` because its DAG is paused.
 * - AIRFLOW_RUN_ID_CONFLICT: a run with that id exists with a different conf.
 * - AIRFLOW_ASSET_NOT_FOUND: no asset has exactly that URI or name.
 */
export type AirflowErrorCode =
  | 'AIRFLOW_LOGIN_FAILED'
  | 'AIRFLOW_UNSUPPORTED_VERSION'
  | 'AIRFLOW_DAG_RUN_FAILED'
  | 'AIRFLOW_DAG_PAUSED'
  | 'AIRFLOW_RUN_ID_CONFLICT'
  | 'AIRFLOW_ASSET_NOT_FOUND';

const airflowErrorBrand = Symbol.for('dataplat.airflow-error');

export class AirflowError extends DataplatError {
  readonly [airflowErrorBrand] = true;
  override name = 'AirflowError';
  declare readonly code: AirflowErrorCode;

  constructor(options: { code: AirflowErrorCode; message: string; hint?: string | undefined; cause?: unknown }) {
    super(options);
  }

  static override isInstance(error: unknown): error is AirflowError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[airflowErrorBrand] === true;
  }
}

interface ValidationIssue {
  loc?: Array<string | number>;
  msg?: string;
}

/**
 * Airflow (FastAPI) answers errors as `{ detail }` — a string, an object (`{ reason, message, … }` for
 * database errors) or, for 422, a list of `{ loc, msg, type }` — and unknown routes as `{ error }`.
 * Keeps the payload on the error as `detail` and puts a readable version in the message.
 */
export function classifyAirflowError({ status, body }: { status: number; body: string; method: HttpMethod; path: string }): ErrorClassification | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { detail, error } = payload as { detail?: unknown; error?: unknown };
  const summary = summarizeDetail(detail ?? error);
  if (summary === undefined) return undefined;
  return {
    code: codeOf(status),
    summary,
    detail: detail ?? error,
    ...(status === 422 ? { hint: 'Fix the fields named above; the request was not applied.' } : {}),
  };
}

function codeOf(status: number): string {
  const codes: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 422: 'UNPROCESSABLE' };
  return codes[status] ?? (status >= 500 ? (status === 502 || status === 503 || status === 504 ? 'UNAVAILABLE' : 'SERVER_ERROR') : 'HTTP_ERROR');
}

export function summarizeDetail(detail: unknown): string | undefined {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return (detail as ValidationIssue[])
      .map((issue) => `${(issue.loc ?? []).join('.')}: ${issue.msg ?? 'invalid'}`)
      .join('; ');
  }
  if (typeof detail === 'object' && detail !== null) {
    const { message, reason } = detail as { message?: unknown; reason?: unknown };
    if (typeof message === 'string') return typeof reason === 'string' ? `${reason}: ${message}` : message;
    if (typeof reason === 'string') return reason;
    return JSON.stringify(detail);
  }
  return undefined;
}
