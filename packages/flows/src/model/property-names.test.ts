// Matching the code's property keys to NiFi's names, and the diff that compares a renamed key under
// NiFi's name only once NiFi has imported exactly that code.
import { describe, expect, it } from 'vitest';
import type { FlowDefinition } from '@dataplat/nifi';
import { diffDefinitions } from '../deploy/diff.ts';
import { describePropertyNameNote, resemblingPropertyName } from './property-names.ts';

describe('resemblingPropertyName', () => {
  it('matches older spellings of one name, and nothing when unsure', () => {
    expect(resemblingPropertyName('record-writer', ['Record Reader', 'Record Writer', '/field'])).toBe('Record Writer');
    expect(resemblingPropertyName('put-db-record-record-reader', ['Record Reader', 'Database Type'])).toBe('Record Reader');
    // Equal once normalized beats a suffix; two equal candidates are ambiguous; short names never match as suffixes.
    expect(resemblingPropertyName('record-reader', ['Record Reader', 'Reader'])).toBe('Record Reader');
    expect(resemblingPropertyName('record-reader', ['Record Reader', 'RECORD_READER'])).toBeUndefined();
    expect(resemblingPropertyName('batch-id', ['Id'])).toBeUndefined();
    expect(resemblingPropertyName('greeting', ['Delete Attributes Expression', 'Store State'])).toBeUndefined();
  });
});

const definition = (properties: Record<string, string | null>): FlowDefinition =>
  ({
    flowContents: {
      identifier: 'group',
      name: 'orders',
      processors: [{ identifier: 'p1', name: 'update', type: 'org.apache.nifi.processors.standard.UpdateRecord', properties }],
      processGroups: [],
    },
  }) as unknown as FlowDefinition;

describe('diffDefinitions and keys NiFi renames on import', () => {
  const code = definition({ 'record-writer': 'writer-1', '/checked': 'true' });

  it('compares a renamed key under NiFi\'s name once NiFi imported exactly this code, and notes it', () => {
    const diff = diffDefinitions(code, definition({ 'Record Writer': 'writer-1', 'Record Reader': null, '/checked': 'true' }), { appliedAsIs: true });
    expect(diff.components).toEqual([]);
    expect(diff.propertyNames).toEqual([{ flow: 'orders', address: 'orders/processors/update', location: { groups: [], kind: 'processors', name: 'update' }, inCode: 'record-writer', nifiName: 'Record Writer' }]);
    // A value changed in the UI under NiFi's name is drift the plan shows.
    const drifted = diffDefinitions(code, definition({ 'Record Writer': 'writer-2', '/checked': 'true' }), { appliedAsIs: true });
    expect(drifted.components[0]!.changes).toEqual([{ field: 'properties.Record Writer', before: 'writer-2', after: 'writer-1' }]);
  });

  it('takes a look-alike that only ends like the key for its new name only when it holds the value', () => {
    // NiFi dropped `proxy-host` (moved into a proxy service, say): `Host` merely ends like it and holds another value.
    const dropped = diffDefinitions(definition({ 'proxy-host': 'proxy.example', Host: 'db.example' }), definition({ Host: 'db.example' }), { appliedAsIs: true });
    expect(dropped.propertyNames.map((note) => note.nifiName)).toEqual([undefined]);
    expect(dropped.components[0]!.changes).toEqual([{ field: 'properties.proxy-host', before: undefined, after: 'proxy.example' }]);
    const renamed = diffDefinitions(definition({ 'put-db-record-record-reader': 'reader-1' }), definition({ 'Record Reader': 'reader-1' }), { appliedAsIs: true });
    expect(renamed).toEqual({ components: [], propertyNames: [expect.objectContaining({ inCode: 'put-db-record-record-reader', nifiName: 'Record Reader' })] });
  });

  it('compares keys named like prototype members as plain names', () => {
    const diff = diffDefinitions(definition({ constructor: 'x', toString: 'y' }), definition({ constructor: 'x', toString: 'y' }), { appliedAsIs: true });
    expect(diff).toEqual({ components: [], propertyNames: [] });
    const added = diffDefinitions(definition({ constructor: 'x' }), definition({}));
    expect(added.components[0]!.changes).toEqual([{ field: 'properties.constructor', before: undefined, after: 'x' }]);
  });

  it('shows a key NiFi has no entry for as a change while the code differs from what NiFi imported', () => {
    const diff = diffDefinitions(code, definition({ 'Record Writer': 'writer-1', '/checked': 'true' }));
    expect(diff.components[0]!.changes).toEqual([{ field: 'properties.record-writer', before: undefined, after: 'writer-1' }]);
    expect(diff.propertyNames).toEqual([]);
  });

  it('notes a key NiFi dropped, and says how to find its name', () => {
    const diff = diffDefinitions(definition({ 'legacy-flag': 'true' }), definition({ 'Record Writer': null }), { appliedAsIs: true });
    expect(diff.components[0]!.changes).toEqual([{ field: 'properties.legacy-flag', before: undefined, after: 'true' }]);
    expect(describePropertyNameNote(diff.propertyNames[0]!)).toEqual({
      message: 'NiFi does not keep property "legacy-flag" of orders/processors/update: it dropped or renamed the key when it imported the flow, so every plan shows it again.',
      hint: 'Run flows validate --live: it names the property NiFi uses instead.',
    });
  });
});
