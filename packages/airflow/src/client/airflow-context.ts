// What every Airflow helper receives: the typed API and the transport (for the few unauthenticated or non-spec calls).
import type { HttpTransport, TypedApi } from '@dataplat/core';
import type { components, paths } from '../generated/airflow-api.ts';

export { callOptions, type CallOptions } from '@dataplat/core';

export type AirflowSchemas = components['schemas'];
export type AirflowApi = TypedApi<paths>;

/** What every helper gets: the typed API and the transport. */
export interface AirflowContext {
  api: AirflowApi;
  transport: HttpTransport;
}
