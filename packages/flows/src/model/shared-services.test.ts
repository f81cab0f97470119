// Shared controller services offline (issue 18): the `parent:` section through the loader the CLI uses —
// its schema, merging across files and the checks that span files, each at file:line:col — the name
// resolution rule, and how a reference compiles (an external service NiFi resolves by name).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlowFiles, type LoadedFiles } from '../cli/load-files.ts';
import { compileFlow, type TypeCatalog } from '../compile/compile-flow.ts';
import { flowSchema } from './flow-schema.ts';
import { resolveServiceReference, sharedServicePlaceholder, withExternalServicesByName } from './shared-services.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

async function loadProject(files: Record<string, string>): Promise<LoadedFiles> {
  const folder = await mkdtemp(join(tmpdir(), 'flows-shared-services-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(folder, 'flows', name, '..'), { recursive: true });
    await writeFile(join(folder, 'flows', name), text);
  }
  const loaded = await loadFlowFiles([], folder);
  if ('missing' in loaded) throw new Error(`missing ${loaded.missing}`);
  return loaded;
}

const located = (loaded: LoadedFiles) => loaded.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code}@${diagnostic.file.replace(/^flows\//, '')}:${diagnostic.range?.start.line ?? 0}:${diagnostic.range?.start.column ?? 0}`);

const sharedFile = `parameterContexts:
  shop-db:
    parameters:
      jdbc_url: { value: "jdbc:postgresql://127.0.0.1:15432/examples" }
parent:
  parameterContext: shop-db
  services:
    shop-db-pool:
      type: DBCPConnectionPool
      properties:
        Database Connection URL: "#{jdbc_url}"
    json-in: { type: JsonTreeReader }
`;

const flowUsing = (name: string, service: string) => `name: ${name}
processors:
  query:
    type: ExecuteSQL
    properties: { Database Connection Pooling Service: "service:${service}" }
    autoTerminate: [success, failure]
`;

describe('the parent: section', () => {
  it('lets flows in other files use its services, and merges sections of several files', async () => {
    const loaded = await loadProject({
      'shared.yaml': sharedFile,
      'more.yaml': 'parent:\n  services:\n    json-out: { type: JsonRecordSetWriter }\n',
      'orders.yaml': flowUsing('orders', 'shop-db-pool'),
      'returns.yaml': flowUsing('returns', 'json-out'),
    });
    expect(located(loaded)).toEqual([]);
    expect(loaded.parent?.parameterContext).toBe('shop-db');
    expect(loaded.parent?.services.map((service) => service.name).sort()).toEqual(['json-in', 'json-out', 'shop-db-pool']);
    expect(loaded.flows.map((flow) => flow.name).sort()).toEqual(['orders', 'returns']);
  });

  it('reports an unknown reference with the shared names, a duplicate service, a second context, a shadowed name and undeclared parameters at file:line:col', async () => {
    const loaded = await loadProject({
      'a-shared.yaml': sharedFile,
      'b-dup.yaml': 'parent:\n  parameterContext: other\n  services:\n    shop-db-pool: { type: DBCPConnectionPool }\n    extra:\n      type: JsonTreeReader\n      properties: { Date Format: "#{date_format}" }\n',
      'c-orders.yaml': flowUsing('orders', 'shop-db-pol'),
      'd-shadow.yaml': `name: shadow\nservices:\n  json-in: { type: JsonTreeReader }\n${flowUsing('x', 'json-in').split('\n').slice(1).join('\n')}`,
    });
    expect(located(loaded)).toEqual([
      'error shared-service/parent-context-conflict@b-dup.yaml:2:21',
      'error shared-service/duplicate@b-dup.yaml:4:5',
      'error parameter/undeclared@b-dup.yaml:7:34',
      'error reference/unknown-service@c-orders.yaml:5:56',
      'warning shared-service/shadowed@d-shadow.yaml:3:3',
    ]);
    const unknown = loaded.diagnostics.find((diagnostic) => diagnostic.code === 'reference/unknown-service')!;
    expect(unknown.hint).toBe('Defined services: shop-db-pool (shared), json-in (shared), extra (shared).');
    expect(loaded.diagnostics.find((diagnostic) => diagnostic.code === 'shared-service/duplicate')!.message).toBe('Shared service "shop-db-pool" is declared twice (first at flows/a-shared.yaml:8:5).');
  });

  it('names a parent context that no parameterContexts: section declares, and refuses unknown keys', async () => {
    const loaded = await loadProject({ 'shared.yaml': 'parent:\n  parameterContext: nowhere\n  services:\n    pool: { type: DBCPConnectionPool, propertys: {} }\n  service: {}\n' });
    expect(located(loaded)).toEqual(['error schema/unrecognized_keys@shared.yaml:4:39', 'error schema/unrecognized_keys@shared.yaml:5:3']);
    const chained = await loadProject({ 'shared.yaml': 'parent:\n  services:\n    writer: { type: JsonRecordSetWriter, properties: { Schema Registry: "service:registry" } }\n' });
    expect(located(chained)).toEqual(['error shared-service/service-reference@shared.yaml:3:73']);
    const missing = await loadProject({ 'shared.yaml': 'parent:\n  parameterContext: nowhere\n' });
    expect(located(missing)).toEqual(['error shared-service/unknown-context@shared.yaml:2:21']);
  });
});

describe('service:<name> resolution', () => {
  it('takes the innermost group\'s or the flow\'s service first, then the shared one', () => {
    expect(resolveServiceReference('pool', ['pool', 'reader'], ['pool'])).toBe('group');
    expect(resolveServiceReference('pool', ['reader'], ['pool'])).toBe('shared');
    expect(resolveServiceReference('pool', ['reader'], [])).toBeUndefined();
  });
});

describe('compiling a reference to a shared service', () => {
  const bundle = { group: 'org.apache.nifi', artifact: 'nifi-standard-nar', version: '2.3.0' };
  const catalog: TypeCatalog = {
    processorTypes: [{ type: 'org.apache.nifi.processors.standard.ConvertRecord', bundle }],
    controllerServiceTypes: [{ type: 'org.apache.nifi.json.JsonTreeReader', bundle }],
  };
  // Parsed with the schema alone: defineFlow checks references within the flow only.
  const flow = flowSchema.parse({
    name: 'orders',
    services: { 'json-in': { type: 'JsonTreeReader' } },
    processors: { convert: { type: 'ConvertRecord', properties: { 'Record Reader': 'service:json-in', 'Record Writer': 'service:json-out' }, autoTerminate: ['success', 'failure'] } },
  });

  it('is an external service entry with a placeholder id from the name, which the property holds; the flow\'s own service wins', () => {
    const { definition } = compileFlow(flow, catalog, { sharedServices: ['json-in', 'json-out'] });
    const placeholder = sharedServicePlaceholder('json-out');
    expect(definition.externalControllerServices).toEqual({ [placeholder]: { identifier: placeholder, name: 'json-out' } });
    const processor = definition.flowContents!.processors![0]!;
    expect(processor.properties!['Record Writer']).toBe(placeholder);
    expect(processor.properties!['Record Reader']).toBe(definition.flowContents!.controllerServices![0]!.identifier);
    expect(processor.propertyDescriptors!['Record Writer']).toMatchObject({ identifiesControllerService: true });
  });

  it('compares by name: the placeholder and the id NiFi\'s download generates for the same service are equal', () => {
    const { definition } = compileFlow(flow, catalog, { sharedServices: ['json-out'] });
    const downloaded = structuredClone(definition);
    const generated = '166ce71c-22ad-35ed-813d-c4ba2634c4c7';
    downloaded.externalControllerServices = { [generated]: { identifier: generated, name: 'json-out' } };
    downloaded.flowContents!.processors![0]!.properties!['Record Writer'] = generated;
    const compiled = withExternalServicesByName(definition).flowContents!.processors![0]!.properties;
    expect(compiled).toEqual(withExternalServicesByName(downloaded).flowContents!.processors![0]!.properties);
    expect(compiled!['Record Writer']).toBe('shared-service:json-out');
    // The definition itself is left as compiled.
    expect(definition.flowContents!.processors![0]!.properties!['Record Writer']).toBe(sharedServicePlaceholder('json-out'));
  });

  it('without the shared service the reference is still an error', () => {
    expect(() => compileFlow(flow, catalog)).toThrow(/unknown service "json-out"/);
  });
});
