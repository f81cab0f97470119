// `flows plan`: reads what NiFi has (read-only) and says what `apply` would change, per flow and per
// component, with sensitive values masked. The plan carries a fingerprint of everything it was computed
// from, so applying a saved plan after NiFi or the code changed is refused.
import { DataplatError } from '@dataplat/core/errors';
import type { AirflowClient } from '@dataplat/airflow';
import type { FlowDefinition, NifiClient, ParameterContextAsset, ParameterContextEntity } from '@dataplat/nifi';
import { compileFlow } from '../compile/compile-flow.ts';
import { parameterContextName, type Flow, type SharedContextDeclaration } from '../model/flow-schema.ts';
import { resolveParameterAssets, type ResolvedAsset } from './assets.ts';
import { ownEntry } from '../model/own-keys.ts';
import { overrideParameter } from '../model/parameter-override.ts';
import { assetChange, inheritedNames, planSharedContexts, type ContextPlan, type PlannedContext } from './shared-contexts.ts';
import { diffDefinitions, type ComponentChange, type FieldChange } from './diff.ts';
import { planSharedServices, sharedServicesChanged, type ParentBindingPlan, type SharedServicePlan, type SharedServicesPlan } from './shared-services.ts';
import { withExternalServicesByName, type ParentSection } from '../model/shared-services.ts';
import type { PropertyNameNote } from '../model/property-names.ts';
import { liveRunStates, wantedRunStates } from './run-states.ts';
import { compareSecrets, secretsKey } from './secrets-record.ts';
import { parameterChanges } from './plan-parameters.ts';
import {
  ambiguity,
  boundContext,
  markDefinition,
  newMarker,
  projectLabel,
  readInventory,
  sha256,
  summarizeGroup,
  summarizeGroups,
  type GroupSummary,
  type Inventory,
  type InventoryGroup,
  type OwnershipMarker,
} from './inventory.ts';

export interface PlanOptions {
  /** Process group that holds the managed flows. Default `root`. */
  parentGroupId?: string | undefined;
  environment?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Delete managed flows that are no longer in the code. */
  prune?: boolean | undefined;
  /** Take over existing, unmanaged groups that have a flow's name. */
  adopt?: boolean | undefined;
  /** The set of flows this code manages under the parent (a repository or pipeline); flows of other projects are never touched. */
  project?: string | undefined;
  /**
   * The flows given are only some of the project's (e.g. one file): managed flows missing from them are
   * reported as not in the given paths instead of as orphans, and prune is refused.
   */
  partial?: boolean | undefined;
  /** Airflow, for flows with asset-event triggers (their asset URIs are resolved to Airflow's ids). */
  airflow?: AirflowClient | undefined;
  /**
   * The key that sensitive values are compared with (HMAC in the marker; at least 32 characters).
   * Default: FLOWS_SECRETS_KEY of `env` (or process.env). Without it they can't be compared: see pushSecrets.
   */
  secretsKey?: string | undefined;
  /** Push every sensitive value, whatever the marker says (e.g. after changing one without FLOWS_SECRETS_KEY). */
  pushSecrets?: boolean | undefined;
  /** The shared parameter contexts of the code (`parameterContexts:`): planned before the flows, which inherit them. */
  parameterContexts?: readonly SharedContextDeclaration[] | undefined;
  /** The parent group's shared controller services (`parent:`): planned before the flows, which use them (shared-services.ts). */
  parent?: ParentSection | undefined;
}

export type FlowAction = 'create' | 'update' | 'delete' | 'no-op';

export interface FlowPlan {
  flow: string;
  action: FlowAction;
  groupId?: string | undefined;
  components: ComponentChange[];
  /** Parameter value changes; sensitive ones show as "(sensitive)". */
  parameters: FieldChange[];
  /** Components whose run state differs from the code (start/stop/enable). */
  runState: FieldChange[];
  /** Whether the group's ownership marker is rewritten (first apply, changed definition or adoption). */
  markerChanged: boolean;
}

/** A flow the plan can't act on, and why (the other flows are planned as usual). */
export interface BlockedFlow {
  flow: string;
  code: 'FLOWS_AMBIGUOUS_GROUP' | 'FLOWS_OTHER_PROJECT';
  message: string;
  hint: string;
  groupIds: string[];
  /** For FLOWS_AMBIGUOUS_GROUP: what each group holds (marker, processors, connections, queued flowfiles). */
  groups?: GroupSummary[] | undefined;
}

