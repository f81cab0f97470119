// Emptying queues through NiFi's drop requests (the data is dropped: it is what "empty" means).
import { callOptions, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { runAsyncRequest, type AsyncRequestOptions } from './async-request.ts';

type DropRequest = NifiSchemas['DropRequestDTO'];

export interface DropResult {
  droppedCount: number;
  droppedSize: number;
}

/** Drops every flowfile queued in the group and its descendants. */
export async function emptyGroupQueues(context: NifiContext, groupId: string, options?: AsyncRequestOptions): Promise<DropResult> {
  const endpoints: DropEndpoints = {
    submit: (call) => context.api.post('/process-groups/{id}/empty-all-connections-requests', { ...call, path: { id: groupId } }),
    poll: (requestId, call) => context.api.get('/process-groups/{id}/empty-all-connections-requests/{drop-request-id}', { ...call, path: { id: groupId, 'drop-request-id': requestId } }),
    remove: (requestId, call) => context.api.delete('/process-groups/{id}/empty-all-connections-requests/{drop-request-id}', { ...call, path: { id: groupId, 'drop-request-id': requestId } }),
  };
  return dropResult(await runDrop(endpoints, `emptying the queues of process group ${groupId}`, options));
}

/** Drops every flowfile queued in one connection. */
export async function emptyConnectionQueue(context: NifiContext, connectionId: string, options?: AsyncRequestOptions): Promise<DropResult> {
  const endpoints: DropEndpoints = {
    submit: (call) => context.api.post('/flowfile-queues/{id}/drop-requests', { ...call, path: { id: connectionId } }),
    poll: (requestId, call) => context.api.get('/flowfile-queues/{id}/drop-requests/{drop-request-id}', { ...call, path: { id: connectionId, 'drop-request-id': requestId } }),
    remove: (requestId, call) => context.api.delete('/flowfile-queues/{id}/drop-requests/{drop-request-id}', { ...call, path: { id: connectionId, 'drop-request-id': requestId } }),
  };
  return dropResult(await runDrop(endpoints, `emptying the queue of connection ${connectionId}`, options));
}

/** The three typed endpoints of one kind of drop request (a connection's, or all of a group's). */
interface DropEndpoints {
  submit(call: CallOptions): Promise<NifiSchemas['DropRequestEntity']>;
  poll(requestId: string, call: CallOptions): Promise<NifiSchemas['DropRequestEntity']>;
  remove(requestId: string, call: CallOptions): Promise<unknown>;
}

async function runDrop(endpoints: DropEndpoints, description: string, options?: AsyncRequestOptions): Promise<DropRequest> {
  const call = callOptions(options);
  return runAsyncRequest(
    {
      description,
      submit: async () => (await endpoints.submit(call)).dropRequest!,
      poll: async (submitted: DropRequest, signal) => (await endpoints.poll(submitted.id!, { ...call, signal })).dropRequest!,
      remove: (submitted) => endpoints.remove(submitted.id!, call),
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
