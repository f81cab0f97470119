// One case's copy of a flow: stubs become capture funnels, inputs GenerateFlowFiles queued before their processor,
// expected relationships also flow into captures, triggers and unused services go, names and the parameter context
// are the copy's own — and the compiler turns it into a definition like any flow.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFlow, type TypeCatalog } from '../compile/compile-flow.ts';
import { checkFlow } from '../validate/check-flow.ts';
import { withInheritedParameters } from '../model/inherited-parameters.ts';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { loadFlowTestFile } from './load-test-file.ts';
import { buildTestCopy, escapeNifiValue, generateFlowFileKeys } from './transform-flow.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');
// As flows test loads them: what the flow inherits (examples-db) made its own parameters.
const sharedContexts = loadFlowFile('flows/shared-contexts.yaml', readFileSync(join(repositoryRoot, 'flows', 'shared-contexts.yaml'), 'utf8')).parameterContexts.map((placed) => placed.context);
const flows = loadFlowFile('flows/iot-sensors.yaml', readFileSync(join(repositoryRoot, 'flows', 'iot-sensors.yaml'), 'utf8')).flows.map((flow) => withInheritedParameters(flow, sharedContexts));
const names = { groupName: 'dataplat-flows-test abcd iot-sensors case 1', contextName: 'dataplat-flows-test abcd iot-sensors case 1', marker: 'managed-by: dataplat-flows-test\n{}' };

function caseOf(lines: string[]) {
  const loaded = loadFlowTestFile('t.test.yaml', ['flow: iot-sensors', 'cases:', ...lines, ''].join('\n'), flows);
  expect(loaded.diagnostics).toEqual([]);
  return loaded.cases[0]!;
}

