// Shared controller services (`parent:` of the flow files, issue 18) in plan and apply: services in the
// managed parent group that flows use by name. Owned through a marker in the service's comments (like
// flows' groups); created, updated (drift included) and enabled before the flows; deleted only with
// --prune, after the flows, and only when no component references them. An update of an enabled service
// stops the processors that reference it, disables it, changes it, enables it and restarts what ran.
import { DataplatError } from '@dataplat/core/errors';
import { matchExtensionType, type ExtensionType, type NifiClient } from '@dataplat/nifi';
import type { ParentSection, SharedServiceDeclaration } from '../model/shared-services.ts';
import type { FieldChange } from './diff.ts';
import { markerJson, projectLabel, sha256, withMarker } from './inventory.ts';
import { compareSecrets } from './secrets-record.ts';

const markerLine = 'managed-by: dataplat-flows shared service';
const sensitiveValue = '(sensitive)';

/** What a shared service's marker (the JSON line after the marker line in its comments) records. */
export interface SharedServiceMarker {
  formatVersion: 1;
  sharedService: string;
  project?: string | undefined;
  /**
   * Hash of the declaration's type, comments, property names and the values that reference parameters: NiFi
   * masks every sensitive property ("********"), a #{reference} included, so a changed reference there is seen
   * here. Literal values are compared with NiFi's own and never hashed (a secret's hash could be guessed at).
   */
  definitionHash: string;
  /**
   * What NiFi holds of the sensitive literal values (never the values): an HMAC under FLOWS_SECRETS_KEY,
   * `unverified` (applied without the key) or `none` — secrets-record.ts, as for flows.
   */
  sensitiveHash?: string | undefined;
}

export type SharedServiceAction = 'create' | 'update' | 'delete' | 'no-op' | 'keep';

export interface SharedServicePlan {
  service: string;
  /** `keep`: no longer in the code but left in NiFi (without --prune, or still referenced: see `usedBy`). */
  action: SharedServiceAction;
  serviceId?: string | undefined;
  /** Property changes (sensitive ones "(sensitive)"), `type`, `state` and `comments` (the marker). */
  changes: FieldChange[];
  reason?: string | undefined;
  /** Who references a kept service: `processor <name> (group <id>)`. */
  usedBy?: string[] | undefined;
}

/** The parent group's parameter context binding, when apply changes it. */
export interface ParentBindingPlan {
  before: string | null;
  after: string;
}

/** What apply needs besides the plan. */
export interface PlannedSharedService {
  declaration: SharedServiceDeclaration;
  type: ExtensionType;
  comments: string;
  /** The comments for a service just created, once its descriptors say which properties are sensitive. */
  createdComments: (descriptors: Descriptors) => string;
}

type Descriptors = Record<string, { sensitive?: boolean | undefined }>;

export interface SharedServicesPlan {
  plans: SharedServicePlan[];
  parentBinding?: ParentBindingPlan | undefined;
  planned: Map<string, PlannedSharedService>;
  parentId: string;
  fingerprintParts: string[];
  /** `shared service <name>` for each whose sensitive literals could not be compared (no FLOWS_SECRETS_KEY). */
  secretsNotCompared: string[];
}

export function renderServiceComments(comments: string | undefined, marker: SharedServiceMarker): string {
  const { formatVersion, sharedService, project, definitionHash, sensitiveHash } = marker;
  return withMarker(comments, { formatVersion, sharedService, ...(project ? { project } : {}), definitionHash, ...(sensitiveHash ? { sensitiveHash } : {}) }, markerLine);
}

export function readServiceMarker(comments: string | undefined): SharedServiceMarker | undefined {
  const marker = markerJson(comments, markerLine) as SharedServiceMarker | undefined;
  if (!marker || marker.formatVersion !== 1 || typeof marker.sharedService !== 'string' || typeof marker.definitionHash !== 'string') return undefined;
  return marker;
}

/** The comments people wrote on a shared service, without its marker (flows export of a parent whose services flows manages). */
export function serviceCommentsOf(comments: string | undefined): string | undefined {
  if (!comments || !readServiceMarker(comments)) return comments || undefined;
  return comments.slice(0, comments.lastIndexOf(markerLine)).trim() || undefined;
}

