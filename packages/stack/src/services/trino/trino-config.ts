import { pbkdf2Sync } from 'node:crypto';
import { join } from 'node:path';
import type { StackConfig } from '../../config/stack-config.ts';
import { stackDatabases } from '../postgres/postgres-service.ts';
import { s3Region, stackBuckets } from '../s3/s3-service.ts';

export interface TrinoFiles {
  /** Relative path under the etc folder → content. */
  [relativePath: string]: string;
}

export interface TrinoLayout {
  installDir: string;
  etcDir: string;
  /** PKCS12 keystore of the HTTPS port. */
  keystore: string;
  dataDir: string;
  icebergWarehouseDir: string;
}

export interface TrinoSecrets {
  /** Signs the spooled segment URLs handed to clients (base64, 256 bits). */
  spoolingSharedSecretKey: string;
  /** Authenticates Trino's internal requests, required once authentication is on. */
  internalSharedSecret: string;
  keystorePassword: string;
  /** HMAC key (base64) that signs the JWTs the HTTPS port accepts. */
  jwtHmacKey: string;
  /** Salt (hex) of the password file's PBKDF2 hash. */
  passwordSalt: string;
}

/**
 * A line of Trino's password file, `user:iterations:salt-hex:hash-hex`. Trino's file authenticator
 * verifies PBKDF2 hashes with HMAC-SHA1 (its EncryptionUtil), so that is what is written.
 */
export function passwordFileLine(username: string, password: string, saltHex: string, iterations = 10_000): string {
  const hash = pbkdf2Sync(password, Buffer.from(saltHex, 'hex'), iterations, 64, 'sha1');
  return `${username}:${iterations}:${saltHex}:${hash.toString('hex')}`;
}

/**
 * Configuration of the single-node coordinator, its catalogs tpch, memory, postgresql and iceberg, and
 * the spooling protocol: large results are written as segments to the stack's S3 storage, and clients
 * fetch them straight from there (retrieval mode STORAGE, presigned URLs).
 */
export function renderTrinoConfig(config: StackConfig, layout: TrinoLayout, secrets: TrinoSecrets): TrinoFiles {
  return {
    'config.properties': properties({
      coordinator: 'true',
      'node-scheduler.include-coordinator': 'true',
      'http-server.http.port': String(config.ports.trino),
      'discovery.uri': `http://127.0.0.1:${config.ports.trino}`,
      'query.max-memory': '1GB',
      'query.max-memory-per-node': '1GB',
      'catalog.config-dir': join(layout.etcDir, 'catalog'),
      'plugin.dir': join(layout.installDir, 'plugin'),
      // Load catalogs concurrently: a faster start on small machines.
      'experimental.concurrent-startup': 'true',
      ...spoolingProtocolProperties(secrets.spoolingSharedSecretKey),
      // A second, HTTPS port where clients authenticate with a password or a JWT; plain HTTP stays open
      // without authentication (loopback only) for the tools and tests that use it.
      'http-server.https.enabled': 'true',
      'http-server.https.port': String(config.ports.trinoHttps),
      'http-server.https.keystore.path': layout.keystore,
      'http-server.https.keystore.key': secrets.keystorePassword,
      'http-server.authentication.type': 'PASSWORD,JWT',
      'http-server.authentication.allow-insecure-over-http': 'true',
      'http-server.authentication.jwt.key-file': join(layout.etcDir, 'jwt-hmac.key'),
      'internal-communication.shared-secret': secrets.internalSharedSecret,
    }),
    'password-authenticator.properties': properties({ 'password-authenticator.name': 'file', 'file.password-file': join(layout.etcDir, 'password.db') }),
    'password.db': `${passwordFileLine(config.credentials.trino.username, config.credentials.trino.password, secrets.passwordSalt)}\n`,
    'jwt-hmac.key': `${secrets.jwtHmacKey}\n`,
    'node.properties': properties({
      'node.environment': 'dataplat',
      'node.id': 'dataplat-local',
      'node.data-dir': layout.dataDir,
      // Loopback only.
      'node.bind-ip': '127.0.0.1',
      'node.internal-address': '127.0.0.1',
    }),
    ...trinoSharedFiles(config, layout),
  };
}

/**
 * What every Trino node of the stack reads alike, the single one and the cluster's coordinator and worker:
 * the catalogs (tpch, memory, postgresql, iceberg on the stack's PostgreSQL and warehouse folder), the
 * spooling manager writing result segments to the S3 service, and the log levels.
 */
