// The Airflow server's version, and a clear AIRFLOW_UNSUPPORTED_VERSION when the server is not an Airflow 3 API.
import { HttpError } from '@dataplat/core';
import { callOptions, type AirflowContext, type CallOptions } from '../client/airflow-context.ts';
import { AirflowError } from '../client/airflow-errors.ts';

export interface AirflowVersion {
  version: string;
  gitVersion: string | null;
}

/**
 * The server's version (`/api/v2/version`, no authentication needed). An Airflow 2 server has no
 * `/api/v2` — its `/api/v1` uses basic auth and other shapes — and is reported as AIRFLOW_UNSUPPORTED_VERSION.
 */
export async function getVersion(context: AirflowContext, options?: CallOptions): Promise<AirflowVersion> {
  let failure: unknown;
  try {
    const answer = await context.transport.request<unknown>({ method: 'GET', path: '/api/v2/version', anonymous: true, ...callOptions(options) });
    const body = answer.body as { version?: unknown; git_version?: string | null } | undefined;
    if (typeof body?.version === 'string') return { version: body.version, gitVersion: body.git_version ?? null };
  } catch (error) {
    // Anything but "not here" (404) or "elsewhere" (a redirect) is a real failure: report it as such.
    if (!(HttpError.isInstance(error) && (error.status === 404 || error.status < 400))) throw error;
    failure = error;
  }
  const legacy = await context.transport
    .request<{ version?: string }>({ method: 'GET', path: '/api/v1/version', anonymous: true, ...callOptions(options) })
    .then((answer) => (typeof answer.body?.version === 'string' ? answer.body.version : undefined), () => undefined);
  throw new AirflowError({
    code: 'AIRFLOW_UNSUPPORTED_VERSION',
    message: legacy
      ? `This is Airflow ${legacy} (REST API /api/v1); @dataplat/airflow talks to Airflow 3's /api/v2.`
      : `${context.transport.baseUrl} is not an Airflow 3 API server (GET /api/v2/version gave no version).`,
    hint: legacy ? 'Upgrade to Airflow 3 (Airflow 2 reached end of life in April 2026).' : 'Point baseUrl at the Airflow API server root, e.g. https://airflow.example.com.',
    cause: failure,
  });
}
