// What every NiFi helper receives (the typed API, the transport, the client id) and the revision it sends.
import type { HttpTransport } from '@dataplat/core';
import type { NifiApi } from '../api/typed-api.ts';
import type { components } from '../generated/nifi-api.ts';

export { callOptions, type CallOptions } from '@dataplat/core';

export type NifiSchemas = components['schemas'];

/**
 * What every helper gets: the typed API (every path the helpers use is in NiFi's spec, so there is no
 * untyped call; `transport.request` remains for a path a future helper needs that the spec lacks) and the client id.
 */
export interface NifiContext {
  api: NifiApi;
  transport: HttpTransport;
  /** One stable client id per client: NiFi accepts a revision whose clientId made the last change. */
  clientId: string;
}

export function revisionOf(context: NifiContext, entity: { revision?: { version?: number } | undefined }) {
  return { version: entity.revision?.version ?? 0, clientId: context.clientId };
}
