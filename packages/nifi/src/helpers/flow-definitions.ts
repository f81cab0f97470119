// Flow definitions (NiFi's versioned-flow JSON): download a group, upload one as a new group, and
// replace a group's contents in place through NiFi's asynchronous replace request.
import { InvalidResponseError } from '@dataplat/core';
import { acknowledgement, callOptions, revisionOf, type AcknowledgeOption, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { runAsyncRequest, type AsyncRequestOptions } from './async-request.ts';
import type { Entity } from './components.ts';

export type FlowDefinition = NifiSchemas['RegisteredFlowSnapshot'];

export interface DownloadOptions extends CallOptions {
  /** Also include controller services from ancestor groups that the flow references. Default false. */
  includeReferencedServices?: boolean | undefined;
}

export async function downloadFlowDefinition(context: NifiContext, groupId: string, options: DownloadOptions = {}): Promise<FlowDefinition> {
  // NiFi sends the definition as a file download (the spec says: a string); read it as text and parse it
  // here, whatever content type it was labelled with.
  const text = await context.api.get('/process-groups/{id}/download', {
    ...callOptions(options),
    path: { id: groupId },
    query: { includeReferencedServices: options.includeReferencedServices ?? false },
    parseAs: 'text',
  });
  try {
    return JSON.parse(text) as FlowDefinition;
  } catch (error) {
    throw new InvalidResponseError({
      message: `NiFi's flow definition of process group ${groupId} is not valid JSON (${text.length} characters).`,
      hint: 'Check that baseUrl points at the NiFi API itself and not at a proxy or login page.',
      cause: error,
    });
  }
}

export interface UploadOptions extends CallOptions, AcknowledgeOption {
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
  if (acknowledgement(context, options).disconnectedNodeAcknowledged) form.set('disconnectedNodeAcknowledged', 'true');
  form.set('file', new Blob([JSON.stringify(definition)], { type: 'application/json' }), `${name}.json`);
  // Multipart, as NiFi's spec says: the transport hands the FormData to undici, which sets the boundary.
  const group = await context.api.post('/process-groups/{id}/process-groups/upload', { ...callOptions(options), path: { id: parentGroupId }, body: form });
  return group as Entity<'processGroup'>;
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
        return context.api.post('/process-groups/{id}/replace-requests', {
          ...call,
          path: { id: groupId },
          body: { processGroupRevision: revisionOf(context, group), versionedFlowSnapshot: definition },
        });
      },
      poll: (submitted: ReplaceRequest, signal) => context.api.get('/process-groups/replace-requests/{id}', { ...call, signal, path: { id: submitted.request!.requestId! } }),
      remove: (submitted) => context.api.delete('/process-groups/replace-requests/{id}', { ...call, path: { id: submitted.request!.requestId! } }),
      isComplete: (status) => status.request?.complete === true,
      failureOf: (status) => status.request?.failureReason,
      progressOf: (status) => `${status.request?.percentCompleted ?? 0}% ${status.request?.state ?? ''}`.trim(),
      repeatWhenClusterRefuses: true,
    },
    options,
  );
  return (await context.api.get('/process-groups/{id}', { ...call, path: { id: groupId } })) as Entity<'processGroup'>;
}
