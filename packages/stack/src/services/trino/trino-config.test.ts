import { describe, expect, it } from 'vitest';
import { resolveStackConfig } from '../../config/stack-config.ts';
import { passwordFileLine, renderTrinoConfig, trinoJvmArguments } from './trino-config.ts';

const config = resolveStackConfig({ ports: { trino: 28081, postgres: 25432 }, stateDir: '/state' }, {});
const files = renderTrinoConfig(
  config,
  { installDir: '/cache/trino/476', etcDir: '/state/trino/etc', keystore: '/state/trino/tls/keystore.p12', dataDir: '/state/trino/data', icebergWarehouseDir: '/state/trino/iceberg-warehouse' },
  { spoolingSharedSecretKey: 'c2VjcmV0', internalSharedSecret: 'aW50ZXJuYWw=', keystorePassword: 'store', jwtHmacKey: 'aG1hYw==', passwordSalt: '00112233' },
);

describe('renderTrinoConfig', () => {
  it('makes a single loopback coordinator on the configured port', () => {
    expect(files['config.properties']).toContain('coordinator=true\n');
    expect(files['config.properties']).toContain('http-server.http.port=28081\n');
    expect(files['config.properties']).toContain('plugin.dir=/cache/trino/476/plugin\n');
    expect(files['node.properties']).toContain('node.bind-ip=127.0.0.1\n');
  });

  it('points the postgresql and iceberg catalogs at the stack PostgreSQL', () => {
    expect(files['catalog/postgresql.properties']).toContain('connection-url=jdbc:postgresql://127.0.0.1:25432/examples\n');
    expect(files['catalog/iceberg.properties']).toContain('iceberg.catalog.type=jdbc\n');
    expect(files['catalog/iceberg.properties']).toContain('iceberg.jdbc-catalog.connection-url=jdbc:postgresql://127.0.0.1:25432/iceberg\n');
    expect(files['catalog/iceberg.properties']).toContain('local.location=/state/trino/iceberg-warehouse\n');
  });

  it('caches the PostgreSQL catalog metadata briefly, but never a missing table nor the lists of schemas and tables', () => {
    expect(files['catalog/postgresql.properties']).toContain('metadata.cache-ttl=30s\n');
    expect(files['catalog/postgresql.properties']).toContain('metadata.cache-missing=false\n');
    expect(files['catalog/postgresql.properties']).toContain('metadata.schemas.cache-ttl=0s\n');
    expect(files['catalog/postgresql.properties']).toContain('metadata.tables.cache-ttl=0s\n');
  });

  it('writes each catalog the stack promises', () => {
    expect(Object.keys(files).filter((file) => file.startsWith('catalog/')).sort()).toEqual([
      'catalog/iceberg.properties', 'catalog/memory.properties', 'catalog/postgresql.properties', 'catalog/tpch.properties',
    ]);
  });

  it('spools large results to the stack S3 storage, fetched by clients from there', () => {
    expect(files['config.properties']).toContain('protocol.spooling.enabled=true\n');
    expect(files['config.properties']).toContain('protocol.spooling.retrieval-mode=storage\n');
    expect(files['spooling-manager.properties']).toContain(`s3.endpoint=http://127.0.0.1:${config.ports.s3}\n`);
    expect(files['spooling-manager.properties']).toContain('fs.location=s3://trino-spooling/\n');
  });
});

describe('Trino over HTTPS', () => {
  it('authenticates with the password file or a JWT on the HTTPS port, keeping loopback HTTP open', () => {
    expect(files['config.properties']).toContain(`http-server.https.port=${config.ports.trinoHttps}\n`);
    expect(files['config.properties']).toContain('http-server.authentication.type=PASSWORD,JWT\n');
    expect(files['config.properties']).toContain('http-server.authentication.allow-insecure-over-http=true\n');
    expect(files['password-authenticator.properties']).toContain('file.password-file=/state/trino/etc/password.db\n');
    expect(files['jwt-hmac.key']).toBe('aG1hYw==\n');
  });

  it('hashes the password as Trino reads it (PBKDF2 with HMAC-SHA1, iterations:salt:hash in hex)', () => {
    // RFC 6070 test vector: PBKDF2-HMAC-SHA1("password", "salt", 1 iteration, 20 bytes) = 0c60c80f…
    expect(passwordFileLine('ana', 'password', Buffer.from('salt').toString('hex'), 1)).toMatch(/^ana:1:73616c74:0c60c80f961f0e71f3a9b524af6012062fe037a6/);
    expect(files['password.db']).toMatch(/^dataplat:10000:00112233:[0-9a-f]{128}\n$/);
  });
});

describe('trinoJvmArguments', () => {
  it('enables the vector module and allows Unsafe memory access on Java 24+', () => {
    expect(trinoJvmArguments(25)).toEqual(expect.arrayContaining(['--add-modules=jdk.incubator.vector', '--sun-misc-unsafe-memory-access=allow', '-Xmx2G']));
    expect(trinoJvmArguments(23)).not.toContain('--sun-misc-unsafe-memory-access=allow');
  });
});
