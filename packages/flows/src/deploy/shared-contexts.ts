// Shared parameter contexts (`parameterContexts:` of the flow files) in plan and apply: declared once,
// inherited by flows, owned through a marker in the context's description (like flows' groups), changed
// through NiFi's update requests (NiFi stops and restarts the components that use a changed value),
// deleted only with --prune and only when no process group is bound to them and no context inherits them.
import { DataplatError } from '@dataplat/core/errors';
import type { NifiClient, ParameterContextAsset, ParameterContextEntity, ParameterValue } from '@dataplat/nifi';
import type { ResolvedAsset } from './assets.ts';
import type { SharedContextDeclaration } from '../model/flow-schema.ts';
import { ownEntry } from '../model/own-keys.ts';
import { overrideParameter } from '../model/parameter-override.ts';
import { inheritanceOrder } from '../validate/check-contexts.ts';
import type { FieldChange } from './diff.ts';
import { managedContextDescription, markerJson, projectLabel, sha256, withMarker } from './inventory.ts';
import { compareSecrets, type SecretsComparison } from './secrets-record.ts';
import { maskedValue, shownCurrentValue, type EnvironmentValues } from './plan-parameters.ts';

/** What a shared context's marker (the JSON line after `managed-by: dataplat-flows` in its description) records. */
export interface SharedContextMarker {
  formatVersion: 1;
  /** The shared context's name: says this context is a shared one (a flow's own context has no JSON line). */
  sharedContext: string;
  project?: string | undefined;
  /** What NiFi holds of the sensitive values, as for flows (secrets-record.ts). */
  sensitiveHash: string;
  /**
   * The environment variable each parameter read at the last apply whose value plans never print (sensitive, or
   * `fromEnv` without `sensitive: false`) — names, not values, as a flow's marker keeps them. Absent when none did, and in
   * markers written before it was recorded (their plans show NiFi's value of a parameter no longer read from the environment).
   */
  secretEnvironment?: Record<string, string> | undefined;
}

export type ContextAction = 'create' | 'update' | 'delete' | 'no-op' | 'keep';

export interface ContextPlan {
  context: string;
  /** `keep`: no longer in the code but left in NiFi (without --prune, or still used: see `reason`). */
  action: ContextAction;
  contextId?: string | undefined;
  /** Parameter changes (sensitive ones "(sensitive)"), `inherits` and `description`. */
  changes: FieldChange[];
  /** Why a context the code no longer declares is kept. */
  reason?: string | undefined;
  /** Who uses a kept context: bound process groups and contexts that inherit it. */
  usedBy?: string[] | undefined;
}

/** What apply needs besides the plan (kept out of the plan file: it holds secret values). */
export interface PlannedContext {
  declaration: SharedContextDeclaration;
  description: string;
  parameters: ParameterValue[];
  /** Parameter names to set (all of them for a new context) and to remove. */
  set: string[];
  remove: string[];
  /** Whether the inherited contexts are sent (on create, and when they changed). */
  inheritanceChanged: boolean;
  /** The asset parameters' bytes, by parameter name (uploaded when NiFi's digest differs). */
  assets: Map<string, ResolvedAsset>;
}

export interface SharedContextsPlan {
  plans: ContextPlan[];
  planned: Map<string, PlannedContext>;
  fingerprintParts: string[];
}

const sensitiveValue = '(sensitive)';
const markerLine = managedContextDescription;

export function renderContextDescription(description: string | undefined, marker: SharedContextMarker): string {
  const { formatVersion, sharedContext, project, sensitiveHash, secretEnvironment } = marker;
  const environment = secretEnvironment && Object.keys(secretEnvironment).length > 0 ? { secretEnvironment } : {};
  return withMarker(description, { formatVersion, sharedContext, ...(project ? { project } : {}), sensitiveHash, ...environment });
}