export interface SharedServicesOptions {
  project?: string | undefined;
  adopt?: boolean | undefined;
  prune?: boolean | undefined;
  partial?: boolean | undefined;
  /** Process groups apply deletes before pruning (pruned flows): their references don't keep a service. */
  deletedGroups: ReadonlySet<string>;
  controllerServiceTypes: readonly ExtensionType[];
  /** FLOWS_SECRETS_KEY: sensitive literal values are compared through an HMAC under it (secrets-record.ts). */
  secretsKey?: string | undefined;
  pushSecrets?: boolean | undefined;
}

type LiveService = Awaited<ReturnType<NifiClient['controllerServices']['get']>>;

export async function planSharedServices(nifi: NifiClient, parentGroupId: string, parent: ParentSection | undefined, options: SharedServicesOptions): Promise<SharedServicesPlan> {
  const declarations = parent?.services ?? [];
  // Code without a parent: section leaves the parent's services alone (no reads) unless it prunes.
  if (!parent && !options.prune) return { plans: [], planned: new Map(), parentId: parentGroupId, fingerprintParts: [], secretsNotCompared: [] };
  const parentGroup = await nifi.processGroups.get(parentGroupId);
  const parentId = parentGroup.id;
  const live = (await nifi.processGroups.controllerServices(parentId)).filter((service) => service.component.parentGroupId === parentId);
  const ours = (service: { component: { comments?: string | undefined } }) => {
    const marker = readServiceMarker(service.component.comments);
    return marker !== undefined && marker.project === options.project ? marker : undefined;
  };
  const plans: SharedServicePlan[] = [];
  const planned = new Map<string, PlannedSharedService>();
  const fingerprintParts: string[] = [];
  const secretsNotCompared: string[] = [];

  let parentBinding: ParentBindingPlan | undefined;
  if (parent?.parameterContext !== undefined) {
    const bound = parentGroup.component?.parameterContext;
    const boundName = bound?.component?.name ?? null;
    if (bound && boundName !== parent.parameterContext) {
      throw new DataplatError({
        code: 'FLOWS_PARENT_CONTEXT_CONFLICT',
        message: `The parent group ${parentId} is bound to parameter context "${boundName ?? bound.id}", not "${parent.parameterContext}" (parent.parameterContext).`,
        hint: 'Bind the parent group to the declared context in NiFi, or declare the context it has.',
      });
    }
    if (!bound) parentBinding = { before: null, after: parent.parameterContext };
    fingerprintParts.push(`parent context ${boundName}`);
  }

  for (const declaration of declarations) {
    const type = resolveServiceType(options.controllerServiceTypes, declaration);
    const marker: SharedServiceMarker = { formatVersion: 1, sharedService: declaration.name, ...(options.project ? { project: options.project } : {}), definitionHash: definitionHash(declaration, type) };
    const existing = live.find((service) => ours(service)?.sharedService === declaration.name);
    const unmanagedNamesake = live.find((service) => service.component.name === declaration.name && !readServiceMarker(service.component.comments));
    // Sensitive literals: compared through the marker's HMAC (NiFi never returns them), pushed when they differ.
    const secretsOf = (descriptors: Descriptors, recorded: string | undefined) => compareSecrets(`shared-service/${declaration.name}`, sensitiveLiterals(declaration, descriptors), recorded, { key: options.secretsKey, push: options.pushSecrets });
    const current = existing ?? (options.adopt ? unmanagedNamesake : undefined);
    const secrets = current ? secretsOf((current.component.descriptors ?? {}) as Descriptors, ours(current)?.sensitiveHash) : undefined;
    if (secrets?.verdict === 'not-compared') secretsNotCompared.push(`shared service ${declaration.name}`);
    const comments = renderServiceComments(declaration.comments, { ...marker, ...(secrets ? { sensitiveHash: secrets.record } : {}) });
    const createdComments = (descriptors: Descriptors) => renderServiceComments(declaration.comments, { ...marker, sensitiveHash: secretsOf(descriptors, undefined).record });
    planned.set(declaration.name, { declaration, type, comments, createdComments });
    fingerprintParts.push(JSON.stringify({ service: declaration.name, type: type.type, comments }), secrets?.push ? 'push secrets' : 'keep secrets');
    const secretChanges = (): FieldChange[] => (secrets?.push ? Object.keys(sensitiveLiterals(declaration, (current!.component.descriptors ?? {}) as Descriptors)).map((name) => ({ field: `properties.${name}`, before: sensitiveValue, after: sensitiveValue })) : []);
    if (!existing) {
      const unmanaged = unmanagedNamesake;
      const foreign = live.find((service) => service.component.name === declaration.name && readServiceMarker(service.component.comments) && !ours(service));
      if (foreign) {
        throw new DataplatError({
          code: 'FLOWS_OTHER_PROJECT',
          message: `Shared service "${declaration.name}" (${foreign.id}) in the parent group ${parentId} is managed by ${projectLabel(readServiceMarker(foreign.component.comments)!.project)}, not by ${projectLabel(options.project)}.`,
          hint: 'Rename the shared service, or manage it from its own project.',
        });
      }
      if (unmanaged && !options.adopt) {
        throw new DataplatError({
          code: 'FLOWS_UNMANAGED_SERVICE',
          message: `A controller service named "${declaration.name}" (${unmanaged.id}) exists in the parent group ${parentId} but is not managed by flows.`,
          hint: 'Rename the shared service, or take the existing one over with --adopt (its properties become the code\'s).',
        });
      }
      if (!unmanaged) {
        plans.push({ service: declaration.name, action: 'create', changes: [] });
        continue;
      }
      fingerprintParts.push(liveFingerprint(unmanaged));
      const changes = [...serviceChanges(declaration, type, comments, unmanaged), ...secretChanges()];
      plans.push({ service: declaration.name, action: 'update', serviceId: unmanaged.id, changes });
      continue;
    }
    fingerprintParts.push(liveFingerprint(existing));
    const changes = [...serviceChanges(declaration, type, comments, existing), ...secretChanges()];
    plans.push({ service: declaration.name, action: changes.length > 0 ? 'update' : 'no-op', serviceId: existing.id, changes });
  }

  // Marked services of this project that the code no longer declares: kept, or deleted with --prune when nothing else uses them.
  const deletedGroups = options.prune ? await groupsWithin(nifi, options.deletedGroups) : new Set<string>();
  for (const service of live) {
    const marker = ours(service);
    if (!marker || declarations.some((declaration) => declaration.name === marker.sharedService)) continue;
    const name = marker.sharedService;
    if (options.partial) continue;
    if (!options.prune) {
      plans.push({ service: name, action: 'keep', serviceId: service.id, changes: [], reason: 'no longer in the code (use --prune to delete it)' });
      continue;
    }
    const usedBy = await referencesOutside(nifi, service.id, deletedGroups);
    fingerprintParts.push(`delete ${service.id} ${usedBy.join(',')}`);
    plans.push(
      usedBy.length > 0
        ? { service: name, action: 'keep', serviceId: service.id, changes: [], reason: 'no longer in the code but still referenced', usedBy }
        : { service: name, action: 'delete', serviceId: service.id, changes: [] },
    );
  }
  return { plans, ...(parentBinding ? { parentBinding } : {}), planned, parentId, fingerprintParts, secretsNotCompared };
}

