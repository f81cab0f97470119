// Flow instances offline: what a definition with `instances:` expands to (names, parameters, description,
// the link to the definition, distinct identifiers) and each refusal at its file:line:col.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFlowFiles } from '../cli/load-files.ts';
import { compileFlow } from '../compile/compile-flow.ts';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { defineFlow, defineFlows } from './define-flow.ts';
import type { Flow } from './flow-schema.ts';

const sensorIntake = `name: sensor-intake
description: Sensor readings
parameters:
  listen_port: { value: "18090", description: Where readings arrive }
  site: { value: unknown }
  token: { fromEnv: SENSOR_TOKEN }
processors:
  generate: { type: GenerateFlowFile, properties: { Custom Text: "#{site} #{listen_port} #{token}" }, schedule: { period: 1 min } }
  tag: { type: UpdateAttribute, properties: { site: "#{site}" }, autoTerminate: [success] }
connections:
  - { from: generate, to: tag, relationships: [success] }
environments:
  prod:
    parameters:
      site: { value: prod-default }
      listen_port: { value: "28090" }
instances:
  sensor-intake-north: { description: North site, parameters: { listen_port: { value: "18091" }, site: { value: north } } }
  sensor-intake-south: { parameters: { site: { value: south }, token: { value: plain-south } } }
`;