/** The shared-context marker of a description, or undefined (unmanaged, or a flow's own context). */
export function readSharedContextMarker(description: string | undefined): SharedContextMarker | undefined {
  const marker = markerJson(description) as SharedContextMarker | undefined;
  if (!marker || marker.formatVersion !== 1 || typeof marker.sharedContext !== 'string' || typeof marker.sensitiveHash !== 'string') return undefined;
  if (marker.project !== undefined && typeof marker.project !== 'string') return undefined;
  const environment = marker.secretEnvironment as unknown;
  if (environment !== undefined && (typeof environment !== 'object' || environment === null || !Object.values(environment).every((variable) => typeof variable === 'string'))) return undefined;
  return marker;
}

/** A context with no description, parameter or inherited context: nothing in it can be lost by taking it over. */
function isBlank(context: ParameterContextEntity): boolean {
  return !context.component.description && (context.component.parameters ?? []).length === 0 && (context.component.inheritedParameterContexts ?? []).length === 0;
}

/** The user's description, without the marker. */
function userDescription(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const at = description.lastIndexOf(markerLine);
  return at < 0 ? description : description.slice(0, at).trim() || undefined;
}

/** The names of the contexts a context inherits, in NiFi's order. */
export function inheritedNames(context: ParameterContextEntity | undefined): string[] {
  return (context?.component.inheritedParameterContexts ?? []).map((reference) => reference.component?.name ?? reference.id ?? '');
}

/**
 * Who uses a context: process groups bound to it, and contexts that inherit it, except `ignoring`
 * (what the same apply deletes first). NiFi lists as bound the groups of inheriting contexts too: only
 * groups bound to this very context count here (the inheriting contexts are named instead). A shared
 * context the same apply updates counts with the inheritance the code gives it (`inheritsAfter`).
 */
export function contextUsers(
  context: ParameterContextEntity,
  all: readonly ParameterContextEntity[],
  ignoring: ReadonlySet<string> = new Set(),
  inheritsAfter: ReadonlyMap<string, readonly string[]> = new Map(),
): string[] {
  const groups = (context.component.boundProcessGroups ?? [])
    // A group NiFi doesn't let us read counts as bound (never delete on a guess).
    .filter((group) => !ignoring.has(`group:${group.id}`) && (group.component?.parameterContext?.id ?? context.id) === context.id)
    .map((group) => `process group "${group.component?.name ?? group.id}" (${group.id})`);
  const inherits = (other: ParameterContextEntity) => {
    const planned = inheritsAfter.get(other.component.name ?? '');
    return planned ? planned.includes(context.component.name ?? '') : (other.component.inheritedParameterContexts ?? []).some((reference) => reference.id === context.id);
  };
  const inheritors = all.filter((other) => other.id !== context.id && !ignoring.has(other.id) && inherits(other)).map((other) => `parameter context "${other.component.name}"`);
  return [...groups, ...inheritors];
}

export interface SharedContextsOptions {
  project?: string | undefined;
  environment?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  prune?: boolean | undefined;
  /** Only some of the project's files were given: contexts of the project missing from them are not orphans. */
  partial?: boolean | undefined;
  /** `--adopt`: a same-named context flows did not create (not a flow's own) is taken over, its values becoming the code's. */
  adopt?: boolean | undefined;
  secretsKey: string | undefined;
  pushSecrets?: boolean | undefined;
  /** Context ids and `group:<id>` of what the same apply deletes first (pruned flows): they don't keep a context in use. */
  deletedFirst?: ReadonlySet<string> | undefined;
  /** The asset parameters' bytes by context and parameter name, and NiFi's assets of the existing contexts by context id. */
  assets?: { resolved: ReadonlyMap<string, Map<string, ResolvedAsset>>; live: ReadonlyMap<string, ParameterContextAsset[]> } | undefined;
}

