// `flows validate --live`: checks flows against what the target NiFi really has — types, property
// names, required properties (honouring property dependencies), allowed values, the kind of service a
// property takes, and relationships (unknown, or neither connected nor auto-terminated). NiFi publishes
// per-type descriptors only through instances, so one bare instance per type is created in a temporary
// process group (never started, services never enabled) and the group is deleted right after. Keys the
// type has no descriptor for are imported the way apply imports them (a flow upload, where NiFi renames
// older property names), to tell a renamed or dropped key from a dynamic property NiFi keeps or refuses.
import { DataplatError, pollUntil } from '@dataplat/core';
import { matchExtensionType, propertyKeyMeaning, type ExtensionType, type NifiClient, type NifiSchemas } from '@dataplat/nifi';
import { compileFlow } from '../compile/compile-flow.ts';
import { triggerSource } from '../compile/expand-triggers.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { isPrimaryNodeOnlyType } from '../model/cluster-sources.ts';
import { flowSchema, type Flow, type GroupModel } from '../model/flow-schema.ts';
import { normalizedPropertyName } from '../model/property-names.ts';
import type { Place } from './check-flow.ts';

type Descriptor = NifiSchemas['PropertyDescriptorDTO'];

interface TypeFacts {
  descriptors: Record<string, Descriptor>;
  /** Property names NiFi refuses for this type (it doesn't take dynamic properties). */
  unsupported: Set<string>;
  /** Older property names NiFi renames on import, to the name it keeps the value under. */
  renamed: Map<string, string>;
  /** Property names NiFi drops on import (it neither keeps nor renames them). */
  dropped: Set<string>;
  relationships: string[];
  /** For services: the APIs the type implements. */
  apis: string[];
  /** For processors: NiFi runs the type on the primary node only, whatever the flow says (@PrimaryNodeOnly). */
  executionNodeRestricted: boolean;
}

interface Usage {
  kind: 'processor' | 'controllerService';
  type: ExtensionType;
  /** Property names the code sets that the type has no descriptor for. */
  unknownNames: Set<string>;
}

export interface LiveCheckOptions {
  /** Where the temporary group is created. Default root. */
  parentGroupId?: string | undefined;
}

export async function checkFlowsLive(nifi: NifiClient, flows: readonly Flow[], places: readonly Place[], options: LiveCheckOptions = {}): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const [processorTypes, controllerServiceTypes] = await Promise.all([nifi.extensions.processorTypes(), nifi.extensions.controllerServiceTypes()]);
  const usages = new Map<string, Usage>();
  const resolved = new Map<string, ExtensionType>();
  // Pass 1: types, and which of them need an instance.
  flows.forEach((flow, index) => {
    const place = places[index]!;
    forEachComponent(flow, [], (kind, path, component) => {
      try {
        const type = matchExtensionType(kind === 'processor' ? processorTypes : controllerServiceTypes, kind, component.type);
        const key = `${kind}:${type.type}:${type.bundle.artifact}:${type.bundle.version}`;
        resolved.set(JSON.stringify(path), type);
        if (!usages.has(key)) usages.set(key, { kind, type, unknownNames: new Set() });
      } catch (error) {
        diagnostics.push({ severity: 'error', code: 'live/unknown-type', message: (error as Error).message.split('\n')[0]!, hint: `NiFi at ${nifi.baseUrl} has no such ${kind === 'processor' ? 'processor' : 'controller service'} type: check the name, or install its NAR.`, ...place([...path, 'type']) });
      }
    });
  });
  if (usages.size === 0) return diagnostics;

  const facts = await readTypeFacts(nifi, usages, flows, resolved, options.parentGroupId ?? 'root');

  // Pass 2: every component against its type's facts.
  flows.forEach((flow, index) => {
    const place = places[index]!;
    const report = (severity: Diagnostic['severity'], code: string, message: string, path: Array<string | number>, hint?: string, key = false) =>
      diagnostics.push({ severity, code, message, ...(hint ? { hint } : {}), ...place(path, key) });
    checkGroupLive(flow, flow, [], [], facts, resolved, report);
  });
  return diagnostics;
}

type Report = (severity: Diagnostic['severity'], code: string, message: string, path: Array<string | number>, hint?: string, key?: boolean) => void;

