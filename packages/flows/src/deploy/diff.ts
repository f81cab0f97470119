// What differs between the compiled definition (the code) and what NiFi has (a downloaded definition),
// component by component, matched by their versioned identifiers. Positions are cosmetic and ignored;
// properties are compared as far as the code sets them.
import type { FlowDefinition, NifiSchemas } from '@dataplat/nifi';

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

export function diffDefinitions(desired: FlowDefinition, live: FlowDefinition): ComponentChange[] {
  const changes: ComponentChange[] = [];
  diffGroup(desired.flowContents!, live.flowContents!, desired.flowContents!.name ?? '', changes);
  return changes;
}

function diffGroup(desired: Group, live: Group, address: string, changes: ComponentChange[]): void {
  diffCollection('processor', `${address}/processors`, desired.processors ?? [], live.processors ?? [], processorFields, changes);
  diffCollection('controller service', `${address}/services`, desired.controllerServices ?? [], live.controllerServices ?? [], serviceFields, changes);
  diffCollection('input port', `${address}/inputPorts`, desired.inputPorts ?? [], live.inputPorts ?? [], nameOnly, changes);
  diffCollection('output port', `${address}/outputPorts`, desired.outputPorts ?? [], live.outputPorts ?? [], nameOnly, changes);
  diffCollection('funnel', `${address}/funnels`, desired.funnels ?? [], live.funnels ?? [], () => [], changes);
  diffCollection('connection', `${address}/connections`, desired.connections ?? [], live.connections ?? [], connectionFields, changes);
  const liveGroups = new Map((live.processGroups ?? []).map((group) => [group.identifier, group]));
  for (const group of desired.processGroups ?? []) {
    const match = liveGroups.get(group.identifier);
    const childAddress = `${address}/groups/${group.name}`;
    if (!match) changes.push({ address: childAddress, kind: 'process group', action: 'create', changes: [] });
    else diffGroup(group, match, childAddress, changes);
    liveGroups.delete(group.identifier);
  }
  for (const group of liveGroups.values()) changes.push({ address: `${address}/groups/${group.name}`, kind: 'process group', action: 'delete', changes: [] });
}

function diffCollection<Item extends Component>(
  kind: ComponentChange['kind'],
  address: string,
  desired: Item[],
  live: Item[],
  fields: (desired: Item, live: Item) => FieldChange[],
  changes: ComponentChange[],
): void {
  const liveById = new Map(live.map((item) => [item.identifier, item]));
  for (const item of desired) {
    const match = liveById.get(item.identifier);
    const itemAddress = `${address}/${describe(item)}`;
    if (!match) changes.push({ address: itemAddress, kind, action: 'create', changes: [] });
    else {
      const fieldChanges = fields(item, match);
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

function propertiesChanges(changes: FieldChange[], desired: Record<string, string | null> | undefined, live: Record<string, string | null> | undefined): void {
  // Only properties the code sets: the rest keep NiFi's values (often defaults the export spells out).
  for (const [name, value] of Object.entries(desired ?? {})) compare(changes, `properties.${name}`, live?.[name], value);
}

function processorFields(desired: NifiSchemas['VersionedProcessor'], live: NifiSchemas['VersionedProcessor']): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(changes, 'name', live.name, desired.name);
  compare(changes, 'type', live.type, desired.type);
  propertiesChanges(changes, desired.properties as Record<string, string | null>, live.properties as Record<string, string | null>);
  compare(changes, 'schedulingStrategy', live.schedulingStrategy, desired.schedulingStrategy);
  compare(changes, 'schedulingPeriod', live.schedulingPeriod, desired.schedulingPeriod);
  compare(changes, 'concurrentlySchedulableTaskCount', live.concurrentlySchedulableTaskCount, desired.concurrentlySchedulableTaskCount);
  compareSet(changes, 'autoTerminatedRelationships', live.autoTerminatedRelationships, desired.autoTerminatedRelationships);
  compareSet(changes, 'retriedRelationships', live.retriedRelationships, desired.retriedRelationships);
  compare(changes, 'penaltyDuration', live.penaltyDuration, desired.penaltyDuration);
  compare(changes, 'yieldDuration', live.yieldDuration, desired.yieldDuration);
  compare(changes, 'disabled', live.scheduledState === 'DISABLED', desired.scheduledState === 'DISABLED');
  return changes;
}

function serviceFields(desired: NifiSchemas['VersionedControllerService'], live: NifiSchemas['VersionedControllerService']): FieldChange[] {
  const changes: FieldChange[] = [];
  compare(changes, 'name', live.name, desired.name);
  compare(changes, 'type', live.type, desired.type);
  propertiesChanges(changes, desired.properties as Record<string, string | null>, live.properties as Record<string, string | null>);
  return changes;
}

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
  return changes;
}
