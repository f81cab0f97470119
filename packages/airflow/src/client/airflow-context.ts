import type { HttpTransport, TypedApi } from '@dataplat/core';
import type { components, paths } from '../generated/airflow-api.ts';

export type AirflowSchemas = components['schemas'];
export type AirflowApi = TypedApi<paths>;

export interface CallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** What every helper gets: the typed API and the transport. */
export interface AirflowContext {
  api: AirflowApi;
  transport: HttpTransport;
}

export function callOptions(options: CallOptions | undefined): CallOptions {
  return { signal: options?.signal, timeoutMs: options?.timeoutMs };
}