/** What of a live service the plan depends on (not its validation status, which NiFi changes by itself). */
function liveFingerprint(service: { id: string; component: LiveService['component'] }): string {
  return JSON.stringify({ id: service.id, properties: service.component.properties, state: service.component.state, comments: service.component.comments });
}

function resolveServiceType(types: readonly ExtensionType[], declaration: SharedServiceDeclaration): ExtensionType {
  try {
    return matchExtensionType(types, 'controllerService', declaration.type);
  } catch (error) {
    throw new DataplatError({ code: 'FLOWS_UNKNOWN_TYPE', message: `parent/services/${declaration.name}: ${(error as Error).message}`, cause: error });
  }
}

/** The code's literal values of the properties NiFi says are sensitive (a #{reference} is no secret). */
function sensitiveLiterals(declaration: SharedServiceDeclaration, descriptors: Descriptors): Record<string, string> {
  return Object.fromEntries(
    Object.entries(declaration.properties).flatMap(([name, value]) => (descriptors[name]?.sensitive === true && value !== null && !value.includes('#{') ? [[name, value]] : [])),
  );
}

function definitionHash(declaration: SharedServiceDeclaration, type: ExtensionType): string {
  const properties = Object.keys(declaration.properties)
    .sort()
    .map((name) => {
      const value = declaration.properties[name];
      return value?.includes('#{') ? [name, value] : [name];
    });
  return sha256(JSON.stringify({ type: type.type, comments: declaration.comments ?? '', properties }));
}

