// `flows export <group>`: a hand-built process group → flow DSL that plans with no component changes,
// so a canvas can be taken over (`apply --adopt`) without recreating anything: components keep NiFi's
// identifiers (in `identifiers:`), and with them their queues and state.
//
// Written: processors (short type names when unambiguous, properties that differ from their defaults,
// service references as `service:<name>`), services, ports, funnels, connections, nested groups, the
// parameter context (sensitive values become `fromEnv`) and the contexts it inherits (as shared contexts under
// `parameterContexts:`, with `inherits:` in their order), the parent group's services its processors use (as shared
// services under `parent:`, with the context the parent is bound to), and run states. Re-exporting a group flows
// applied keeps what NiFi doesn't store, from its marker: funnel names and the secrets' variable names.
// Not representable (reported as warnings): labels, remote process groups, literal sensitive property values.
import { matchExtensionType, type ExtensionType, type NifiClient, type NifiSchemas, type ParameterContextEntity } from '@dataplat/nifi';
import { stringify } from 'yaml';
import { componentAddress, connectionAddresses } from '../compile/addresses.ts';
import { deterministicId } from '../compile/deterministic-id.ts';
import { descriptionOf, managedContextDescription, readMarker } from '../deploy/inventory.ts';
import { readSharedContextMarker } from '../deploy/shared-contexts.ts';
import { serviceCommentsOf } from '../deploy/shared-services.ts';
import type { FlowInput, ParentSectionInput, SharedContextInput } from '../model/flow-schema.ts';
import { isPrimaryNodeOnlyType } from '../model/cluster-sources.ts';
import { backoffMechanisms, dslWordOf, executionNodes, loadBalanceCompressions, loadBalanceStrategies, prioritizers, runStates, schedulingStrategies } from '../model/nifi-vocabulary.ts';
import { schemaReference } from './schema-reference.ts';

export interface ExportResult {
  flow: FlowInput;
  /** The contexts the flow's context inherits, directly or through others, as shared contexts by name (and the parent's, if bound). */
  parameterContexts: Record<string, SharedContextInput>;
  /** The parent group's controller services the flow's components use, as shared services (undefined: none). */
  parent?: ParentSectionInput | undefined;
  /** The flow as a YAML document (with the schema reference for editors), what it shares included unless `sharedApart`. */
  yaml: string;
  /** With `sharedApart`, when there is any: the shared contexts and the parent's shared services as a YAML document of their own. */
  sharedYaml?: string | undefined;
  /** What could not be exported, per component. */
  warnings: string[];
}

type VersionedGroup = NifiSchemas['VersionedProcessGroup'];
type Entity = { id?: string; component?: { name?: string; state?: string; config?: { descriptors?: Record<string, { defaultValue?: string; sensitive?: boolean }> }; descriptors?: Record<string, { defaultValue?: string; sensitive?: boolean }> } };
/** A group as written to YAML (the schema's input type, which zod can't spell out for recursive groups). */
interface GroupInput {
  name: string;
  description?: string;
  services?: NonNullable<FlowInput['services']>;
  processors?: NonNullable<FlowInput['processors']>;
  connections?: NonNullable<FlowInput['connections']>;
  inputPorts?: string[];
  outputPorts?: string[];
  funnels?: string[];
  groups?: GroupInput[];
}

export interface ExportOptions {
  /**
   * What the YAML's `$schema` comment points at. Default: the schema file of this package relative to the
   * current directory (the CLI passes the path relative to the --out file's folder).
   */
  schemaReference?: string | undefined;
  /** Write what the group shares (inherited contexts, the parent's services) as a document of its own (`sharedYaml`) instead of into the flow's. */
  sharedApart?: boolean | undefined;
}

