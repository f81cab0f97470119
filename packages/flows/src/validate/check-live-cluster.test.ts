// flows validate --live and types the target NiFi pins to the primary node: a type the offline table doesn't know
// (another NAR, another NiFi version) gets a warning asking for executionNode: primary, since the compiler would
// send ALL, NiFi would keep PRIMARY and every plan would show the difference. A fake NiFi answers what the check reads.
import { describe, expect, it } from 'vitest';
import type { NifiClient } from '@dataplat/nifi';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { checkFlowsLive } from './check-live.ts';

const bundle = { group: 'com.example', artifact: 'example-nar', version: '1.0.0' };
const restrictedTypes = new Set(['com.example.ListThings', 'org.apache.nifi.processors.standard.ListSFTP']);

/** Creates bare instances: no descriptors, one relationship, executionNodeRestricted for the restricted types. */
function fakeNifi(): { nifi: NifiClient; deletedGroups: string[] } {
  const deletedGroups: string[] = [];
  const nifi = {
    baseUrl: 'http://nifi.example/nifi-api',
    extensions: {
      processorTypes: async () => [
        { type: 'com.example.ListThings', bundle },
        { type: 'org.apache.nifi.processors.standard.ListSFTP', bundle: { ...bundle, group: 'org.apache.nifi', artifact: 'nifi-standard-nar' } },
      ],
      controllerServiceTypes: async () => [],
    },
    processGroups: {
      create: async () => ({ id: 'temporary-group' }),
      delete: async (id: string) => void deletedGroups.push(id),
    },
    processors: {
      create: async (_groupId: string, fields: { type: string }) => ({
        component: { config: { descriptors: {} }, relationships: [{ name: 'success' }], executionNodeRestricted: restrictedTypes.has(fields.type) },
      }),
    },
  } as unknown as NifiClient;
  return { nifi, deletedGroups };
}

describe('flows validate --live on types NiFi pins to the primary node', () => {
  it('warns at the type (or at executionNode: all) of such a type the offline table does not know, and not for those it knows', async () => {
    const text = [
      'name: things',
      'processors:',
      '  unset: { type: ListThings, autoTerminate: [success] }',
      '  all: { type: ListThings, executionNode: all, autoTerminate: [success] }',
      '  primary: { type: ListThings, executionNode: primary, autoTerminate: [success] }',
      '  sftp: { type: ListSFTP, autoTerminate: [success] }',
      '',
    ].join('\n');
    const loaded = loadFlowFile('things.yaml', text);
    expect(loaded.diagnostics).toEqual([]);
    const { nifi, deletedGroups } = fakeNifi();
    const diagnostics = await checkFlowsLive(nifi, loaded.flows, loaded.places);
    expect(diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code}@${diagnostic.range?.start.line}:${diagnostic.range?.start.column} ${diagnostic.path}`)).toEqual([
      'warning live/primary-node-only-type@3:18 processors.unset.type',
      'warning live/primary-node-only-type@4:43 processors.all.executionNode',
    ]);
    expect(diagnostics[0]).toMatchObject({ message: 'NiFi runs ListThings on the primary node only (executionNodeRestricted: the type is @PrimaryNodeOnly).', hint: expect.stringContaining('executionNode: primary') });
    expect(deletedGroups).toEqual(['temporary-group']);
  });
});
