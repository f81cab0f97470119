// What differs between the compiled definition (the code) and what NiFi has (a downloaded definition),
// component by component, matched by their versioned identifiers. Positions are cosmetic and ignored;
// properties are compared as far as the code sets them, under the names NiFi keeps them by.
import type { FlowDefinition, NifiSchemas } from '@dataplat/nifi';
import { executionNodes, loadBalanceCompressions, loadBalanceStrategies } from '../model/nifi-vocabulary.ts';
import { renamedPropertyName, type PropertyNameNote } from '../model/property-names.ts';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface ComponentChange {
  /** e.g. `iot-sensors/processors/receive`. */
  address: string;
  kind: 'processor' | 'connection' | 'controller service' | 'input port' | 'output port' | 'funnel' | 'process group';
  action: 'create' | 'update' | 'delete';
  changes: FieldChange[];
}

type Group = NifiSchemas['VersionedProcessGroup'];
type Component = { identifier?: string; name?: string };

export interface DiffOptions {
  /**
   * NiFi last imported exactly this definition (the marker's definition hash matches): a property key
   * NiFi has no entry for was then dropped or renamed by NiFi on import, not added to the code since.
   */
  appliedAsIs?: boolean | undefined;
}

export interface DefinitionDiff {
  components: ComponentChange[];
  /** Property keys of the code NiFi keeps under another name, or not at all (see PropertyNameNote). */
  propertyNames: PropertyNameNote[];
}

export function diffDefinitions(desired: FlowDefinition, live: FlowDefinition, options: DiffOptions = {}): DefinitionDiff {
  const flow = desired.flowContents!.name ?? '';
  const context: DiffContext = { changes: [], propertyNames: [], appliedAsIs: options.appliedAsIs ?? false, flow };
  diffGroup(desired.flowContents!, live.flowContents!, flow, [], context);
  return { components: context.changes, propertyNames: context.propertyNames };
}

interface DiffContext {
  changes: ComponentChange[];
  propertyNames: PropertyNameNote[];
  appliedAsIs: boolean;
  flow: string;
}

/** Compares one component's fields; `properties` compares the properties it sets as NiFi names them. */
type FieldsOf<Item> = (desired: Item, live: Item, properties: (changes: FieldChange[], desired: Properties | undefined, live: Properties | undefined) => void) => FieldChange[];
type Properties = Record<string, string | null>;

function diffGroup(desired: Group, live: Group, address: string, groups: string[], context: DiffContext): void {
  const collection = <Item extends Component>(kind: ComponentChange['kind'], folder: string, desiredItems: Item[] | undefined, liveItems: Item[] | undefined, fields: FieldsOf<Item>) =>
    diffCollection(kind, `${address}/${folder}`, desiredItems ?? [], liveItems ?? [], fields, context, groups);
  collection('processor', 'processors', desired.processors, live.processors, processorFields);
  collection('controller service', 'services', desired.controllerServices, live.controllerServices, serviceFields);
  collection('input port', 'inputPorts', desired.inputPorts, live.inputPorts, nameOnly);
  collection('output port', 'outputPorts', desired.outputPorts, live.outputPorts, nameOnly);
  collection('funnel', 'funnels', desired.funnels, live.funnels, () => []);
  collection('connection', 'connections', desired.connections, live.connections, connectionFields);
  const liveGroups = new Map((live.processGroups ?? []).map((group) => [group.identifier, group]));
  for (const group of desired.processGroups ?? []) {
    const match = liveGroups.get(group.identifier);
    const childAddress = `${address}/groups/${group.name}`;
    if (!match) context.changes.push({ address: childAddress, kind: 'process group', action: 'create', changes: [] });
    else diffGroup(group, match, childAddress, [...groups, group.name ?? ''], context);
    liveGroups.delete(group.identifier);
  }
  for (const group of liveGroups.values()) context.changes.push({ address: `${address}/groups/${group.name}`, kind: 'process group', action: 'delete', changes: [] });
}

function diffCollection<Item extends Component>(kind: ComponentChange['kind'], address: string, desired: Item[], live: Item[], fields: FieldsOf<Item>, context: DiffContext, groups: string[]): void {
  const { changes } = context;
  const liveById = new Map(live.map((item) => [item.identifier, item]));
  for (const item of desired) {
    const match = liveById.get(item.identifier);
    const itemAddress = `${address}/${describe(item)}`;
    if (!match) changes.push({ address: itemAddress, kind, action: 'create', changes: [] });
    else {
      const location = { groups, kind: kind === 'processor' ? ('processors' as const) : ('services' as const), name: item.name ?? '' };
      const fieldChanges = fields(item, match, (into, desiredProperties, liveProperties) =>
        propertiesChanges(into, desiredProperties, liveProperties, context.appliedAsIs ? (note) => context.propertyNames.push({ flow: context.flow, address: itemAddress, location, ...note }) : undefined),
      );
      if (fieldChanges.length) changes.push({ address: itemAddress, kind, action: 'update', changes: fieldChanges });
    }
    liveById.delete(item.identifier);
  }
  // In NiFi but not in the code: added in the UI (drift) or removed from the code.
  for (const item of liveById.values()) changes.push({ address: `${address}/${describe(item)}`, kind, action: 'delete', changes: [] });
}

function describe(item: Component & { source?: { name?: string }; destination?: { name?: string } }): string {
  if (item.name) return item.name;
  if (item.source && item.destination) return `${item.source.name}->${item.destination.name}`;
  return item.identifier ?? '?';
}

