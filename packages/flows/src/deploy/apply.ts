// `flows apply`: converges NiFi to the code. New flows are uploaded, changed ones replaced in place
// (NiFi stops and restarts what it touches), parameters pushed through update requests (sensitive
// values from the environment), services enabled, and what the code says runs is started. A flow with
// nothing to change gets no mutating request at all. Re-running after a failure converges: everything
// is matched by deterministic identifiers, so nothing is created twice. Changes are made holding the
// apply lock on the parent group (lock.ts), planned again under it, so overlapping applies take turns.
import { DataplatError } from '@dataplat/core/errors';
import { flattenTree, NifiError, type NifiClient, type ParameterContextEntity } from '@dataplat/nifi';
import { parameterContextName, type Flow } from '../model/flow-schema.ts';
import { clientForClusterState, type NotConnectedNode } from './cluster-nodes.ts';
import { drainFlow } from './drain.ts';
import { boundContext, claimContext, destroyManagedFlow, markDefinition, renderComments, withSecretsPending, type ContextReference, type InventoryGroup } from './inventory.ts';
import { liveRunStates, wantedRunStates } from './run-states.ts';
import { withFlowsLock, type HeldLock, type LockOptions } from './lock.ts';
import { applySharedContexts, inheritedNames, pruneSharedContexts, uploadAssets } from './shared-contexts.ts';
import { applySharedServices, pruneSharedServices } from './shared-services.ts';
import { hasChanges, planFlows, type FlowPlan, type Plan, type PlanOptions, type PlanResult } from './plan.ts';

export interface ApplyOptions extends PlanOptions {
  /** A saved plan: refused when NiFi or the code changed since it was made. */
  plan?: Plan | undefined;
  onProgress?: ((event: { flow: string; step: string }) => void) | undefined;
  /**
   * How running flows are updated. `replace` (default): NiFi stops the components it changes, updates
   * them and starts them again; queued data stays queued. `drain`: stop the sources first and wait until
   * nothing is queued or in flight (up to `drainTimeoutMs`, default 5 minutes), then update.
   */
  updateStrategy?: 'replace' | 'drain' | undefined;
  drainTimeoutMs?: number | undefined;
  /** The apply lock on the parent group, taken when there is anything to change: how long to wait, events. */
  lock?: LockOptions | undefined;
  /** Stops waiting for the lock at once, and the apply before its next step (the lock is released). */
  signal?: AbortSignal | undefined;
  /**
   * On a cluster with nodes not CONNECTED, apply anyway (to the connected nodes, sending NiFi's
   * disconnectedNodeAcknowledged); without it such an apply is refused before anything is changed
   * (NIFI_NODE_DISCONNECTED naming the nodes).
   */
  acknowledgeDisconnectedNodes?: boolean | undefined;
  /** Told which nodes were acknowledged as not connected. */
  onAcknowledgedDisconnectedNodes?: ((nodes: readonly NotConnectedNode[]) => void) | undefined;
}

export interface ApplyResult {
  plan: Plan;
  applied: Array<{ flow: string; action: FlowPlan['action']; groupId: string | undefined }>;
}

