// NiFi's spec bound to core's typed API layer: `nifi.api.get('/process-groups/{id}', { path: { id } })`.
import { createTypedApi, type HttpTransport, type OpenApiMethod, type PathsWith, type TypedApi, type TypedRequestOptions, type TypedResponse } from '@dataplat/core';
import type { paths } from '../generated/nifi-api.ts';

export type NifiPaths = paths;
export type NifiMethod = Exclude<OpenApiMethod, 'patch'>;
export type NifiApi = Omit<TypedApi<paths>, 'patch'>;
/** Paths that support the given method. */
export type NifiPath<Method extends NifiMethod> = PathsWith<paths, Method>;
export type NifiRequestOptions<Path extends keyof paths, Method extends NifiMethod> = TypedRequestOptions<paths, Path, Method>;
/** The body of a successful answer of an operation. */
export type NifiResponse<Path extends keyof paths, Method extends NifiMethod> = TypedResponse<paths, Path, Method>;

export function createNifiApi(transport: HttpTransport): NifiApi {
  const { patch: _noPatchInNifi, ...api } = createTypedApi<paths>(transport, 'NiFi');
  return api;
}
