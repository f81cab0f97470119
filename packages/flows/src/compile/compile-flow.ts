// Flow (DSL) → NiFi flow definition (the versioned-flow JSON that NiFi uploads and replaces in place).
// Identifiers are derived from each component's address, positions from a simple grid, and short type
// names are resolved against the target NiFi's installed types, so the result is deterministic.
import { DataplatError } from '@dataplat/core/errors';
import { matchExtensionType, type ExtensionType, type FlowDefinition, type NifiSchemas } from '@dataplat/nifi';
import { parameterContextName, type Flow, type GroupModel } from '../model/flow-schema.ts';
import { componentAddress, connectionAddresses } from './addresses.ts';
import { deterministicId } from './deterministic-id.ts';
import { expandTriggers } from './expand-triggers.ts';
import { ownEntry } from '../model/own-keys.ts';
import { overrideParameter } from '../model/parameter-override.ts';
import { resolveServiceReference, sharedServicePlaceholder } from '../model/shared-services.ts';
import { isPrimaryNodeOnlyType } from '../model/cluster-sources.ts';
import { backoffMechanisms, executionNodes, loadBalanceCompressions, loadBalanceStrategies, prioritizers, schedulingStrategies } from '../model/nifi-vocabulary.ts';

export interface TypeCatalog {
  processorTypes: readonly ExtensionType[];
  controllerServiceTypes: readonly ExtensionType[];
}

export interface CompileOptions {
  /** Applies `environments.<name>` of the flow. */
  environment?: string | undefined;
  /** Where `fromEnv` parameters are read. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Airflow's ids of the assets that asset-event triggers name, by URI (planFlows reads them from Airflow). */
  assetIds?: Readonly<Record<string, number>> | undefined;
  /** Names of the parent group's shared services (parent.services): what service:<name> falls back to (shared-services.ts). */
  sharedServices?: readonly string[] | undefined;
}

export interface CompiledFlow {
  definition: FlowDefinition;
  /** Sensitive values read from the environment: never in the definition, pushed by apply through update requests. */
  sensitiveParameters: Record<string, string>;
  /** Which environment variable each sensitive or masked parameter reads (names, not values): export writes them back. */
  secretEnvironment: Record<string, string>;
  /**
   * Non-sensitive parameters whose values come from the environment without `sensitive: false`: NiFi gets
   * them as plain values, but plans never print them (issue 14, finding 12).
   */
  maskedParameters: string[];
  /** Funnel names by identifier: NiFi keeps no name for a funnel, so export reads them from here (via the marker). */
  funnelNames: Record<string, string>;
}

