// Checks that need the whole flow (the schema checks each value on its own): references by name,
// duplicate names, parameters, triggers, cycles that can never drain, and what a cluster needs (which node
// runs a source, how a queue is load-balanced). All offline.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { triggerGroupName, triggerSource } from '../compile/expand-triggers.ts';
import { listingSourceTraits } from '../model/cluster-sources.ts';
import type { Flow, GroupModel } from '../model/flow-schema.ts';
import { hasOwnKey, ownEntry } from '../model/own-keys.ts';

export type Place = (path: ReadonlyArray<string | number>, key?: boolean) => Pick<Diagnostic, 'file' | 'range' | 'pointer' | 'path'>;

export const parameterReference = /#\{([^}]+)\}/g;

export function checkFlow(flow: Flow, place: Place): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, path: ReadonlyArray<string | number>, hint?: string, key = false) =>
    diagnostics.push({ severity: 'error', code, message, hint, ...place(path, key) });
  const warning = (code: string, message: string, path: ReadonlyArray<string | number>, hint?: string) =>
    diagnostics.push({ severity: 'warning', code, message, hint, ...place(path) });

  checkGroup(flow, [], [], { error, warning });

  // Parameters: every #{reference} is declared (with inherited contexts, checkContextGraph checks the
  // whole chain, across files); every declared parameter can get a value.
  const declared = new Set(Object.keys(flow.parameters));
  if (flow.inherits.length === 0) {
    forEachProperty(flow, [], (value, path) => {
      for (const match of value.matchAll(parameterReference)) {
        if (!declared.has(match[1]!)) {
          error('parameter/undeclared', `Parameter "${match[1]}" is used but not declared.`, path, `Declare it under parameters: (e.g. ${match[1]}: { value: … }).`);
        }
      }
    });
  }
  checkParameters(flow, 'flow', { error, warning });

  // The flow's own output ports lead out of its group, where nothing reads them unless wired by hand.
  flow.outputPorts.forEach((port, index) => {
    warning('port/unread-output', `Output port "${port}" leads out of the flow's group, where nothing reads it: NiFi holds such a port invalid and flowfiles sent to it queue up.`, ['outputPorts', index], 'Connect it in the parent group in NiFi, or end the flow in processors (and fire triggers on processor:relationship).');
  });

  // Triggers fire when data reaches an output port or a processor's relationship.
  const triggerNames = new Set<string>();
  const reportedPasswords = new Set<string>();
  flow.triggers.forEach((trigger, index) => {
    if (triggerNames.has(trigger.name)) error('name/duplicate', `Two triggers are named "${trigger.name}".`, ['triggers', index, 'name']);
    triggerNames.add(trigger.name);
    if (Boolean(trigger.dagRun) === Boolean(trigger.assetEvent)) {
      error('trigger/action', `Trigger "${trigger.name}" needs exactly one of dagRun and assetEvent.`, ['triggers', index]);
    }
    if (!triggerSource(flow, trigger.when)) {
      error('trigger/unknown-source', `Trigger "${trigger.name}" fires on "${trigger.when}", which is neither an output port nor processor:relationship of the flow.`, ['triggers', index, 'when'], `Known output ports: ${flow.outputPorts.join(', ') || 'none'}; processors: ${Object.keys(flow.processors).join(', ') || 'none'}.`);
    }
    if (flow.groups.some((group) => group.name === triggerGroupName(trigger))) {
      error('name/duplicate', `The trigger "${trigger.name}" compiles to a group named "${triggerGroupName(trigger)}", which the flow already has.`, ['triggers', index, 'name']);
    }
    // Airflow's address and credentials come from parameters: they must exist, and the password must be secret.
    for (const [role, parameterName] of [['url', trigger.airflow.url], ['username', trigger.airflow.username], ['password', trigger.airflow.password]] as const) {
      const parameter = ownEntry(flow.parameters, parameterName);
      const where = ['triggers', index, 'airflow', role];
      if (!parameter) {
        // Inherited from a shared context: checkContextGraph checks the chain (across files).
        if (flow.inherits.length > 0) continue;
        error('trigger/undeclared-parameter', `Trigger "${trigger.name}" reads the Airflow ${role} from parameter "${parameterName}", which the flow does not declare.`, where, role === 'password' ? `Declare it: ${parameterName}: { fromEnv: AIRFLOW_PASSWORD, sensitive: true }.` : `Declare it under parameters: (e.g. ${parameterName}: { value: … }).`);
      } else if (role === 'password' && !parameter.sensitive && !reportedPasswords.has(parameterName)) {
        reportedPasswords.add(parameterName);
        error('trigger/password-not-sensitive', `Parameter "${parameterName}" holds the Airflow password of trigger "${trigger.name}" but is not sensitive.`, ['parameters', parameterName], 'Mark it sensitive: true and read it with fromEnv.');
      }
    }
    if (trigger.airflow.sslContextService && !hasOwnKey(flow.services, trigger.airflow.sslContextService)) {
      error('reference/unknown-service', `Trigger "${trigger.name}" uses SSL context service "${trigger.airflow.sslContextService}", which the flow does not define.`, ['triggers', index, 'airflow', 'sslContextService'], 'Define a StandardSSLContextService under services:.');
    }
  });
  return diagnostics;
}