export interface Plan {
  formatVersion: '1';
  target: { nifi: string; parentGroupId: string; environment: string | undefined; project?: string | undefined };
  /** Hash of the desired definitions and the live state the plan was made from. */
  fingerprint: string;
  /** Shared parameter contexts (present when the code declares any or the project has some in NiFi); applied before the flows. */
  parameterContexts?: ContextPlan[] | undefined;
  /** Shared controller services in the parent group (present when the code declares any or the project has some); applied before the flows. */
  sharedServices?: SharedServicePlan[] | undefined;
  /** The parent group's parameter context binding, when apply sets it (parent.parameterContext). */
  parentBinding?: ParentBindingPlan | undefined;
  flows: FlowPlan[];
  /** Managed flows of the project that the code no longer has, left alone without --prune. */
  orphans: string[];
  /** With a partial set of flows: the project's other managed flows (neither orphans nor pruned). */
  notInPaths?: string[] | undefined;
  /** Flows that can't be planned (several groups claim them, or another project owns the name); apply fails on them after the rest. */
  blocked?: BlockedFlow[] | undefined;
  /** Property keys of the code that NiFi renamed (compared under NiFi's name) or dropped when it imported the flow: the code should say what NiFi shows. */
  propertyNames?: PropertyNameNote[] | undefined;
  /**
   * Flows whose sensitive values could not be compared (no FLOWS_SECRETS_KEY) and are left as NiFi has
   * them; with the key, or with pushSecrets, they are compared or pushed.
   */
  secretsNotCompared?: string[] | undefined;
  /** Written by `flows plan --out`: the flow files the plan was made from, relative to the plan file's folder; `apply --plan` reads exactly these. */
  files?: string[] | undefined;
}

/** Everything apply needs besides the plan (kept out of the plan file: it may hold secrets). */
export interface PlannedFlow {
  flow: Flow;
  definition: FlowDefinition;
  sensitiveParameters: Record<string, string>;
  marker: OwnershipMarker;
  /** The asset parameters' bytes by parameter name (apply uploads those NiFi doesn't hold). */
  assets: Map<string, ResolvedAsset>;
}

export interface PlanResult {
  plan: Plan;
  planned: Map<string, PlannedFlow>;
  /** The shared contexts to create or update, by name (values included: never written to the plan file). */
  plannedContexts: Map<string, PlannedContext>;
  /** The shared services as planned (apply creates, updates and prunes through it). */
  plannedServices?: SharedServicesPlan | undefined;
  /** The managed flows under the parent as the plan saw them (apply --prune destroys through it). */
  inventory: Inventory;
}

