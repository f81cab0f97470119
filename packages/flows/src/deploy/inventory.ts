// The one owner of "which process groups and parameter contexts belong to flows", without a state file.
// A managed flow is a process group whose comments end with an ownership marker (flow name and id,
// hashes of what was applied, the parameter context it is bound to); a parameter context flows created
// (or adopted) says so in its description. Listing, lookup by name or group id, and destroy live here:
// destroy, apply --prune, status, runFlow, the examples and count-requests all go through this module.
import { createHash } from 'node:crypto';
import { DataplatError } from '@dataplat/core/errors';
import { flattenTree, type FlowDefinition, type NifiClient, type NifiSchemas } from '@dataplat/nifi';
import { deterministicId } from '../compile/deterministic-id.ts';
import { clientForClusterState } from './cluster-nodes.ts';
import { withFlowsLock, type HeldLock, type LockOptions } from './lock.ts';

const markerLine = 'managed-by: dataplat-flows';

/** A parameter context by id, with its name for people. */
export interface ContextReference {
  id: string;
  name: string;
}

export interface OwnershipMarker {
  formatVersion: 1;
  flow: string;
  /** Recomputed from the flow name on read: a copied marker can't make another group "ours". */
  id: string;
  /** SHA-256 of the applied definition (without secrets). */
  definitionHash: string;
  /**
   * What NiFi holds of the sensitive values, in a form a reader of NiFi can't test guesses against:
   * `none`, `pending` (until they are pushed), `unverified` (pushed without FLOWS_SECRETS_KEY) or
   * `hmac-sha256:<key id>:<mac>` (see secrets-record.ts); markers written before carry an old SHA-256.
   */
  sensitiveHash: string;
  /** The parameter context the group was bound to by the last apply (absent in markers written before it was recorded). */
  parameterContext?: ContextReference | undefined;
  /** The project (set of flows one repository or pipeline manages) the flow belongs to; absent for flows applied without one. */
  project?: string | undefined;
  /** Names the code gave to what NiFi keeps no name for, and never shows: funnels by identifier, the environment variable of each secret. */
  names?: { funnels?: Record<string, string> | undefined; secretEnvironment?: Record<string, string> | undefined } | undefined;
}

type GroupEntity = NifiSchemas['ProcessGroupEntity'];

export interface ManagedFlow {
  flow: string;
  groupId: string;
  marker: OwnershipMarker;
  group: GroupEntity;
  /** The flow's parameter context: the marker's, or for older markers the one the group is bound to. */
  parameterContext: ContextReference | undefined;
}

/** A child group of the parent: managed (with its marker) or not. */
export interface InventoryGroup {
  groupId: string;
  name: string;
  marker: OwnershipMarker | undefined;
  group: GroupEntity;
}

export interface Inventory {
  parentGroupId: string;
  /** The project this inventory is for: `managed` holds its flows only. */
  project: string | undefined;
  groups: InventoryGroup[];
  /** The project's managed flows. */
  managed: ManagedFlow[];
  /** Flows other projects manage under the same parent: never planned, pruned or destroyed from here. */
  foreign: ManagedFlow[];
}

// ---- the marker -------------------------------------------------------------------------------------
// Every marker flows writes (a group's, a shared context's, a shared service's) is the text people wrote, then the
// marker line, then one line of JSON: written and read here, checked by each kind's reader.

/** `text` with a marker: the marker line and its JSON (keys in the order given: equal markers render to equal text). */
export function withMarker(text: string | undefined, canonical: object, line = markerLine): string {
  return `${text ? `${text}\n\n` : ''}${line}\n${JSON.stringify(canonical)}`;
}