type Report = (code: string, message: string, path: ReadonlyArray<string | number>, hint?: string, key?: boolean) => void;

/** The rules of parameters, for a flow's own and a shared context's: one source each, no secret in the file, overrides of declared ones only. */
export function checkParameters(
  owner: { parameters: Flow['parameters']; environments: Flow['environments'] },
  kind: 'flow' | 'context',
  report: { error: Report; warning: Report },
): void {
  const { error, warning } = report;
  for (const [name, parameter] of Object.entries(owner.parameters)) {
    if (parameter.asset && (parameter.value !== undefined || parameter.fromEnv !== undefined || parameter.sensitive !== undefined)) {
      error('parameter/asset-exclusive', `Parameter "${name}" is an asset and also has ${['value', 'fromEnv', 'sensitive'].filter((key) => parameter[key as 'value' | 'fromEnv' | 'sensitive'] !== undefined).join(', ')}.`, ['parameters', name, 'asset'], 'An asset parameter takes its value from the asset (its path on the nodes): drop the others.', true);
      continue;
    }
    if (parameter.asset) continue;
    if (parameter.value !== undefined && parameter.fromEnv !== undefined) {
      error('parameter/two-sources', `Parameter "${name}" has both value and fromEnv.`, ['parameters', name], 'Keep one of them.');
    } else if (parameter.value === undefined && parameter.fromEnv === undefined) {
      warning('parameter/no-value', `Parameter "${name}" has no value and no fromEnv.`, ['parameters', name], 'Give it a value, or fromEnv to read it from the environment at apply time.');
    }
    if (parameter.sensitive && parameter.value !== undefined) {
      error('parameter/sensitive-in-file', `Sensitive parameter "${name}" has its value written in the file.`, ['parameters', name, 'value'], 'Use fromEnv: secrets do not belong in version control.');
    }
  }
  for (const [environment, overlay] of Object.entries(owner.environments)) {
    for (const name of Object.keys(overlay.parameters)) {
      if (!hasOwnKey(owner.parameters, name)) error('environment/unknown-parameter', `Environment "${environment}" sets parameter "${name}", which the ${kind} does not declare.`, ['environments', environment, 'parameters', name], undefined, true);
    }
  }
}

