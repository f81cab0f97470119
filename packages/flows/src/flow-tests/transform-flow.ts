// A flow under test → the flow model of one case's temporary copy, which the flow compiler then turns
// into NiFi components exactly as for production. What changes: the names (so nothing is shared with the
// deployment), a GenerateFlowFile per input queued before its processor, stubbed processors replaced by
// capture funnels, expected relationships also routed into capture funnels, parameter overrides, no
// Airflow triggers, and services nothing left uses removed (a stubbed database needs no connection pool).
import type { ConnectionModel, Flow, ProcessorModel } from '../model/flow-schema.ts';
import { expandTriggers, triggerGroupName } from '../compile/expand-triggers.ts';
import { triggeredRelationships, triggerPointPrefix, type FlowTestCase, type TestPoint } from './load-test-file.ts';

/** NiFi 2.3.0's GenerateFlowFile property keys (read from the server: "Custom Text" is only the display name of `generate-ff-custom-text`). */
export const generateFlowFileKeys = { customText: 'generate-ff-custom-text', batchSize: 'Batch Size', dataFormat: 'Data Format', uniqueFlowFiles: 'Unique FlowFiles', characterSet: 'character-set' } as const;

export interface TestCopy {
  /** The copy's flow model, ready for compileFlow. */
  flow: Flow;
  /** The generators feeding the inputs, in input order: each is run once. */
  generators: string[];
  /** The flow's own sources the case triggers: each is run once too. */
  triggered: string[];
  /** The processors that run in the copy: everything fed by a connection, except disabled ones. Sources (a ListenHTTP) stay stopped. */
  started: string[];
  /** Each expectation's point (by `pointKey`) → the funnel (or output port) of the copy holding what arrives there. */
  captures: Map<string, string>;
  /** Parameters read from an environment variable that is not set: left without a value in the copy. */
  unsetParameters: string[];
}

export function pointKey(point: TestPoint): string {
  if (point.kind === 'relationship') return `${point.processor}.${point.relationship}`;
  if (point.kind === 'trigger') return `${triggerPointPrefix}${point.trigger}`;
  return point.kind === 'capture' ? point.processor : point.kind === 'funnel' ? point.funnel : point.port;
}

/** The funnel of the copy that holds what reaches a point (a stub's name, `processor.relationship`). */
export function captureName(key: string): string {
  return `test capture ${key}`;
}

/** The names the copy's own components get: unlike any name a flow uses (spaces around a word no flow name starts with). */
const copyNames = {
  generator: (index: number) => `test input ${index + 1}`,
  capture: captureName,
};

