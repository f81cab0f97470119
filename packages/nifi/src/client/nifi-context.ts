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
  /**
   * Send `disconnectedNodeAcknowledged` with every write (only on a client made by
   * `acknowledgingDisconnectedNodes()`; off otherwise). A call's own option wins.
   */
  disconnectedNodeAcknowledged?: boolean | undefined;
}

/** The per-call option of every helper that changes the flow. */
export interface AcknowledgeOption {
  /**
   * Change the flow although a cluster node is disconnected: NiFi requires it when the node this client calls
   * is itself disconnected (else NIFI_NODE_DISCONNECTED). Off by default; never set behind your back.
   */
  disconnectedNodeAcknowledged?: boolean | undefined;
}

/**
 * The one place that decides whether a write carries `disconnectedNodeAcknowledged` (the call's option, else the
 * client's): spread into an entity body or a DELETE's query. Absent when off, so NiFi's default applies.
 */
export function acknowledgement(context: NifiContext, options?: AcknowledgeOption): { disconnectedNodeAcknowledged?: true } {
  return (options?.disconnectedNodeAcknowledged ?? context.disconnectedNodeAcknowledged) === true ? { disconnectedNodeAcknowledged: true } : {};
}

export function revisionOf(context: NifiContext, entity: { revision?: { version?: number } | undefined }) {
  return { version: entity.revision?.version ?? 0, clientId: context.clientId };
}