function checkGroup(group: GroupModel, path: Array<string | number>, ancestorServices: string[], report: { error: Report; warning: Report }): void {
  const { error } = report;
  // One namespace per group: connections say `from: x` without saying what x is.
  const owners = new Map<string, string>();
  const claim = (name: string, kind: string, where: Array<string | number>, key: boolean) => {
    const previous = owners.get(name);
    if (previous) error('name/duplicate', `"${name}" names both a ${previous} and a ${kind} in this group.`, where, 'Names are how connections refer to components: make them unique within the group.', key);
    else owners.set(name, kind);
  };
  for (const name of Object.keys(group.processors)) claim(name, 'processor', [...path, 'processors', name], true);
  group.inputPorts.forEach((name, index) => claim(name, 'input port', [...path, 'inputPorts', index], false));
  group.outputPorts.forEach((name, index) => claim(name, 'output port', [...path, 'outputPorts', index], false));
  group.funnels.forEach((name, index) => claim(name, 'funnel', [...path, 'funnels', index], false));
  group.groups.forEach((child, index) => claim(child.name, 'group', [...path, 'groups', index, 'name'], false));

  const services = [...Object.keys(group.services), ...ancestorServices];
  for (const [name, processor] of Object.entries(group.processors)) {
    for (const [property, value] of Object.entries(processor.properties)) {
      if (value?.startsWith('service:') && !services.includes(value.slice('service:'.length))) {
        error('reference/unknown-service', `Property "${property}" of "${name}" refers to controller service "${value.slice(8)}", which is not defined here or in an enclosing group.`, [...path, 'processors', name, 'properties', property], services.length ? `Defined services: ${services.join(', ')}.` : 'Define it under services:.');
      }
    }
  }

  const children = new Map(group.groups.map((child) => [child.name, child]));
  const edges = new Map<string, string[]>();
  group.connections.forEach((connection, index) => {
    const where = [...path, 'connections', index];
    const source = resolveEndpoint(connection.from, 'from', owners, children);
    const destination = resolveEndpoint(connection.to, 'to', owners, children);
    if (!source.ok) error('connection/unknown-endpoint', `Connection source "${connection.from}" ${source.reason}.`, [...where, 'from'], endpointHint(owners, children));
    if (!destination.ok) error('connection/unknown-endpoint', `Connection destination "${connection.to}" ${destination.reason}.`, [...where, 'to'], endpointHint(owners, children));
    if (source.ok && source.kind === 'processor' && connection.relationships.length === 0) {
      error('connection/missing-relationships', `The connection from processor "${connection.from}" names no relationship.`, where, 'Add relationships: [success] (or the relationships to route).');
    }
    if (source.ok && source.kind !== 'processor' && connection.relationships.length > 0) {
      error('connection/relationships-not-allowed', `Only connections from processors have relationships; "${connection.from}" is a ${source.kind}.`, [...where, 'relationships']);
    }
    if (source.ok && destination.ok) edges.set(connection.from, [...(edges.get(connection.from) ?? []), connection.to]);
    if (source.ok && source.kind === 'processor') {
      const overlap = connection.relationships.filter((relationship) => group.processors[connection.from]!.autoTerminate.includes(relationship));
      if (overlap.length) error('connection/auto-terminated', `Relationship(s) ${overlap.join(', ')} of "${connection.from}" are both connected and auto-terminated.`, [...where, 'relationships'], 'Remove them from autoTerminate or from the connection.');
    }
  });

  for (const cycle of stuckCycles(group, edges)) {
    error('connection/cycle-cannot-drain', `The components ${cycle.join(' → ')} form a loop with no way out: flowfiles entering it can never leave.`, [...path, 'connections'], 'Give one of them an auto-terminated relationship or a connection leaving the loop.');
  }

  checkClusterSettings(group, path, report);
  group.groups.forEach((child, index) => checkGroup(child, [...path, 'groups', index], services, report));
}

/** What a cluster needs: primary-only processors are sources, listing sources run once, partitioned queues name their attribute. */
function checkClusterSettings(group: GroupModel, path: Array<string | number>, { error, warning }: { error: Report; warning: Report }): void {
  const fedProcessors = new Set(group.connections.map((connection) => connection.to));
  for (const [name, processor] of Object.entries(group.processors)) {
    const where = [...path, 'processors', name];
    const listing = listingSourceTraits(processor.type);
    if (processor.executionNode === 'primary' && fedProcessors.has(name)) {
      error(
        'processor/primary-with-incoming-connection',
        `"${name}" runs on the primary node only but has an incoming connection: NiFi holds it invalid ("Processors with incoming connections cannot be scheduled for Primary Node Only").`,
        [...where, 'executionNode'],
        'Only sources run on the primary node only: remove executionNode: primary, or the connection into it.',
      );
    } else if (listing?.primaryNodeOnly && processor.executionNode === 'all') {
      warning(
        'processor/primary-node-only-type',
        `NiFi runs ${processor.type} on the primary node only (the type is @PrimaryNodeOnly): executionNode: all has no effect.`,
        [...where, 'executionNode'],
        'Remove executionNode, or write executionNode: primary.',
      );
    } else if (listing && !listing.primaryNodeOnly && processor.executionNode === undefined && !fedProcessors.has(name)) {
      warning(
        'processor/listing-on-all-nodes',
        `"${name}" (${processor.type}) lists or polls one shared source and runs on all nodes: on a cluster every node would list the same source and emit the same data.`,
        [...where, 'type'],
        'Add executionNode: primary (NiFi standalone runs it as before); write executionNode: all if each node really reads its own source (e.g. its local disk).',
      );
    }
  }
  group.connections.forEach((connection, index) => {
    const where = [...path, 'connections', index];
    const partitioned = connection.loadBalance === 'partition-by-attribute';
    if (partitioned && connection.partitionAttribute === undefined) {
      error('connection/partition-attribute-missing', `The connection from "${connection.from}" is partitioned by attribute but names no attribute.`, [...where, 'loadBalance'], 'Add partitionAttribute: <attribute> (flowfiles with one value of it go to one node).');
    }
    if (!partitioned && connection.partitionAttribute !== undefined) {
      error('connection/partition-attribute-not-used', `partitionAttribute only applies to loadBalance partition-by-attribute; this connection's is ${connection.loadBalance}.`, [...where, 'partitionAttribute'], 'Write loadBalance: partition-by-attribute, or remove partitionAttribute.', true);
    }
    if (connection.loadBalance === 'none' && connection.compression !== 'none') {
      warning('connection/compression-without-load-balance', `compression ${connection.compression} has no effect: the connection from "${connection.from}" is not load-balanced, so its flowfiles never move between nodes.`, [...where, 'compression'], 'Set loadBalance, or remove compression.');
    }
  });
}