/** The JSON after the last marker line of `text`, or undefined when there is none (or it doesn't parse). */
export function markerJson(text: string | undefined, line = markerLine): Record<string, unknown> | undefined {
  const lines = (text ?? '').split('\n');
  const at = lines.lastIndexOf(line);
  if (at < 0 || at + 1 >= lines.length) return undefined;
  try {
    const parsed: unknown = JSON.parse(lines[at + 1]!);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function renderComments(description: string | undefined, marker: OwnershipMarker): string {
  const { formatVersion, flow, id, definitionHash, sensitiveHash, parameterContext, project, names } = marker;
  return withMarker(description, { formatVersion, flow, id, definitionHash, sensitiveHash, ...(parameterContext ? { parameterContext } : {}), ...(project ? { project } : {}), ...(names ? { names } : {}) });
}

/** The marker in a group's comments, or undefined when the group is not (validly) managed. */
export function readMarker(comments: string | undefined): OwnershipMarker | undefined {
  const marker = markerJson(comments) as OwnershipMarker | undefined;
  if (!marker || marker.formatVersion !== 1 || typeof marker.flow !== 'string' || marker.id !== flowId(marker.flow)) return undefined;
  const context = marker.parameterContext;
  if (context !== undefined && (typeof context?.id !== 'string' || typeof context.name !== 'string')) return undefined;
  if (marker.project !== undefined && typeof marker.project !== 'string') return undefined;
  if (marker.names !== undefined && !(isStringMap(marker.names.funnels) && isStringMap(marker.names.secretEnvironment))) return undefined;
  return marker;
}

function isStringMap(value: unknown): boolean {
  return value === undefined || (typeof value === 'object' && value !== null && Object.values(value).every((entry) => typeof entry === 'string'));
}

/** A group's description without the ownership marker (re-exporting a managed group). */
export function descriptionOf(comments: string | undefined): string | undefined {
  if (!comments) return undefined;
  if (!readMarker(comments)) return comments;
  return comments.slice(0, comments.lastIndexOf(markerLine)).trim() || undefined;
}

export function flowId(flowName: string): string {
  return deterministicId(flowName);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The marker an apply writes until the sensitive values are pushed: a crash in between makes the next plan push them. */
export function withSecretsPending(marker: OwnershipMarker): OwnershipMarker {
  return { ...marker, sensitiveHash: 'pending' };
}

export function newMarker(
  flowName: string,
  definitionHash: string,
  secretsRecord: string,
  parameterContext: ContextReference | undefined,
  project: string | undefined,
  names: { funnels: Record<string, string>; secretEnvironment: Record<string, string> } = { funnels: {}, secretEnvironment: {} },
): OwnershipMarker {
  const kept = {
    ...(Object.keys(names.funnels).length ? { funnels: names.funnels } : {}),
    ...(Object.keys(names.secretEnvironment).length ? { secretEnvironment: names.secretEnvironment } : {}),
  };
  return {
    formatVersion: 1,
    flow: flowName,
    id: flowId(flowName),
    definitionHash,
    sensitiveHash: secretsRecord,
    ...(parameterContext ? { parameterContext } : {}),
    ...(project ? { project } : {}),
    ...(Object.keys(kept).length ? { names: kept } : {}),
  };
}

/**
 * Writes the marker into a compiled definition: the group's comments, and the description of the
 * parameter context, which NiFi gives a context it creates from the definition (a context that
 * already existed keeps its own description, so it never looks created by flows).
 */
export function markDefinition(definition: FlowDefinition, description: string | undefined, marker: OwnershipMarker): void {
  definition.flowContents!.comments = renderComments(description, marker);
  // Only the flow's own context: the others in the map are the shared contexts it inherits, which apply manages on their own.
  const own = definition.flowContents!.parameterContextName;
  for (const context of Object.values(definition.parameterContexts ?? {})) if (context.name === own) context.description = managedContextDescription;
}

// ---- parameter contexts -----------------------------------------------------------------------------

/** The description line that says flows created (or adopted) a parameter context: only such contexts are ever deleted. */
export const managedContextDescription = markerLine;

export function isManagedContextDescription(description: string | undefined): boolean {
  return (description ?? '').split('\n').includes(markerLine);
}

/** The parameter context a group is bound to, as NiFi reports it. */
export function boundContext(group: GroupEntity | undefined): ContextReference | undefined {
  const reference = group?.component?.parameterContext;
  return reference?.id ? { id: reference.id, name: reference.component?.name ?? reference.id } : undefined;
}

/** Marks a context as managed by flows (adoption): its description gains the marker line; nothing else changes. */
export async function claimContext(nifi: NifiClient, contextId: string): Promise<void> {
  const context = await nifi.parameterContexts.get(contextId);
  if (isManagedContextDescription(context.component.description)) return;
  const description = context.component.description ? `${context.component.description}\n\n${managedContextDescription}` : managedContextDescription;
  await nifi.parameterContexts.update(contextId, { description });
}

// ---- listing and lookup -----------------------------------------------------------------------------

/**
 * Every child group of the parent, with its marker where it has one, split into the flows of `project`
 * (flows applied without a project form their own set, `undefined`) and those of other projects.
 */
export async function readInventory(nifi: NifiClient, parentGroupId = 'root', project?: string): Promise<Inventory> {
  const parent = await nifi.processGroups.flow(parentGroupId);
  const groups: InventoryGroup[] = parent.contents.processGroups.map((group) => ({
    groupId: group.id,
    name: group.component?.name ?? '',
    marker: readMarker(group.component?.comments),
    group,
  }));
  const all = groups.flatMap(({ groupId, marker, group }) => (marker ? [{ flow: marker.flow, groupId, marker, group, parameterContext: marker.parameterContext ?? boundContext(group) }] : []));
  return { parentGroupId, project, groups, managed: all.filter((entry) => entry.marker.project === project), foreign: all.filter((entry) => entry.marker.project !== project) };
}

/** The process groups under `parentGroupId` that carry a valid ownership marker of `project`. */
export async function listManagedFlows(nifi: NifiClient, parentGroupId = 'root', project?: string): Promise<ManagedFlow[]> {
  return (await readInventory(nifi, parentGroupId, project)).managed;
}

/** A project name as the config file and --project take it. */
export const projectNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A managed flow by flow name or by its group's id; FLOWS_UNKNOWN_FLOW when none matches, FLOWS_AMBIGUOUS_GROUP when several claim the name. */
export function findManagedFlow(inventory: Inventory, reference: string): ManagedFlow {
  const byName = inventory.managed.filter((entry) => entry.flow === reference);
  if (byName.length > 1) throw ambiguousFlow(reference, inventory, byName.map((entry) => entry.groupId));
  const found = byName[0] ?? inventory.managed.find((entry) => entry.groupId === reference);
  const elsewhere = inventory.foreign.find((entry) => entry.flow === reference || entry.groupId === reference);
  if (!found && elsewhere) {
    throw new DataplatError({
      code: 'FLOWS_OTHER_PROJECT',
      message: `Flow "${elsewhere.flow}" under process group ${inventory.parentGroupId} belongs to ${projectLabel(elsewhere.marker.project)}, not to ${projectLabel(inventory.project)}.`,
      hint: elsewhere.marker.project
        ? `Work on it with --project ${elsewhere.marker.project} (project: in flows.config.yaml; { project } in TypeScript).`
        : 'Work on it without a project (no --project, no project: in flows.config.yaml), or take it into this project with plan/apply --adopt.',
    });
  }
  if (!found) {
    throw new DataplatError({
      code: 'FLOWS_UNKNOWN_FLOW',
      message: `No managed flow "${reference}" under process group ${inventory.parentGroupId}.`,
      hint: `Apply it first (flows apply), or check the name with flows status. Managed here: ${inventory.managed.map((entry) => entry.flow).join(', ') || 'none'}.`,
    });
  }
  return found;
}

export function projectLabel(project: string | undefined): string {
  return project ? `project "${project}"` : 'no project';
}

/** What a group holds, for telling duplicates apart: its marker, components and queued data. */
export interface GroupSummary {
  groupId: string;
  name: string;
  /** The marker, in words: `managed (flow …, project …, definition 1a2b3c4d)` or `unmanaged (named like the flow)`. */
  marker: string;
  managed: boolean;
  /** Processors and connections in the group and its nested groups (when read; absent from the listing alone). */
  processors?: number | undefined;
  connections?: number | undefined;
  running: number;
  stopped: number;
  invalid: number;
  queuedFlowFiles: number;
}

/** A group's summary from its listing entity; `contents` adds the processor and connection counts. */
export function summarizeGroup(group: InventoryGroup, contents?: { processors: number; connections: number }): GroupSummary {
  const { marker } = group;
  const words = marker
    ? `managed (flow ${marker.flow}, ${projectLabel(marker.project)}, definition ${marker.definitionHash.slice(0, 8)}${marker.sensitiveHash === 'pending' ? ', secrets pending: an apply stopped before pushing them' : ''})`
    : 'unmanaged (named like the flow)';
  return {
    groupId: group.groupId,
    name: group.name,
    marker: words,
    managed: marker !== undefined,
    ...(contents ?? {}),
    running: group.group.runningCount ?? 0,
    stopped: group.group.stoppedCount ?? 0,
    invalid: group.group.invalidCount ?? 0,
    queuedFlowFiles: group.group.status?.aggregateSnapshot?.flowFilesQueued ?? 0,
  };
}

/** Summaries with processor and connection counts, read from each group's tree (only for duplicates: an error path). */
export async function summarizeGroups(nifi: NifiClient, groups: readonly InventoryGroup[]): Promise<GroupSummary[]> {
  const summaries: GroupSummary[] = [];
  for (const group of groups) {
    const tree = flattenTree(await nifi.processGroups.tree(group.groupId));
    summaries.push(summarizeGroup(group, { processors: tree.reduce((total, entry) => total + entry.contents.processors.length, 0), connections: tree.reduce((total, entry) => total + entry.contents.connections.length, 0) }));
  }
  return summaries;
}

function describeGroupSummary(summary: GroupSummary): string {
  const contents = summary.processors !== undefined ? `${summary.processors} processor(s), ${summary.connections ?? 0} connection(s)` : `${summary.running + summary.stopped + summary.invalid} component(s)`;
  return `  - ${summary.groupId} "${summary.name}": ${summary.marker}; ${contents} (${summary.running} running, ${summary.stopped} stopped, ${summary.invalid} invalid), ${summary.queuedFlowFiles} queued flowfile(s)`;
}

/**
 * What to say when several groups claim one flow: each group (id, marker, contents, queued data) and the
 * commands that resolve it — keep the group with the most queued data (the first on a tie) and destroy
 * each other managed group by id (destroy refuses an unmanaged one: those are renamed in NiFi).
 */
export function ambiguity(flow: string, inventory: Pick<Inventory, 'parentGroupId' | 'project'>, groups: readonly GroupSummary[]): { message: string; hint: string } {
  const project = inventory.project ? ` --project ${inventory.project}` : '';
  const keep = [...groups].sort((left, right) => right.queuedFlowFiles - left.queuedFlowFiles)[0];
  const extras = groups.filter((group) => group !== keep && group.managed);
  const unmanaged = groups.filter((group) => group !== keep && !group.managed);
  const commands = extras.map((group) => `flows destroy ${group.groupId} --parent ${inventory.parentGroupId}${project}`);
  return {
    message: [`Several process groups under ${inventory.parentGroupId} claim flow "${flow}":`, ...groups.map(describeGroupSummary)].join('\n'),
    hint: [
      `Keep one (e.g. ${keep?.groupId}, which holds the most queued data) and remove the others${commands.length ? `: ${commands.join(' ; ')}` : ''} — destroy takes the apply lock and deletes only that managed group and the parameter context flows made for it.`,
      ...(unmanaged.length ? [`Rename the unmanaged group(s) ${unmanaged.map((group) => group.groupId).join(', ')} in NiFi (flows never deletes a group it doesn't manage).`] : []),
    ].join(' '),
  };
}

export function ambiguousFlow(flow: string, inventory: Pick<Inventory, 'parentGroupId' | 'project' | 'groups'>, groupIds: readonly string[]): DataplatError {
  const groups = inventory.groups.filter((group) => groupIds.includes(group.groupId)).map((group) => summarizeGroup(group));
  return new DataplatError({ code: 'FLOWS_AMBIGUOUS_GROUP', ...ambiguity(flow, inventory, groups) });
}

// ---- destroy ----------------------------------------------------------------------------------------

export interface DestroyedFlow {
  flow: string;
  groupId: string;
  droppedFlowFiles: number;
  /** What happened to the flow's parameter context: deleted, or kept with the reason. */
  parameterContext: { id: string; name: string; deleted: boolean; reason?: string | undefined } | undefined;
}

/**
 * Deletes a managed flow's group (safe recursive delete) and then exactly the parameter context its
 * marker names — only when flows created or adopted that context and no other process group uses it.
 */
export async function destroyManagedFlow(nifi: NifiClient, managed: ManagedFlow): Promise<DestroyedFlow> {
  const result = await nifi.processGroups.delete(managed.groupId);
  const destroyed = { flow: managed.flow, groupId: managed.groupId, droppedFlowFiles: result.dropped.droppedCount ?? 0 };
  const reference = managed.parameterContext;
  if (!reference) return { ...destroyed, parameterContext: undefined };
  const context = (await nifi.parameterContexts.list()).find((candidate) => candidate.id === reference.id);
  if (!context) return { ...destroyed, parameterContext: { ...reference, deleted: false, reason: 'already gone' } };
  const named = { id: reference.id, name: context.component.name ?? reference.name };
  if (!isManagedContextDescription(context.component.description)) {
    return { ...destroyed, parameterContext: { ...named, deleted: false, reason: 'not created by flows' } };
  }
  const users = (context.component.boundProcessGroups ?? []).filter((group) => group.id !== managed.groupId);
  if (users.length > 0) return { ...destroyed, parameterContext: { ...named, deleted: false, reason: `still used by ${users.length} other process group(s)` } };
  await nifi.parameterContexts.delete(reference.id);
  return { ...destroyed, parameterContext: { ...named, deleted: true } };
}

/**
 * `flows destroy`, holding the apply lock on the parent group: every reference (flow name or group id)
 * must be a managed flow of the project — nothing is deleted otherwise — then each is destroyed.
 */
export async function destroyFlows(
  client: NifiClient,
  references: readonly string[],
  options: {
    parentGroupId?: string | undefined;
    project?: string | undefined;
    onProgress?: ((flow: string) => void) | undefined;
    /** The apply lock: how long to wait for it, events. */
    lock?: LockOptions | undefined;
    /** Stops waiting for the lock, and the destroy before its next flow. */
    signal?: AbortSignal | undefined;
    /** Accepted for symmetry with apply; a destroy is refused while cluster nodes are not CONNECTED all the same (NiFi deletes nothing then). */
    acknowledgeDisconnectedNodes?: boolean | undefined;
  } = {},
): Promise<DestroyedFlow[]> {
  const lockOptions = { ...options.lock, signal: options.lock?.signal ?? options.signal };
  const nifi = await clientForClusterState(client, 'destroy flows', { acknowledgeDisconnectedNodes: options.acknowledgeDisconnectedNodes, signal: options.signal, deletes: true });
  return withFlowsLock(nifi, options.parentGroupId ?? 'root', 'destroy', lockOptions, async (lock) => {
    // Again under the lock, right before anything is stopped: a node may have dropped out while this waited for it.
    await clientForClusterState(client, 'destroy flows', { signal: options.signal, deletes: true });
    return destroyLocked(nifi, references, options, lock);
  });
}

async function destroyLocked(nifi: NifiClient, references: readonly string[], options: { parentGroupId?: string | undefined; project?: string | undefined; onProgress?: ((flow: string) => void) | undefined; signal?: AbortSignal | undefined }, lock: HeldLock): Promise<DestroyedFlow[]> {
  const inventory = await readInventory(nifi, options.parentGroupId, options.project);
  const unknown = references.filter((reference) => !inventory.managed.some((entry) => entry.flow === reference || entry.groupId === reference));
  // A flow of another project gets the error that says whose it is (nothing has been deleted yet).
  for (const reference of unknown) if (inventory.foreign.some((entry) => entry.flow === reference || entry.groupId === reference)) findManagedFlow(inventory, reference);
  if (unknown.length > 0) {
    throw new DataplatError({ code: 'FLOWS_UNKNOWN_FLOW', message: `Not managed flows under ${inventory.parentGroupId}: ${unknown.join(', ')}; nothing was deleted.`, hint: 'flows status lists the managed flows.' });
  }
  const targets = references.map((reference) => findManagedFlow(inventory, reference));
  const destroyed: DestroyedFlow[] = [];
  for (const managed of targets) {
    lock.assertHeld();
    options.signal?.throwIfAborted();
    options.onProgress?.(managed.flow);
    destroyed.push(await destroyManagedFlow(nifi, managed));
  }
  return destroyed;
}
