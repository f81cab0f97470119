// Parameter contexts: create, find by exact name, change values (sensitive ones included) through
// NiFi's update requests (which stop and restart the components that use them), inheritance, binding.
import { InvalidOptionsError } from '@dataplat/core';
import { acknowledgement, callOptions, revisionOf, type AcknowledgeOption, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { isReferencingComponentRestarted, NifiError } from '../client/nifi-errors.ts';
import { runAsyncRequest, type AsyncRequestOptions } from './async-request.ts';

export type ParameterContextEntity = NifiSchemas['ParameterContextEntity'] & {
  id: string;
  revision: { version: number };
  component: NifiSchemas['ParameterContextDTO'];
};

export interface ParameterValue {
  name: string;
  /** null clears the value. Sensitive values are write-only: NiFi never returns them. */
  value: string | null;
  sensitive?: boolean | undefined;
  description?: string | undefined;
  /**
   * Assets of this context (`parameterContexts.assets.upload`) the parameter references (NiFi's referencedAssets):
   * processors see their absolute file paths, comma-joined, and reading the context back shows the parameter's
   * `referencedAssets` and that path as its `value`. Then `value` must be null and the parameter not sensitive.
   * Setting a parameter without `assets` drops its references.
   */
  assets?: Array<{ id: string }> | undefined;
}

export interface ParameterContextDefinition {
  name: string;
  description?: string | undefined;
  parameters?: ParameterValue[] | undefined;
  /** Ids of contexts to inherit from, highest precedence first. */
  inheritedParameterContextIds?: string[] | undefined;
}

export interface ParameterContextChanges {
  description?: string | undefined;
  /** Parameters to add or change; others stay as they are. */
  set?: ParameterValue[] | undefined;
  /** Names of parameters to remove. */
  remove?: string[] | undefined;
  /** Replaces the inherited contexts when given. */
  inheritedParameterContextIds?: string[] | undefined;
}

function toParameterEntity(parameter: ParameterValue): NifiSchemas['ParameterEntity'] {
  const assets = parameter.assets ?? [];
  // NiFi refuses both with a 400 for the whole update; said here before anything is sent, naming the field.
  if (assets.length > 0 && parameter.value !== null) {
    throw new InvalidOptionsError({
      message: `Parameter "${parameter.name}" has both a "value" and "assets"; a parameter referencing assets takes its value from them.`,
      hint: 'Pass value: null with assets (processors then see the assets\' file paths).',
    });
  }
  if (assets.length > 0 && parameter.sensitive === true) {
    throw new InvalidOptionsError({
      message: `Parameter "${parameter.name}" is sensitive and has "assets"; NiFi does not let sensitive parameters reference assets.`,
      hint: 'Drop sensitive: true for the asset parameter, or keep the secret in a parameter of its own.',
    });
  }
  return {
    parameter: {
      name: parameter.name,
      // NiFi reads null as "no value" (with valueRemoved); its spec declares no field nullable.
      value: parameter.value as string,
      ...(parameter.value === null ? { valueRemoved: true } : {}),
      sensitive: parameter.sensitive ?? false,
      ...(parameter.description !== undefined ? { description: parameter.description } : {}),
      ...(parameter.assets !== undefined ? { referencedAssets: parameter.assets.map(({ id }) => ({ id })) } : {}),
    },
  };
}

export async function createParameterContext(context: NifiContext, definition: ParameterContextDefinition, options?: CallOptions & AcknowledgeOption): Promise<ParameterContextEntity> {
  const created = await context.api.post('/parameter-contexts', {
    ...callOptions(options),
    body: {
      revision: { version: 0, clientId: context.clientId },
      ...acknowledgement(context, options),
      component: {
        name: definition.name,
        ...(definition.description !== undefined ? { description: definition.description } : {}),
        parameters: (definition.parameters ?? []).map(toParameterEntity),
        inheritedParameterContexts: (definition.inheritedParameterContextIds ?? []).map((id) => ({ id, component: { id } })),
      },
    },
  });
  return created as ParameterContextEntity;
}

export async function getParameterContext(context: NifiContext, id: string, options?: CallOptions): Promise<ParameterContextEntity> {
  const found = await context.api.get('/parameter-contexts/{id}', { ...callOptions(options), path: { id }, query: { includeInheritedParameters: false } });
  return found as ParameterContextEntity;
}

export async function listParameterContexts(context: NifiContext, options?: CallOptions): Promise<ParameterContextEntity[]> {
  const answer = await context.api.get('/flow/parameter-contexts', callOptions(options));
  return (answer.parameterContexts ?? []) as ParameterContextEntity[];
}

/** The context named exactly `name`, or undefined (names are unique in NiFi). */
export async function findParameterContextByName(context: NifiContext, name: string, options?: CallOptions): Promise<ParameterContextEntity | undefined> {
  return (await listParameterContexts(context, options)).find((candidate) => candidate.component.name === name);
}

/**
 * Applies changes through an update request (submit, poll, delete): NiFi stops the components that
 * reference changed parameters, applies, and restarts them. Plain PUT fails when they are running.
 */
export async function updateParameterContext(
  context: NifiContext,
  id: string,
  changes: ParameterContextChanges,
  options: AsyncRequestOptions & AcknowledgeOption = {},
): Promise<ParameterContextEntity> {
  const call = callOptions(options);
  const current = await getParameterContext(context, id, options);
  const known = new Set((current.component.parameters ?? []).map((entry) => entry.parameter?.name));
  const unknown = (changes.remove ?? []).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new NifiError({
      code: 'NIFI_CONFLICT',
      message: `Parameter context "${current.component.name}" has no parameter(s) ${unknown.map((name) => `"${name}"`).join(', ')} to remove.`,
      hint: 'Check the names; nothing was changed.',
    });
  }
  const component = {
    id,
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    // A parameter listed with only its name is deleted; unlisted parameters are left unchanged.
    parameters: [...(changes.set ?? []).map(toParameterEntity), ...(changes.remove ?? []).map((name) => ({ parameter: { name } }))],
    // Always send the inheritance: NiFi reads a missing list as "inherit nothing" when it checks the change.
    inheritedParameterContexts: changes.inheritedParameterContextIds
      ? changes.inheritedParameterContextIds.map((contextId) => ({ id: contextId, component: { id: contextId } }))
      : (current.component.inheritedParameterContexts ?? []),
  };
  type UpdateRequest = NifiSchemas['ParameterContextUpdateRequestEntity'];
  // The first attempt uses the revision just read; a later one reads it again (the refused attempt may have moved it).
  let revisionRead: ParameterContextEntity | undefined = current;
  await runAsyncRequest(
    {
      description: `updating parameter context "${current.component.name}"`,
      submit: async () => {
        const latest = revisionRead ?? (await getParameterContext(context, id, options));
        revisionRead = undefined;
        return context.api.post('/parameter-contexts/{contextId}/update-requests', { ...call, path: { contextId: id }, body: { id, revision: revisionOf(context, latest), ...acknowledgement(context, options), component } });
      },
      poll: (submitted: UpdateRequest, signal) =>
        context.api.get('/parameter-contexts/{contextId}/update-requests/{requestId}', { ...call, signal, path: { contextId: id, requestId: submitted.request!.requestId! } }),
      remove: (submitted) =>
        context.api.delete('/parameter-contexts/{contextId}/update-requests/{requestId}', { ...call, path: { contextId: id, requestId: submitted.request!.requestId! } }),
      isComplete: (status) => status.request?.complete === true,
      failureOf: (status) => status.request?.failureReason,
      progressOf: (status) => `${status.request?.percentCompleted ?? 0}% ${status.request?.state ?? ''}`.trim(),
      repeatWhenClusterRefuses: true,
      // A component NiFi stopped for the change was started again before it applied (NiFi restarts the
      // components using an asset replaced just before, asynchronously): submitted again, it stops them then.
      repeatWhen: isReferencingComponentRestarted,
    },
    options,
  );
  return getParameterContext(context, id, options);
}

/** Deletes a context (NiFi unbinds the groups using it; NIFI_CONFLICT when another context inherits it). */
export async function deleteParameterContext(context: NifiContext, id: string, options?: CallOptions & AcknowledgeOption): Promise<void> {
  const current = await getParameterContext(context, id, options);
  await context.api.delete('/parameter-contexts/{id}', {
    ...callOptions(options),
    path: { id },
    query: { version: current.revision.version, clientId: context.clientId, ...acknowledgement(context, options) },
  });
}

// NiFi unbinds a group's context when its id is null; its spec declares no field nullable.
const unbound = { id: null } as unknown as { id: string };

/** Binds a context to a process group (or unbinds with null). */
export async function bindParameterContext(context: NifiContext, groupId: string, parameterContextId: string | null, options?: CallOptions & AcknowledgeOption): Promise<void> {
  const group = await context.api.get('/process-groups/{id}', { ...callOptions(options), path: { id: groupId } });
  await context.api.put('/process-groups/{id}', {
    ...callOptions(options),
    path: { id: groupId },
    body: { revision: revisionOf(context, group), ...acknowledgement(context, options), component: { id: groupId, parameterContext: parameterContextId ? { id: parameterContextId } : unbound } },
  });
}