export function buildTestCopy(testCase: FlowTestCase, names: { groupName: string; contextName: string; marker: string }, env: NodeJS.ProcessEnv): TestCopy {
  const original = testCase.flow;
  const processors: Record<string, ProcessorModel> = structuredClone(original.processors);
  let connections: ConnectionModel[] = structuredClone(original.connections);
  const funnels = [...original.funnels];
  const captures = new Map<string, string>();

  // Stubs: the processor goes, a funnel takes what was sent to it; its outgoing connections go with it.
  for (const stubbed of Object.keys(testCase.stubs)) {
    delete processors[stubbed];
    const funnel = copyNames.capture(stubbed);
    funnels.push(funnel);
    captures.set(pointKey({ kind: 'capture', processor: stubbed }), funnel);
    connections = connections.filter((connection) => connection.from !== stubbed).map((connection) => (connection.to === stubbed ? { ...connection, to: funnel } : connection));
  }

  // Triggers are left out of copies (they would call Airflow): the relationships they fired on are dropped instead,
  // as auto-terminated, so the processor stays valid; an expectation there routes them to its capture below.
  // Triggers a case expects stay, compiled as in production up to the call to Airflow, which a capture replaces.
  const expectedTriggers = original.triggers.filter((trigger) => testCase.expectations.some(({ point }) => point.kind === 'trigger' && point.trigger === trigger.name));
  const keptTriggerSources = new Set(expectedTriggers.map((trigger) => trigger.when));
  for (const [name, processor] of Object.entries(processors)) {
    const connected = new Set(connections.filter((connection) => connection.from === name).flatMap((connection) => connection.relationships));
    const unhandled = triggeredRelationships(original, name).filter((relationship) => !connected.has(relationship) && !processor.autoTerminate.includes(relationship) && !keptTriggerSources.has(`${name}:${relationship}`));
    if (unhandled.length > 0) processors[name] = { ...processor, autoTerminate: [...processor.autoTerminate, ...unhandled] };
  }

  for (const { point } of testCase.expectations) {
    const key = pointKey(point);
    if (captures.has(key)) continue;
    if (point.kind === 'funnel') captures.set(key, point.funnel);
    // The copy's own output ports are never started: what reaches one waits in the queue into it.
    if (point.kind === 'output-port') captures.set(key, point.port);
    if (point.kind === 'trigger') captures.set(key, captureName(key));
    if (point.kind !== 'relationship') continue;
    // One more connection of the relationship: NiFi sends each connection of a relationship its own copy,
    // so the flow downstream runs as before. An auto-terminated relationship is routed instead of dropped.
    const funnel = copyNames.capture(key);
    funnels.push(funnel);
    captures.set(key, funnel);
    const processor = processors[point.processor]!;
    processor.autoTerminate = processor.autoTerminate.filter((relationship) => relationship !== point.relationship);
    connections.push(captureConnection(point.processor, point.relationship, funnel));
  }

  const generators = testCase.inputs.map((input, index) => {
    const name = copyNames.generator(index);
    processors[name] = generatorFor(input.content, input.attributes);
    connections.push({ ...captureConnection(name, 'success', input.before) });
    return name;
  });

  const unsetParameters: string[] = [];
  const parameters = Object.fromEntries(
    Object.entries(original.parameters).map(([name, parameter]) => {
      const override = testCase.parameters[name];
      if (override !== undefined) return [name, { value: override, ...(parameter.sensitive !== undefined ? { sensitive: parameter.sensitive } : {}), ...(parameter.description ? { description: parameter.description } : {}) }];
      if (parameter.fromEnv !== undefined && env[parameter.fromEnv] === undefined) {
        unsetParameters.push(name);
        const { fromEnv: _unset, ...rest } = parameter;
        return [name, rest];
      }
      return [name, parameter];
    }),
  );

  const fed = new Set(connections.map((connection) => connection.to));
  const started = Object.entries(processors)
    .filter(([name, processor]) => fed.has(name) && processor.state !== 'disabled' && !generators.includes(name) && !testCase.triggers.includes(name))
    .map(([name]) => name);
  for (const [name, processor] of Object.entries(processors)) processors[name] = { ...processor, state: processor.state === 'disabled' ? 'disabled' : 'stopped' };

  const services = usedServices(original.services, [processors, ...nestedProcessors(original.groups)]);
  const copied: Flow = {
    ...structuredClone(original),
    name: names.groupName,
    description: names.marker,
    parameterContext: names.contextName,
    parameters,
    processors,
    connections,
    funnels,
    services,
    // Triggers would call Airflow: only the expected ones stay, without the call. Environments and adopted identifiers belong to deployments.
    triggers: expectedTriggers,
    environments: {},
    identifiers: {},
  };
  const flow = withCapturedTriggers(copied, expectedTriggers);
  // Only the unset parameters something left in the copy refers to are worth a note.
  const references = JSON.stringify([processors, services, original.groups]);
  return { flow, generators, triggered: [...new Set(testCase.triggers)], started, captures, unsetParameters: unsetParameters.filter((name) => references.includes(`#{${name}}`)) };
}

/**
 * The expected triggers compiled into their groups (as compileFlow would), each with its call to Airflow replaced by a
 * capture funnel, so what reaches it is the request body Airflow would get. The token service and what only followed
 * the call go too. Asset-event triggers get asset id 0 (plan looks Airflow's up; a test doesn't talk to Airflow).
 */
