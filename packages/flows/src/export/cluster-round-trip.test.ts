// Cluster settings through compile, the plan diff and export: the DSL words become NiFi's values; a change of
// one shows as exactly that field; a hand-built canvas with a primary-only source and partitioned, compressed
// queues exports to YAML that says so and compiles back with no change.
import { describe, expect, it } from 'vitest';
import type { FlowDefinition, NifiClient, NifiSchemas } from '@dataplat/nifi';
import { compileFlow, type TypeCatalog } from '../compile/compile-flow.ts';
import { diffDefinitions } from '../deploy/diff.ts';
import { defineFlow } from '../model/define-flow.ts';
import type { FlowInput } from '../model/flow-schema.ts';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { exportFlow } from './export-flow.ts';

const bundle = { group: 'org.apache.nifi', artifact: 'nifi-standard-nar', version: '2.3.0' };
const catalog: TypeCatalog = {
  processorTypes: [
    { type: 'org.apache.nifi.processors.standard.GenerateFlowFile', bundle },
    { type: 'org.apache.nifi.processors.standard.ListSFTP', bundle },
    { type: 'org.apache.nifi.processors.attributes.UpdateAttribute', bundle: { ...bundle, artifact: 'nifi-update-attribute-nar' } },
  ],
  controllerServiceTypes: [],
};

function ordersFlow(overrides: { executionNode?: 'all' | 'primary'; partitionAttribute?: string; compression?: 'none' | 'attributes' | 'attributes-and-content' } = {}): FlowInput {
  return {
    name: 'orders',
    processors: {
      generate: { type: 'GenerateFlowFile', executionNode: overrides.executionNode ?? 'primary' },
      sftp: { type: 'ListSFTP' },
      tag: { type: 'UpdateAttribute', autoTerminate: ['success'] },
    },
    connections: [
      { from: 'generate', to: 'tag', relationships: ['success'], loadBalance: 'partition-by-attribute', partitionAttribute: overrides.partitionAttribute ?? 'customer', compression: overrides.compression ?? 'attributes-and-content' },
      { from: 'sftp', to: 'tag', relationships: ['success'], loadBalance: 'round-robin' },
    ],
  };
}
const compiled = (input: FlowInput) => compileFlow(defineFlow(input), catalog).definition;
const processorNamed = (definition: FlowDefinition, name: string) => definition.flowContents!.processors!.find((processor) => processor.name === name)!;
const connectionFrom = (definition: FlowDefinition, source: string) => definition.flowContents!.connections!.find((connection) => connection.source?.name === source)!;

describe('cluster settings in compile and the plan diff', () => {
  it('compiles executionNode, partitionAttribute and compression to NiFi values, and a @PrimaryNodeOnly type to PRIMARY', () => {
    const definition = compiled(ordersFlow());
    expect(processorNamed(definition, 'generate').executionNode).toBe('PRIMARY');
    expect(processorNamed(definition, 'tag').executionNode).toBe('ALL');
    // NiFi reads ListSFTP back as PRIMARY whatever is sent (executionNodeRestricted): compiled as that.
    expect(processorNamed(definition, 'sftp').executionNode).toBe('PRIMARY');
    expect(connectionFrom(definition, 'generate')).toMatchObject({ loadBalanceStrategy: 'PARTITION_BY_ATTRIBUTE', partitioningAttribute: 'customer', loadBalanceCompression: 'COMPRESS_ATTRIBUTES_AND_CONTENT' });
    const roundRobin = connectionFrom(definition, 'sftp');
    expect(roundRobin).toMatchObject({ loadBalanceStrategy: 'ROUND_ROBIN', loadBalanceCompression: 'DO_NOT_COMPRESS' });
    expect(roundRobin).not.toHaveProperty('partitioningAttribute');
  });

  it('shows a changed executionNode, partitionAttribute or compression as exactly that field, and nothing for the same settings', () => {
    const live = compiled(ordersFlow());
    expect(diffDefinitions(compiled(ordersFlow()), live).components).toEqual([]);
    const cases: Array<[Parameters<typeof ordersFlow>[0], string, string, unknown, unknown]> = [
      [{ executionNode: 'all' }, 'orders/processors/generate', 'executionNode', 'PRIMARY', 'ALL'],
      [{ partitionAttribute: 'region' }, 'orders/connections/generate->tag', 'partitioningAttribute', 'customer', 'region'],
      [{ compression: 'attributes' }, 'orders/connections/generate->tag', 'loadBalanceCompression', 'COMPRESS_ATTRIBUTES_AND_CONTENT', 'COMPRESS_ATTRIBUTES_ONLY'],
    ];
    for (const [overrides, address, field, before, after] of cases) {
      expect(diffDefinitions(compiled(ordersFlow(overrides)), live).components).toEqual([{ address, kind: expect.any(String), action: 'update', changes: [{ field, before, after }] }]);
    }
  });

  it('takes an empty or missing partition attribute, and a missing compression or execution node, as NiFi\'s defaults', () => {
    const desired = compiled(ordersFlow());
    const live = structuredClone(desired);
    const roundRobin = connectionFrom(live, 'sftp');
    roundRobin.partitioningAttribute = '';
    delete roundRobin.loadBalanceCompression;
    delete processorNamed(live, 'tag').executionNode;
    expect(diffDefinitions(desired, live).components).toEqual([]);
  });
});