/** Compares the declared shared contexts with NiFi's (read-only). */
export function planSharedContexts(declarations: readonly SharedContextDeclaration[], live: readonly ParameterContextEntity[], options: SharedContextsOptions): SharedContextsPlan {
  const plans: ContextPlan[] = [];
  const planned = new Map<string, PlannedContext>();
  const fingerprintParts: string[] = [];
  for (const declaration of inheritanceOrder(declarations)) {
    const existing = live.find((context) => context.component.name === declaration.name);
    const marker = existing ? readSharedContextMarker(existing.component.description) : undefined;
    // NiFi creates an empty context for an inherited name that a flow definition lists when none exists yet
    // (an upload outside apply, which creates shared contexts first): holding nothing, it is taken over.
    const blank = existing !== undefined && !marker && isBlank(existing);
    const ownContext = existing !== undefined && (existing.component.description ?? '').split('\n').includes(markerLine);
    // With --adopt, a hand-made context (a canvas exported by flows export, say) is taken over; never a flow's own.
    if (existing && !marker && !blank && !(options.adopt && !ownContext)) {
      throw new DataplatError({
        code: 'FLOWS_UNMANAGED_CONTEXT',
        message: `A parameter context named "${declaration.name}" exists in NiFi (${existing.id}) but is not a shared context managed by flows${ownContext ? ' (it is the context of a managed flow)' : ''}.`,
        hint: ownContext
          ? 'Rename the shared context in the code: a flow\'s own context is never taken over as a shared one.'
          : 'Take it over with --adopt (plan shows how its values change to the code\'s), rename the shared context in the code, or rename or delete that context in NiFi.',
      });
    }
    if (existing && marker && marker.project !== options.project) {
      throw new DataplatError({
        code: 'FLOWS_OTHER_PROJECT',
        message: `Shared parameter context "${declaration.name}" is managed by ${projectLabel(marker.project)}, not by ${projectLabel(options.project)}.`,
        hint: 'Two projects can\'t manage one shared context: rename it in the code, or manage it from its own project.',
      });
    }
    const assets = options.assets?.resolved.get(declaration.name) ?? new Map<string, ResolvedAsset>();
    const desired = desiredParameters(declaration, options, assets);
    const secrets = compareSecrets(`parameter-context:${declaration.name}`, desired.sensitiveValues, marker?.sensitiveHash, { key: options.secretsKey, push: options.pushSecrets });
    const description = renderContextDescription(declaration.description, { formatVersion: 1, sharedContext: declaration.name, project: options.project, sensitiveHash: secrets.record, secretEnvironment: desired.secretEnvironment });
    fingerprintParts.push(
      sha256(JSON.stringify({ declaration: declaration.name, parameters: desired.parameters.map((parameter) => (parameter.sensitive ? { ...parameter, value: null } : parameter)), description, inherits: declaration.inherits, assets: [...assets].map(([name, asset]) => [name, asset.name, asset.sha256]) })),
    );
    if (!existing) {
      const changes: FieldChange[] = declaration.inherits.length > 0 ? [{ field: 'inherits', before: [], after: declaration.inherits }] : [];
      plans.push({ context: declaration.name, action: 'create', changes });
      for (const [name, asset] of assets) changes.push({ field: `parameters.${name}`, before: null, after: assetLabel(asset) });
      planned.set(declaration.name, { declaration, description, parameters: desired.parameters, set: desired.parameters.map((parameter) => parameter.name), remove: [], inheritanceChanged: true, assets });
      continue;
    }
    const liveAssets = options.assets?.live.get(existing.id) ?? [];
    fingerprintParts.push(sha256(JSON.stringify([existing.component.parameters, existing.component.inheritedParameterContexts, existing.component.description, liveAssets])));
    // What the last apply read from the environment (unknown for a marker from before it was recorded: NiFi's values shown).
    const appliedFromEnvironment = new Set(Object.keys(marker?.secretEnvironment ?? {}));
    const diff = parameterDiff(desired, existing, secrets, assets, liveAssets, appliedFromEnvironment);
    const changes = [...diff.changes];
    const liveInherits = inheritedNames(existing);
    const inheritanceChanged = JSON.stringify(liveInherits) !== JSON.stringify(declaration.inherits);
    if (inheritanceChanged) changes.push({ field: 'inherits', before: liveInherits, after: declaration.inherits });
    const descriptionChanged = existing.component.description !== description;
    if (descriptionChanged && userDescription(existing.component.description) !== declaration.description) {
      changes.push({ field: 'description', before: userDescription(existing.component.description) ?? null, after: declaration.description ?? null });
    }
    const action = changes.length > 0 || descriptionChanged ? 'update' : 'no-op';
    plans.push({ context: declaration.name, action, contextId: existing.id, changes });
    planned.set(declaration.name, { declaration, description, parameters: desired.parameters, set: diff.set, remove: diff.remove, inheritanceChanged, assets });
  }

  // Shared contexts of this project that the code no longer declares.
  const declaredNames = new Set(declarations.map((declaration) => declaration.name));
  for (const context of live) {
    const marker = readSharedContextMarker(context.component.description);
    if (!marker || marker.project !== options.project || declaredNames.has(context.component.name ?? '')) continue;
    if (options.partial) continue;
    const users = contextUsers(context, live, options.deletedFirst, new Map(declarations.map((declaration) => [declaration.name, declaration.inherits])));
    const name = context.component.name ?? context.id;
    if (options.prune && users.length === 0) plans.push({ context: name, action: 'delete', contextId: context.id, changes: [] });
    else {
      plans.push({
        context: name,
        action: 'keep',
        contextId: context.id,
        changes: [],
        reason: options.prune ? 'still used' : 'no longer in the code (use --prune to delete it when nothing uses it)',
        ...(users.length > 0 ? { usedBy: users } : {}),
      });
    }
    fingerprintParts.push(`${context.id}:${plans.at(-1)!.action}`);
  }
  return { plans, planned, fingerprintParts };
}

