import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { resolveStackConfig } from '../../config/stack-config.ts';
import { nifiPorts, renderAuthorizers, renderLoginIdentityProviders, renderNifiProperties } from './nifi-config.ts';
import { hashPassword } from './nifi-service.ts';

const layout = { installDir: '/cache/nifi/2.3.0', instanceDir: '/state/nifi', confDir: '/state/nifi/conf', logsDir: '/state/nifi/logs' };
const secrets = { sensitivePropertiesKey: 'sensitive-key-123', keystorePassword: 'keystore-secret', truststorePassword: 'truststore-secret' };
const config = resolveStackConfig({}, {});

function parse(properties: string): Record<string, string> {
  return Object.fromEntries(properties.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('renderNifiProperties', () => {
  it('serves plain HTTP on loopback without authentication in http mode', () => {
    const properties = parse(renderNifiProperties('http', nifiPorts(config, 'http'), layout, secrets));
    expect(properties['nifi.web.http.host']).toBe('127.0.0.1');
    expect(properties['nifi.web.http.port']).toBe('18080');
    expect(properties['nifi.web.https.port']).toBe('');
    expect(properties['nifi.security.user.login.identity.provider']).toBe('');
    expect(properties['nifi.security.keystorePasswd']).toBe('');
    expect(properties['nifi.nar.library.directory']).toBe('/cache/nifi/2.3.0/lib');
  });

  it('serves HTTPS as localhost with the single-user plug-in in https mode', () => {
    const properties = parse(renderNifiProperties('https', nifiPorts(config, 'https'), layout, secrets));
    expect(properties['nifi.web.https.host']).toBe('localhost');
    expect(properties['nifi.web.https.port']).toBe('18443');
    expect(properties['nifi.web.http.port']).toBe('');
    expect(properties['nifi.security.user.login.identity.provider']).toBe('dataplat-single-user-provider');
    expect(properties['nifi.security.user.authorizer']).toBe('dataplat-single-user-authorizer');
    expect(properties['nifi.security.keystore']).toBe('/state/nifi/conf/keystore.p12');
  });

  it('keeps every repository inside the instance folder', () => {
    const properties = parse(renderNifiProperties('http', nifiPorts(config, 'http'), layout, secrets));
    for (const key of ['nifi.flowfile.repository.directory', 'nifi.content.repository.directory.default', 'nifi.provenance.repository.directory.default', 'nifi.database.directory']) {
      expect(properties[key]).toMatch(/^\/state\/nifi\//);
    }
  });
});

describe('single-user configuration', () => {
  it('stores a PBKDF2 hash that verifies the password, never the password', () => {
    const hash = hashPassword('dataplat-local-nifi');
    const [scheme, iterations, salt, digest] = hash.split('$');
    expect(scheme).toBe('pbkdf2-sha256');
    const recomputed = pbkdf2Sync('dataplat-local-nifi', Buffer.from(salt!, 'base64'), Number(iterations), 32, 'sha256');
    expect(recomputed.toString('base64')).toBe(digest);
    const providers = renderLoginIdentityProviders('dataplat', hash);
    expect(providers).toContain('<property name="Username">dataplat</property>');
    expect(providers).not.toContain('dataplat-local-nifi');
  });

  it('escapes XML in user names', () => {
    expect(renderAuthorizers('a<b&"c"')).toContain('<property name="Identity">a&lt;b&amp;&quot;c&quot;</property>');
  });
});