describe('buildTestCopy', () => {
  const testCase = caseOf([
    '  - name: routing',
    '    parameters: { who_pm25_limit: "50" }',
    '    stubs: { store: capture, register: capture, quarantine: capture }',
    '    inputs:',
    '      - { before: validate, text: "cost: ${price} #{secret}", attributes: { batch: "b-${x}" } }',
    '    expect:',
    '      - { at: store }',
    '      - { at: flag.original }',
    '      - { at: validate.invalid }',
    '      - { at: held }',
  ]);
  const copy = buildTestCopy(testCase, names, {});

  it('replaces stubs with capture funnels that take their incoming connections, and drops their outgoing ones', () => {
    expect(Object.keys(copy.flow.processors)).toEqual(['receive', 'validate', 'flag', 'explain', 'test input 1']);
    expect(copy.flow.connections.filter((connection) => connection.to.startsWith('test capture ') || connection.from === 'test input 1').map(({ from, to, relationships }) => `${from}.${relationships.join('|')} → ${to}`)).toEqual([
      'flag.measurements → test capture store',
      'flag.sensors → test capture register',
      'explain.success → test capture quarantine',
      'flag.original → test capture flag.original',
      'validate.invalid → test capture validate.invalid',
      'test input 1.success → validate',
    ]);
    // Nothing leaves a stub any more (store → held is gone), the held funnel stays.
    expect(copy.flow.connections.some((connection) => ['store', 'register', 'quarantine'].includes(connection.from))).toBe(false);
    expect(copy.flow.funnels).toEqual(['held', 'test capture store', 'test capture register', 'test capture quarantine', 'test capture flag.original', 'test capture validate.invalid']);
    expect(Object.fromEntries(copy.captures)).toEqual({ store: 'test capture store', register: 'test capture register', quarantine: 'test capture quarantine', 'flag.original': 'test capture flag.original', 'validate.invalid': 'test capture validate.invalid', held: 'held' });
  });

  it('routes an expected auto-terminated relationship instead of dropping it, and keeps the flow downstream of an expected one', () => {
    expect(copy.flow.processors['flag']!.autoTerminate).toEqual([]);
    expect(copy.flow.connections.filter((connection) => connection.from === 'validate' && connection.relationships.includes('invalid')).map((connection) => connection.to)).toEqual(['explain', 'test capture validate.invalid']);
  });

  it('feeds each input through a GenerateFlowFile run once, its content and attributes escaped from Expression Language and parameters', () => {
    expect(copy.generators).toEqual(['test input 1']);
    expect(copy.flow.processors['test input 1']).toMatchObject({
      type: 'GenerateFlowFile',
      state: 'stopped',
      properties: { [generateFlowFileKeys.customText]: "cost: ${literal('$')}{price} ${literal('#')}{secret}", 'Batch Size': '1', 'Data Format': 'Text', 'Unique FlowFiles': 'false', batch: "b-${literal('$')}{x}" },
    });
    // What NiFi 2.3.0 gives back literally (checked on the server, also by test/integration/flow-tests.test.ts).
    expect(escapeNifiValue('a $#{b} $d #e {f}')).toBe("a ${literal('$')}${literal('#')}{b} $d #e {f}");
  });

  it('starts only what is fed (the ListenHTTP source stays stopped), with its own names, parameters and no triggers', () => {
    expect(copy.started).toEqual(['validate', 'flag', 'explain']);
    expect(Object.values(copy.flow.processors).map((processor) => processor.state)).toEqual(['stopped', 'stopped', 'stopped', 'stopped', 'stopped']);
    expect(copy.flow).toMatchObject({ name: names.groupName, parameterContext: names.contextName, description: names.marker, triggers: [], environments: {} });
    expect(copy.flow.parameters['who_pm25_limit']).toEqual({ value: '50', description: 'WHO 24-hour PM2.5 guideline, µg/m³' });
    // The database pool only served the stubbed processors: gone, with its password parameter unneeded.
    expect(Object.keys(copy.flow.services).sort()).toEqual(['json-writer', 'quarantine-reader', 'readings-reader']);
    expect(copy.unsetParameters).toEqual([]);
    expect(checkFlow(copy.flow, () => ({ file: 't', pointer: '', path: '' })).filter((diagnostic) => diagnostic.severity === 'error')).toEqual([]);
  });

  it('auto-terminates what a dropped trigger fired on, so the processor stays valid without Airflow', () => {
    const unstubbed = buildTestCopy(caseOf(['  - name: real database', '    inputs: [{ before: validate, text: x }]']), names, { SENSORS_DB_PASSWORD: 'p' });
    expect(unstubbed.flow.processors['store']!.autoTerminate).toEqual(['success']);
    expect(unstubbed.flow.services['warehouse']).toBeDefined();
    // AIRFLOW_PASSWORD is not set: the copy leaves it without a value, but nothing left refers to it (no triggers).
    expect(unstubbed.flow.parameters['airflow_password']).toEqual({ sensitive: true });
    expect(unstubbed.unsetParameters).toEqual([]);
    const withoutPassword = buildTestCopy(caseOf(['  - name: real database', '    inputs: [{ before: validate, text: x }]']), names, {});
    expect(withoutPassword.unsetParameters).toEqual(['db_password']);
  });

  it('keeps an expected Airflow trigger compiled up to the call, which a capture replaces', () => {
    const withTrigger = buildTestCopy(caseOf(['  - name: trigger', '    inputs: [{ before: validate, text: x }]', '    expect: [{ at: "trigger:measurements-landed" }]']), names, {});
    expect(withTrigger.flow.triggers).toEqual([]);
    const group = withTrigger.flow.groups.find((candidate) => candidate.name === 'trigger: measurements-landed')!;
    expect(Object.keys(group.processors)).toEqual(['request body']);
    expect(group.services).toEqual({});
    expect(group.funnels).toEqual(['failed', 'test capture trigger:measurements-landed']);
    expect(group.connections.map(({ from, to, relationships }) => `${from}.${relationships.join('|')} → ${to}`)).toEqual(['in. → request body', 'request body.success → test capture trigger:measurements-landed', 'request body.failure → failed']);
    expect(group.processors['request body']!.properties['Replacement Value']).toBe('{"asset_id":0,"extra":{"batch":"${\'batch\':escapeJson()}"}}');
    expect(withTrigger.flow.connections.filter((connection) => connection.to === 'trigger: measurements-landed/in').map((connection) => [connection.from, connection.relationships])).toEqual([['store', ['success']]]);
    expect(withTrigger.flow.processors['store']!.autoTerminate).toEqual([]);
    expect(withTrigger.captures.get('trigger:measurements-landed')).toBe('test capture trigger:measurements-landed');
    expect(() => loadFlowTestFile('t.test.yaml', ['flow: iot-sensors', 'cases:', '  - name: t', '    inputs: [{ before: validate, text: x }]', '    expect: [{ at: "trigger:landed" }]', ''].join('\n'), flows)).not.toThrow();
    expect(loadFlowTestFile('t.test.yaml', ['flow: iot-sensors', 'cases:', '  - name: t', '    inputs: [{ before: validate, text: x }]', '    expect: [{ at: "trigger:landed" }]', ''].join('\n'), flows).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message, diagnostic.hint])).toEqual([
      ['test/unknown-trigger', 'Flow "iot-sensors" has no Airflow trigger "landed".', 'Its triggers: measurements-landed.'],
    ]);
  });

  it('compiles like any flow: the copy is a NiFi flow definition with its own context', () => {
    const bundle = { group: 'org.apache.nifi', artifact: 'nifi-standard-nar', version: '2.3.0' };
    const catalog: TypeCatalog = {
      processorTypes: ['ListenHTTP', 'ValidateRecord', 'QueryRecord', 'UpdateRecord', 'PutDatabaseRecord', 'GenerateFlowFile'].map((name) => ({ type: `org.apache.nifi.processors.standard.${name}`, bundle })),
      controllerServiceTypes: ['JsonTreeReader', 'JsonRecordSetWriter'].map((name) => ({ type: `org.apache.nifi.json.${name}`, bundle })),
    };
    const compiled = compileFlow(copy.flow, catalog, { env: {} });
    expect(compiled.definition.flowContents?.name).toBe(names.groupName);
    expect(Object.keys(compiled.definition.parameterContexts ?? {})).toEqual([names.contextName]);
    expect(Object.values(compiled.funnelNames).sort()).toEqual([...copy.flow.funnels].sort());
  });
});