interface DesiredParameters {
  parameters: ParameterValue[];
  sensitiveValues: Record<string, string>;
  /** Values from the environment that plans don't print. */
  masked: Set<string>;
  /** The variable each sensitive or masked parameter reads (for the marker). */
  secretEnvironment: Record<string, string>;
}

/** How a plan shows an asset: its name and the start of its digest. */
function assetLabel(asset: { name?: string | undefined; sha256?: string | undefined }): string {
  return `asset ${asset.name}${asset.sha256 ? ` (sha256 ${asset.sha256.slice(0, 12)}…)` : ''}`;
}

/**
 * The change of an asset parameter, if any. Compared by digest: up to date when the parameter references
 * exactly the asset of that name and NiFi holds these bytes under it.
 */
export function assetChange(
  name: string,
  asset: ResolvedAsset,
  current: { referencedAssets?: Array<{ id?: string | undefined; name?: string | undefined }> | undefined; value?: string | undefined; sensitive?: boolean | undefined } | undefined,
  liveAssets: readonly ParameterContextAsset[],
  hidden: EnvironmentValues = { masked: [], appliedFromEnvironment: new Set() },
): FieldChange | undefined {
  const referenced = current?.referencedAssets ?? [];
  const held = liveAssets.find((candidate) => candidate.name === asset.name);
  if (referenced.length === 1 && referenced[0]!.name === asset.name && held !== undefined && !held.missingContent && held.digest === asset.sha256) return undefined;
  const before = referenced.map((reference) => assetLabel({ name: reference.name, sha256: liveAssets.find((candidate) => candidate.id === reference.id)?.digest }));
  return { field: `parameters.${name}`, before: before.length > 0 ? before.join(', ') : shownCurrentValue(name, current, hidden), after: assetLabel(asset) };
}

function desiredParameters(declaration: SharedContextDeclaration, options: SharedContextsOptions, assets: ReadonlyMap<string, ResolvedAsset>): DesiredParameters {
  const env = options.env ?? process.env;
  const overlay = options.environment ? ownEntry(declaration.environments, options.environment) : undefined;
  const parameters: ParameterValue[] = [];
  const sensitiveValues: Record<string, string> = {};
  const masked = new Set<string>();
  const secretEnvironment: Record<string, string> = {};
  for (const [name, declared] of Object.entries(declaration.parameters)) {
    const parameter = overrideParameter(declared, overlay ? ownEntry(overlay.parameters, name) : undefined);
    if (assets.has(name)) {
      // Its value is the asset's path on the nodes, which NiFi sets once the parameter references the asset.
      parameters.push({ name, value: null, sensitive: false, ...(parameter.description !== undefined ? { description: parameter.description } : {}) });
      continue;
    }
    const value = parameter.fromEnv !== undefined ? env[parameter.fromEnv] : parameter.value;
    if (parameter.fromEnv !== undefined && value === undefined) {
      throw new DataplatError({
        code: 'FLOWS_MISSING_ENVIRONMENT_VARIABLE',
        message: `Parameter "${name}" of shared parameter context "${declaration.name}" reads ${parameter.fromEnv}, which is not set.`,
        hint: `Set ${parameter.fromEnv} in the environment of this command.`,
      });
    }
    if (parameter.sensitive && value !== undefined) sensitiveValues[name] = value;
    if (!parameter.sensitive && parameter.fromEnv !== undefined && parameter.sensitive !== false) masked.add(name);
    if (parameter.fromEnv !== undefined && parameter.sensitive !== false) secretEnvironment[name] = parameter.fromEnv;
    parameters.push({ name, value: value ?? null, sensitive: parameter.sensitive ?? false, ...(parameter.description !== undefined ? { description: parameter.description } : {}) });
  }
  return { parameters, sensitiveValues, masked, secretEnvironment };
}

