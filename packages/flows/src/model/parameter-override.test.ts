// overrideParameter: an override giving one source of the value (value, fromEnv, asset) drops the others.
import { describe, expect, it } from 'vitest';
import { overrideParameter } from './parameter-override.ts';

/** A parameter as the DSL writes one (each call's base and override are of this type). */
type Parameter = { value?: string; fromEnv?: string; asset?: unknown; sensitive?: boolean; description?: string };

const driver = { maven: 'org.postgresql:postgresql:42.7.8', sha256: 'a'.repeat(64) };

describe('overrideParameter', () => {
  it('replaces the source of the value: value over fromEnv, fromEnv over value, a path over an asset, an asset over a value', () => {
    expect(overrideParameter<Parameter>({ fromEnv: 'PORT', description: 'port' }, { value: '18091' })).toEqual({ value: '18091', description: 'port' });
    expect(overrideParameter<Parameter>({ value: 'dev-password', sensitive: true }, { fromEnv: 'PROD_PASSWORD' })).toEqual({ fromEnv: 'PROD_PASSWORD', sensitive: true });
    expect(overrideParameter<Parameter>({ asset: driver }, { value: '/opt/nifi/drivers' })).toEqual({ value: '/opt/nifi/drivers' });
    expect(overrideParameter<Parameter>({ value: './drivers', sensitive: false }, { asset: driver })).toEqual({ asset: driver });
  });

  it('keeps the base when the override gives no source, and the base itself without an override', () => {
    expect(overrideParameter<Parameter>({ value: '35', description: 'old' }, { description: 'new' })).toEqual({ value: '35', description: 'new' });
    const base: Parameter = { fromEnv: 'TOKEN', sensitive: true };
    expect(overrideParameter(base, undefined)).toBe(base);
  });
});
