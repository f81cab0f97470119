import type { HttpMethod, HttpTransport, QueryValue } from '@dataplat/core';
import type { NifiApi } from '../api/typed-api.ts';
import type { components } from '../generated/nifi-api.ts';

export type NifiSchemas = components['schemas'];

export interface CallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

/** What every helper gets: the typed API, an untyped escape hatch for generic code, and the client id. */
export interface NifiContext {
  api: NifiApi;
  transport: HttpTransport;
  /** One stable client id per client: NiFi accepts a revision whose clientId made the last change. */
  clientId: string;
  call<Body>(method: HttpMethod, path: string, options?: CallOptions & { query?: Record<string, QueryValue>; body?: unknown }): Promise<Body>;
}

export function revisionOf(context: NifiContext, entity: { revision?: { version?: number } | undefined }) {
  return { version: entity.revision?.version ?? 0, clientId: context.clientId };
}

export function callOptions(options: CallOptions | undefined): CallOptions {
  return { signal: options?.signal, timeoutMs: options?.timeoutMs };
}