function parameterDiff(
  desired: DesiredParameters,
  existing: ParameterContextEntity,
  secrets: SecretsComparison,
  assets: ReadonlyMap<string, ResolvedAsset>,
  liveAssets: readonly ParameterContextAsset[],
  appliedFromEnvironment: ReadonlySet<string>,
): { changes: FieldChange[]; set: string[]; remove: string[] } {
  const hiddenValues = { masked: [...desired.masked], appliedFromEnvironment };
  const changes: FieldChange[] = [];
  const set: string[] = [];
  const own = (existing.component.parameters ?? []).map((entry) => entry.parameter).filter((parameter) => parameter?.name !== undefined && !parameter.inherited);
  const live = new Map(own.map((parameter) => [parameter!.name!, parameter!]));
  for (const parameter of desired.parameters) {
    const current = live.get(parameter.name);
    const hidden = desired.masked.has(parameter.name);
    const asset = assets.get(parameter.name);
    if (asset) {
      const change = assetChange(parameter.name, asset, current, liveAssets, hiddenValues);
      if (change) {
        changes.push(change);
        set.push(parameter.name);
      }
      continue;
    }
    if (parameter.sensitive) {
      // Sensitive values can't be read back: the marker (an HMAC under FLOWS_SECRETS_KEY) says whether they changed.
      if (!current || !current.sensitive || secrets.push) {
        changes.push({ field: `parameters.${parameter.name}`, before: current ? sensitiveValue : null, after: sensitiveValue });
        set.push(parameter.name);
      }
      continue;
    }
    const descriptionDiffers = (current?.description ?? undefined) !== parameter.description && parameter.description !== undefined;
    if (!current || current.sensitive || (current.value ?? null) !== parameter.value) {
      changes.push({ field: `parameters.${parameter.name}`, before: shownCurrentValue(parameter.name, current, hiddenValues), after: hidden ? maskedValue : parameter.value });
      set.push(parameter.name);
    } else if (descriptionDiffers) {
      changes.push({ field: `parameters.${parameter.name}.description`, before: current.description ?? null, after: parameter.description ?? null });
      set.push(parameter.name);
    }
  }
  const remove = [...live.keys()].filter((name) => !desired.parameters.some((parameter) => parameter.name === name));
  for (const name of remove) {
    const current = live.get(name)!;
    changes.push({ field: `parameters.${name}`, before: current.sensitive ? sensitiveValue : shownCurrentValue(name, current, hiddenValues), after: '(removed)' });
  }
  return { changes, set, remove };
}