export async function exportFlow(nifi: NifiClient, groupId: string, options: ExportOptions = {}): Promise<ExportResult> {
  const [group, definition, tree, services, processorTypes, controllerServiceTypes] = await Promise.all([
    nifi.processGroups.get(groupId),
    nifi.processGroups.download(groupId),
    nifi.processGroups.tree(groupId),
    nifi.processGroups.controllerServices(groupId),
    nifi.extensions.processorTypes(),
    nifi.extensions.controllerServiceTypes(),
  ]);
  const warnings: string[] = [];
  // Live entities (run state, descriptors with defaults) by NiFi instance id.
  const live = new Map<string, Entity>();
  const collect = (node: typeof tree): void => {
    for (const processor of node.contents.processors) live.set(processor.id!, processor as Entity);
    node.children.forEach(collect);
  };
  collect(tree);
  for (const service of services) live.set(service.id!, service as Entity);

  const root = definition.flowContents!;
  const flowName = root.name ?? 'exported';
  const identifiers: Record<string, string> = {};
  // A group flows applied keeps, in its marker, the names NiFi doesn't store: funnels', and secrets' variables.
  const names = readMarker(group.component?.comments)?.names;
  const exporter: Exporter = { warnings, identifiers, live, processorTypes, controllerServiceTypes, flowName, funnelNames: names?.funnels ?? {}, outsideServices: new Set() };
  // Services of the parent group (or further up) that the flow's components use. A hand-built group's properties
  // hold their instance ids (NiFi's download lists no external services then); a group flows applied lists them
  // under ids of the download's own, by name. Both map to the name; the parent's own service wins over one further up.
  const outside = (id: string, name: string): [string, ServiceReference] => [id, { name, outside: true }];
  const external = Object.values(definition.externalControllerServices ?? {}).flatMap((service) => (service.identifier && service.name ? [outside(service.identifier, service.name)] : []));
  const parentGroupId = group.component?.parentGroupId;
  const ancestorServices = parentGroupId ? await nifi.processGroups.controllerServices(parentGroupId) : [];
  const byInstance = [...ancestorServices]
    .sort((a, b) => Number(a.component.parentGroupId === parentGroupId) - Number(b.component.parentGroupId === parentGroupId))
    .map((service) => outside(service.id, service.component.name ?? service.id));
  const body = exportGroup(root, flowName, [...byInstance, ...external], exporter);
  // The services above the group that its components refer to, recorded as their properties were written (exportProperties).
  const externalNames = exporter.outsideServices;
  const { inheritedIds, ...parameters } = await exportParameters(nifi, group.component?.parameterContext?.id, flowName, names?.secretEnvironment ?? {}, warnings);
  const parameterContexts: Record<string, SharedContextInput> = {};
  const inherits = await exportInheritedContexts(nifi, inheritedIds, parameterContexts, warnings);
  const parent = externalNames.size > 0 && parentGroupId ? await exportParentServices(nifi, parentGroupId, externalNames, ancestorServices, { parameterContexts, controllerServiceTypes, warnings }) : undefined;
  const flow: FlowInput = {
    name: flowName,
    ...(descriptionOf(root.comments) ? { description: descriptionOf(root.comments)! } : {}),
    ...parameters,
    ...(inherits.length ? { inherits } : {}),
    ...body,
    ...(Object.keys(identifiers).length ? { identifiers } : {}),
  };
  const header = { schemaReference: options.schemaReference ?? schemaReference(process.cwd()), groupName: flowName, groupId };
  const sharedDocument = { ...(Object.keys(parameterContexts).length > 0 ? { parameterContexts } : {}), ...(parent ? { parent } : {}) };
  const shared = Object.keys(sharedDocument).length > 0;
  return {
    flow,
    parameterContexts,
    ...(parent ? { parent } : {}),
    yaml: renderExportedYaml(shared && !options.sharedApart ? { ...flow, ...sharedDocument } : flow, header),
    ...(shared && options.sharedApart ? { sharedYaml: renderExportedYaml(sharedDocument, { ...header, what: 'what is shared with others by' }) } : {}),
    warnings,
  };
}

/**
 * The parent group's services that `external` names (id, name), as a `parent:` section: their types and the
 * properties that differ from the defaults, and the context the parent is bound to (exported as a shared context)
 * when it has one. A service that lives higher up than the parent is reported: flows manages the parent's only.
 */