function compare(changes: FieldChange[], field: string, before: unknown, after: unknown): void {
  if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) changes.push({ field, before, after });
}

/** For lists whose order means nothing (relationships). */
function compareSet(changes: FieldChange[], field: string, before: unknown[] | undefined, after: unknown[] | undefined): void {
  compare(changes, field, before ? [...before].sort() : [], after ? [...after].sort() : []);
}

const nameOnly = (desired: Component, live: Component) => {
  const changes: FieldChange[] = [];
  compare(changes, 'name', live.name, desired.name);
  return changes;
};

/**
 * Only properties the code sets: the rest keep NiFi's values (often defaults the export spells out).
 * With `note` (NiFi imported exactly this code last), a key NiFi has no entry for was renamed or dropped
 * by NiFi on import: compared under the name it resembles (`record-writer` as `Record Writer`), so the
 * plan converges, and noted either way so the code can be fixed.
 */
function propertiesChanges(changes: FieldChange[], desired: Properties | undefined, live: Properties | undefined, note?: (note: { inCode: string; nifiName?: string }) => void): void {
  const liveProperties = live ?? {};
  const setInCode = desired ?? {};
  // Own keys only: a property named like an Object prototype member (`constructor`) is just a name.
  const liveValue = (name: string) => (Object.hasOwn(liveProperties, name) ? liveProperties[name] : undefined);
  for (const [name, value] of Object.entries(setInCode)) {
    if (note && value !== null && !Object.hasOwn(liveProperties, name)) {
      const nifiName = renamedPropertyName(name, value, liveProperties, setInCode);
      note(nifiName ? { inCode: name, nifiName } : { inCode: name });
      if (nifiName) {
        compare(changes, `properties.${nifiName}`, liveValue(nifiName), value);
        continue;
      }
    }
    compare(changes, `properties.${name}`, liveValue(name), value);
  }
}

const processorFields: FieldsOf<NifiSchemas['VersionedProcessor']> = (desired, live, properties) => {
  const changes: FieldChange[] = [];
  compare(changes, 'name', live.name, desired.name);
  compare(changes, 'type', live.type, desired.type);
  properties(changes, desired.properties as Properties, live.properties as Properties);
  compare(changes, 'schedulingStrategy', live.schedulingStrategy, desired.schedulingStrategy);
  compare(changes, 'schedulingPeriod', live.schedulingPeriod, desired.schedulingPeriod);
  compare(changes, 'concurrentlySchedulableTaskCount', live.concurrentlySchedulableTaskCount, desired.concurrentlySchedulableTaskCount);
  compareSet(changes, 'autoTerminatedRelationships', live.autoTerminatedRelationships, desired.autoTerminatedRelationships);
  compareSet(changes, 'retriedRelationships', live.retriedRelationships, desired.retriedRelationships);
  compare(changes, 'penaltyDuration', live.penaltyDuration, desired.penaltyDuration);
  compare(changes, 'yieldDuration', live.yieldDuration, desired.yieldDuration);
  compare(changes, 'disabled', live.scheduledState === 'DISABLED', desired.scheduledState === 'DISABLED');
  compare(changes, 'executionNode', live.executionNode ?? executionNodes.all, desired.executionNode ?? executionNodes.all);
  return changes;
};

const serviceFields: FieldsOf<NifiSchemas['VersionedControllerService']> = (desired, live, properties) => {
  const changes: FieldChange[] = [];
  compare(changes, 'name', live.name, desired.name);
  compare(changes, 'type', live.type, desired.type);
  properties(changes, desired.properties as Properties, live.properties as Properties);
  return changes;
};

function connectionFields(desired: NifiSchemas['VersionedConnection'], live: NifiSchemas['VersionedConnection']): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(changes, 'source', live.source?.id, desired.source?.id);
  compare(changes, 'destination', live.destination?.id, desired.destination?.id);
  // Connections made in the UI from ports and funnels carry [""] where uploaded ones carry [].
  const relationships = (list: string[] | undefined) => (list ?? []).filter((relationship) => relationship !== '');
  compareSet(changes, 'selectedRelationships', relationships(live.selectedRelationships), relationships(desired.selectedRelationships));
  compare(changes, 'backPressureObjectThreshold', live.backPressureObjectThreshold, desired.backPressureObjectThreshold);
  compare(changes, 'backPressureDataSizeThreshold', live.backPressureDataSizeThreshold, desired.backPressureDataSizeThreshold);
  compare(changes, 'flowFileExpiration', live.flowFileExpiration, desired.flowFileExpiration);
  compare(changes, 'prioritizers', live.prioritizers, desired.prioritizers);
  compare(changes, 'loadBalanceStrategy', live.loadBalanceStrategy, desired.loadBalanceStrategy);
  // The attribute counts only on a partitioned queue (NiFi ignores it on the others, and a definition may still carry one).
  if ((desired.loadBalanceStrategy as string | undefined) === loadBalanceStrategies['partition-by-attribute']) {
    compare(changes, 'partitioningAttribute', live.partitioningAttribute || undefined, desired.partitioningAttribute || undefined);
  }
  compare(changes, 'loadBalanceCompression', live.loadBalanceCompression ?? loadBalanceCompressions.none, desired.loadBalanceCompression ?? loadBalanceCompressions.none);
  return changes;
}
