// Starting and stopping groups and processors, and enabling/disabling controller services,
// each waiting until NiFi really reached the state (NiFi's own calls return before that).
import { randomUUID } from 'node:crypto';
import { HttpError, isTransientError, pollUntil } from '@dataplat/core';
import { acknowledgement, callOptions, revisionOf, type AcknowledgeOption, type CallOptions, type NifiContext } from '../client/nifi-context.ts';
import { NifiError } from '../client/nifi-errors.ts';
import type { Entity } from './components.ts';
import { assertRunnable, explainValidationErrors } from './validation.ts';
import { getGroupStatus } from './status.ts';

export interface WaitOptions extends CallOptions, AcknowledgeOption {
  /** How long to wait for the state change. Default 60 s. */
  waitTimeoutMs?: number | undefined;
}

export interface StartOptions extends CallOptions, AcknowledgeOption {
  /** Start only these processors and ports (of the group or its descendants), in one request. */
  components?: ReadonlyArray<{ id: string; revision?: { version?: number; clientId?: string } | undefined }> | undefined;
  /**
   * The group's services were just enabled (enableControllerServices): a processor that still names one as
   * disabled is read again until NiFi revalidates it — on a cluster each node does so in its own time.
   */
  servicesJustEnabled?: boolean | undefined;
}

/**
 * Starts every processor and port in the group and its descendants (or only `components`), after
 * checking that NiFi will run them: an invalid processor or nested port throws NIFI_INVALID_COMPONENT
 * naming each with NiFi's reasons, and nothing is started (NiFi itself would start the rest and leave
 * those stopped without a word). Disabled processors and ports are skipped. Controller services are not
 * enabled by this call (use enableControllerServices first); a processor that needs one that isn't
 * enabled is refused with its own error saying so.
 */
export async function startProcessGroup(context: NifiContext, groupId: string, options?: StartOptions): Promise<void> {
  const components = options?.components ? Object.fromEntries(options.components.map((component) => [component.id, revisionOf(context, component)])) : undefined;
  await assertRunnable(context, groupId, `start process group ${groupId}`, { ...callOptions(options), includeServices: false, componentIds: options?.components?.map((component) => component.id), servicesJustEnabled: options?.servicesJustEnabled });
  await context.api.put('/flow/process-groups/{id}', { ...callOptions(options), path: { id: groupId }, body: { id: groupId, state: 'RUNNING', ...(components ? { components } : {}), ...acknowledgement(context, options) } });
}

/** Stops every processor and port in the group and its descendants, and waits until no thread is active. */
export async function stopProcessGroup(context: NifiContext, groupId: string, options?: WaitOptions): Promise<void> {
  await context.api.put('/flow/process-groups/{id}', { ...callOptions(options), path: { id: groupId }, body: { id: groupId, state: 'STOPPED', ...acknowledgement(context, options) } });
  await waitForNoActiveThreads(context, groupId, options);
}

/** Waits until no processor in the group (recursively) has an active or terminated-but-running thread. */
export async function waitForNoActiveThreads(context: NifiContext, groupId: string, options?: WaitOptions): Promise<void> {
  await pollUntil(
    async (signal) => {
      const snapshot = await getGroupStatus(context, groupId, { timeoutMs: options?.timeoutMs, signal });
      const threads = (snapshot.activeThreadCount ?? 0) + (snapshot.terminatedThreadCount ?? 0);
      return threads === 0 ? { done: true, value: undefined } : { done: false, progress: `${threads} thread(s) still active` };
    },
    { description: `the threads of process group ${groupId} to finish`, timeoutMs: options?.waitTimeoutMs ?? 60_000, signal: options?.signal },
  );
}

export type ProcessorRunState = 'RUNNING' | 'STOPPED' | 'DISABLED' | 'RUN_ONCE';

/** Sets one processor's run state with its current revision. */
export async function setProcessorRunState(context: NifiContext, processorId: string, state: ProcessorRunState, options?: CallOptions & AcknowledgeOption): Promise<Entity<'processor'>> {
  const processor = await context.api.get('/processors/{id}', { ...callOptions(options), path: { id: processorId } });
  // NiFi answers 200 and leaves an invalid processor stopped; say so instead.
  if ((state === 'RUNNING' || state === 'RUN_ONCE') && processor.component?.validationStatus === 'INVALID') {
    throw new NifiError({
      code: 'NIFI_INVALID_COMPONENT',
      message: `Processor "${processor.component.name}" (${processorId}) is invalid and cannot run: ${explainValidationErrors(processor.component.validationErrors ?? [], processor.component.config?.descriptors).join('; ')}`,
      hint: 'Fix its configuration or connections first.',
    });
  }
  const revision = revisionOf(context, processor);
  const send = async (clientId: string) =>
    (await context.api.put('/processors/{id}/run-status', {
      ...callOptions(options),
      // RUN_ONCE triggers the processor each time NiFi applies it: never repeated blindly (below).
      idempotent: state !== 'RUN_ONCE',
      path: { id: processorId },
      body: { revision: { version: revision.version, clientId }, state, ...acknowledgement(context, options) },
    })) as Entity<'processor'>;
  if (state !== 'RUN_ONCE') return send(revision.clientId);
  // When a RUN_ONCE failed in a way that leaves open whether NiFi applied it (a reset, a timeout, a 503),
  // read the processor back: NiFi advances the revision of each change it applies, so an advanced
  // revision means it ran; an unchanged one means it may be sent again. Each send carries a client id of
  // its own: NiFi accepts a stale revision version only from the client id that made the last change, so
  // a stalled earlier send that arrives after a later one was applied is refused instead of running twice.
  for (let attempt = 1; ; attempt++) {
    try {
      return await send(randomUUID());
    } catch (error) {
      const mayHaveApplied = isTransientError(error) || (attempt > 1 && HttpError.isInstance(error) && error.code === 'NIFI_STALE_REVISION');
      if (!mayHaveApplied) throw error;
      const readBack = (await context.api.get('/processors/{id}', { ...callOptions(options), path: { id: processorId } })) as Entity<'processor'>;
      if ((readBack.revision?.version ?? 0) > revision.version) return readBack;
      if (attempt >= runOnceAttempts) throw error;
    }
  }
}