async function exportParentServices(
  nifi: NifiClient,
  parentGroupId: string,
  names: ReadonlySet<string>,
  available: Awaited<ReturnType<NifiClient['processGroups']['controllerServices']>>,
  exporter: { parameterContexts: Record<string, SharedContextInput>; controllerServiceTypes: readonly ExtensionType[]; warnings: string[] },
): Promise<ParentSectionInput | undefined> {
  const { warnings } = exporter;
  const parentGroup = await nifi.processGroups.get(parentGroupId);
  const services: NonNullable<ParentSectionInput['services']> = {};
  const own = available.filter((service) => service.component.parentGroupId === parentGroupId);
  const serviceNames: ServiceNames = new Map(own.map((service) => [service.id, { name: service.component.name ?? service.id, outside: false }]));
  for (const name of [...names].sort()) {
    const live = own.find((service) => service.component.name === name);
    if (!live) {
      warnings.push(`controller service "${name}" is not in the parent group ${parentGroupId} but further up: flows manages shared services in the parent only; the flow refers to it by name.`);
      continue;
    }
    const descriptors = live.component.descriptors ?? {};
    // NiFi masks set sensitive values: written as unset, with the same warning as a group's own services.
    // As in a flow definition (NiFi's live descriptors name a referenced service's interface; versioned ones say whether).
    const versioned: NifiSchemas['VersionedControllerService'] = {
      ...(live.component.type ? { type: live.component.type } : {}),
      ...(live.component.bundle ? { bundle: live.component.bundle } : {}),
      properties: Object.fromEntries(Object.entries(live.component.properties ?? {}).map(([key, value]) => [key, descriptors[key]?.sensitive ? null : value])) as Record<string, string>,
      propertyDescriptors: Object.fromEntries(
        Object.entries(descriptors).map(([key, descriptor]) => [key, { name: key, sensitive: descriptor.sensitive ?? false, dynamic: descriptor.dynamic ?? false, identifiesControllerService: Boolean(descriptor.identifiesControllerService) }]),
      ),
    };
    services[name] = {
      type: shortType(exporter.controllerServiceTypes, 'controllerService', versioned),
      ...nonEmpty('properties', exportProperties(versioned, live as Entity, serviceNames, `parent/services/${name}`, warnings)),
      ...(serviceCommentsOf(live.component.comments) ? { comments: serviceCommentsOf(live.component.comments)! } : {}),
    };
  }
  const bound = parentGroup.component?.parameterContext;
  const parameterContext = bound?.id ? (await exportInheritedContexts(nifi, [bound.id], exporter.parameterContexts, warnings))[0] : undefined;
  return Object.keys(services).length > 0 || parameterContext ? { ...(parameterContext ? { parameterContext } : {}), services } : undefined;
}

/**
 * The contexts `ids` name (a context's inheritance, highest precedence first), each written once into
 * `contexts` with its own inheritance, recursively. Returns their names in order, for `inherits:`.
 */
async function exportInheritedContexts(nifi: NifiClient, ids: readonly string[], contexts: Record<string, SharedContextInput>, warnings: string[]): Promise<string[]> {
  const inherits: string[] = [];
  for (const id of ids) {
    const context = await nifi.parameterContexts.get(id);
    const name = context.component.name!;
    inherits.push(name);
    if (name in contexts) continue;
    contexts[name] = {}; // claimed before the recursion: a context reached twice is written once
    // A shared context flows applied names, in its marker, the variables its values came from: written back as fromEnv.
    const { inheritedIds, parameters } = parametersOf(context, readSharedContextMarker(context.component.description)?.secretEnvironment ?? {}, warnings);
    const description = contextDescriptionOf(context.component.description);
    const nested = await exportInheritedContexts(nifi, inheritedIds, contexts, warnings);
    contexts[name] = { ...(description ? { description } : {}), ...(nested.length ? { inherits: nested } : {}), ...(parameters ? { parameters } : {}) };
  }
  return inherits;
}

