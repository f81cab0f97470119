// Reading what waits in a connection's queue — which flowfiles, on which cluster node, with which attributes and
// content — through NiFi's listing requests, so tests and tools can look at data without the canvas.
import type { CallOptions, NifiContext, NifiSchemas } from '../client/nifi-context.ts';
import { runAsyncRequest, type AsyncRequestOptions } from './async-request.ts';

/** One flowfile of a queue listing; on a cluster, the node that holds it. */
export interface QueuedFlowFile {
  uuid: string;
  filename: string | undefined;
  size: number;
  /** Position in the queue (per node on a cluster). */
  position: number | undefined;
  penalized: boolean;
  /** The node's id and address:port; undefined on a standalone NiFi. */
  clusterNodeId: string | undefined;
  clusterNodeAddress: string | undefined;
}

export interface QueueListing {
  /** The flowfiles NiFi listed: at most 100 per node (NiFi's fixed limit), the active queue only (not swapped-out data). */
  flowFiles: QueuedFlowFile[];
  /** What the whole queue holds, listed or not. */
  queuedCount: number;
  queuedBytes: number;
  /** True when NiFi listed fewer flowfiles than the queue holds (its per-node limit, or data swapped out). */
  truncated: boolean;
}

/**
 * Lists the flowfiles queued in a connection (NiFi's listing request, always deleted afterwards). Works while the
 * connection's source and destination run; a cluster merges every node's first 100.
 */
export async function listQueue(context: NifiContext, connectionId: string, options?: AsyncRequestOptions): Promise<QueueListing> {
  const call: CallOptions = { signal: options?.signal };
  const listing = await runAsyncRequest<NifiSchemas['ListingRequestDTO'], NifiSchemas['ListingRequestDTO']>(
    {
      description: `listing the queue of connection ${connectionId}`,
      submit: async () => (await context.api.post('/flowfile-queues/{id}/listing-requests', { ...call, path: { id: connectionId } })).listingRequest!,
      poll: async (submitted, signal) =>
        (await context.api.get('/flowfile-queues/{id}/listing-requests/{listing-request-id}', { ...call, signal, path: { id: connectionId, 'listing-request-id': submitted.id! } }))
          .listingRequest!,
      remove: (submitted) => context.api.delete('/flowfile-queues/{id}/listing-requests/{listing-request-id}', { ...call, path: { id: connectionId, 'listing-request-id': submitted.id! } }),
      // `finished`, not percentCompleted: a cluster's merged percentage is an integer division that never reaches 100.
      isComplete: (status) => status.finished === true,
      failureOf: (status) => status.failureReason,
    },
    options,
  );
  const flowFiles = (listing.flowFileSummaries ?? []).map(
    (summary): QueuedFlowFile => ({
      uuid: summary.uuid!,
      filename: summary.filename,
      size: summary.size ?? 0,
      position: summary.position,
      penalized: summary.penalized === true,
      clusterNodeId: summary.clusterNodeId,
      clusterNodeAddress: summary.clusterNodeAddress,
    }),
  );
  const queuedCount = listing.queueSize?.objectCount ?? flowFiles.length;
  return { flowFiles, queuedCount, queuedBytes: listing.queueSize?.byteCount ?? 0, truncated: flowFiles.length < queuedCount };
}

/** A queued flowfile's attributes (on a cluster NiFi needs the node that holds it: pass the listing's entry). */
export async function getQueuedFlowFileAttributes(
  context: NifiContext,
  connectionId: string,
  flowFile: Pick<QueuedFlowFile, 'uuid' | 'clusterNodeId'>,
  options?: CallOptions,
): Promise<Record<string, string>> {
  const answer = await context.api.get('/flowfile-queues/{id}/flowfiles/{flowfile-uuid}', {
    ...options,
    path: { id: connectionId, 'flowfile-uuid': flowFile.uuid },
    query: flowFile.clusterNodeId ? { clusterNodeId: flowFile.clusterNodeId } : {},
  });
  return answer.flowFile?.attributes ?? {};
}

/**
 * A queued flowfile's content, as bytes (NiFi's content endpoint; on a cluster, from the node that holds it: pass the
 * listing's entry). Read as bytes whatever mime.type the flowfile says, so JSON content is not parsed on the way. NiFi
 * 2.3.0 refuses to download an empty flowfile (409 "FlowFile Size is not set"): a listed size of 0 is answered here.
 */
export async function getQueuedFlowFileContent(
  context: NifiContext,
  connectionId: string,
  flowFile: Pick<QueuedFlowFile, 'uuid' | 'clusterNodeId'> & { size?: number | undefined },
  options?: CallOptions,
): Promise<Uint8Array> {
  if (flowFile.size === 0) return new Uint8Array();
  const answer = await context.transport.request<Uint8Array>({
    method: 'GET',
    path: `/flowfile-queues/${encodeURIComponent(connectionId)}/flowfiles/${encodeURIComponent(flowFile.uuid)}/content`,
    query: flowFile.clusterNodeId ? { clusterNodeId: flowFile.clusterNodeId } : {},
    responseType: 'bytes',
    signal: options?.signal,
    timeoutMs: options?.timeoutMs,
  });
  return answer.body;
}
