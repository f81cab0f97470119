// Emptying queues through NiFi's drop requests (the data is dropped: it is what "empty" means).
import { callOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { runAsyncRequest, type AsyncRequestOptions } from './async-request.ts';

type DropRequest = NifiSchemas['DropRequestDTO'];

export interface DropResult {
  droppedCount: number;
  droppedSize: number;
}

/** Drops every flowfile queued in the group and its descendants. */
export async function emptyGroupQueues(context: NifiContext, groupId: string, options?: AsyncRequestOptions): Promise<DropResult> {
  const base = `/process-groups/${encodeURIComponent(groupId)}/empty-all-connections-requests`;
  return dropResult(await runDrop(context, base, `emptying the queues of process group ${groupId}`, options));
}

/** Drops every flowfile queued in one connection. */
export async function emptyConnectionQueue(context: NifiContext, connectionId: string, options?: AsyncRequestOptions): Promise<DropResult> {
  const base = `/flowfile-queues/${encodeURIComponent(connectionId)}/drop-requests`;
  return dropResult(await runDrop(context, base, `emptying the queue of connection ${connectionId}`, options));
}

async function runDrop(context: NifiContext, base: string, description: string, options?: AsyncRequestOptions): Promise<DropRequest> {
  const call = callOptions(options);
  return runAsyncRequest(
    {
      description,
      submit: async () => (await context.call<NifiSchemas['DropRequestEntity']>('POST', base, call)).dropRequest!,
      poll: async (submitted) => (await context.call<NifiSchemas['DropRequestEntity']>('GET', `${base}/${encodeURIComponent(submitted.id!)}`, call)).dropRequest!,
      remove: (submitted) => context.call('DELETE', `${base}/${encodeURIComponent(submitted.id!)}`, call),
      isComplete: (status) => status.finished === true,
      failureOf: (status) => status.failureReason,
      progressOf: (status) => `${status.percentCompleted ?? 0}%`,
    },
    options,
  );
}

function dropResult(request: DropRequest): DropResult {
  return { droppedCount: request.droppedCount ?? 0, droppedSize: request.droppedSize ?? 0 };
}