/**
 * The exported file: two header comments, then the flow. Text from NiFi (a group's name may hold a
 * newline) reaches the comments as a JSON string, so it can never start a line of YAML of its own
 * (issue 14, finding 11); in the flow itself the YAML library quotes it.
 */
export function renderExportedYaml(document: object, header: { schemaReference: string; groupName: string; groupId: string; what?: string | undefined }): string {
  // Control characters and the line separators of YAML 1.1 (NEL, LS, PS) as \\uXXXX: a comment stays one line.
  const oneLine = (text: string) => text.replace(/[\p{Cc}\u2028\u2029]/gu, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const exported = header.what ? `${header.what} NiFi process group` : 'Exported from NiFi process group';
  return `# yaml-language-server: $schema=${oneLine(header.schemaReference)}\n# ${header.what ? `Exported by flows export: ${exported}` : exported} ${oneLine(JSON.stringify(header.groupName))} (${oneLine(header.groupId)})${header.what ? '' : ' by flows export'}.\n${stringify(document, { lineWidth: 0 })}`;
}

export interface Exporter {
  warnings: string[];
  identifiers: Record<string, string>;
  live: Map<string, Entity>;
  processorTypes: readonly ExtensionType[];
  controllerServiceTypes: readonly ExtensionType[];
  flowName: string;
  /** Funnel names by identifier, from the marker of a group flows applied. */
  funnelNames: Record<string, string>;
  /** Filled while properties are written: the names of the services above the exported group that its components refer to (its `parent:` services). */
  outsideServices: Set<string>;
}

/** A controller service a property may refer to: its DSL name, and whether it lives above the exported group (the parent's, or further up). */
export interface ServiceReference {
  name: string;
  outside: boolean;
}

/** The services in scope by NiFi id, outermost first: a later entry of a name shadows an earlier one (NiFi and flows resolve the nearest). */
type ServiceNames = Map<string, ServiceReference>;

/** A group's components as the DSL writes them; `inherited` are the services in scope from above (exported for the unit tests). */
export function exportGroup(group: VersionedGroup, address: string, inherited: Array<[string, ServiceReference]>, exporter: Exporter): Omit<GroupInput, 'name'> {
  const { warnings } = exporter;
  const pin = (componentAddressValue: string, identifier: string | undefined) => {
    if (identifier && deterministicId(componentAddressValue) !== identifier) exporter.identifiers[componentAddressValue.slice(exporter.flowName.length + 1)] = identifier;
  };
  const names = new UniqueNames();
  const byIdentifier = new Map<string, string>();
  if ((group.labels ?? []).length) warnings.push(`${address}: ${group.labels!.length} label(s) not exported (labels are not part of flows; applying removes them).`);
  if ((group.remoteProcessGroups ?? []).length) warnings.push(`${address}: ${group.remoteProcessGroups!.length} remote process group(s) not exported (not supported by flows).`);

  // Services first: processors refer to them by name.
  const serviceNames: ServiceNames = new Map(inherited);
  const ownServices = new UniqueNames();
  const servicesOut: NonNullable<GroupInput['services']> = {};
  for (const service of sortByName(group.controllerServices ?? [])) {
    const name = ownServices.take(service.name ?? 'service');
    serviceNames.set(service.identifier!, { name, outside: false });
  }
  for (const service of sortByName(group.controllerServices ?? [])) {
    const { name } = serviceNames.get(service.identifier!)!;
    pin(componentAddress.service(address, name), service.identifier);
    servicesOut[name] = {
      type: shortType(exporter.controllerServiceTypes, 'controllerService', service),
      ...nonEmpty('properties', exportProperties(service, exporter.live.get(service.instanceIdentifier ?? ''), serviceNames, `${address}/services/${name}`, warnings, exporter.outsideServices)),
      ...(service.comments ? { comments: service.comments } : {}),
    };
  }

  const processorsOut: NonNullable<GroupInput['processors']> = {};
  for (const processor of sortByName(group.processors ?? [])) {
    const name = names.take(processor.name ?? 'processor');
    byIdentifier.set(processor.identifier!, name);
    pin(componentAddress.processor(address, name), processor.identifier);
    const state = exporter.live.get(processor.instanceIdentifier ?? '')?.component?.state;
    processorsOut[name] = {
      type: shortType(exporter.processorTypes, 'processor', processor),
      ...nonEmpty('properties', exportProperties(processor, exporter.live.get(processor.instanceIdentifier ?? ''), serviceNames, `${address}/processors/${name}`, warnings, exporter.outsideServices)),
      ...(processor.schedulingStrategy !== schedulingStrategies.timer || processor.schedulingPeriod !== '0 sec' || processor.concurrentlySchedulableTaskCount !== 1
        ? { schedule: { strategy: dslWordOf(schedulingStrategies, processor.schedulingStrategy) ?? 'timer', period: processor.schedulingPeriod ?? '0 sec', concurrency: processor.concurrentlySchedulableTaskCount ?? 1 } }
        : {}),
      ...nonEmpty('autoTerminate', [...(processor.autoTerminatedRelationships ?? [])].sort()),
      ...((processor.retriedRelationships ?? []).length
        ? {
            retry: {
              relationships: [...processor.retriedRelationships!].sort(),
              count: processor.retryCount ?? 10,
              backoff: dslWordOf(backoffMechanisms, processor.backoffMechanism) ?? 'penalize',
              maxBackoff: processor.maxBackoffPeriod ?? '10 mins',
            },
          }
        : {}),
      ...(processor.penaltyDuration && processor.penaltyDuration !== '30 sec' ? { penalty: processor.penaltyDuration } : {}),
      ...(processor.yieldDuration && processor.yieldDuration !== '1 sec' ? { yield: processor.yieldDuration } : {}),
      ...exportRunState(processor.scheduledState === 'DISABLED' ? 'DISABLED' : state),
      ...exportExecutionNode(processor, `${address}/processors/${name}`, warnings),
      ...(processor.comments ? { comments: processor.comments } : {}),
    };
  }
  const ports = (list: NifiSchemas['VersionedPort'][], kind: 'INPUT_PORT' | 'OUTPUT_PORT') =>
    sortByName(list).map((port) => {
      const name = names.take(port.name ?? 'port');
      byIdentifier.set(port.identifier!, name);
      pin(componentAddress.port(address, kind, name), port.identifier);
      return name;
    });
  const inputPorts = ports(group.inputPorts ?? [], 'INPUT_PORT');
  const outputPorts = ports(group.outputPorts ?? [], 'OUTPUT_PORT');
  const funnels = [...(group.funnels ?? [])]
    .sort((a, b) => (a.identifier ?? '').localeCompare(b.identifier ?? ''))
    .map((funnel, index) => {
      const name = names.take(exporter.funnelNames[funnel.identifier ?? ''] ?? `funnel ${index + 1}`);
      byIdentifier.set(funnel.identifier!, name);
      pin(componentAddress.funnel(address, name), funnel.identifier);
      return name;
    });

  const groupsOut: GroupInput[] = [];
  const childNames = new Map<string, string>();
  for (const child of sortByName(group.processGroups ?? [])) {
    const name = names.take(child.name ?? 'group');
    childNames.set(child.identifier!, name);
    const childAddress = componentAddress.group(address, name);
    pin(childAddress, child.identifier);
    groupsOut.push({ name, ...(descriptionOf(child.comments) ? { description: descriptionOf(child.comments)! } : {}), ...exportGroup(child, childAddress, [...serviceNames], exporter) });
  }
  const endpoint = (reference: NifiSchemas['ConnectableComponent'] | undefined) => {
    const own = reference?.id ? byIdentifier.get(reference.id) : undefined;
    if (own) return own;
    // A port of a child group: `child/port`, with the port named as the child's export names it.
    const child = childNames.get(reference?.groupId ?? '');
    const childExport = groupsOut.find((candidate) => candidate.name === child);
    const childDefinition = (group.processGroups ?? []).find((candidate) => candidate.identifier === reference?.groupId);
    const portList = reference?.type === 'INPUT_PORT' ? childDefinition?.inputPorts : childDefinition?.outputPorts;
    const index = sortByName(portList ?? []).findIndex((candidate) => candidate.identifier === reference?.id);
    const portNames = reference?.type === 'INPUT_PORT' ? childExport?.inputPorts : childExport?.outputPorts;
    if (child && index >= 0 && portNames) return `${child}/${portNames[index]}`;
    warnings.push(`${address}: a connection ends at ${reference?.type ?? 'a component'} "${reference?.name ?? reference?.id}", which the export can't name; fix that connection in the YAML.`);
    return '?';
  };
  const connections = [...(group.connections ?? [])]
    .sort((a, b) => `${a.source?.name}->${a.destination?.name}${a.name}${a.identifier}`.localeCompare(`${b.source?.name}->${b.destination?.name}${b.name}${b.identifier}`))
    .map((connection) => ({
      connection,
      model: {
        from: endpoint(connection.source),
        to: endpoint(connection.destination),
        ...(connection.name ? { name: connection.name } : {}),
        ...nonEmpty('relationships', connection.source?.type === 'PROCESSOR' ? [...(connection.selectedRelationships ?? [])].sort() : []),
        ...(connection.backPressureObjectThreshold !== 10_000 || connection.backPressureDataSizeThreshold !== '1 GB'
          ? { backPressure: { objects: connection.backPressureObjectThreshold ?? 10_000, size: connection.backPressureDataSizeThreshold ?? '1 GB' } }
          : {}),
        ...(connection.flowFileExpiration && connection.flowFileExpiration !== '0 sec' ? { expiration: connection.flowFileExpiration } : {}),
        ...nonEmpty('prioritizers', exportPrioritizers(connection.prioritizers ?? [], address, warnings)),
        ...exportLoadBalance(connection, address, warnings),
      },
    }));
  const addresses = connectionAddresses(address, connections.map(({ model }) => model));
  connections.forEach(({ connection }, index) => pin(addresses[index]!, connection.identifier));

  return {
    ...nonEmpty('services', servicesOut),
    ...nonEmpty('processors', processorsOut),
    ...nonEmpty('inputPorts', inputPorts),
    ...nonEmpty('outputPorts', outputPorts),
    ...nonEmpty('funnels', funnels),
    ...nonEmpty('connections', connections.map(({ model }) => model)),
    ...nonEmpty('groups', groupsOut),
  };
}

/**
 * Properties that differ from their defaults; service ids → `service:<name>`, each service above the exported group
 * so named added to `outsideServices`; literal secrets left out.
 */
function exportProperties(
  component: NifiSchemas['VersionedProcessor'] | NifiSchemas['VersionedControllerService'],
  entity: Entity | undefined,
  serviceNames: ServiceNames,
  where: string,
  warnings: string[],
  outsideServices?: Set<string>,
): Record<string, string> {
  const descriptors = entity?.component?.config?.descriptors ?? entity?.component?.descriptors ?? {};
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(component.properties ?? {})) {
    const descriptor = component.propertyDescriptors?.[name];
    if (value === null || value === undefined) {
      if (descriptor?.sensitive) warnings.push(`${where}: sensitive property "${name}" has a value NiFi does not export; move it into a sensitive parameter (or set it again after adopting).`);
      continue;
    }
    if (descriptor?.identifiesControllerService) {
      const service = serviceNames.get(value);
      properties[name] = service ? `service:${service.name}` : value;
      if (!service) warnings.push(`${where}: property "${name}" refers to controller service ${value}, which is outside the exported group.`);
      else if (isHidden(serviceNames, value, service)) {
        warnings.push(`${where}: property "${name}" refers to the controller service "${service.name}" of an enclosing group, which a nearer service of that name hides: service:${service.name} resolves to the nearer one; rename one of them.`);
      } else if (service.outside) outsideServices?.add(service.name);
      continue;
    }
    if (!descriptor?.dynamic && descriptors[name]?.defaultValue === value) continue;
    properties[name] = value;
  }
  return properties;
}