/** Sends of one RUN_ONCE at most (each after a read-back showed NiFi had not applied the previous one). */
const runOnceAttempts = 3;

type ServiceState = 'ENABLED' | 'DISABLED';

/** The controller services defined in a group and its descendants. */
export async function listControllerServices(context: NifiContext, groupId: string, options?: CallOptions): Promise<Entity<'controllerService'>[]> {
  const answer = await context.api.get('/flow/process-groups/{id}/controller-services', {
    ...callOptions(options),
    path: { id: groupId },
    query: { includeAncestorGroups: false, includeDescendantGroups: true, includeReferencingComponents: false },
  });
  return (answer.controllerServices ?? []) as Entity<'controllerService'>[];
}

/** Enables every controller service of the group (recursively) and waits until all are ENABLED. */
export function enableControllerServices(context: NifiContext, groupId: string, options?: WaitOptions): Promise<void> {
  return setControllerServicesState(context, groupId, 'ENABLED', options);
}

/** Disables every controller service of the group (recursively) and waits until all are DISABLED. */
export function disableControllerServices(context: NifiContext, groupId: string, options?: WaitOptions): Promise<void> {
  return setControllerServicesState(context, groupId, 'DISABLED', options);
}

async function setControllerServicesState(context: NifiContext, groupId: string, state: ServiceState, options?: WaitOptions): Promise<void> {
  const services = await listControllerServices(context, groupId, options);
  if (services.length === 0) return;
  if (state === 'ENABLED') failOnInvalidServices(services, groupId);
  await context.api.put('/flow/process-groups/{id}/controller-services', { ...callOptions(options), path: { id: groupId }, body: { id: groupId, state, ...acknowledgement(context, options) } });
  await waitForServices((signal) => listControllerServices(context, groupId, { timeoutMs: options?.timeoutMs, signal }), state, `the controller services of group ${groupId}`, options);
}

/** Enables or disables one controller service and waits for the state. */
export async function setControllerServiceState(context: NifiContext, serviceId: string, state: ServiceState, options?: WaitOptions): Promise<void> {
  const service = (await context.api.get('/controller-services/{id}', { ...callOptions(options), path: { id: serviceId } })) as Entity<'controllerService'>;
  if (state === 'ENABLED') failOnInvalidServices([service], service.component.parentGroupId);
  await context.api.put('/controller-services/{id}/run-status', {
    ...callOptions(options),
    path: { id: serviceId },
    body: { revision: revisionOf(context, service), state, ...acknowledgement(context, options) },
  });
  const read = async (signal: AbortSignal) => [(await context.api.get('/controller-services/{id}', { ...callOptions(options), signal, path: { id: serviceId } })) as Entity<'controllerService'>];
  await waitForServices(read, state, `controller service ${service.component.name ?? serviceId}`, options);
}

function failOnInvalidServices(services: Entity<'controllerService'>[], groupId?: string): void {
  // An invalid service never enables: say why now instead of waiting for a timeout.
  const invalid = services.filter((service) => service.component.state === 'DISABLED' && service.component.validationStatus === 'INVALID');
  if (invalid.length === 0) return;
  const details = invalid.map((service) => `${service.component.name} (${service.id}): ${(service.component.validationErrors ?? []).join('; ')}`);
  throw new NifiError({
    code: 'NIFI_SERVICES_NOT_ENABLED',
    message: `Controller services${groupId ? ` in group ${groupId}` : ''} are invalid and cannot be enabled:\n  ${details.join('\n  ')}`,
    hint: 'Fix their properties (or the parameters they reference), then enable them again.',
  });
}

async function waitForServices(
  read: (signal: AbortSignal) => Promise<Entity<'controllerService'>[]>,
  state: ServiceState,
  description: string,
  options?: WaitOptions,
): Promise<void> {
  await pollUntil(
    async (signal) => {
      const services = await read(signal);
      const pending = services.filter((service) => service.component.state !== state);
      const invalidNow = state === 'ENABLED' ? pending.filter((service) => service.component.validationStatus === 'INVALID' && service.component.state === 'DISABLED') : [];
      if (invalidNow.length > 0) failOnInvalidServices(invalidNow);
      return pending.length === 0
        ? { done: true, value: undefined }
        : { done: false, progress: pending.map((service) => `${service.component.name}: ${service.component.state}`).join(', ') };
    },
    { description: `${description} to become ${state}`, timeoutMs: options?.waitTimeoutMs ?? 60_000, signal: options?.signal, hint: 'A service that stays ENABLING is usually failing to connect; check its bulletins.' },
  );
}