/**
 * The code's properties against NiFi's (only those the code sets), sensitive ones masked; then type, state and
 * marker. A sensitive property NiFi masks is not compared: a changed #{reference} in it changes the marker's hash.
 */
export function serviceChanges(declaration: SharedServiceDeclaration, type: ExtensionType, comments: string, live: { component: LiveService['component'] }): FieldChange[] {
  const changes: FieldChange[] = [];
  const component = live.component;
  if (component.type !== type.type) changes.push({ field: 'type', before: component.type, after: type.type });
  const liveProperties = (component.properties ?? {}) as Record<string, string | null>;
  const descriptors = (component.descriptors ?? {}) as Record<string, { sensitive?: boolean | undefined }>;
  for (const [name, value] of Object.entries(declaration.properties)) {
    const current = Object.hasOwn(liveProperties, name) ? (liveProperties[name] ?? null) : null;
    const sensitive = descriptors[name]?.sensitive === true;
    // NiFi returns a set sensitive property as "********" (a #{reference} too): pushed on create and with any other change.
    if (sensitive && current === '********') continue;
    if (current !== (value ?? null)) changes.push({ field: `properties.${name}`, before: sensitive ? sensitiveValue : current, after: sensitive ? sensitiveValue : value });
  }
  if ((component.comments ?? '') !== comments) changes.push({ field: 'comments', before: '(ownership marker)', after: '(ownership marker: comments or a sensitive #{reference} changed)' });
  if (component.state !== 'ENABLED') changes.push({ field: 'state', before: component.state, after: 'ENABLED' });
  return changes;
}

/** Every process group in the given groups' subtrees (their ids included). */
async function groupsWithin(nifi: NifiClient, roots: ReadonlySet<string>): Promise<Set<string>> {
  const ids = new Set<string>();
  const visit = async (groupId: string) => {
    ids.add(groupId);
    const flow = await nifi.processGroups.flow(groupId);
    for (const child of flow.contents.processGroups) await visit(child.id!);
  };
  for (const root of roots) await visit(root);
  return ids;
}

/** Components referencing the service outside the given groups, named for people. */
async function referencesOutside(nifi: NifiClient, serviceId: string, groups: ReadonlySet<string>): Promise<string[]> {
  const service = await nifi.controllerServices.get(serviceId);
  return (service.component.referencingComponents ?? [])
    .filter((reference) => !groups.has(reference.component?.groupId ?? ''))
    .map((reference) => `${(reference.component?.referenceType ?? 'component').toLowerCase()} ${reference.component?.name} (group ${reference.component?.groupId})`);
}

type Report = (service: string, step: string) => void;

/** Before the flows: the parent's binding, then each shared service created or updated, and enabled. */
export async function applySharedServices(nifi: NifiClient, plan: SharedServicesPlan | undefined, report: Report): Promise<void> {
  if (!plan) return;
  if (plan.parentBinding) {
    report('parent group', 'bind parameter context');
    const context = await nifi.parameterContexts.findByName(plan.parentBinding.after);
    if (!context) throw new DataplatError({ code: 'FLOWS_APPLY_FAILED', message: `Parameter context "${plan.parentBinding.after}" (parent.parameterContext) is missing in NiFi.`, hint: 'Declare it under parameterContexts: and apply again.' });
    await nifi.processGroups.bindParameterContext(plan.parentId, context.id);
  }
  for (const servicePlan of plan.plans) {
    if (servicePlan.action !== 'create' && servicePlan.action !== 'update') continue;
    const target = plan.planned.get(servicePlan.service)!;
    const fields = { name: target.declaration.name, properties: target.declaration.properties, comments: target.comments };
    if (servicePlan.action === 'create') {
      report(servicePlan.service, 'create');
      const created = await nifi.controllerServices.create(plan.parentId, { ...fields, type: target.type.type, bundle: target.type.bundle } as never);
      // Now NiFi says which properties are sensitive: the marker records what it holds of them.
      const comments = target.createdComments((created.component.descriptors ?? {}) as Descriptors);
      if (comments !== target.comments) await nifi.controllerServices.update(created, { comments } as never);
      report(servicePlan.service, 'enable');
      await nifi.controllerServices.enable(created.id);
      continue;
    }
    if (servicePlan.changes.some((change) => change.field === 'type')) {
      throw new DataplatError({
        code: 'FLOWS_SHARED_SERVICE_TYPE_CHANGED',
        message: `Shared service "${servicePlan.service}" is a ${servicePlan.changes.find((change) => change.field === 'type')!.before} in NiFi; the code says ${target.type.type}. NiFi can't change a service's type in place.`,
        hint: 'Give the new service another name (flows create it), move the flows to it, then prune the old one.',
      });
    }
    const configChanged = servicePlan.changes.some((change) => change.field !== 'state');
    if (configChanged) await reconfigure(nifi, servicePlan.serviceId!, fields, (step) => report(servicePlan.service, step));
    else {
      report(servicePlan.service, 'enable');
      await nifi.controllerServices.enable(servicePlan.serviceId!);
    }
  }
}