/**
 * Whether `service:<name>` resolves to another service than the one with `id` here: a nearer one (the last of that name
 * in scope) of the exported group's own. Two entries above the group name the same parent service (its instance id and
 * the download's external entry), so one of them hides nothing.
 */
function isHidden(serviceNames: ServiceNames, id: string, service: ServiceReference): boolean {
  const nearest = [...serviceNames].filter(([, candidate]) => candidate.name === service.name).at(-1)!;
  return nearest[0] !== id && !(service.outside && nearest[1].outside);
}

/** The short type name when it resolves back to exactly this type and bundle; else the full name. */
function shortType(types: readonly ExtensionType[], kind: 'processor' | 'controllerService', component: { type?: string; bundle?: { group?: string; artifact?: string; version?: string } }): string {
  const type = component.type ?? '';
  const short = type.slice(type.lastIndexOf('.') + 1);
  try {
    const match = matchExtensionType(types, kind, short);
    if (match.type === type && match.bundle.artifact === component.bundle?.artifact) return short;
  } catch {
    // Several types share the short name: keep the full one.
  }
  return type;
}

async function exportParameters(
  nifi: NifiClient,
  contextId: string | undefined,
  flowName: string,
  secretEnvironment: Record<string, string>,
  warnings: string[],
): Promise<Pick<FlowInput, 'parameters' | 'parameterContext'> & { inheritedIds: string[] }> {
  if (!contextId) return { inheritedIds: [] };
  const context = await nifi.parameterContexts.get(contextId);
  const { parameters, inheritedIds } = parametersOf(context, secretEnvironment, warnings);
  return { ...(context.component.name !== flowName ? { parameterContext: context.component.name! } : {}), ...(parameters ? { parameters } : {}), inheritedIds };
}