export async function applyFlows(client: NifiClient, flows: readonly Flow[], options: ApplyOptions = {}): Promise<ApplyResult> {
  // Before anything else: a cluster with nodes out is applied to only when that was acknowledged.
  const nifi = await clientForClusterState(client, 'apply', {
    acknowledgeDisconnectedNodes: options.acknowledgeDisconnectedNodes,
    onAcknowledged: options.onAcknowledgedDisconnectedNodes,
    signal: options.signal,
  });
  // Read-only first: with nothing to change, no lock is taken and not a single mutating request is sent.
  const unlocked = await planFlows(nifi, flows, options);
  // A prune deletes flows, which NiFi refuses while nodes are out: refused before any change, acknowledged or not.
  const refuseDeletesWhileNodesOut = async (plan: Plan) => {
    const deletes =
      plan.flows.some((flowPlan) => flowPlan.action === 'delete') ||
      plan.sharedServices?.some((servicePlan) => servicePlan.action === 'delete') ||
      plan.parameterContexts?.some((contextPlan) => contextPlan.action === 'delete');
    if (deletes) await clientForClusterState(client, 'apply with --prune', { signal: options.signal, deletes: true });
  };
  if (nifi !== client) await refuseDeletesWhileNodesOut(unlocked.plan);
  if (!hasChanges(unlocked.plan)) return applyPlanned(nifi, unlocked, options, undefined);
  // Then again under the lock: what another apply changed meanwhile is planned with, never over.
  const lockOptions = { ...options.lock, signal: options.lock?.signal ?? options.signal };
  const operation = options.adopt ? 'apply --adopt' : 'apply';
  const parentGroupId = options.parentGroupId ?? 'root';
  return withFlowsLock(nifi, parentGroupId, operation, lockOptions, async (lock) => {
    const planned = await planFlows(nifi, flows, options);
    // Again under the lock, before any change: a node may have dropped out while this waited for it.
    await refuseDeletesWhileNodesOut(planned.plan);
    // Shared contexts are NiFi-wide while that lock covers one parent: an apply that changes them also holds the
    // root group's lock — always second, so two applies never wait for each other — and plans once more under it.
    if (!changesSharedContexts(planned.plan) || (await isRootGroup(nifi, lock.info.parentGroupId))) return applyPlanned(nifi, planned, options, lock);
    return withFlowsLock(nifi, 'root', `${operation} (shared parameter contexts)`, lockOptions, async (rootLock) => {
      const replanned = await planFlows(nifi, flows, options);
      await refuseDeletesWhileNodesOut(replanned.plan);
      const both: HeldLock = { ...lock, assertHeld: () => (lock.assertHeld(), rootLock.assertHeld()) };
      return applyPlanned(nifi, replanned, options, both);
    });
  });
}

function changesSharedContexts(plan: Plan): boolean {
  return (plan.parameterContexts ?? []).some((contextPlan) => contextPlan.action === 'create' || contextPlan.action === 'update' || contextPlan.action === 'delete');
}

async function isRootGroup(nifi: NifiClient, groupId: string): Promise<boolean> {
  return (await nifi.processGroups.get('root')).id === groupId;
}