function withCapturedTriggers(flow: Flow, triggers: Flow['triggers']): Flow {
  if (triggers.length === 0) return flow;
  const assetIds = Object.fromEntries(triggers.flatMap((trigger) => (trigger.assetEvent ? [[trigger.assetEvent.uri, 0]] : [])));
  const expanded = expandTriggers(flow, assetIds);
  const groups = expanded.groups.map((group) => {
    const trigger = triggers.find((candidate) => triggerGroupName(candidate) === group.name);
    if (!trigger) return group;
    const capture = captureName(`${triggerPointPrefix}${trigger.name}`);
    const afterCall = new Set(['call airflow', ...group.connections.filter((connection) => connection.from === 'call airflow').map((connection) => connection.to).filter((name) => name in group.processors)]);
    return {
      ...group,
      services: {},
      processors: Object.fromEntries(Object.entries(group.processors).filter(([name]) => !afterCall.has(name))),
      funnels: [...group.funnels, capture],
      connections: group.connections.filter((connection) => !afterCall.has(connection.from)).map((connection) => (connection.to === 'call airflow' ? { ...connection, to: capture } : connection)),
    };
  });
  return { ...expanded, groups, triggers: [] };
}

function captureConnection(from: string, relationship: string, to: string): ConnectionModel {
  return { from, to, relationships: [relationship], prioritizers: [], loadBalance: 'none', compression: 'none' };
}

/**
 * A GenerateFlowFile that makes exactly this flowfile when run once: the content as custom text, the attributes as
 * dynamic properties. Both are Expression Language and parameter-reference positions, so `${` and `#{` are escaped.
 */
function generatorFor(content: string, attributes: Record<string, string>): ProcessorModel {
  return {
    type: 'GenerateFlowFile',
    properties: {
      [generateFlowFileKeys.customText]: escapeNifiValue(content),
      [generateFlowFileKeys.batchSize]: '1',
      [generateFlowFileKeys.dataFormat]: 'Text',
      [generateFlowFileKeys.uniqueFlowFiles]: 'false',
      [generateFlowFileKeys.characterSet]: 'UTF-8',
      ...Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, escapeNifiValue(value)])),
    },
    schedule: { strategy: 'timer', period: '1 day', concurrency: 1 },
    autoTerminate: [],
    state: 'stopped',
  };
}

/**
 * A literal in a NiFi property that evaluates Expression Language and parameter references (GenerateFlowFile's custom
 * text and dynamic properties). Each `$` or `#` of a run right before `{` becomes the expression `${literal('$')}` or
 * `${literal('#')}`, so no `${` or `#{` is left. NiFi 2.3.0's own escapes can't be used for `#`: it drops the text
 * before an escaped `##{` ("a ##{b}" → "##{b}", checked on the server); `$${` works but `$` before `#{` would pair up.
 */
export function escapeNifiValue(text: string): string {
  return text.replaceAll(/[$#]+\{/g, (match) => `${[...match.slice(0, -1)].map((character) => `\${literal('${character}')}`).join('')}{`);
}

/** The services the remaining processors refer to (`service:<name>`), and the services those refer to. */
function usedServices(services: Flow['services'], processorSets: ReadonlyArray<Record<string, ProcessorModel>>): Flow['services'] {
  const used = new Set<string>();
  const visit = (properties: Record<string, string | null>) => {
    for (const value of Object.values(properties)) {
      const name = value?.startsWith('service:') ? value.slice('service:'.length) : undefined;
      if (name && !used.has(name) && services[name]) {
        used.add(name);
        visit(services[name].properties);
      }
    }
  };
  for (const processors of processorSets) for (const processor of Object.values(processors)) visit(processor.properties);
  return Object.fromEntries(Object.entries(services).filter(([name]) => used.has(name)));
}

function nestedProcessors(groups: Flow['groups']): Array<Record<string, ProcessorModel>> {
  return groups.flatMap((group) => [group.processors, ...nestedProcessors(group.groups)]);
}