/** A context's description without the line (and whatever follows it) that marks it as managed by flows. */
function contextDescriptionOf(description: string | undefined): string | undefined {
  const text = description ?? '';
  const at = text.indexOf(managedContextDescription);
  return (at < 0 ? text : text.slice(0, at)).trim() || undefined;
}

/**
 * A context's own parameters as the DSL writes them (NiFi lists the inherited ones only when asked), and the ids of
 * the contexts it inherits, in NiFi's order. Sensitive values become `fromEnv`; an asset parameter is reported.
 */
function parametersOf(
  context: ParameterContextEntity,
  secretEnvironment: Record<string, string>,
  warnings: string[],
): { parameters: NonNullable<FlowInput['parameters']> | undefined; inheritedIds: string[] } {
  const parameters: NonNullable<FlowInput['parameters']> = {};
  for (const entry of [...(context.component.parameters ?? [])].sort((a, b) => (a.parameter?.name ?? '').localeCompare(b.parameter?.name ?? ''))) {
    const parameter = entry.parameter!;
    const name = parameter.name!;
    if ((parameter.referencedAssets ?? []).length > 0) {
      const assets = parameter.referencedAssets!.map((asset) => asset.name).join(', ');
      warnings.push(`parameter context "${context.component.name}": parameter "${name}" references the asset(s) ${assets}, which export can't write: declare it with asset: { file: … } or { maven: …, sha256: … }.`);
      continue;
    }
    parameters[name] = parameter.sensitive
      ? { fromEnv: secretEnvironment[name] ?? name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^(?=\d)/, '_'), sensitive: true }
      : secretEnvironment[name]
        ? // A value flows read from the environment (masked in plans): written back as where it came from, not as the value.
          { fromEnv: secretEnvironment[name], ...(parameter.description ? { description: parameter.description } : {}) }
        : { value: parameter.value ?? '', ...(parameter.description ? { description: parameter.description } : {}) };
  }
  const inheritedIds = (context.component.inheritedParameterContexts ?? []).map((reference) => reference.id ?? reference.component?.id).filter((id): id is string => typeof id === 'string');
  return { parameters: Object.keys(parameters).length ? parameters : undefined, inheritedIds };
}