export function trinoSharedFiles(config: StackConfig, layout: Pick<TrinoLayout, 'icebergWarehouseDir'>): TrinoFiles {
  const postgresUrl = (database: string) => `jdbc:postgresql://127.0.0.1:${config.ports.postgres}/${database}`;
  const { user, password } = config.credentials.postgres;
  return {
    'spooling-manager.properties': properties({
      'spooling-manager.name': 'filesystem',
      'fs.s3.enabled': 'true',
      'fs.location': `s3://${stackBuckets.trinoSpooling}/`,
      's3.endpoint': `http://127.0.0.1:${config.ports.s3}`,
      's3.region': s3Region,
      's3.path-style-access': 'true',
      's3.aws-access-key': config.credentials.s3.accessKey,
      's3.aws-secret-key': config.credentials.s3.secretKey,
      // s3proxy's filesystem store has no SSE-C; segments stay on this machine.
      'fs.segment.encryption': 'false',
    }),
    'log.properties': properties({ 'io.trino': 'INFO' }),
    'catalog/tpch.properties': properties({ 'connector.name': 'tpch', 'tpch.splits-per-node': '4' }),
    'catalog/memory.properties': properties({ 'connector.name': 'memory', 'memory.max-data-per-node': '256MB' }),
    'catalog/postgresql.properties': properties({
      'connector.name': 'postgresql',
      'connection-url': postgresUrl(stackDatabases.examples),
      'connection-user': user,
      'connection-password': password,
      // A table's handle, columns and statistics are kept 30 s instead of being read again over a new JDBC
      // connection by every query (and several times within one): what a dashboard's questions ask again and
      // again. The trade-off: a column added or changed straight in PostgreSQL shows in Trino after at most
      // 30 s (or at once after CALL postgresql.system.flush_metadata_cache()), and the statistics the planner
      // uses may be 30 s old. What Trino itself changes it sees at once; a new table or schema too, since
      // missing tables are not cached and the lists of schemas and tables are not cached. Rows never are.
      'metadata.cache-ttl': '30s',
      'metadata.cache-missing': 'false',
      'metadata.schemas.cache-ttl': '0s',
      'metadata.tables.cache-ttl': '0s',
    }),
    // Iceberg tables in local files, with the table catalog kept in PostgreSQL (JDBC catalog).
    'catalog/iceberg.properties': properties({
      'connector.name': 'iceberg',
      'iceberg.catalog.type': 'jdbc',
      'iceberg.jdbc-catalog.catalog-name': 'dataplat',
      'iceberg.jdbc-catalog.driver-class': 'org.postgresql.Driver',
      'iceberg.jdbc-catalog.connection-url': postgresUrl(stackDatabases.iceberg),
      'iceberg.jdbc-catalog.connection-user': user,
      'iceberg.jdbc-catalog.connection-password': password,
      // local:/// is the root of local.location, a plain folder path.
      'iceberg.jdbc-catalog.default-warehouse-dir': 'local:///',
      'fs.native-local.enabled': 'true',
      'local.location': layout.icebergWarehouseDir,
    }),
  };
}

/**
 * The spooling protocol's config.properties entries; every node of a cluster must share the key, since
 * workers write the segments whose URLs the coordinator signs.
 */
export function spoolingProtocolProperties(sharedSecretKey: string): Record<string, string> {
  return {
    'protocol.spooling.enabled': 'true',
    'protocol.spooling.shared-secret-key': sharedSecretKey,
    'protocol.spooling.retrieval-mode': 'storage',
  };
}

/** JVM options for Trino 476 on Java 24+ (what its launcher's jvm.config would hold). */
export function trinoJvmArguments(javaMajor: number, maximumHeap = '2G'): string[] {
  return [
    '-server',
    `-Xmx${maximumHeap}`,
    '-XX:+UseG1GC',
    '-XX:G1HeapRegionSize=32M',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:+ExitOnOutOfMemoryError',
    '-XX:-OmitStackTraceInFastThrow',
    '-XX:ReservedCodeCacheSize=256M',
    '-XX:PerMethodRecompilationCutoff=10000',
    '-XX:PerBytecodeRecompilationCutoff=10000',
    '-Djdk.attach.allowAttachSelf=true',
    '-Djdk.nio.maxCachedBufferSize=2000000',
    '-XX:+EnableDynamicAgentLoading',
    '-XX:+UnlockDiagnosticVMOptions',
    '--enable-native-access=ALL-UNNAMED',
    '--add-modules=jdk.incubator.vector',
    // Java 24+ warns on sun.misc.Unsafe memory access, which Trino's libraries still use.
    ...(javaMajor >= 24 ? ['--sun-misc-unsafe-memory-access=allow'] : []),
  ];
}

export function properties(entries: Record<string, string>): string {
  return `${Object.entries(entries)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/** One Trino node's identity, as Trino's launcher would read it from node.properties. */
export interface TrinoNodeIdentity {
  id: string;
  dataDir: string;
}

/**
 * The JVM command line of one Trino server: what Trino's launcher does with jvm.config and node.properties
 * (each entry passed as a system property), the etc folder's config and log levels, and the class path.
 */
export function trinoServerArguments(javaMajor: number, maximumHeap: string, node: TrinoNodeIdentity, etcDir: string, installDir: string): string[] {
  return [
    ...trinoJvmArguments(javaMajor, maximumHeap),
    '-Dnode.environment=dataplat',
    `-Dnode.id=${node.id}`,
    `-Dnode.data-dir=${node.dataDir}`,
    '-Dnode.bind-ip=127.0.0.1',
    '-Dnode.internal-address=127.0.0.1',
    `-Dconfig=${join(etcDir, 'config.properties')}`,
    `-Dlog.levels-file=${join(etcDir, 'log.properties')}`,
    '-cp',
    `${join(installDir, 'lib')}/*`,
    'io.trino.server.TrinoServer',
  ];
}