export function compileFlow(flow: Flow, catalog: TypeCatalog, options: CompileOptions = {}): CompiledFlow {
  const env = options.env ?? process.env;
  const overlay = options.environment ? ownEntry(flow.environments, options.environment) : undefined;
  if (options.environment && !overlay) {
    throw new DataplatError({ code: 'FLOWS_UNKNOWN_ENVIRONMENT', message: `Flow "${flow.name}" has no environment "${options.environment}".`, hint: `Known: ${Object.keys(flow.environments).join(', ') || 'none'}.` });
  }
  const sensitiveParameters: Record<string, string> = {};
  const secretEnvironment: Record<string, string> = {};
  const maskedParameters: string[] = [];
  const parameters: NifiSchemas['VersionedParameter'][] = [];
  for (const [name, declared] of Object.entries(flow.parameters)) {
    const parameter = overrideParameter(declared, overlay ? ownEntry(overlay.parameters, name) : undefined);
    const value = parameter.fromEnv !== undefined ? env[parameter.fromEnv] : parameter.value;
    if (parameter.fromEnv !== undefined && value === undefined) {
      throw new DataplatError({ code: 'FLOWS_MISSING_ENVIRONMENT_VARIABLE', message: `Parameter "${name}" of flow "${flow.name}" reads ${parameter.fromEnv}, which is not set.`, hint: `Set ${parameter.fromEnv} in the environment of this command.` });
    }
    if (parameter.sensitive) {
      if (value !== undefined) sensitiveParameters[name] = value;
      if (parameter.fromEnv !== undefined) secretEnvironment[name] = parameter.fromEnv;
      parameters.push({ name, sensitive: true, ...(parameter.description ? { description: parameter.description } : {}) });
    } else {
      if (parameter.fromEnv !== undefined && parameter.sensitive !== false) {
        maskedParameters.push(name);
        secretEnvironment[name] = parameter.fromEnv;
      }
      parameters.push({ name, sensitive: false, value: value ?? null, ...(parameter.description ? { description: parameter.description } : {}) } as NifiSchemas['VersionedParameter']);
    }
  }
  const expanded = expandTriggers(flow, options.assetIds);
  // Adopted components keep NiFi's identifiers (see `identifiers`); the rest derive theirs from their address.
  const identify = (address: string) => ownEntry(flow.identifiers, address.slice(flow.name.length + 1)) ?? deterministicId(address);
  const contextName = parameterContextName(flow);
  const funnelNames: Record<string, string> = {};
  const externalServices: ExternalServices = {};
  const flowContents = compileGroup(expanded, flow.name, undefined, [], { catalog, identify, parameterContextName: contextName, funnelNames, sharedServices: options.sharedServices ?? [], externalServices });
  return {
    definition: {
      flowEncodingVersion: '1.0',
      flowContents,
      parameterContexts: {
        [contextName]: { name: contextName, parameters, inheritedParameterContexts: [...flow.inherits], componentType: 'PARAMETER_CONTEXT' } as NifiSchemas['VersionedParameterContext'],
        // NiFi resolves inherited names through this map; an entry with no parameters binds the context
        // of that name that apply created first, unchanged (so a shared value is never part of a flow's definition).
        ...Object.fromEntries(
          flow.inherits.map((name) => [name, { name, parameters: [], inheritedParameterContexts: [], componentType: 'PARAMETER_CONTEXT' } as NifiSchemas['VersionedParameterContext']]),
        ),
      },
      externalControllerServices: externalServices,
      parameterProviders: {},
    } as FlowDefinition,
    sensitiveParameters,
    secretEnvironment,
    maskedParameters,
    funnelNames,
  };
}

type ServiceScope = Array<{ name: string; identifier: string }>;

interface CompileContext {
  catalog: TypeCatalog;
  identify: (address: string) => string;
  /** Every group of a flow uses the flow's parameter context. */
  parameterContextName: string;
  /** Filled in: each funnel's name by its identifier. */
  funnelNames: Record<string, string>;
  /** The parent's shared services, and (filled in) those the flow refers to, by placeholder identifier. */
  sharedServices: readonly string[];
  externalServices: ExternalServices;
}

type ExternalServices = Record<string, { identifier: string; name: string }>;