export async function planFlows(nifi: NifiClient, flows: readonly Flow[], options: PlanOptions = {}): Promise<PlanResult> {
  const parentGroupId = options.parentGroupId ?? 'root';
  const catalog = { processorTypes: await nifi.extensions.processorTypes(), controllerServiceTypes: await nifi.extensions.controllerServiceTypes() };
  if (options.prune && options.partial) {
    throw new DataplatError({
      code: 'FLOWS_PARTIAL_PRUNE',
      message: 'Prune was asked for with only some of the project\'s flows: it would delete every managed flow outside them.',
      hint: 'Plan the whole project (all its flow files) with --prune, or prune without marking the set partial (flows CLI: --allow-partial-prune).',
    });
  }
  const inventory = await readInventory(nifi, parentGroupId, options.project);
  const leftByUpload = await leftByInterruptedUploads(nifi, inventory, flows, options);
  const { claimed, blocked, unmanagedNamed } = claimedGroups(inventory, flows, { ...options, leftByUpload });
  for (const entry of blocked) {
    if (entry.code !== 'FLOWS_AMBIGUOUS_GROUP') continue;
    // Only when duplicates exist: read what each holds, so people can tell which one to keep.
    entry.groups = await summarizeGroups(nifi, inventory.groups.filter((group) => entry.groupIds.includes(group.groupId)));
    Object.assign(entry, ambiguity(entry.flow, inventory, entry.groups));
  }
  // One read of the parameter contexts serves every flow whose values are diffed (none when all are new).
  let contexts: Promise<ParameterContextEntity[]> | undefined;
  const parameterContexts = () => (contexts ??= nifi.parameterContexts.list());

  const assetIds = await resolveAssetIds(flows, options.airflow);
  const key = secretsKey(options);
  const secretsNotCompared: string[] = [];
  const fingerprintParts: string[] = [];
  const plans: FlowPlan[] = [];
  const propertyNames: PropertyNameNote[] = [];
  const planned = new Map<string, PlannedFlow>();
  for (const flow of flows) {
    if (blocked.some((entry) => entry.flow === flow.name)) continue;
    const compiled = compileFlow(flow, catalog, { environment: options.environment, env: options.env, assetIds, sharedServices: options.parent?.services.map((service) => service.name) });
    const definitionHash = sha256(JSON.stringify(compiled.definition));
    const existing = claimed.get(flow.name);
    // What the marker may record about the secrets, and whether they are pushed (nothing a reader of NiFi can test guesses against).
    const secrets = compareSecrets(flow.name, compiled.sensitiveParameters, existing?.marker?.sensitiveHash, { key, push: options.pushSecrets });
    if (secrets.verdict === 'not-compared') secretsNotCompared.push(flow.name);
    // The context the group is bound to now; for a new group apply records it after the upload.
    const marker = newMarker(flow.name, definitionHash, secrets.record, existing ? boundContext(existing.group) : undefined, options.project, {
      funnels: compiled.funnelNames,
      secretEnvironment: compiled.secretEnvironment,
    });
    markDefinition(compiled.definition, flow.description, marker);
    const overlay = options.environment ? ownEntry(flow.environments, options.environment) : undefined;
    const assets = await resolveParameterAssets(
      Object.fromEntries(Object.entries(flow.parameters).map(([name, parameter]) => [name, overrideParameter(parameter, overlay ? ownEntry(overlay.parameters, name) : undefined)])),
      { env: options.env },
    );
    planned.set(flow.name, { flow, definition: compiled.definition, sensitiveParameters: compiled.sensitiveParameters, marker, assets });
    fingerprintParts.push(JSON.stringify([...assets].map(([name, asset]) => [name, asset.name, asset.sha256])));
    // Whether secrets are pushed is part of what is applied (a plan made with pushSecrets pushes them).
    fingerprintParts.push(definitionHash, marker.sensitiveHash, secrets.push ? 'push secrets' : 'keep secrets');

    if (!existing && unmanagedNamed.has(flow.name)) {
      throw new DataplatError({
        code: 'FLOWS_UNMANAGED_GROUP',
        message: `A process group named "${flow.name}" exists under ${parentGroupId} but is not managed by flows.`,
        hint: 'Rename one of them, or take the group over with --adopt (its contents will be replaced by the code).',
      });
    }
    if (!existing) {
      plans.push({ flow: flow.name, action: 'create', components: [], parameters: [], runState: [], markerChanged: true });
      continue;
    }
    if (!existing.marker && !options.adopt && !leftByUpload.has(existing.groupId)) {
      throw new DataplatError({
        code: 'FLOWS_UNMANAGED_GROUP',
        message: `A process group named "${flow.name}" exists under ${parentGroupId} but is not managed by flows.`,
        hint: 'Rename one of them, or take the group over with --adopt (its contents will be replaced by the code).',
      });
    }
    const live = await nifi.processGroups.download(existing.groupId);
    fingerprintParts.push(sha256(JSON.stringify(live.flowContents)));
    const diff = diffDefinitions(withExternalServicesByName(compiled.definition), withExternalServicesByName(live), { appliedAsIs: existing.marker?.definitionHash === definitionHash });
    const components = diff.components;
    propertyNames.push(...diff.propertyNames);
    // The flow's values live in the context its group is bound to (NiFi keeps that binding on replace).
    const binding = boundContext(existing.group);
    const context = (await parameterContexts()).find((candidate) => (binding ? candidate.id === binding.id : candidate.component.name === parameterContextName(flow)));
    // What the last apply read from the environment (its marker says; a marker from before says nothing of it).
    const appliedFromEnvironment = new Set(Object.keys(existing.marker?.names?.secretEnvironment ?? {}));
    const parameters = parameterChanges(flow, compiled.definition, { masked: compiled.maskedParameters, appliedFromEnvironment }, Object.keys(compiled.sensitiveParameters), secrets, context, assets);
    if (assets.size > 0 && context) {
      // Asset parameters: compared by digest with what NiFi holds in the flow's context.
      const liveAssets = await nifi.parameterContexts.assets.list(context.id);
      fingerprintParts.push(JSON.stringify(liveAssets));
      for (const [name, asset] of assets) {
        const change = assetChange(name, asset, context.component.parameters?.find((entry) => entry.parameter?.name === name)?.parameter, liveAssets, { masked: [], appliedFromEnvironment });
        if (change) parameters.push(change);
      }
    }
    // The shared contexts the flow's context inherits (set after an upload, and when someone changed them in NiFi).
    if (context && JSON.stringify(inheritedNames(context)) !== JSON.stringify(flow.inherits)) parameters.push({ field: 'inherits', before: inheritedNames(context), after: flow.inherits });
    const runState = await runStateChanges(nifi, flow, existing.groupId);
    fingerprintParts.push(JSON.stringify(runState));
    const markerChanged = !existing.marker || existing.marker.definitionHash !== definitionHash || (existing.group.component?.comments ?? '') !== compiled.definition.flowContents!.comments;
    const changed = components.length > 0 || parameters.length > 0 || runState.length > 0 || markerChanged;
    plans.push({ flow: flow.name, action: changed ? 'update' : 'no-op', groupId: existing.groupId, components, parameters, runState, markerChanged });
  }

  const orphans: string[] = [];
  for (const managed of inventory.managed) {
    if (flows.some((flow) => flow.name === managed.flow) || blocked.some((entry) => entry.flow === managed.flow) || orphans.includes(managed.flow)) continue;
    if (options.prune) plans.push({ flow: managed.flow, action: 'delete', groupId: managed.groupId, components: [], parameters: [], runState: [], markerChanged: false });
    else orphans.push(managed.flow);
  }
  // Shared contexts: what a pruned flow's group and context held doesn't keep a context in use.
  const deletedFirst = new Set<string>();
  for (const flowPlan of plans.filter((candidate) => candidate.action === 'delete')) {
    deletedFirst.add(`group:${flowPlan.groupId}`);
    const ownContext = inventory.managed.find((managed) => managed.groupId === flowPlan.groupId)?.parameterContext;
    if (ownContext) deletedFirst.add(ownContext.id);
  }
  const shared = await planShared(nifi, flows, options, key, deletedFirst, parameterContexts);
  fingerprintParts.push(...shared.fingerprintParts);
  const deletedGroups = new Set(plans.filter((flowPlan) => flowPlan.action === 'delete').map((flowPlan) => flowPlan.groupId!));
  const services = await planSharedServices(nifi, parentGroupId, options.parent, { ...options, deletedGroups, controllerServiceTypes: catalog.controllerServiceTypes, secretsKey: key });
  fingerprintParts.push(...services.fingerprintParts);
  secretsNotCompared.push(...services.secretsNotCompared);
  // A saved plan is bound to where it applies and to what it deletes, not only to what it creates and changes.
  // What is blocked, by flow and group ids (not the groups' changing contents: queued counts move all the time).
  fingerprintParts.push(JSON.stringify(blocked.map(({ flow, code, groupIds }) => ({ flow, code, groupIds }))), JSON.stringify({ nifi: nifi.baseUrl, parentGroupId, project: options.project, environment: options.environment }));
  fingerprintParts.push(JSON.stringify(plans.filter((flowPlan) => flowPlan.action === 'delete').map((flowPlan) => flowPlan.groupId)));
  const plan: Plan = {
    formatVersion: '1',
    target: { nifi: nifi.baseUrl, parentGroupId, environment: options.environment, ...(options.project ? { project: options.project } : {}) },
    fingerprint: sha256(fingerprintParts.join('\n')),
    ...(shared.plans.length > 0 ? { parameterContexts: shared.plans } : {}),
    ...(services.plans.length > 0 ? { sharedServices: services.plans } : {}),
    ...(services.parentBinding ? { parentBinding: services.parentBinding } : {}),
    flows: plans,
    orphans: options.partial ? [] : orphans,
    ...(options.partial ? { notInPaths: orphans } : {}),
    ...(blocked.length > 0 ? { blocked } : {}),
    ...(propertyNames.length > 0 ? { propertyNames } : {}),
    ...(secretsNotCompared.length > 0 ? { secretsNotCompared } : {}),
  };
  return { plan, planned, plannedContexts: shared.planned, plannedServices: services, inventory };
}