/**
 * NiFi changes only a disabled service, and disables only a service nothing running or enabled references:
 * stops the processors that run and use it (directly, or through services that use it — a flow's reader on a
 * shared schema registry), disables those services (the farthest first), changes the service, enables it, and
 * brings back exactly what was enabled and running.
 */
async function reconfigure(nifi: NifiClient, serviceId: string, fields: Record<string, unknown>, report: (step: string) => void): Promise<void> {
  const service = await nifi.controllerServices.get(serviceId);
  const { running, enabledServices } = referencingClosure(service.component.referencingComponents ?? []);
  const wasEnabled = service.component.state !== 'DISABLED';
  if (running.length > 0) report(`stop ${running.length} referencing processor(s)`);
  for (const id of running) await nifi.processors.setRunState(id, 'STOPPED');
  for (const id of [...enabledServices].reverse()) await nifi.controllerServices.disable(id);
  if (wasEnabled) {
    report('disable');
    await nifi.controllerServices.disable(serviceId);
  }
  report('update');
  await nifi.controllerServices.update(serviceId, fields as never);
  report('enable');
  await nifi.controllerServices.enable(serviceId);
  for (const id of enabledServices) await nifi.controllerServices.enable(id);
  if (running.length > 0) report(`restart ${running.length} referencing processor(s)`);
  for (const id of running) await nifi.processors.setRunState(id, 'RUNNING');
}

type References = NonNullable<LiveService['component']['referencingComponents']>;

/** Running processors and enabled services that reference a service, through services that do (nearest services first). */
function referencingClosure(references: References): { running: string[]; enabledServices: string[] } {
  const running = new Set<string>();
  const enabledServices: string[] = [];
  const visited = new Set<string>();
  let level = references;
  while (level.length > 0) {
    const next: References = [];
    for (const reference of level) {
      const component = reference.component;
      if (!reference.id || !component) continue;
      if (component.referenceType === 'Processor' && component.state === 'RUNNING') running.add(reference.id);
      if (component.referenceType === 'ControllerService' && !visited.has(reference.id)) {
        visited.add(reference.id);
        if (component.state === 'ENABLED' || component.state === 'ENABLING') enabledServices.push(reference.id);
        next.push(...(component.referencingComponents ?? []));
      }
    }
    level = next;
  }
  return { running: [...running], enabledServices };
}

/** After the flows: deletes the shared services the plan prunes, when still nothing references them. */
export async function pruneSharedServices(nifi: NifiClient, plan: SharedServicesPlan | undefined, report: Report): Promise<void> {
  for (const servicePlan of plan?.plans ?? []) {
    if (servicePlan.action !== 'delete') continue;
    const usedBy = await referencesOutside(nifi, servicePlan.serviceId!, new Set());
    if (usedBy.length > 0) {
      throw new DataplatError({
        code: 'FLOWS_SHARED_SERVICE_IN_USE',
        message: `Shared service "${servicePlan.service}" was not deleted: ${usedBy.join(', ')} still reference(s) it.`,
        hint: 'Something started using it since the plan was made: plan again.',
      });
    }
    report(servicePlan.service, 'disable');
    await nifi.controllerServices.disable(servicePlan.serviceId!);
    report(servicePlan.service, 'delete');
    await nifi.controllerServices.delete(servicePlan.serviceId!);
  }
}

export function sharedServicesChanged(plan: { sharedServices?: SharedServicePlan[] | undefined; parentBinding?: ParentBindingPlan | undefined }): boolean {
  return plan.parentBinding !== undefined || (plan.sharedServices ?? []).some((servicePlan) => servicePlan.action !== 'no-op' && servicePlan.action !== 'keep');
}
