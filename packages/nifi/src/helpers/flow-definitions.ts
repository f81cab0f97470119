// Flow definitions (NiFi's versioned-flow JSON): download a group, upload one as a new group, and
// replace a group's contents in place through NiFi's asynchronous replace request.
import { callOptions, revisionOf, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { runAsyncRequest, type AsyncRequestOptions } from './async-request.ts';
import type { Entity } from './components.ts';

export type FlowDefinition = NifiSchemas['RegisteredFlowSnapshot'];

export interface DownloadOptions extends CallOptions {
  /** Also include controller services from ancestor groups that the flow references. Default false. */
  includeReferencedServices?: boolean | undefined;
}

export async function downloadFlowDefinition(context: NifiContext, groupId: string, options: DownloadOptions = {}): Promise<FlowDefinition> {
  const definition = await context.call<FlowDefinition | string>('GET', `/process-groups/${encodeURIComponent(groupId)}/download`, {
    ...callOptions(options),
    query: { includeReferencedServices: options.includeReferencedServices ?? false },
  });
  // NiFi sends it as a file download; parse it whatever content type it was labelled with.
  if (typeof definition === 'string') return JSON.parse(definition) as FlowDefinition;
  if (definition instanceof Uint8Array) return JSON.parse(Buffer.from(definition).toString('utf8')) as FlowDefinition;
  return definition;
}

export interface UploadOptions extends CallOptions {
  /** Name of the new group. Default: the definition's own name. */
  name?: string | undefined;
  position?: { x: number; y: number } | undefined;
}

/** Creates a new process group under `parentGroupId` from a flow definition. */
export async function uploadFlowDefinition(
  context: NifiContext,
  parentGroupId: string,
  definition: FlowDefinition,
  options: UploadOptions = {},
): Promise<Entity<'processGroup'>> {
  const name = options.name ?? definition.flowContents?.name ?? 'Uploaded flow';
  const form = new FormData();
  form.set('groupName', name);
  form.set('positionX', String(options.position?.x ?? 0));
  form.set('positionY', String(options.position?.y ?? 0));
  form.set('clientId', context.clientId);
  form.set('file', new Blob([JSON.stringify(definition)], { type: 'application/json' }), `${name}.json`);
  return context.call<Entity<'processGroup'>>('POST', `/process-groups/${encodeURIComponent(parentGroupId)}/process-groups/upload`, {
    ...callOptions(options),
    body: form,
  });
}

/**
 * Replaces the contents of a group with a flow definition, in place: components whose identifiers
 * match are updated, others created or removed; NiFi stops and restarts what it touches. Submits the
 * replace request, polls it to completion (timeout, AbortSignal) and always deletes it afterwards.
 */
export async function replaceFlowDefinition(
  context: NifiContext,
  groupId: string,
  definition: FlowDefinition,
  options: AsyncRequestOptions = {},
): Promise<Entity<'processGroup'>> {
  const call = callOptions(options);
  type ReplaceRequest = NifiSchemas['ProcessGroupReplaceRequestEntity'];
  await runAsyncRequest(
    {
      description: `replacing the contents of process group ${groupId}`,
      submit: async () => {
        const group = await context.api.get('/process-groups/{id}', { ...call, path: { id: groupId } });
        return context.call<ReplaceRequest>('POST', `/process-groups/${encodeURIComponent(groupId)}/replace-requests`, {
          ...call,
          body: { processGroupRevision: revisionOf(context, group), versionedFlowSnapshot: definition },
        });
      },
      poll: (submitted) => context.call<ReplaceRequest>('GET', `/process-groups/replace-requests/${encodeURIComponent(submitted.request!.requestId!)}`, call),
      remove: (submitted) => context.call('DELETE', `/process-groups/replace-requests/${encodeURIComponent(submitted.request!.requestId!)}`, call),
      isComplete: (status) => status.request?.complete === true,
      failureOf: (status) => status.request?.failureReason,
      progressOf: (status) => `${status.request?.percentCompleted ?? 0}% ${status.request?.state ?? ''}`.trim(),
    },
    options,
  );
  return context.call<Entity<'processGroup'>>('GET', `/process-groups/${encodeURIComponent(groupId)}`, call);
}