/** The shared contexts' plan; with none declared, only the project's contexts left in NiFi (to keep or prune). */
async function planShared(nifi: NifiClient, flows: readonly Flow[], options: PlanOptions, key: string | undefined, deletedFirst: ReadonlySet<string>, parameterContexts: () => Promise<ParameterContextEntity[]>) {
  const declarations = options.parameterContexts ?? [];
  const live = await parameterContexts();
  for (const flow of flows) {
    const unknown = flow.inherits.filter((name) => !declarations.some((declaration) => declaration.name === name));
    if (unknown.length > 0) {
      throw new DataplatError({
        code: 'FLOWS_UNKNOWN_CONTEXT',
        message: `Flow "${flow.name}" inherits ${unknown.map((name) => `"${name}"`).join(', ')}, which the code does not declare.`,
        hint: 'Declare it under parameterContexts: in a flow file given to this command (flows validate shows where).',
      });
    }
  }
  // Asset parameters: their bytes (local files, Maven jars from the cache or downloaded, checksums verified) and
  // what NiFi holds in the contexts that have them.
  const resolved = new Map<string, Map<string, ResolvedAsset>>();
  const liveAssets = new Map<string, ParameterContextAsset[]>();
  for (const declaration of declarations) {
    const overlay = options.environment ? ownEntry(declaration.environments, options.environment) : undefined;
    // A context with environments of its own but not this one: a typo (prd for prod) must not deploy the base values.
    if (options.environment && !overlay && Object.keys(declaration.environments).length > 0) {
      throw new DataplatError({
        code: 'FLOWS_UNKNOWN_ENVIRONMENT',
        message: `Shared parameter context "${declaration.name}" has no environment "${options.environment}".`,
        hint: `Known: ${Object.keys(declaration.environments).join(', ')}. A context without environments takes its base values in every one.`,
      });
    }
    const parameters = Object.fromEntries(Object.entries(declaration.parameters).map(([name, parameter]) => [name, overrideParameter(parameter, overlay ? ownEntry(overlay.parameters, name) : undefined)]));
    const assets = await resolveParameterAssets(parameters, { env: options.env });
    if (assets.size === 0) continue;
    resolved.set(declaration.name, assets);
    const existing = live.find((context) => context.component.name === declaration.name);
    if (existing) liveAssets.set(existing.id, await nifi.parameterContexts.assets.list(existing.id));
  }
  return planSharedContexts(declarations, live, {
    assets: { resolved, live: liveAssets },
    project: options.project,
    environment: options.environment,
    env: options.env,
    prune: options.prune,
    partial: options.partial,
    adopt: options.adopt,
    secretsKey: key,
    pushSecrets: options.pushSecrets,
    deletedFirst,
  });
}

