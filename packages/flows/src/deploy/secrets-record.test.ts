// The secrets part of the ownership marker: what it records (nothing a reader of NiFi can test password
// guesses against), and when plan/apply push sensitive values, with and without FLOWS_SECRETS_KEY.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deterministicId } from '../compile/deterministic-id.ts';
import { compareSecrets, secretsKey } from './secrets-record.ts';

const key = 'k'.repeat(16) + 'another-32-char-test-key';
const otherKey = 'o'.repeat(40);
const values = { db_password: 'hunter2', airflow_password: 'admin' };

/** The old marker format: what markers written before this change carry. */
function legacy(flow: string, secrets: Record<string, string>): string {
  const sorted = Object.keys(secrets).sort().map((name) => [name, secrets[name]]);
  return createHash('sha256').update(`${deterministicId(flow)}\n${JSON.stringify(sorted)}`).digest('hex');
}

/** The attack the review ran: candidate passwords tried offline against the marker, with only public inputs. */
function dictionaryAttack(flow: string, record: string): string | undefined {
  const dictionary = ['admin', 'password', 'hunter2', 'secret', 'changeme', 'letmein'];
  for (const db of dictionary) for (const airflow of dictionary) if (legacy(flow, { db_password: db, airflow_password: airflow }) === record) return db;
  return undefined;
}

describe('compareSecrets', () => {
  it('records an HMAC under the key: a dictionary of guesses tested against the marker finds nothing', () => {
    const first = compareSecrets('iot-sensors', values, undefined, { key });
    expect(first).toMatchObject({ verdict: 'new', push: true });
    expect(first.record).toMatch(/^hmac-sha256:[0-9a-f]{12}:[0-9a-f]{64}$/);
    expect(dictionaryAttack('iot-sensors', first.record)).toBeUndefined();
    expect(dictionaryAttack('iot-sensors', legacy('iot-sensors', values))).toBe('hunter2');
    // Without the key nothing value-derived is recorded at all.
    expect(compareSecrets('iot-sensors', values, undefined, { key: undefined }).record).toBe('unverified');
  });

  it('with the key: unchanged values are not pushed (a no-op apply stays a no-op), changed ones are', () => {
    const { record } = compareSecrets('orders', values, undefined, { key });
    expect(compareSecrets('orders', values, record, { key })).toEqual({ verdict: 'unchanged', push: false, record });
    const changed = compareSecrets('orders', { ...values, db_password: 'hunter3' }, record, { key });
    expect(changed).toMatchObject({ verdict: 'changed', push: true });
    expect(changed.record).not.toBe(record);
    // Another flow with the same values records another HMAC (the flow is part of what is signed).
    expect(compareSecrets('other', values, undefined, { key }).record).not.toBe(record);
  });

  it('treats a marker of another key, or one written without a key, as unknown: pushed and re-signed', () => {
    const { record } = compareSecrets('orders', values, undefined, { key: otherKey });
    expect(compareSecrets('orders', values, record, { key })).toMatchObject({ verdict: 'unknown', push: true });
    expect(compareSecrets('orders', values, 'unverified', { key })).toMatchObject({ verdict: 'unknown', push: true, record: expect.stringMatching(/^hmac-sha256:/) });
  });

  it('without the key: keeps what the marker says and pushes nothing unless asked', () => {
    const { record } = compareSecrets('orders', values, undefined, { key });
    expect(compareSecrets('orders', { db_password: 'x', airflow_password: 'y' }, record, { key: undefined })).toEqual({ verdict: 'not-compared', push: false, record });
    expect(compareSecrets('orders', values, 'unverified', { key: undefined })).toEqual({ verdict: 'not-compared', push: false, record: 'unverified' });
    expect(compareSecrets('orders', values, 'unverified', { key: undefined, push: true })).toEqual({ verdict: 'requested', push: true, record: 'unverified' });
  });

  it('always pushes for a new group and for pending secrets; records none for a flow without secrets', () => {
    expect(compareSecrets('orders', values, 'pending', { key: undefined })).toEqual({ verdict: 'pending', push: true, record: 'unverified' });
    expect(compareSecrets('orders', {}, legacy('orders', {}), { key: undefined })).toEqual({ verdict: 'none', push: false, record: 'none' });
    expect(compareSecrets('orders', values, 'none', { key: undefined })).toMatchObject({ verdict: 'changed', push: true });
  });

  it('migrates an old-format marker: compared once, never kept', () => {
    const old = legacy('orders', values);
    expect(compareSecrets('orders', values, old, { key: undefined })).toEqual({ verdict: 'unchanged', push: false, record: 'unverified' });
    expect(compareSecrets('orders', values, old, { key })).toMatchObject({ verdict: 'unchanged', push: false, record: expect.stringMatching(/^hmac-sha256:/) });
    expect(compareSecrets('orders', { ...values, db_password: 'new' }, old, { key: undefined })).toEqual({ verdict: 'changed', push: true, record: 'unverified' });
  });
});

describe('secretsKey', () => {
  it('reads FLOWS_SECRETS_KEY and refuses a key too short to protect anything, without printing it', () => {
    expect(secretsKey({ env: { FLOWS_SECRETS_KEY: key } })).toBe(key);
    expect(secretsKey({ env: {} })).toBeUndefined();
    expect(secretsKey({ env: {}, secretsKey: key })).toBe(key);
    let error: unknown;
    try {
      secretsKey({ env: { FLOWS_SECRETS_KEY: 'short-secret-value' } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'FLOWS_WEAK_SECRETS_KEY' });
    expect(JSON.stringify(error) + String(error)).not.toContain('short-secret-value');
  });
});