/** Creates and updates the shared contexts (a context before those that inherit it); the flows come after. */
export async function applySharedContexts(nifi: NifiClient, plan: readonly ContextPlan[], planned: ReadonlyMap<string, PlannedContext>, report: (context: string, step: string) => void): Promise<void> {
  const toApply = plan.filter((contextPlan) => contextPlan.action === 'create' || contextPlan.action === 'update');
  if (toApply.length === 0) return;
  const ids = new Map((await nifi.parameterContexts.list()).map((context) => [context.component.name ?? '', context.id]));
  const idsOf = (names: readonly string[]) =>
    names.map((name) => {
      const id = ids.get(name);
      if (!id) throw new DataplatError({ code: 'FLOWS_APPLY_FAILED', message: `Parameter context "${name}" is missing in NiFi.`, hint: 'Declare it under parameterContexts: and apply again.' });
      return id;
    });
  // The plan lists them in inheritance order already.
  for (const contextPlan of toApply) {
    const target = planned.get(contextPlan.context)!;
    let contextId = contextPlan.contextId;
    if (contextPlan.action === 'create') {
      report(contextPlan.context, 'create');
      // Asset parameters are set once their assets are uploaded into the new context (below).
      const created = await nifi.parameterContexts.create({
        name: contextPlan.context,
        description: target.description,
        parameters: target.parameters.filter((parameter) => !target.assets.has(parameter.name)),
        inheritedParameterContextIds: idsOf(target.declaration.inherits),
      });
      ids.set(contextPlan.context, created.id);
      contextId = created.id;
      if (target.assets.size === 0) continue;
    }
    const assetIds = await uploadAssets(nifi, contextId!, target, (step) => report(contextPlan.context, step));
    const set = target.parameters
      .filter((parameter) => target.set.includes(parameter.name) && (contextPlan.action === 'update' || target.assets.has(parameter.name)))
      .map((parameter) => (assetIds.has(parameter.name) ? { ...parameter, assets: [{ id: assetIds.get(parameter.name)! }] } : parameter));
    report(contextPlan.context, 'update');
    await nifi.parameterContexts.update(contextId!, {
      description: target.description,
      set,
      remove: contextPlan.action === 'update' ? target.remove : [],
      ...(contextPlan.action === 'update' && target.inheritanceChanged ? { inheritedParameterContextIds: idsOf(target.declaration.inherits) } : {}),
    });
  }
}

/**
 * NiFi's ids of the assets the parameters to set reference: an asset whose digest NiFi already has is not
 * sent again (re-applying uploads nothing); one missing or different is uploaded (same name, replaced).
 */
export async function uploadAssets(nifi: NifiClient, contextId: string, target: Pick<PlannedContext, 'assets' | 'set'>, report: (step: string) => void): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const wanted = [...target.assets].filter(([name]) => target.set.includes(name));
  if (wanted.length === 0) return ids;
  const held = await nifi.parameterContexts.assets.list(contextId);
  for (const [name, asset] of wanted) {
    const same = held.find((candidate) => candidate.name === asset.name && candidate.digest === asset.sha256 && !candidate.missingContent);
    if (same) {
      ids.set(name, same.id);
      continue;
    }
    report(`upload asset ${asset.name}`);
    ids.set(name, (await nifi.parameterContexts.assets.upload(contextId, { name: asset.name, content: asset.content }, { timeoutMs: 300_000 })).id);
  }
  return ids;
}

/** Deletes the contexts the plan prunes, each only if, read again now, nothing uses it (after the flows pruned with it). */
export async function pruneSharedContexts(nifi: NifiClient, plan: readonly ContextPlan[], report: (context: string, step: string) => void): Promise<void> {
  let toDelete = plan.filter((contextPlan) => contextPlan.action === 'delete');
  // A context that another pruned one inherits goes after it: repeat while something could be deleted.
  while (toDelete.length > 0) {
    const live = await nifi.parameterContexts.list();
    const free = toDelete.filter((contextPlan) => {
      const context = live.find((candidate) => candidate.id === contextPlan.contextId);
      return !context || contextUsers(context, live).length === 0;
    });
    if (free.length === 0) {
      const names = toDelete.map((contextPlan) => contextPlan.context);
      throw new DataplatError({
        code: 'FLOWS_CONTEXT_IN_USE',
        message: `Shared parameter context(s) ${names.join(', ')} came into use since the plan: not deleted.`,
        hint: 'Run flows plan --prune again to see who uses them.',
      });
    }
    for (const contextPlan of free) {
      if (!live.some((candidate) => candidate.id === contextPlan.contextId)) continue;
      report(contextPlan.context, 'delete');
      await nifi.parameterContexts.delete(contextPlan.contextId!);
    }
    toDelete = toDelete.filter((contextPlan) => !free.includes(contextPlan));
  }
}