type Endpoint = { ok: true; kind: string } | { ok: false; reason: string };

function resolveEndpoint(reference: string, side: 'from' | 'to', owners: Map<string, string>, children: Map<string, GroupModel>): Endpoint {
  const slash = reference.indexOf('/');
  if (slash >= 0) {
    const child = children.get(reference.slice(0, slash));
    const port = reference.slice(slash + 1);
    if (!child) return { ok: false, reason: `names group "${reference.slice(0, slash)}", which is not a child group here` };
    // Data leaves a child group through its output ports and enters through its input ports.
    const ports = side === 'from' ? child.outputPorts : child.inputPorts;
    return ports.includes(port) ? { ok: true, kind: side === 'from' ? 'output port' : 'input port' } : { ok: false, reason: `names no ${side === 'from' ? 'output' : 'input'} port "${port}" of group "${child.name}"` };
  }
  const kind = owners.get(reference);
  if (!kind) return { ok: false, reason: 'is not a processor, port or funnel of this group' };
  if (kind === 'group') return { ok: false, reason: `is a group; connect to one of its ports as "${reference}/<port>"` };
  if (side === 'from' && kind === 'output port') return { ok: false, reason: 'is an output port of this group: data leaves through it, it cannot be a source here' };
  if (side === 'to' && kind === 'input port') return { ok: false, reason: 'is an input port of this group: data enters through it, it cannot be a destination here' };
  return { ok: true, kind };
}

function endpointHint(owners: Map<string, string>, children: Map<string, GroupModel>): string {
  const names = [...owners].filter(([, kind]) => kind !== 'group').map(([name]) => name);
  const ports = [...children.values()].flatMap((child) => [...child.inputPorts, ...child.outputPorts].map((port) => `${child.name}/${port}`));
  return `Known here: ${[...names, ...ports].join(', ') || 'nothing yet'}.`;
}

/** Strongly connected loops from which nothing leaves (no edge out, no auto-termination, no output port). */
function stuckCycles(group: GroupModel, edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component.reverse());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return components.filter((component) => {
    const members = new Set(component);
    const isLoop = component.length > 1 || (edges.get(component[0]!) ?? []).includes(component[0]!);
    if (!isLoop) return false;
    const leaves = component.some((member) => {
      const processor = ownEntry(group.processors, member);
      if (processor && processor.autoTerminate.length > 0) return true;
      if (group.outputPorts.includes(member) || member.includes('/')) return true;
      return (edges.get(member) ?? []).some((next) => !members.has(next));
    });
    return !leaves;
  });
}

export function forEachProperty(group: GroupModel, path: Array<string | number>, visit: (value: string, path: Array<string | number>) => void): void {
  for (const [name, processor] of Object.entries(group.processors)) {
    for (const [property, value] of Object.entries(processor.properties)) if (value) visit(value, [...path, 'processors', name, 'properties', property]);
  }
  for (const [name, service] of Object.entries(group.services)) {
    for (const [property, value] of Object.entries(service.properties)) if (value) visit(value, [...path, 'services', name, 'properties', property]);
  }
  group.groups.forEach((child, index) => forEachProperty(child, [...path, 'groups', index], visit));
}
