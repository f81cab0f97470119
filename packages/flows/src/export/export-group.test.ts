// Which of the parent's controller services an exported group uses is recorded where a property's service id is
// written as service:<name> — not guessed from the exported text: a group's own service of the parent's name hides
// the parent's (NiFi and flows resolve the nearest), and a literal value that merely reads "service:…" refers to nothing.
import { describe, expect, it } from 'vitest';
import type { NifiSchemas } from '@dataplat/nifi';
import { exportGroup, type Exporter, type ServiceReference } from './export-flow.ts';

const serviceProperty = (name: string) => ({ name, identifiesControllerService: true, sensitive: false, dynamic: false });
const convert = (identifier: string, reader: string, writer: string): NifiSchemas['VersionedProcessor'] => ({
  identifier,
  name: 'convert',
  type: 'org.apache.nifi.processors.standard.ConvertRecord',
  properties: { 'Record Reader': reader, 'Record Writer': writer },
  propertyDescriptors: { 'Record Reader': serviceProperty('Record Reader'), 'Record Writer': serviceProperty('Record Writer') },
});
const ownReader: NifiSchemas['VersionedControllerService'] = { identifier: 'own-reader', name: 'json-in', type: 'org.apache.nifi.json.JsonTreeReader', properties: {}, propertyDescriptors: {} };
/** The parent group's reader and writer, by the instance ids a hand-built group's properties hold. */
const parentServices: Array<[string, ServiceReference]> = [
  ['parent-reader', { name: 'json-in', outside: true }],
  ['parent-writer', { name: 'json-out', outside: true }],
];

function newExporter(): Exporter {
  return { warnings: [], identifiers: {}, live: new Map(), processorTypes: [], controllerServiceTypes: [], flowName: 'orders', funnelNames: {}, outsideServices: new Set() };
}

describe('exportGroup: the parent services a group uses', () => {
  it('records the parent services its properties name, and not a parent service its own namesake hides', () => {
    const exporter = newExporter();
    const group = { identifier: 'orders', name: 'orders', controllerServices: [ownReader], processors: [convert('p1', 'own-reader', 'parent-writer')] } as NifiSchemas['VersionedProcessGroup'];
    const body = exportGroup(group, 'orders', parentServices, exporter);
    expect(body.processors?.['convert']?.properties).toEqual({ 'Record Reader': 'service:json-in', 'Record Writer': 'service:json-out' });
    expect([...exporter.outsideServices]).toEqual(['json-out']);
    expect(exporter.warnings).toEqual([]);
  });

  it('records a parent service used in a nested group, and ignores a literal that only reads like a reference', () => {
    const exporter = newExporter();
    const tag: NifiSchemas['VersionedProcessor'] = { identifier: 'p2', name: 'tag', type: 'org.apache.nifi.processors.attributes.UpdateAttribute', properties: { note: 'service:json-in' }, propertyDescriptors: { note: { name: 'note', dynamic: true } } };
    const inner = { identifier: 'inner', name: 'inner', processors: [convert('p1', 'parent-reader', 'parent-writer')] } as NifiSchemas['VersionedProcessGroup'];
    const group = { identifier: 'orders', name: 'orders', processors: [tag], processGroups: [inner] } as NifiSchemas['VersionedProcessGroup'];
    exportGroup(group, 'orders', parentServices, exporter);
    expect([...exporter.outsideServices].sort()).toEqual(['json-in', 'json-out']);

    const literalOnly = newExporter();
    const body = exportGroup({ identifier: 'orders', name: 'orders', processors: [tag] } as NifiSchemas['VersionedProcessGroup'], 'orders', parentServices, literalOnly);
    expect(body.processors?.['tag']?.properties).toEqual({ note: 'service:json-in' });
    expect([...literalOnly.outsideServices]).toEqual([]);
  });

  it('warns about a reference to the parent service that the group\'s own namesake hides, and does not list it', () => {
    const exporter = newExporter();
    const group = { identifier: 'orders', name: 'orders', controllerServices: [ownReader], processors: [convert('p1', 'parent-reader', 'parent-writer')] } as NifiSchemas['VersionedProcessGroup'];
    exportGroup(group, 'orders', parentServices, exporter);
    expect([...exporter.outsideServices]).toEqual(['json-out']);
    expect(exporter.warnings).toEqual([
      'orders/processors/convert: property "Record Reader" refers to the controller service "json-in" of an enclosing group, which a nearer service of that name hides: service:json-in resolves to the nearer one; rename one of them.',
    ]);
  });
});