/** Airflow's id of every asset that an asset-event trigger names (they are compiled into the flow). */
async function resolveAssetIds(flows: readonly Flow[], airflow: AirflowClient | undefined): Promise<Record<string, number>> {
  const uris = [...new Set(flows.flatMap((flow) => flow.triggers.flatMap((trigger) => (trigger.assetEvent ? [trigger.assetEvent.uri] : []))))];
  if (uris.length === 0) return {};
  if (!airflow) {
    throw new DataplatError({
      code: 'FLOWS_AIRFLOW_REQUIRED',
      message: `Asset-event triggers name ${uris.join(', ')}: planning them needs Airflow to look up the assets' ids.`,
      hint: 'Pass --airflow-url (or set AIRFLOW_URL, AIRFLOW_USERNAME and AIRFLOW_PASSWORD).',
    });
  }
  const ids: Record<string, number> = {};
  for (const uri of uris) ids[uri] = (await airflow.resolveAsset({ uri })).id;
  return ids;
}

export function hasChanges(plan: Plan): boolean {
  const contextChanges = (plan.parameterContexts ?? []).some((contextPlan) => contextPlan.action !== 'no-op' && contextPlan.action !== 'keep');
  return contextChanges || sharedServicesChanged(plan) || plan.flows.some((flowPlan) => flowPlan.action !== 'no-op');
}

/**
 * The group each flow of the code maps to: its managed group (this project's), or, with --adopt, an
 * unmanaged group of that name or a group applied without a project (taken into this one). A flow of
 * the code or a flow to prune that several groups claim, or whose name another project's group carries,
 * is blocked — named with the group ids — while every other flow is planned as usual.
 */