/** Prioritizer classes → DSL words; a class the DSL has no word for is reported, not written. */
function exportPrioritizers(classes: readonly string[], address: string, warnings: string[]): Array<keyof typeof prioritizers> {
  return classes.flatMap((className) => {
    const word = dslWordOf(prioritizers, className);
    if (!word) warnings.push(`${address}: prioritizer ${className} has no DSL name and was left out (known: ${Object.keys(prioritizers).join(', ')}).`);
    return word ? [word] : [];
  });
}

/** `state` when it isn't the DSL's default (running); anything NiFi calls neither running nor disabled is stopped. */
function exportRunState(nifiState: string | undefined): { state?: keyof typeof runStates } {
  const word = dslWordOf(runStates, nifiState) ?? 'stopped';
  return word === 'running' ? {} : { state: word };
}

/**
 * `executionNode: primary` for a processor set to run on the primary node only. Not for a type NiFi pins there
 * (@PrimaryNodeOnly): the compiler sets PRIMARY for it by itself.
 */
function exportExecutionNode(processor: NifiSchemas['VersionedProcessor'], where: string, warnings: string[]): { executionNode?: keyof typeof executionNodes } {
  const word = dslWordOf(executionNodes, processor.executionNode);
  if (processor.executionNode && !word) warnings.push(`${where}: execution node ${processor.executionNode} has no DSL name and was left out.`);
  return word === 'primary' && !isPrimaryNodeOnlyType(processor.type ?? '') ? { executionNode: word } : {};
}

