// What plan makes of a live shared service (issue 18), on entities shaped like NiFi 2.3.0's: sensitive
// properties never printed and, as NiFi masks them all ("********", #{references} included), never compared
// by value; the ownership marker round-trips and tells a changed sensitive reference.
import { describe, expect, it } from 'vitest';
import type { ExtensionType } from '@dataplat/nifi';
import { readServiceMarker, renderServiceComments, serviceChanges } from './shared-services.ts';

const type: ExtensionType = { type: 'org.apache.nifi.dbcp.DBCPConnectionPool', bundle: { group: 'org.apache.nifi', artifact: 'nifi-dbcp-service-nar', version: '2.3.0' } };
const marker = { formatVersion: 1 as const, sharedService: 'pool', project: 'shop', definitionHash: 'a'.repeat(64) };
const comments = renderServiceComments('The shop database', marker);
const live = (properties: Record<string, string>, state = 'ENABLED', liveComments = comments) => ({
  component: {
    type: type.type,
    state,
    comments: liveComments,
    properties,
    descriptors: { Password: { name: 'Password', sensitive: true }, 'Database User': { name: 'Database User', sensitive: false } },
  },
});
const declaration = (properties: Record<string, string>) => ({ name: 'pool', type: 'DBCPConnectionPool', properties, comments: 'The shop database' });

describe('serviceChanges', () => {
  it('is empty when NiFi has what the code says, a masked sensitive property included', () => {
    expect(serviceChanges(declaration({ 'Database User': '#{db_user}', Password: '#{db_password}' }), type, comments, live({ 'Database User': '#{db_user}', Password: '********' }) as never)).toEqual([]);
  });

  it('shows a changed plain property with its values and a sensitive one only as (sensitive)', () => {
    const changes = serviceChanges(declaration({ 'Database User': 'shop', Password: 'new-secret' }), type, comments, live({ 'Database User': 'old', Password: '' }) as never);
    expect(changes).toEqual([
      { field: 'properties.Database User', before: 'old', after: 'shop' },
      { field: 'properties.Password', before: '(sensitive)', after: '(sensitive)' },
    ]);
    expect(JSON.stringify(changes)).not.toContain('new-secret');
  });

  it('wants a disabled service enabled and a rewritten marker', () => {
    const changes = serviceChanges(declaration({}), type, comments, live({}, 'DISABLED', 'hand-made') as never);
    expect(changes.map((change) => change.field)).toEqual(['comments', 'state']);
  });
});

describe('the shared service marker', () => {
  it('round-trips below the comments and is absent from comments without one', () => {
    expect(readServiceMarker(comments)).toEqual(marker);
    expect(comments.startsWith('The shop database\n\nmanaged-by: dataplat-flows shared service\n')).toBe(true);
    expect(readServiceMarker('just a note')).toBeUndefined();
    expect(readServiceMarker('managed-by: dataplat-flows shared service\nnot json')).toBeUndefined();
  });
});