async function applyPlanned(nifi: NifiClient, { plan, planned, plannedContexts, plannedServices, inventory }: PlanResult, options: ApplyOptions, lock: HeldLock | undefined): Promise<ApplyResult> {
  if (options.plan && options.plan.fingerprint !== plan.fingerprint) {
    throw new DataplatError({
      code: 'FLOWS_STALE_PLAN',
      message: 'The saved plan no longer matches the code or NiFi (something changed since it was made); nothing was applied.',
      hint: 'Run flows plan again, review it, and apply the new plan.',
    });
  }
  const report = (flow: string, step: string) => {
    // Before every step: still ours, and not interrupted (SIGINT): stop between steps, never within one.
    lock?.assertHeld();
    options.signal?.throwIfAborted();
    options.onProgress?.({ flow, step });
  };
  const parentGroupId = options.parentGroupId ?? 'root';
  const applied: ApplyResult['applied'] = [];

  // Shared contexts first (a context before those that inherit it): the flows inherit them. A changed
  // value goes through NiFi's update request, which stops and restarts every component that uses it.
  await applySharedContexts(nifi, plan.parameterContexts ?? [], plannedContexts, (context, step) => report(`parameter context ${context}`, step));
  // Then the parent's shared services (and its context binding): the flows refer to them by name.
  await applySharedServices(nifi, plannedServices, (service, step) => report(`shared service ${service}`, step));
  for (const flowPlan of plan.flows) {
    if (flowPlan.action === 'no-op') {
      applied.push({ flow: flowPlan.flow, action: 'no-op', groupId: flowPlan.groupId });
      continue;
    }
    if (flowPlan.action === 'delete') {
      report(flowPlan.flow, 'delete');
      await destroyManagedFlow(nifi, inventory.managed.find((managed) => managed.groupId === flowPlan.groupId)!);
      applied.push({ flow: flowPlan.flow, action: 'delete', groupId: flowPlan.groupId });
      continue;
    }
    const target = planned.get(flowPlan.flow)!;
    let groupId = flowPlan.groupId;
    let marker = target.marker;
    // The group as the plan saw it: its marker (none when adopting) and the context it was bound to.
    const before = inventory.groups.find((group) => group.groupId === groupId);
    if (flowPlan.action === 'create') {
      report(flowPlan.flow, 'upload');
      // Until the parameters are pushed, the group's marker says the secrets are pending: if apply dies
      // in between, the next run sees them as changed and pushes them (instead of trusting the marker).
      const pending = structuredClone(target.definition);
      markDefinition(pending, target.flow.description, withSecretsPending(marker));
      const uploaded = await nifi.processGroups.upload(parentGroupId, pending, { name: target.flow.name });
      groupId = uploaded.id;
      const createdContext = boundContext(uploaded);
      if (createdContext) marker = { ...marker, parameterContext: createdContext };
    } else if (flowPlan.components.length > 0 || before?.marker?.definitionHash !== target.marker.definitionHash) {
      // Replaced when the definition changed (or the group is adopted); a marker that changes only in its
      // secrets hash, description or context is rewritten below without touching the components.
      if (options.updateStrategy === 'drain' && flowPlan.components.length > 0) {
        report(flowPlan.flow, 'drain');
        // Sources are started again below, with everything else the code says runs.
        await drainFlow(nifi, flowPlan.flow, groupId!, options.drainTimeoutMs ?? 5 * 60_000);
      }
      report(flowPlan.flow, 'replace');
      await nifi.processGroups.replace(groupId!, target.definition);
    }
    // Upload and replace add missing parameters but never overwrite existing values (a context of that
    // name may exist already): push them here — all of them for a new group.
    const contextName = parameterContextName(target.flow);
    const declared = target.definition.parameterContexts?.[contextName]?.parameters ?? [];
    // The context the group is bound to: by the upload for a new group, kept by NiFi through a replace.
    const binding = flowPlan.action === 'create' ? marker.parameterContext : before && boundContext(before.group);
    let context: ParameterContextEntity | undefined;
    if (flowPlan.action === 'create' || flowPlan.parameters.length > 0) context = binding ? await nifi.parameterContexts.get(binding.id) : await nifi.parameterContexts.findByName(contextName);
    const liveValues = new Map((context?.component.parameters ?? []).map((entry) => [entry.parameter?.name, entry.parameter?.value ?? null]));
    const toSet =
      flowPlan.action === 'create'
        ? declared
            .filter((parameter) => target.assets.has(parameter.name!) || (parameter.sensitive ? parameter.name! in target.sensitiveParameters : liveValues.get(parameter.name) !== (parameter.value ?? null)))
            .map((parameter) => parameter.name!)
        : flowPlan.parameters.filter((change) => change.field.startsWith('parameters.')).map((change) => change.field.slice('parameters.'.length));
    // The shared contexts the flow's context inherits: bound by name by the upload; set here when they differ.
    const inheritance = context && JSON.stringify(inheritedNames(context)) !== JSON.stringify(target.flow.inherits) ? await contextIds(nifi, target.flow.inherits) : undefined;
    if (toSet.length > 0 || inheritance) {
      report(flowPlan.flow, 'parameters');
      if (!context) throw new DataplatError({ code: 'FLOWS_APPLY_FAILED', message: `The parameter context "${contextName}" of flow "${target.flow.name}" is missing after the upload.` });
      // Asset parameters reference their assets, uploaded first unless NiFi holds these bytes already.
      const assetIds = await uploadAssets(nifi, context.id, { assets: target.assets, set: toSet }, (step) => report(flowPlan.flow, step));
      await nifi.parameterContexts.update(context.id, {
        ...(inheritance ? { inheritedParameterContextIds: inheritance } : {}),
        set: toSet.map((name) => {
          const parameter = declared.find((entry) => entry.name === name)!;
          const assetId = assetIds.get(name);
          if (assetId) return { name, value: null, sensitive: false, assets: [{ id: assetId }] };
          return parameter.sensitive
            ? { name, value: target.sensitiveParameters[name] ?? null, sensitive: true }
            : { name, value: parameter.value ?? null, sensitive: false };
        }),
      });
    }
    const group = await nifi.processGroups.get(groupId!);
    const bound = boundContext(group);
    const contextToClaim = flowPlan.action === 'update' ? contextTakenOver(before, bound, contextName) : undefined;
    if (contextToClaim) await claimContext(nifi, contextToClaim.id);
    // Replace doesn't touch the group's own comments: keep the ownership marker current, naming exactly
    // the context the group is bound to now (as plan renders it).
    const comments = renderComments(target.flow.description, { ...marker, parameterContext: bound });
    if (group.component.comments !== comments) await nifi.processGroups.update(group, { comments });
    if (flowPlan.action === 'create' || flowPlan.runState.length > 0 || flowPlan.components.length > 0) {
      report(flowPlan.flow, 'enable services');
      await nifi.processGroups.enableControllerServices(groupId!);
      // Start exactly what the code says runs (plus the components triggers compile to) and every port,
      // in one request: starting the whole group would fire processors meant to stay stopped.
      const tree = await nifi.processGroups.tree(groupId!);
      const wanted = wantedRunStates(target.flow);
      const live = [...liveRunStates(tree)];
      const toStart = live.filter(([path, current]) => (wanted.get(path) ?? 'RUNNING') === 'RUNNING' && current.state === 'STOPPED').map(([, current]) => current.entity);
      for (const [path, current] of live) {
        if (wanted.get(path) === 'STOPPED' && current.state === 'RUNNING') await nifi.processors.setRunState(current.id, 'STOPPED');
      }
      // Ports NiFi holds invalid (an output port of the flow that nothing outside reads) stay stopped;
      // flows validate warns about them. An invalid processor is an error, before anything starts.
      const ports = flattenTree(tree)
        .flatMap((group) => [...group.contents.inputPorts, ...group.contents.outputPorts])
        .filter((port) => port.component?.state === 'STOPPED' && (port.component.validationErrors ?? []).length === 0);
      if (toStart.length + ports.length > 0) {
        report(flowPlan.flow, 'start');
        // start refuses invalid components before starting any; the services were just enabled, so it first
        // waits for NiFi (each node of a cluster in its own time) to revalidate those that still name one disabled.
        await nifi.processGroups.start(groupId!, { components: [...toStart, ...ports].map((entity) => ({ id: entity.id!, revision: entity.revision })), servicesJustEnabled: true }).catch((error: unknown) => {
          if (!(NifiError.isInstance(error) && error.code === 'NIFI_INVALID_COMPONENT' && error.invalidComponents)) throw error;
          throw new DataplatError({
            code: 'FLOWS_INVALID_COMPONENTS',
            message: `Flow "${flowPlan.flow}" was updated but can't start: ${error.invalidComponents.map((component) => `${component.name}: ${component.errors.join('; ')}`).join(' | ')}`,
            hint: 'Fix the flow (flows validate --live shows such problems before apply) and apply again.',
            cause: error,
          });
        });
      }
    }
    applied.push({ flow: flowPlan.flow, action: flowPlan.action, groupId });
  }
  // After the flows: a pruned flow no longer holds the contexts it inherited.
  await pruneSharedContexts(nifi, plan.parameterContexts ?? [], (context, step) => report(`parameter context ${context}`, step));
  await pruneSharedServices(nifi, plannedServices, (service, step) => report(`shared service ${service}`, step));
  return { plan, applied };
}

/** NiFi's ids of parameter contexts by name, in the given order. */
async function contextIds(nifi: NifiClient, names: readonly string[]): Promise<string[]> {
  const contexts = await nifi.parameterContexts.list();
  return names.map((name) => {
    const found = contexts.find((context) => context.component.name === name);
    if (!found) throw new DataplatError({ code: 'FLOWS_APPLY_FAILED', message: `Parameter context "${name}" is missing in NiFi.`, hint: 'Declare it under parameterContexts: and apply again.' });
    return found.id;
  });
}

/**
 * The context flows takes ownership of on this apply, if any: when adopting a group, the context it was
 * bound to before (still bound after the replace); when a marker written before contexts were recorded
 * is upgraded, the bound context named as the flow's. Never a context NiFi bound by name during the replace.
 */
function contextTakenOver(before: InventoryGroup | undefined, bound: ContextReference | undefined, contextName: string): ContextReference | undefined {
  if (!before || !bound) return undefined;
  if (!before.marker) return boundContext(before.group)?.id === bound.id ? bound : undefined;
  return !before.marker.parameterContext && bound.name === contextName ? bound : undefined;
}