/** `loadBalance`, `partitionAttribute` and `compression` where they aren't NiFi's defaults. */
function exportLoadBalance(
  connection: NifiSchemas['VersionedConnection'],
  address: string,
  warnings: string[],
): { loadBalance?: keyof typeof loadBalanceStrategies; partitionAttribute?: string; compression?: keyof typeof loadBalanceCompressions } {
  const { loadBalanceStrategy: strategy, loadBalanceCompression: compression, partitioningAttribute: partitionAttribute } = connection;
  const word = dslWordOf(loadBalanceStrategies, strategy);
  if (strategy && !word) warnings.push(`${address}: load-balance strategy ${strategy} has no DSL name and was left out.`);
  const compressionWord = dslWordOf(loadBalanceCompressions, compression);
  if (compression && !compressionWord) warnings.push(`${address}: load-balance compression ${compression} has no DSL name and was left out.`);
  return {
    ...(word && word !== 'none' ? { loadBalance: word } : {}),
    // The attribute counts only for partition-by-attribute: the DSL names it only there.
    ...(word === 'partition-by-attribute' && partitionAttribute ? { partitionAttribute } : {}),
    ...(compressionWord && compressionWord !== 'none' ? { compression: compressionWord } : {}),
  };
}

function sortByName<Item extends { name?: string; identifier?: string }>(items: readonly Item[]): Item[] {
  return [...items].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.identifier ?? '').localeCompare(b.identifier ?? ''));
}

/** `{ key: value }`, or nothing for an empty list or record (keeps the YAML short). */
function nonEmpty<Key extends string, Value extends unknown[] | Record<string, unknown>>(key: Key, value: Value): { [K in Key]?: Value } {
  const empty = Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
  return (empty ? {} : { [key]: value }) as { [K in Key]?: Value };
}

/** DSL names: no "/", trimmed, unique within a group (NiFi allows duplicates; flows refers by name). */
class UniqueNames {
  private readonly taken = new Set<string>();
  take(raw: string): string {
    const base = raw.replaceAll('/', '-').replace(/\p{Cc}/gu, ' ').trim() || 'unnamed';
    let name = base;
    for (let index = 2; this.taken.has(name); index++) name = `${base} (${index})`;
    this.taken.add(name);
    return name;
  }
}