function checkGroupLive(flow: Flow, group: GroupModel, path: Array<string | number>, inheritedServices: Array<[string, ExtensionType]>, facts: Map<ExtensionType, TypeFacts>, resolved: Map<string, ExtensionType>, report: Report): void {
  const typeAt = (componentPath: Array<string | number>) => resolved.get(JSON.stringify(componentPath));
  const services = new Map<string, ExtensionType>(inheritedServices);
  for (const name of Object.keys(group.services)) {
    const type = typeAt([...path, 'services', name]);
    if (type) services.set(name, type);
  }
  const checkProperties = (componentPath: Array<string | number>, name: string, properties: Record<string, string | null>, type: ExtensionType) => {
    const typeFacts = facts.get(type)!;
    const value = (property: string) => (property in properties ? properties[property] : typeFacts.descriptors[property]?.defaultValue) ?? null;
    for (const [property, setTo] of Object.entries(properties)) {
      const where = [...componentPath, 'properties', property];
      const descriptor = typeFacts.descriptors[property];
      if (!descriptor) {
        const typeName = type.type.split('.').pop();
        const renamedTo = typeFacts.renamed.get(property);
        if (renamedTo) {
          report('error', 'live/renamed-property', `NiFi renames property "${property}" of ${typeName} "${name}" to "${renamedTo}" when it imports the flow (an older name of that property).`, where, `Write "${renamedTo}": NiFi shows the property, and plans compare it, by that name.`, true);
          continue;
        }
        const hint = namingHint(property, typeFacts.descriptors);
        if (typeFacts.dropped.has(property)) report('error', 'live/dropped-property', `NiFi drops property "${property}" of ${typeName} "${name}" when it imports the flow: this version has no such property.`, where, hint.text, true);
        else if (typeFacts.unsupported.has(property)) report('error', 'live/unknown-property', `${typeName} "${name}" has no property "${property}".`, where, hint.text, true);
        else if (hint.lookalike) report('warning', 'live/dynamic-property', `"${property}" becomes a dynamic property of "${name}", not the "${hint.lookalike.displayName ?? hint.lookalike.name}" setting.`, where, hint.text, true);
        continue;
      }
      if (setTo === null) continue;
      if (setTo.startsWith('service:')) {
        const api = descriptor.identifiesControllerService;
        const service = services.get(setTo.slice('service:'.length));
        if (!api) report('error', 'live/not-a-service-property', `Property "${property}" of "${name}" does not take a controller service.`, where);
        else if (service && !facts.get(service)?.apis.includes(api)) {
          report('error', 'live/wrong-service-kind', `Property "${property}" of "${name}" needs a ${api.split('.').pop()}; "${setTo.slice(8)}" is a ${service.type.split('.').pop()}.`, where, `Point it at a service implementing ${api}.`);
        }
        continue;
      }
      const allowed = (descriptor.allowableValues ?? []).map((entry) => entry.allowableValue?.value).filter((entry): entry is string => entry !== undefined);
      if (allowed.length > 0 && !descriptor.identifiesControllerService && !/[#$]\{/.test(setTo) && !allowed.includes(setTo)) {
        report('error', 'live/value-not-allowed', `"${setTo}" is not an allowed value of "${property}" (${name}).`, where, `Allowed: ${allowed.join(', ')}.`);
      }
    }
    for (const [property, descriptor] of Object.entries(typeFacts.descriptors)) {
      if (!descriptor.required || value(property) !== null || !isRelevant(descriptor, typeFacts.descriptors, value)) continue;
      // Set under a look-alike key (display name, other spelling): that diagnostic already says so.
      if (Object.keys(properties).some((key) => normalizedPropertyName(key) === normalizedPropertyName(descriptor.displayName) || normalizedPropertyName(key) === normalizedPropertyName(property) || typeFacts.renamed.get(key) === property)) continue;
      report('error', 'live/missing-required-property', `"${name}" needs property "${property}"${descriptor.displayName && descriptor.displayName !== property ? ` (${descriptor.displayName})` : ''}.`, [...componentPath, 'properties'], descriptor.description ? `${descriptor.description.split('\n')[0]}` : undefined);
    }
  };

  for (const [name, service] of Object.entries(group.services)) {
    const type = typeAt([...path, 'services', name]);
    if (type) checkProperties([...path, 'services', name], name, service.properties, type);
  }
  for (const [name, processor] of Object.entries(group.processors)) {
    const componentPath = [...path, 'processors', name];
    const type = typeAt(componentPath);
    if (!type) continue;
    checkProperties(componentPath, name, processor.properties, type);
    const typeFacts = facts.get(type)!;
    // A type this NiFi pins to the primary node that the offline table doesn't know (another NAR or NiFi version):
    // the compiler would send ALL, NiFi would keep PRIMARY, and every plan would show the difference.
    if (typeFacts.executionNodeRestricted && !isPrimaryNodeOnlyType(type.type) && processor.executionNode !== 'primary') {
      report(
        'warning',
        'live/primary-node-only-type',
        `NiFi runs ${processor.type} on the primary node only (executionNodeRestricted: the type is @PrimaryNodeOnly)${processor.executionNode === 'all' ? ', whatever executionNode: all says' : ''}.`,
        processor.executionNode === undefined ? [...componentPath, 'type'] : [...componentPath, 'executionNode'],
        'Write executionNode: primary, so the code says what NiFi does and plans converge.',
      );
    }
    // Processors with dynamic properties may have dynamic relationships (RouteOnAttribute): trust their names.
    const dynamic = Object.keys(processor.properties).some((property) => !typeFacts.descriptors[property]);
    const known = new Set(typeFacts.relationships);
    const used: Array<[string, Array<string | number>]> = [
      ...processor.autoTerminate.map((relationship, index): [string, Array<string | number>] => [relationship, [...componentPath, 'autoTerminate', index]]),
      ...(processor.retry?.relationships ?? []).map((relationship, index): [string, Array<string | number>] => [relationship, [...componentPath, 'retry', 'relationships', index]]),
      ...group.connections.flatMap((connection, index) =>
        connection.from === name ? connection.relationships.map((relationship, at): [string, Array<string | number>] => [relationship, [...path, 'connections', index, 'relationships', at]]) : [],
      ),
    ];
    if (path.length === 0) {
      flow.triggers.forEach((trigger, index) => {
        const source = triggerSource(flow, trigger.when);
        if (source && 'processor' in source && source.processor === name) used.push([source.relationship, ['triggers', index, 'when']]);
      });
    }
    if (!dynamic) {
      for (const [relationship, where] of used) {
        if (!known.has(relationship)) report('error', 'live/unknown-relationship', `"${name}" has no relationship "${relationship}".`, where, `Its relationships: ${[...known].join(', ') || 'none'}.`);
      }
    }
    const connected = group.connections.filter((connection) => connection.from === name).flatMap((connection) => connection.relationships);
    const triggered = path.length === 0 ? flow.triggers.flatMap((trigger) => {
      const source = triggerSource(flow, trigger.when);
      return source && 'processor' in source && source.processor === name ? [source.relationship] : [];
    }) : [];
    // Retrying a relationship isn't handling it: what is left after the retries still needs a way out.
    const handled = new Set([...processor.autoTerminate, ...connected, ...triggered]);
    const unhandled = [...known].filter((relationship) => !handled.has(relationship));
    if (unhandled.length > 0) {
      report('error', 'live/unhandled-relationship', `Relationship(s) ${unhandled.join(', ')} of "${name}" go nowhere: NiFi won't run it.`, componentPath, 'Connect them, or list them under autoTerminate to drop what they carry.', true);
    }
  }
  group.groups.forEach((child, index) => checkGroupLive(flow, child, [...path, 'groups', index], [...services], facts, resolved, report));
}

/**
 * What a key without a descriptor most likely meant: a name in another case (`directory` for
 * `Directory`), a display name (`Search Value` for `Regular Expression`), or a look-alike spelling.
 */
function namingHint(key: string, descriptors: Record<string, Descriptor>): { text: string; lookalike?: Descriptor } {
  const meaning = propertyKeyMeaning(key, descriptors);
  if (meaning?.kind === 'other-case') return { text: `Property names are case-sensitive: write "${meaning.name}".`, lookalike: descriptors[meaning.name]! };
  if (meaning?.kind === 'display-name') return { text: `"${key}" is the display name of property "${meaning.name}": flows uses property names.`, lookalike: descriptors[meaning.name]! };
  const lookalike = Object.values(descriptors).find((candidate) => normalizedPropertyName(candidate.name) === normalizedPropertyName(key) || normalizedPropertyName(candidate.displayName) === normalizedPropertyName(key));
  if (lookalike) return { text: `Did you mean "${lookalike.name}"?`, lookalike };
  return { text: `Known properties: ${Object.keys(descriptors).join(', ')}.` };
}

/** Whether a property applies, given the properties it depends on (unknown values count as applying). */
function isRelevant(descriptor: Descriptor, descriptors: Record<string, Descriptor>, value: (property: string) => string | null, seen = new Set<string>()): boolean {
  for (const dependency of descriptor.dependencies ?? []) {
    const name = dependency.propertyName ?? '';
    if (seen.has(name)) continue;
    const parent = descriptors[name];
    if (parent && !isRelevant(parent, descriptors, value, new Set([...seen, name]))) return false;
    const current = value(name);
    if (current === null) return false;
    if (/[#$]\{/.test(current)) continue;
    if ((dependency.dependentValues ?? []).length > 0 && !dependency.dependentValues!.includes(current)) return false;
  }
  return true;
}

function forEachComponent(group: GroupModel, path: Array<string | number>, visit: (kind: 'processor' | 'controllerService', path: Array<string | number>, component: { type: string; properties: Record<string, string | null> }) => void): void {
  for (const [name, service] of Object.entries(group.services)) visit('controllerService', [...path, 'services', name], service);
  for (const [name, processor] of Object.entries(group.processors)) visit('processor', [...path, 'processors', name], processor);
  group.groups.forEach((child, index) => forEachComponent(child, [...path, 'groups', index], visit));
}

/** One bare instance per type in a temporary group: descriptors, relationships, APIs, refused names. */
async function readTypeFacts(nifi: NifiClient, usages: Map<string, Usage>, flows: readonly Flow[], resolved: Map<string, ExtensionType>, parentGroupId: string): Promise<Map<ExtensionType, TypeFacts>> {
  // Names the code sets per type, to find out which NiFi refuses (types without dynamic properties).
  const namesByType = new Map<ExtensionType, Set<string>>();
  for (const flow of flows) {
    forEachComponent(flow, [], (_kind, path, component) => {
      const type = resolved.get(JSON.stringify(path));
      if (!type) return;
      const names = namesByType.get(type) ?? new Set<string>();
      for (const property of Object.keys(component.properties)) names.add(property);
      namesByType.set(type, names);
    });
  }
  const byType = new Map<ExtensionType, TypeFacts>();
  const group = await nifi.processGroups.create(parentGroupId, { name: `flows validate --live (temporary) ${Date.now().toString(36)}`, comments: 'Created by flows validate --live to read component descriptors; deleted right after.' });
  try {
    const unknownByUsage = new Map<Usage, Set<string>>();
    for (const usage of usages.values()) {
      const sameType = [...namesByType].filter(([type]) => type.type === usage.type.type && type.bundle.artifact === usage.type.bundle.artifact && type.bundle.version === usage.type.bundle.version);
      const bundle: NifiSchemas['BundleDTO'] = usage.type.bundle;
      const bare =
        usage.kind === 'processor'
          ? (await nifi.processors.create(group.id, { name: 'probe', type: usage.type.type, bundle, config: {} })).component!
          : (await nifi.controllerServices.create(group.id, { name: 'probe', type: usage.type.type, bundle })).component!;
      const descriptors = ('config' in bare ? bare.config?.descriptors : (bare as NifiSchemas['ControllerServiceDTO']).descriptors) ?? {};
      const unknown = new Set(sameType.flatMap(([, names]) => [...names]).filter((name) => !descriptors[name]));
      if (unknown.size > 0) unknownByUsage.set(usage, unknown);
      const facts: TypeFacts = {
        descriptors,
        unsupported: new Set(),
        renamed: new Map(),
        dropped: new Set(),
        relationships: 'relationships' in bare ? ((bare as NifiSchemas['ProcessorDTO']).relationships ?? []).map((relationship) => relationship.name!) : [],
        apis: ((bare as NifiSchemas['ControllerServiceDTO']).controllerServiceApis ?? []).map((api) => api.type!),
        executionNodeRestricted: (bare as NifiSchemas['ProcessorDTO']).executionNodeRestricted === true,
      };
      for (const [type] of sameType) byType.set(type, facts);
    }
    if (unknownByUsage.size > 0) await probeUnknownNames(nifi, group.id, unknownByUsage, byType);
  } finally {
    await nifi.processGroups.delete(group.id).catch((error: unknown) => {
      throw new DataplatError({ code: 'FLOWS_LIVE_CLEANUP_FAILED', message: `Could not delete the temporary process group ${group.id} of flows validate --live; delete it by hand.`, cause: error });
    });
  }
  return byType;
}

/**
 * Imports one flow holding an instance of each type with its unknown keys set to distinct values — a
 * flow upload, as apply does, so NiFi runs its property migrations — and reads back what NiFi made of
 * each key: renamed (the value sits under another name), dropped (gone), or kept as a dynamic property
 * that NiFi's validation accepts or refuses ("not a supported property").
 */
async function probeUnknownNames(nifi: NifiClient, groupId: string, unknownByUsage: Map<Usage, Set<string>>, byType: Map<ExtensionType, TypeFacts>): Promise<void> {
  const probes = [...unknownByUsage].map(([usage, names], index) => ({
    usage,
    name: `probe ${index + 1}`,
    values: new Map([...names].map((name, at) => [name, `dataplat-probe-${index + 1}-${at + 1}`])),
  }));
  const component = (probe: (typeof probes)[number]) => ({ type: probe.usage.type.type, properties: Object.fromEntries(probe.values) });
  const probeFlow = flowSchema.parse({
    name: 'flows validate --live probe',
    processors: Object.fromEntries(probes.filter((probe) => probe.usage.kind === 'processor').map((probe) => [probe.name, component(probe)])),
    services: Object.fromEntries(probes.filter((probe) => probe.usage.kind === 'controllerService').map((probe) => [probe.name, component(probe)])),
  });
  // The exact types probed, so short names and several bundles can't resolve to anything else.
  const catalog = {
    processorTypes: probes.filter((probe) => probe.usage.kind === 'processor').map((probe) => probe.usage.type),
    controllerServiceTypes: probes.filter((probe) => probe.usage.kind === 'controllerService').map((probe) => probe.usage.type),
  };
  const { definition } = compileFlow(probeFlow, catalog);
  const imported = await nifi.processGroups.upload(groupId, definition, { name: probeFlow.name });
  const [contents, services] = await Promise.all([nifi.processGroups.flow(imported.id), nifi.processGroups.controllerServices(imported.id)]);
  const instances = [
    ...contents.contents.processors.map((entity) => ({ id: entity.id!, kind: 'processor' as const, name: entity.component?.name, properties: entity.component?.config?.properties ?? {} })),
    ...services.map((entity) => ({ id: entity.id!, kind: 'controllerService' as const, name: entity.component.name, properties: entity.component.properties ?? {} })),
  ];
  for (const probe of probes) {
    const instance = instances.find((candidate) => candidate.kind === probe.usage.kind && candidate.name === probe.name);
    if (!instance) throw new DataplatError({ code: 'FLOWS_LIVE_PROBE_FAILED', message: `NiFi did not create the ${probe.usage.type.type} of the flows validate --live probe.` });
    const facts = byType.get(probe.usage.type)!;
    const kept = new Set<string>();
    for (const [name, value] of probe.values) {
      if (name in instance.properties) {
        kept.add(name);
        continue;
      }
      const renamedTo = Object.entries(instance.properties).find(([, current]) => current === value)?.[0];
      if (renamedTo) facts.renamed.set(name, renamedTo);
      else facts.dropped.add(name);
    }
    if (kept.size > 0) for (const name of await refusedNames(nifi, probe.usage.kind, instance.id, kept)) facts.unsupported.add(name);
  }
}

/** Which of the names NiFi's validation of the instance refuses as "not a supported property". */
async function refusedNames(nifi: NifiClient, kind: Usage['kind'], instanceId: string, names: Set<string>): Promise<Set<string>> {
  // NiFi validates imported components in the background.
  const errors = await pollUntil(
    async () => {
      const current = kind === 'processor' ? await nifi.processors.get(instanceId) : await nifi.controllerServices.get(instanceId);
      return current.component?.validationStatus === 'VALIDATING' ? { done: false } : { done: true, value: current.component?.validationErrors ?? [] };
    },
    { timeoutMs: 10_000, initialIntervalMs: 50, description: 'NiFi to validate a flows validate --live probe' },
  );
  return new Set([...names].filter((name) => errors.some((error) => error.includes(`'${name}'`) && /not a supported property/i.test(error))));
}
