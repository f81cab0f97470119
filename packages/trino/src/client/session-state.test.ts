// Session state carried in X-Trino headers: what requests send and what responses change.
import { describe, expect, it } from 'vitest';
import { applyResponseHeaders, copyState, requestHeaders, type SessionState } from './session-state.ts';

function state(): SessionState {
  return { user: 'ana', source: 'tests', clientTags: [], properties: new Map(), preparedStatements: new Map(), roles: new Map(), extraCredentials: new Map() };
}

describe('session state', () => {
  it('applies what Trino asks for in response headers (form-encoded values)', () => {
    const session = state();
    applyResponseHeaders(session, {
      'x-trino-set-catalog': 'memory',
      'x-trino-set-schema': 'default',
      'x-trino-set-session': ['query_max_run_time=7m', 'join_distribution_type=BROADCAST'],
      'x-trino-added-prepare': 'by_key=SELECT+name+FROM+t+WHERE+k+%3D+%3F',
      'x-trino-started-transaction-id': 'e1b2',
      'x-trino-set-role': 'system=ROLE%7Badmin%7D',
    });
    expect(session).toMatchObject({ catalog: 'memory', schema: 'default', transactionId: 'e1b2' });
    expect([...session.properties]).toEqual([
      ['query_max_run_time', '7m'],
      ['join_distribution_type', 'BROADCAST'],
    ]);
    expect(session.preparedStatements.get('by_key')).toBe('SELECT name FROM t WHERE k = ?');
    expect(session.roles.get('system')).toBe('ROLE{admin}');

    applyResponseHeaders(session, { 'x-trino-clear-session': 'query_max_run_time', 'x-trino-deallocated-prepare': 'by_key', 'x-trino-clear-transaction-id': 'true' });
    expect([...session.properties.keys()]).toEqual(['join_distribution_type']);
    expect(session.preparedStatements.size).toBe(0);
    expect(session.transactionId).toBeUndefined();
  });

  it('sends the session as request headers, URL-encoding values', () => {
    const session = state();
    session.properties.set('time_zone_id', 'America/New_York');
    session.preparedStatements.set('q', "SELECT 'a,b'");
    session.extraCredentials.set('token', 'a=b');
    const headers = requestHeaders(session);
    expect(headers).toMatchObject({
      'x-trino-user': 'ana',
      'x-trino-source': 'tests',
      'x-trino-transaction-id': 'NONE',
      'x-trino-session': 'time_zone_id=America%2FNew_York',
      'x-trino-prepared-statement': "q=SELECT%20'a%2Cb'",
      'x-trino-extra-credential': 'token=a%3Db',
    });
    expect(headers['x-trino-client-capabilities']).toContain('PARAMETRIC_DATETIME');
  });

  it('copies deeply, so one query cannot change another snapshot', () => {
    const original = state();
    const copy = copyState(original);
    copy.properties.set('x', '1');
    expect(original.properties.size).toBe(0);
  });
});