function claimedGroups(inventory: Inventory, flows: readonly Flow[], options: { adopt?: boolean | undefined; prune?: boolean | undefined; leftByUpload: ReadonlySet<string> }) {
  const inCode = new Set(flows.map((flow) => flow.name));
  const claims = new Map<string, InventoryGroup[]>();
  const unmanagedNamed = new Map<string, InventoryGroup>();
  for (const group of inventory.groups) {
    const marker = group.marker;
    const ours = marker !== undefined && marker.project === inventory.project;
    const projectless = marker !== undefined && marker.project === undefined && inventory.project !== undefined && inCode.has(marker.flow);
    if (!marker && inCode.has(group.name)) unmanagedNamed.set(group.name, group);
    const adoptable = (options.adopt && ((!marker && inCode.has(group.name)) || projectless)) || options.leftByUpload.has(group.groupId);
    const name = marker ? marker.flow : group.name;
    if (ours || adoptable) claims.set(name, [...(claims.get(name) ?? []), group]);
  }
  const blocked: BlockedFlow[] = [];
  for (const [flow, groups] of claims) {
    if (groups.length < 2 || !(inCode.has(flow) || options.prune)) continue;
    blocked.push({ flow, code: 'FLOWS_AMBIGUOUS_GROUP', ...ambiguity(flow, inventory, groups.map((group) => summarizeGroup(group))), groupIds: groups.map((group) => group.groupId) });
  }
  for (const flow of flows) {
    const foreign = inventory.foreign.filter((entry) => entry.flow === flow.name && !(claims.get(flow.name) ?? []).some((group) => group.groupId === entry.groupId));
    if (foreign.length === 0 || blocked.some((entry) => entry.flow === flow.name)) continue;
    const owner = foreign[0]!.marker.project;
    blocked.push({
      flow: flow.name,
      code: 'FLOWS_OTHER_PROJECT',
      message: `Flow "${flow.name}" is managed under ${inventory.parentGroupId} by ${projectLabel(owner)} (group ${foreign.map((entry) => entry.groupId).join(', ')}), not by ${projectLabel(inventory.project)}.`,
      hint:
        owner === undefined
          ? 'It was applied without a project: take it into this one with --adopt (plan shows the marker change), or apply it without a project.'
          : "Two projects can't manage flows of one name under one parent: rename the flow, use another --parent, or apply it from its own project.",
      groupIds: foreign.map((entry) => entry.groupId),
    });
  }
  const claimed = new Map([...claims].filter(([, groups]) => groups.length === 1).map(([name, [group]]) => [name, group!]));
  return { claimed, blocked, unmanagedNamed };
}

/**
 * Unmarked groups named like a flow of the code that hold nothing at all: no comments, no parameter context, no
 * component. NiFi makes an uploaded group in two steps — the empty group, then its contents and comments (where the
 * ownership marker is) — and saves its flow between them; killed in between, it comes back with just the empty group.
 * Such a group is what an apply cut short left behind: the next apply takes it over (nothing in it can be lost)
 * instead of refusing it as someone else's. A group with anything in it is still refused without --adopt.
 */
async function leftByInterruptedUploads(nifi: NifiClient, inventory: Inventory, flows: readonly Flow[], options: { adopt?: boolean | undefined }): Promise<Set<string>> {
  const inCode = new Set(flows.map((flow) => flow.name));
  // Never beside a group that already carries the flow's marker (ours, another project's, or projectless): that one is the flow.
  const marked = new Set(inventory.groups.flatMap(({ marker }) => (marker ? [marker.flow] : [])));
  const candidates = options.adopt
    ? []
    : inventory.groups.filter(({ marker, group, name }) => !marker && inCode.has(name) && !marked.has(name) && !group.component?.comments && !group.component?.parameterContext);
  const empty = new Set<string>();
  for (const candidate of candidates) {
    const { flowContents } = await nifi.processGroups.download(candidate.groupId);
    const holdings = [
      flowContents?.processors,
      flowContents?.connections,
      flowContents?.processGroups,
      flowContents?.inputPorts,
      flowContents?.outputPorts,
      flowContents?.funnels,
      flowContents?.labels,
      flowContents?.controllerServices,
      flowContents?.remoteProcessGroups,
    ];
    if (holdings.every((components) => (components ?? []).length === 0)) empty.add(candidate.groupId);
  }
  return empty;
}

async function runStateChanges(nifi: NifiClient, flow: Flow, groupId: string): Promise<FieldChange[]> {
  const changes: FieldChange[] = [];
  const live = liveRunStates(await nifi.processGroups.tree(groupId));
  for (const [path, wanted] of wantedRunStates(flow)) {
    const current = live.get(path);
    if (current && current.state !== wanted) changes.push({ field: `processors.${path}.state`, before: current.state, after: wanted });
  }
  const services = await nifi.processGroups.controllerServices(groupId);
  for (const service of services) {
    if (service.component.state !== 'ENABLED') changes.push({ field: `services.${service.component.name}.state`, before: service.component.state, after: 'ENABLED' });
  }
  return changes;
}