describe('flows export of a hand-built clustered canvas', () => {
  // As NiFi downloads a group built in its UI: random identifiers, a primary-only GenerateFlowFile, a ListSFTP
  // (PRIMARY because NiFi pins it), a partitioned and compressed queue, and a round-robin one that carries an
  // attribute anyway (it has no effect there: neither exported nor compared).
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const processor = (identifier: string, name: string, type: string, executionNode: string, extra: Partial<NifiSchemas['VersionedProcessor']> = {}) =>
    ({
      identifier,
      instanceIdentifier: identifier,
      name,
      type,
      bundle: type.endsWith('UpdateAttribute') ? { ...bundle, artifact: 'nifi-update-attribute-nar' } : bundle,
      properties: {},
      propertyDescriptors: {},
      schedulingPeriod: '0 sec',
      schedulingStrategy: 'TIMER_DRIVEN',
      concurrentlySchedulableTaskCount: 1,
      executionNode,
      autoTerminatedRelationships: [],
      retriedRelationships: [],
      penaltyDuration: '30 sec',
      yieldDuration: '1 sec',
      scheduledState: 'ENABLED',
      componentType: 'PROCESSOR',
      ...extra,
    }) as unknown as NifiSchemas['VersionedProcessor'];
  const connection = (identifier: string, from: [string, string], to: [string, string], extra: Record<string, unknown>) =>
    ({
      identifier,
      instanceIdentifier: identifier,
      name: '',
      source: { id: from[0], name: from[1], type: 'PROCESSOR', groupId: id(1) },
      destination: { id: to[0], name: to[1], type: 'PROCESSOR', groupId: id(1) },
      selectedRelationships: ['success'],
      backPressureObjectThreshold: 10_000,
      backPressureDataSizeThreshold: '1 GB',
      flowFileExpiration: '0 sec',
      prioritizers: [],
      componentType: 'CONNECTION',
      ...extra,
    }) as unknown as NifiSchemas['VersionedConnection'];
  const handBuilt: FlowDefinition = {
    flowContents: {
      identifier: id(1),
      name: 'clustered orders',
      comments: '',
      processors: [
        processor(id(2), 'generate', 'org.apache.nifi.processors.standard.GenerateFlowFile', 'PRIMARY'),
        processor(id(3), 'list remote', 'org.apache.nifi.processors.standard.ListSFTP', 'PRIMARY'),
        processor(id(4), 'tag', 'org.apache.nifi.processors.attributes.UpdateAttribute', 'ALL', { autoTerminatedRelationships: ['success'] }),
      ],
      connections: [
        connection(id(5), [id(2), 'generate'], [id(4), 'tag'], { loadBalanceStrategy: 'PARTITION_BY_ATTRIBUTE', partitioningAttribute: 'customer', loadBalanceCompression: 'COMPRESS_ATTRIBUTES_ONLY' }),
        connection(id(6), [id(3), 'list remote'], [id(4), 'tag'], { loadBalanceStrategy: 'ROUND_ROBIN', partitioningAttribute: 'old', loadBalanceCompression: 'COMPRESS_ATTRIBUTES_AND_CONTENT' }),
      ],
      controllerServices: [],
      inputPorts: [],
      outputPorts: [],
      funnels: [],
      processGroups: [],
      labels: [],
      remoteProcessGroups: [],
    } as unknown as NifiSchemas['VersionedProcessGroup'],
  } as FlowDefinition;
  // Just what exportFlow reads: the group, its definition, its live processors' run states, and the installed types.
  const nifi = {
    processGroups: {
      get: async () => ({ id: id(1), component: { name: 'clustered orders', comments: '' } }),
      download: async () => handBuilt,
      tree: async () => ({ contents: { processors: [id(2), id(3), id(4)].map((processorId) => ({ id: processorId, component: { state: 'RUNNING', config: { descriptors: {} } } })) }, children: [] }),
      controllerServices: async () => [],
    },
    extensions: { processorTypes: async () => catalog.processorTypes, controllerServiceTypes: async () => catalog.controllerServiceTypes },
  } as unknown as NifiClient;

  it('writes executionNode, partitionAttribute and compression, and the YAML compiles back to no change', async () => {
    const exported = await exportFlow(nifi, id(1), { schemaReference: 'flow-file.schema.json' });
    expect(exported.warnings).toEqual([]);
    expect(exported.flow.processors).toMatchObject({ generate: { executionNode: 'primary' }, tag: {} });
    // NiFi pins ListSFTP to the primary node: the DSL needn't say so (the compiler does).
    expect(exported.flow.processors!['list remote']).not.toHaveProperty('executionNode');
    expect(exported.flow.processors!['tag']).not.toHaveProperty('executionNode');
    expect(exported.flow.connections).toEqual([
      { from: 'generate', to: 'tag', relationships: ['success'], loadBalance: 'partition-by-attribute', partitionAttribute: 'customer', compression: 'attributes' },
      { from: 'list remote', to: 'tag', relationships: ['success'], loadBalance: 'round-robin', compression: 'attributes-and-content' },
    ]);
    expect(exported.yaml).toContain('executionNode: primary');

    const loaded = loadFlowFile('exported.yaml', exported.yaml);
    expect(loaded.diagnostics).toEqual([]);
    const recompiled = compileFlow(loaded.flows[0]!, catalog).definition;
    expect(diffDefinitions(recompiled, handBuilt).components).toEqual([]);
  });
});