/** Diagnostics as code@line:column. */
const positions = (text: string) => loadFlowFile('flows/sensors.yaml', text).diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range?.start.line ?? 0}:${diagnostic.range?.start.column ?? 0}`);

const catalog = {
  processorTypes: [
    { type: 'org.apache.nifi.processors.standard.GenerateFlowFile', bundle: { group: 'org.apache.nifi', artifact: 'nifi-standard-nar', version: '2.3.0' } },
    { type: 'org.apache.nifi.processors.attributes.UpdateAttribute', bundle: { group: 'org.apache.nifi', artifact: 'nifi-update-attribute-nar', version: '2.3.0' } },
  ],
  controllerServiceTypes: [],
};

/** The values NiFi would get, by parameter name. */
function contextValues(flow: Flow, environment?: string): Record<string, unknown> {
  const { definition } = compileFlow(flow, catalog, { environment, env: { SENSOR_TOKEN: 'from-env' } });
  const [context] = Object.values(definition.parameterContexts ?? {});
  return Object.fromEntries((context?.parameters ?? []).map((parameter) => [parameter.name, parameter.value]));
}

describe('flow instances', () => {
  it('expand into one flow per instance, named after it, linked to the definition, with merged parameters', () => {
    const loaded = loadFlowFile('flows/sensors.yaml', sensorIntake);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.flows.map((flow) => [flow.name, flow.instanceOf, flow.description])).toEqual([
      ['sensor-intake-north', 'sensor-intake', 'North site'],
      ['sensor-intake-south', 'sensor-intake', 'Sensor readings'],
    ]);
    const [north, south] = loaded.flows as [Flow, Flow];
    expect(north.instances).toBeUndefined();
    // Partial overrides: the declared description stays, the value is the instance's.
    expect(north.parameters['listen_port']).toEqual({ value: '18091', description: 'Where readings arrive' });
    expect(contextValues(north)).toEqual({ listen_port: '18091', site: 'north', token: 'from-env' });
    // An instance giving a value replaces the flow's fromEnv (one value, one source).
    expect(contextValues(south)).toEqual({ listen_port: '18090', site: 'south', token: 'plain-south' });
  });

  it('win over environment overrides, which still apply where the instance sets nothing', () => {
    const [north, south] = loadFlowFile('flows/sensors.yaml', sensorIntake).flows as [Flow, Flow];
    expect(contextValues(north, 'prod')).toEqual({ listen_port: '18091', site: 'north', token: 'from-env' });
    expect(contextValues(south, 'prod')).toEqual({ listen_port: '28090', site: 'south', token: 'plain-south' });
  });

  it('get their own parameter context and share no component identifier', () => {
    const [north, south] = loadFlowFile('flows/sensors.yaml', sensorIntake).flows as [Flow, Flow];
    const identifiers = (flow: Flow) => {
      const { definition } = compileFlow(flow, catalog, { env: { SENSOR_TOKEN: 'x' } });
      const contents = definition.flowContents!;
      expect(Object.keys(definition.parameterContexts ?? {})).toEqual([flow.name]);
      expect(contents.parameterContextName).toBe(flow.name);
      return [contents.identifier, ...(contents.processors ?? []).map((processor) => processor.identifier), ...(contents.connections ?? []).map((connection) => connection.identifier)];
    };
    const northIds = identifiers(north);
    const southIds = identifiers(south);
    expect(northIds).toHaveLength(4);
    expect(northIds.filter((identifier) => southIds.includes(identifier))).toEqual([]);
  });

  it('place an instance\'s name, description and overridden parameters at the instance', () => {
    const loaded = loadFlowFile('flows/sensors.yaml', sensorIntake);
    const northPlace = loaded.places[0]!;
    expect(northPlace(['name'])).toMatchObject({ pointer: '/instances/sensor-intake-north', range: { start: { line: 18, column: 3 } } });
    expect(northPlace(['parameters', 'site', 'value'])).toMatchObject({ pointer: '/instances/sensor-intake-north/parameters/site/value' });
    expect(northPlace(['parameters', 'token'])).toMatchObject({ pointer: '/parameters/token', range: { start: { line: 6, column: 10 } } });
    expect(northPlace(['processors', 'tag'])).toMatchObject({ pointer: '/processors/tag' });
  });

  it('refuses an override of a parameter the flow does not declare, naming the declared ones', () => {
    const text = sensorIntake.replace('site: { value: south }', 'sitte: { value: south }');
    const [diagnostic] = loadFlowFile('flows/sensors.yaml', text).diagnostics;
    expect(diagnostic).toMatchObject({
      severity: 'error',
      code: 'instances/unknown-parameter',
      file: 'flows/sensors.yaml',
      range: { start: { line: 19, column: 40 } },
      message: 'Instance "sensor-intake-south" sets parameter "sitte", which flow "sensor-intake" does not declare (declared: listen_port, site, token).',
    });
    expect(positions(text)).toEqual(['instances/unknown-parameter@19:40']);
  });

  it('refuses `instances: {}`, a parameterContext shared by instances, and adopted identifiers', () => {
    expect(positions('name: a\ninstances: {}\n')).toEqual(['instances/empty@2:12']);
    expect(positions('name: a\nparameterContext: shared\ninstances:\n  b: {}\n')).toEqual(['instances/shared-context@2:1']);
    expect(positions('name: a\nidentifiers: { processors/x: 6f0b9f3e-4c2a-4d7e-9b1a-2c3d4e5f6a7b }\ninstances:\n  b: {}\n')).toEqual(['instances/adopted-identifiers@2:1']);
    expect(loadFlowFile('a.yaml', 'name: a\ninstances: {}\n').flows).toEqual([]);
  });

  it('refuses a sensitive value written in an instance, and a bad instance name', () => {
    const sensitive = 'name: a\nparameters:\n  password: { fromEnv: PASSWORD, sensitive: true }\ninstances:\n  b: { parameters: { password: { value: hunter2 } } }\n';
    expect(positions(sensitive)).toEqual(['parameter/sensitive-in-file@5:41']);
    const badName = positions('name: a\ninstances:\n  "b/c": {}\n');
    expect(badName).toHaveLength(1);
    expect(badName[0]).toMatch(/^schema\/.*@3:3$/);
  });

  it('refuses two instances with one name, in one file and across files, and an instance named like another flow', async () => {
    // Within one definition the YAML itself refuses the repeated key.
    expect(positions('name: a\ninstances:\n  b: {}\n  b: {}\n')).toEqual(['yaml/duplicate-key@4:3']);
    const twoDefinitions = 'flows:\n  - name: a\n    instances: { x: {}, y: {} }\n  - name: b\n    instances: { z: {}, y: {} }\n  - name: z\n';
    const diagnostics = loadFlowFile('flows/sensors.yaml', twoDefinitions).diagnostics;
    expect(diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range?.start.line}:${diagnostic.range?.start.column}`)).toEqual(['name/duplicate-flow@5:25', 'name/duplicate-flow@6:11']);
    expect(diagnostics[0]!.message).toBe('Two flows are named "y": an instance of "b" here and an instance of "a" at flows/sensors.yaml:3:25.');
    expect(diagnostics[1]!.message).toBe('Two flows are named "z": a flow here and an instance of "b" at flows/sensors.yaml:5:18.');

    const folder = await mkdtemp(join(tmpdir(), 'flows-instances-'));
    try {
      await writeFile(join(folder, 'a.yaml'), 'name: a\ninstances:\n  north: {}\n');
      await writeFile(join(folder, 'b.yaml'), 'name: b\ninstances:\n  south: {}\n  north: {}\n');
      await writeFile(join(folder, 'c.yaml'), 'name: south\n');
      const loaded = await loadFlowFiles([folder], folder);
      if ('missing' in loaded) throw new Error('the folder was not found');
      expect(loaded.diagnostics.map((diagnostic) => `${diagnostic.file}:${diagnostic.range?.start.line}:${diagnostic.range?.start.column} ${diagnostic.message}`)).toEqual([
        'b.yaml:4:3 Two flows are named "north": an instance of "b" here and an instance of "a" at a.yaml:3:3.',
        'c.yaml:1:7 Two flows are named "south": a flow here and an instance of "b" at b.yaml:3:3.',
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reports a problem of the shared definition once, not once per instance', () => {
    const text = sensorIntake.replace('"#{site}" }', '"#{sites}" }');
    expect(positions(text)).toEqual(['parameter/undeclared@9:53']);
    // Refused instances still leave the definition's own problems reported.
    expect(positions(text.replace('site: { value: south }', 'sitte: { value: south }'))).toEqual(['parameter/undeclared@9:53', 'instances/unknown-parameter@19:40']);
  });

  it('are written in TypeScript with defineFlows(); defineFlow() refuses them', () => {
    const input = { name: 'sensor-intake', parameters: { site: { value: 'unknown' } }, instances: { north: { parameters: { site: { value: 'north' } } }, south: {} } };
    expect(defineFlows(input).map((flow) => [flow.name, flow.instanceOf, flow.parameters['site']?.value])).toEqual([
      ['north', 'sensor-intake', 'north'],
      ['south', 'sensor-intake', 'unknown'],
    ]);
    expect(() => defineFlow(input)).toThrow(expect.objectContaining({ code: 'FLOWS_INVALID', hint: expect.stringContaining('defineFlows()') }));
    expect(() => defineFlows({ ...input, instances: { north: { parameters: { sitte: { value: 'x' } } } } })).toThrow(/instances\.north\.parameters\.sitte: Instance "north" sets parameter "sitte"/);
    expect(defineFlows({ name: 'plain' }).map((flow) => flow.name)).toEqual(['plain']);
  });
});
