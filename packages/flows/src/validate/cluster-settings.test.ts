// The offline checks of what a cluster needs: listing sources that would run on every node (a warning at the
// processor's type), types NiFi pins to the primary node, compression on a queue that never moves, and the same
// errors through defineFlow().
import { describe, expect, it } from 'vitest';
import { defineFlow } from '../model/define-flow.ts';
import { loadFlowFile } from '../parse/load-flow-file.ts';

const diagnosticsOf = (text: string) =>
  loadFlowFile('flows/cluster.yaml', text).diagnostics.map((diagnostic) => ({
    at: `${diagnostic.severity} ${diagnostic.code}@${diagnostic.range?.start.line}:${diagnostic.range?.start.column}`,
    path: diagnostic.path,
    hint: diagnostic.hint,
  }));

describe('cluster checks', () => {
  it('warns at the type of a listing source that runs on all nodes, with executionNode: primary as the fix', () => {
    const text = ['name: listing', 'processors:', '  list files: { type: ListFile, properties: { Input Directory: /data } }', '  tail:', '    type: org.apache.nifi.processors.standard.TailFile', ''].join('\n');
    expect(diagnosticsOf(text)).toEqual([
      { at: 'warning processor/listing-on-all-nodes@3:23', path: 'processors.list files.type', hint: expect.stringContaining('executionNode: primary') },
      { at: 'warning processor/listing-on-all-nodes@5:11', path: 'processors.tail.type', hint: expect.stringContaining('executionNode: primary') },
    ]);
  });

  it('is quiet for a listing source on the primary node, one that says all on purpose, one fed by a connection, and types NiFi pins to the primary node', () => {
    const text = [
      'name: listing',
      'processors:',
      '  primary: { type: ListFile, executionNode: primary, properties: { Input Directory: /shared } }',
      '  own disk: { type: ListFile, executionNode: all, properties: { Input Directory: /local } }',
      '  tables: { type: GenerateTableFetch, autoTerminate: [success] }',
      '  sftp: { type: ListSFTP }',
      '  query: { type: QueryDatabaseTableRecord }',
      'connections:',
      '  - { from: primary, to: tables, relationships: [success] }',
      '',
    ].join('\n');
    expect(diagnosticsOf(text)).toEqual([]);
  });

  it('warns when the code says all for a type NiFi runs on the primary node only, and when a queue that never moves is compressed', () => {
    const text = [
      'name: restricted',
      'processors:',
      '  sftp: { type: ListSFTP, executionNode: all }',
      '  store: { type: UpdateAttribute, autoTerminate: [success] }',
      'connections:',
      '  - { from: sftp, to: store, relationships: [success], compression: attributes }',
      '',
    ].join('\n');
    expect(diagnosticsOf(text)).toEqual([
      { at: 'warning processor/primary-node-only-type@3:42', path: 'processors.sftp.executionNode', hint: 'Remove executionNode, or write executionNode: primary.' },
      { at: 'warning connection/compression-without-load-balance@6:69', path: 'connections[0].compression', hint: 'Set loadBalance, or remove compression.' },
    ]);
  });

  it('refuses through defineFlow() what a YAML file gets errors for', () => {
    expect(() =>
      defineFlow({
        name: 'typed',
        processors: { generate: { type: 'GenerateFlowFile', executionNode: 'primary' }, tag: { type: 'UpdateAttribute', executionNode: 'primary', autoTerminate: ['success'] } },
        connections: [{ from: 'generate', to: 'tag', relationships: ['success'], loadBalance: 'partition-by-attribute' }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'FLOWS_INVALID',
        message: expect.stringMatching(/processors\.tag\.executionNode: "tag" runs on the primary node only but has an incoming connection[\s\S]*connections\.0\.loadBalance: The connection from "generate" is partitioned by attribute but names no attribute/),
      }),
    );
    const typed = defineFlow({
      name: 'typed',
      processors: { generate: { type: 'GenerateFlowFile', executionNode: 'primary' }, tag: { type: 'UpdateAttribute', autoTerminate: ['success'] } },
      connections: [{ from: 'generate', to: 'tag', relationships: ['success'], loadBalance: 'partition-by-attribute', partitionAttribute: 'customer', compression: 'attributes-and-content' }],
    });
    expect(typed.processors['generate']!.executionNode).toBe('primary');
    expect(typed.processors['tag']!.executionNode).toBeUndefined();
    expect(typed.connections[0]).toMatchObject({ loadBalance: 'partition-by-attribute', partitionAttribute: 'customer', compression: 'attributes-and-content' });
  });
});
