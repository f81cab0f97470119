// The compiler: a flow → a NiFi flow definition (ids, types, services, parameters, what is masked).
import { describe, expect, it } from 'vitest';
import { defineFlow } from '../model/define-flow.ts';
import { compileFlow, type TypeCatalog } from './compile-flow.ts';
import { deterministicId } from './deterministic-id.ts';

const bundle = { group: 'org.apache.nifi', artifact: 'nifi-standard-nar', version: '2.3.0' };
const catalog: TypeCatalog = {
  processorTypes: [
    { type: 'org.apache.nifi.processors.standard.GenerateFlowFile', bundle },
    { type: 'org.apache.nifi.processors.attributes.UpdateAttribute', bundle: { ...bundle, artifact: 'nifi-update-attribute-nar' } },
  ],
  controllerServiceTypes: [{ type: 'org.apache.nifi.json.JsonTreeReader', bundle: { ...bundle, artifact: 'nifi-record-serialization-services-nar' } }],
};

const flow = defineFlow({
  name: 'orders',
  parameters: { batch: { value: '100' }, token: { fromEnv: 'ORDERS_TOKEN', sensitive: true } },
  services: { reader: { type: 'JsonTreeReader' } },
  processors: {
    generate: { type: 'GenerateFlowFile', properties: { 'Batch Size': '#{batch}' } },
    tag: { type: 'UpdateAttribute', properties: { reader: 'service:reader' }, autoTerminate: ['success'] },
  },
  connections: [{ from: 'generate', to: 'tag', relationships: ['success'], prioritizers: ['oldest-first'] }],
  environments: { prod: { parameters: { batch: { value: '5000' } } } },
});

describe('compileFlow', () => {
  it('is deterministic: the same flow gives the same identifiers every time', () => {
    const first = compileFlow(flow, catalog, { env: { ORDERS_TOKEN: 't' } });
    const second = compileFlow(flow, catalog, { env: { ORDERS_TOKEN: 't' } });
    expect(second.definition).toEqual(first.definition);
    expect(first.definition.flowContents?.identifier).toBe(deterministicId('orders'));
    expect(deterministicId('orders/processors/tag')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('resolves types, service references, prioritizers and parameters, keeping secrets out of the definition', () => {
    const { definition, sensitiveParameters } = compileFlow(flow, catalog, { environment: 'prod', env: { ORDERS_TOKEN: 'secret-token' } });
    const contents = definition.flowContents!;
    const tag = contents.processors!.find((processor) => processor.name === 'tag')!;
    expect(tag).toMatchObject({ type: 'org.apache.nifi.processors.attributes.UpdateAttribute', bundle: { artifact: 'nifi-update-attribute-nar' } });
    expect(tag.properties?.['reader']).toBe(contents.controllerServices![0]!.identifier);
    expect(contents.connections![0]).toMatchObject({ prioritizers: ['org.apache.nifi.prioritizer.OldestFlowFileFirstPrioritizer'], selectedRelationships: ['success'] });
    expect(definition.parameterContexts?.['orders']?.parameters).toEqual([
      { name: 'batch', sensitive: false, value: '5000' },
      { name: 'token', sensitive: true },
    ]);
    expect(sensitiveParameters).toEqual({ token: 'secret-token' });
    expect(JSON.stringify(definition)).not.toContain('secret-token');
  });

  it('says which environment variable is missing, and which type is unknown', () => {
    expect(() => compileFlow(flow, catalog, { env: {} })).toThrow(/reads ORDERS_TOKEN, which is not set/);
    expect(() => compileFlow(flow, { ...catalog, controllerServiceTypes: [] }, { env: { ORDERS_TOKEN: 't' } })).toThrow(/orders\/reader: No controller service type named "JsonTreeReader" is installed/);
  });

  it('masks values read from the environment unless the code says sensitive: false (issue 14, finding 12)', () => {
    const withEnvironment = defineFlow({
      name: 'urls',
      parameters: { endpoint: { fromEnv: 'ORDERS_ENDPOINT' }, shown: { fromEnv: 'ORDERS_REGION', sensitive: false }, literal: { value: 'plain' } },
    });
    const compiled = compileFlow(withEnvironment, catalog, { env: { ORDERS_ENDPOINT: 'https://user:pw@orders', ORDERS_REGION: 'eu' } });
    expect(compiled.maskedParameters).toEqual(['endpoint']);
    expect(compiled.secretEnvironment).toEqual({ endpoint: 'ORDERS_ENDPOINT' });
    // NiFi still gets it as a plain (non-sensitive) value: masking is about what plans print.
    expect(compiled.definition.parameterContexts?.['urls']?.parameters).toContainEqual({ name: 'endpoint', sensitive: false, value: 'https://user:pw@orders' });
  });

  it('compiles components and parameters named like Object.prototype keys as ordinary names (issue 14, finding 11)', () => {
    const prototypeNamed = defineFlow({
      name: 'constructor',
      parameters: { toString: { value: '1' }, constructor: { value: '2' } },
      services: { valueOf: { type: 'JsonTreeReader' } },
      processors: {
        constructor: { type: 'GenerateFlowFile', properties: { 'Batch Size': '#{toString}' } },
        toString: { type: 'UpdateAttribute', properties: { reader: 'service:valueOf', n: '#{constructor}' }, autoTerminate: ['success'] },
      },
      funnels: ['hasOwnProperty'],
      connections: [{ from: 'constructor', to: 'toString', relationships: ['success'] }],
      environments: { prod: { parameters: { toString: { value: '3' } } } },
    });
    const { definition } = compileFlow(prototypeNamed, catalog, { environment: 'prod' });
    const contents = definition.flowContents!;
    expect(contents.processors!.map((processor) => processor.name).sort()).toEqual(['constructor', 'toString']);
    expect(contents.processors!.find((processor) => processor.name === 'toString')!.properties?.['reader']).toBe(contents.controllerServices![0]!.identifier);
    expect(definition.parameterContexts?.['constructor']?.parameters).toEqual([
      { name: 'toString', sensitive: false, value: '3' },
      { name: 'constructor', sensitive: false, value: '2' },
    ]);
    expect(() => compileFlow(prototypeNamed, catalog, { environment: 'toString' })).toThrow(expect.objectContaining({ code: 'FLOWS_UNKNOWN_ENVIRONMENT' }));
  });
});