function compileGroup(group: GroupModel, address: string, parentIdentifier: string | undefined, inheritedServices: ServiceScope, context: CompileContext): NifiSchemas['VersionedProcessGroup'] {
  const { catalog, identify: idOf } = context;
  const identifier = idOf(address);
  const grid = gridPositions();
  const services: ServiceScope = [
    ...Object.keys(group.services).map((name) => ({ name, identifier: idOf(componentAddress.service(address, name)) })),
    ...inheritedServices,
  ];
  const resolveProperties = (properties: Record<string, string | null>, owner: string) =>
    Object.fromEntries(
      Object.entries(properties).map(([property, value]) => {
        if (!value?.startsWith('service:')) return [property, value];
        const service = services.find((candidate) => candidate.name === value.slice('service:'.length)) ?? sharedService(value.slice('service:'.length), context);
        if (!service) throw new DataplatError({ code: 'FLOWS_INVALID', message: `${owner}: property "${property}" refers to unknown service "${value.slice(8)}".` });
        return [property, service.identifier];
      }),
    );
  // NiFi maps a versioned service id in a property to the service's real id only when the property's
  // descriptor says it identifies a controller service.
  const serviceDescriptors = (properties: Record<string, string | null>) =>
    Object.fromEntries(
      Object.entries(properties)
        .filter(([, value]) => value?.startsWith('service:'))
        .map(([property]) => [property, { name: property, displayName: property, identifiesControllerService: true, sensitive: false, dynamic: false }]),
    );
  const componentIds = new Map<string, { id: string; type: string; groupId: string }>();

  const processors = Object.entries(group.processors).map(([name, processor]) => {
    const type = resolveType(catalog.processorTypes, processor.type, 'processor', `${address}/${name}`);
    const id = idOf(componentAddress.processor(address, name));
    componentIds.set(name, { id, type: 'PROCESSOR', groupId: identifier });
    return {
      identifier: id,
      name,
      type: type.type,
      bundle: type.bundle,
      properties: resolveProperties(processor.properties, `processor ${name}`),
      propertyDescriptors: serviceDescriptors(processor.properties),
      schedulingPeriod: processor.schedule.period,
      schedulingStrategy: schedulingStrategies[processor.schedule.strategy],
      concurrentlySchedulableTaskCount: processor.schedule.concurrency,
      // A type NiFi pins to the primary node reads back as PRIMARY whatever is sent: compiled as that, so plans converge.
      executionNode: isPrimaryNodeOnlyType(type.type) ? executionNodes.primary : executionNodes[processor.executionNode ?? 'all'],
      autoTerminatedRelationships: processor.autoTerminate,
      retriedRelationships: processor.retry?.relationships ?? [],
      retryCount: processor.retry?.count ?? 10,
      backoffMechanism: backoffMechanisms[processor.retry?.backoff ?? 'penalize'],
      maxBackoffPeriod: processor.retry?.maxBackoff ?? '10 mins',
      penaltyDuration: processor.penalty ?? '30 sec',
      yieldDuration: processor.yield ?? '1 sec',
      bulletinLevel: 'WARN',
      runDurationMillis: 0,
      scheduledState: processor.state === 'disabled' ? 'DISABLED' : 'ENABLED',
      comments: processor.comments ?? '',
      componentType: 'PROCESSOR',
      groupIdentifier: identifier,
      position: grid(),
      style: {},
      // NiFi's spec types some enums as one comma-joined string ("PENALIZE_FLOWFILE, YIELD_PROCESSOR"), hence the cast.
    } as unknown as NifiSchemas['VersionedProcessor'];
  });
  const controllerServices = Object.entries(group.services).map(([name, service]) => {
    const type = resolveType(catalog.controllerServiceTypes, service.type, 'controllerService', `${address}/${name}`);
    return {
      identifier: services.find((candidate) => candidate.name === name)!.identifier,
      name,
      type: type.type,
      bundle: type.bundle,
      properties: resolveProperties(service.properties, `service ${name}`),
      propertyDescriptors: serviceDescriptors(service.properties),
      controllerServiceApis: [],
      scheduledState: 'ENABLED',
      bulletinLevel: 'WARN',
      comments: service.comments ?? '',
      componentType: 'CONTROLLER_SERVICE',
      groupIdentifier: identifier,
    } as NifiSchemas['VersionedControllerService'];
  });
  const ports = (names: string[], kind: 'INPUT_PORT' | 'OUTPUT_PORT') =>
    names.map((name) => {
      const id = idOf(componentAddress.port(address, kind, name));
      componentIds.set(name, { id, type: kind, groupId: identifier });
      return { identifier: id, name, type: kind, concurrentlySchedulableTaskCount: 1, scheduledState: 'ENABLED', allowRemoteAccess: false, portFunction: 'STANDARD', componentType: kind, groupIdentifier: identifier, position: grid() } as NifiSchemas['VersionedPort'];
    });
  const inputPorts = ports(group.inputPorts, 'INPUT_PORT');
  const outputPorts = ports(group.outputPorts, 'OUTPUT_PORT');
  const funnels = group.funnels.map((name) => {
    const id = idOf(componentAddress.funnel(address, name));
    componentIds.set(name, { id, type: 'FUNNEL', groupId: identifier });
    context.funnelNames[id] = name;
    return { identifier: id, componentType: 'FUNNEL', groupIdentifier: identifier, position: grid() } as NifiSchemas['VersionedFunnel'];
  });
  const processGroups = group.groups.map((child) => compileGroup(child, componentAddress.group(address, child.name), identifier, services, context));
  const childPort = (reference: string, kind: 'INPUT_PORT' | 'OUTPUT_PORT') => {
    const [childName, portName] = reference.split('/') as [string, string];
    const childAddress = componentAddress.group(address, childName);
    return { id: idOf(componentAddress.port(childAddress, kind, portName)), type: kind, groupId: idOf(childAddress), name: portName };
  };
  const endpoint = (reference: string, side: 'from' | 'to') =>
    reference.includes('/') ? childPort(reference, side === 'from' ? 'OUTPUT_PORT' : 'INPUT_PORT') : { ...componentIds.get(reference)!, name: reference };
  const addresses = connectionAddresses(address, group.connections);
  const connections = group.connections.map((connection, index) => {
    const source = endpoint(connection.from, 'from');
    const destination = endpoint(connection.to, 'to');
    return {
      identifier: idOf(addresses[index]!),
      name: connection.name ?? '',
      source,
      destination,
      selectedRelationships: connection.relationships,
      backPressureObjectThreshold: connection.backPressure?.objects ?? 10_000,
      backPressureDataSizeThreshold: connection.backPressure?.size ?? '1 GB',
      flowFileExpiration: connection.expiration ?? '0 sec',
      prioritizers: connection.prioritizers.map((prioritizer) => prioritizers[prioritizer]),
      loadBalanceStrategy: loadBalanceStrategies[connection.loadBalance],
      // Only when set: a flow without clustered queues compiles exactly as before (its definition hash stays).
      ...(connection.partitionAttribute !== undefined ? { partitioningAttribute: connection.partitionAttribute } : {}),
      loadBalanceCompression: loadBalanceCompressions[connection.compression],
      bends: [],
      labelIndex: 1,
      zIndex: 0,
      componentType: 'CONNECTION',
      groupIdentifier: identifier,
    } as unknown as NifiSchemas['VersionedConnection'];
  });
  return {
    identifier,
    name: group.name,
    comments: group.description ?? '',
    position: { x: 0, y: 0 },
    processors,
    controllerServices,
    inputPorts,
    outputPorts,
    funnels,
    connections,
    processGroups,
    labels: [],
    remoteProcessGroups: [],
    componentType: 'PROCESS_GROUP',
    parameterContextName: context.parameterContextName,
    ...(parentIdentifier ? { groupIdentifier: parentIdentifier } : {}),
    executionEngine: 'INHERITED',
    scheduledState: 'ENABLED',
    flowFileConcurrency: 'UNBOUNDED',
    flowFileOutboundPolicy: 'STREAM_WHEN_AVAILABLE',
    defaultFlowFileExpiration: '0 sec',
    defaultBackPressureObjectThreshold: 10_000,
    defaultBackPressureDataSizeThreshold: '1 GB',
  } as NifiSchemas['VersionedProcessGroup'];
}

/** A reference to a shared service: NiFi resolves the external entry by name to the parent group's service on upload and replace. */
function sharedService(name: string, context: CompileContext): { name: string; identifier: string } | undefined {
  if (resolveServiceReference(name, [], context.sharedServices) !== 'shared') return undefined;
  const identifier = sharedServicePlaceholder(name);
  context.externalServices[identifier] = { identifier, name };
  return { name, identifier };
}

/** The installed type for a short or fully-qualified name, as @dataplat/nifi resolves it; the error says where. */
function resolveType(types: readonly ExtensionType[], name: string, kind: 'processor' | 'controllerService', where: string): ExtensionType {
  try {
    return matchExtensionType(types, kind, name);
  } catch (error) {
    throw new DataplatError({ code: 'FLOWS_UNKNOWN_TYPE', message: `${where}: ${(error as Error).message}`, cause: error });
  }
}

/** Left-to-right, top-to-bottom positions, 400 × 200 apart: readable in the NiFi UI and stable. */
function gridPositions(): () => { x: number; y: number } {
  let index = 0;
  return () => {
    const position = { x: (index % 4) * 400, y: Math.floor(index / 4) * 200 };
    index++;
    return position;
  };
}
