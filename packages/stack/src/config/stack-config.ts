import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { StackError } from '../errors.ts';

/** The services of the default profile: what `up` starts unless told otherwise. */
export const serviceNames = ['postgres', 's3', 'nifi', 'nifi-https', 'trino', 'airflow'] as const;
/** What the cluster profile adds: ZooKeeper, a 3-node NiFi cluster, a Trino coordinator with one worker. */
export const clusterServiceNames = ['zookeeper', 'nifi-cluster', 'trino-cluster'] as const;
/** Every service in canonical order (dependencies first). */
export const allServiceNames = [...serviceNames, ...clusterServiceNames] as const;
export type ServiceName = (typeof allServiceNames)[number];

export const stackProfiles = ['default', 'cluster'] as const;
/** default: the single-node services; cluster: those plus ZooKeeper, the NiFi cluster and the Trino cluster. */
export type StackProfile = (typeof stackProfiles)[number];

/** The services a profile starts. */
export function profileServiceNames(profile: StackProfile): readonly ServiceName[] {
  return profile === 'cluster' ? allServiceNames : serviceNames;
}

/** How many NiFi nodes the cluster profile runs. */
export const nifiClusterNodeCount = 3;

export interface StackPorts {
  postgres: number;
  /** NiFi over plain HTTP (anonymous). */
  nifi: number;
  nifiManagement: number;
  /** NiFi over HTTPS with single-user credentials. */
  nifiHttps: number;
  nifiHttpsManagement: number;
  trino: number;
  /** Trino over HTTPS with password and JWT authentication. */
  trinoHttps: number;
  airflow: number;
  /** S3-compatible object storage (s3proxy over local files): Trino's spooled results. */
  s3: number;
  /** Cluster profile: ZooKeeper's client port (loopback). */
  zookeeper: number;
  /**
   * Cluster profile: the NiFi nodes' ports are laid out from this base, node n (1–3) taking base+n (web, also
   * HTTP site-to-site), base+10+n (management), base+20+n (cluster protocol), base+30+n (load balancing).
   */
  nifiClusterBase: number;
  /** Cluster profile: the Trino coordinator (HTTP) and its worker. */
  trinoCluster: number;
  trinoClusterWorker: number;
}

export const defaultPorts: StackPorts = {
  postgres: 15432,
  nifi: 18080,
  nifiManagement: 18090,
  nifiHttps: 18443,
  nifiHttpsManagement: 18091,
  trino: 18081,
  trinoHttps: 18084,
  airflow: 18082,
  s3: 18083,
  zookeeper: 18181,
  nifiClusterBase: 18100,
  trinoCluster: 18085,
  trinoClusterWorker: 18086,
};

/** The ports of one node of the NiFi cluster (see StackPorts.nifiClusterBase). */
export interface NifiClusterNodePorts {
  /** node-1, node-2, node-3: also the node's process name and folder. */
  node: string;
  web: number;
  management: number;
  clusterProtocol: number;
  loadBalance: number;
}

export function nifiClusterNodePorts(ports: Pick<StackPorts, 'nifiClusterBase'>): NifiClusterNodePorts[] {
  const base = ports.nifiClusterBase;
  return Array.from({ length: nifiClusterNodeCount }, (_, index) => {
    const n = index + 1;
    return { node: `node-${n}`, web: base + n, management: base + 10 + n, clusterProtocol: base + 20 + n, loadBalance: base + 30 + n };
  });
}

export interface StackCredentials {
  /** Superuser of the stack's PostgreSQL cluster. */
  postgres: { user: string; password: string };
  /** The single user of the HTTPS NiFi. NiFi wants a password of at least 12 characters. */
  nifi: { username: string; password: string };
  /** SimpleAuthManager users of Airflow: an admin and a read-only viewer. */
  airflow: { admin: { username: string; password: string }; viewer: { username: string; password: string } };
  /** Access key of the S3-compatible storage. */
  s3: { accessKey: string; secretKey: string };
  /** A Trino user of the HTTPS port's password file. */
  trino: { username: string; password: string };
}

// Local-only, loopback-bound defaults; override them when the machine is shared.
export const defaultCredentials: StackCredentials = {
  postgres: { user: 'dataplat', password: 'dataplat-local-postgres' },
  nifi: { username: 'dataplat', password: 'dataplat-local-nifi' },
  airflow: {
    admin: { username: 'admin', password: 'dataplat-local-admin' },
    viewer: { username: 'viewer', password: 'dataplat-local-viewer' },
  },
  s3: { accessKey: 'dataplat', secretKey: 'dataplat-local-s3-secret' },
  trino: { username: 'dataplat', password: 'dataplat-local-trino' },
};

export interface StackOptions {
  /** Services to run; dependencies are added (trino needs postgres and s3, airflow needs postgres). Default: all. */
  services?: readonly ServiceName[] | undefined;
  /** Downloads and installations, shared by every stack on the machine. */
  cacheDir?: string | undefined;
  /** Data, configuration, logs and PIDs of this stack. */
  stateDir?: string | undefined;
  ports?: Partial<StackPorts> | undefined;
  credentials?: Partial<StackCredentials> | undefined;
  /** A JDK home to use instead of searching for one. */
  javaHome?: string | undefined;
  /** The Python interpreter Airflow's virtualenv is made from (3.10–3.13). */
  python?: string | undefined;
  /** Maven repository NiFi and Trino are downloaded from (a mirror of Maven Central). */
  mavenRepositoryUrl?: string | undefined;
  /** Folder of Airflow DAG files. */
  dagsFolder?: string | undefined;
  /** How long one service may take from start to ready. */
  readinessTimeoutMs?: number | undefined;
  /** Which services `services` defaults to: 'default' (single nodes) or 'cluster' (those plus the clusters). */
  profile?: StackProfile | undefined;
}

export interface StackConfig {
  profile: StackProfile;
  services: ServiceName[];
  cacheDir: string;
  stateDir: string;
  ports: StackPorts;
  credentials: StackCredentials;
  javaHome: string | undefined;
  python: string | undefined;
  mavenRepositoryUrl: string;
  dagsFolder: string;
  readinessTimeoutMs: number;
}

const serviceDependencies: Record<ServiceName, ServiceName[]> = {
  postgres: [],
  nifi: [],
  'nifi-https': [],
  s3: [],
  // Trino spools large results to the S3 storage (the spooling protocol).
  trino: ['postgres', 's3'],
  airflow: ['postgres'],
  zookeeper: [],
  // The NiFi nodes elect their coordinator and primary node through ZooKeeper and keep cluster state there.
  'nifi-cluster': ['zookeeper'],
  'trino-cluster': ['postgres', 's3'],
};

export function dependenciesOf(service: ServiceName): ServiceName[] {
  return serviceDependencies[service];
}

const portEnvironmentVariables: Record<keyof StackPorts, string> = {
  postgres: 'DATAPLAT_POSTGRES_PORT',
  nifi: 'DATAPLAT_NIFI_PORT',
  nifiManagement: 'DATAPLAT_NIFI_MANAGEMENT_PORT',
  nifiHttps: 'DATAPLAT_NIFI_HTTPS_PORT',
  nifiHttpsManagement: 'DATAPLAT_NIFI_HTTPS_MANAGEMENT_PORT',
  trino: 'DATAPLAT_TRINO_PORT',
  trinoHttps: 'DATAPLAT_TRINO_HTTPS_PORT',
  airflow: 'DATAPLAT_AIRFLOW_PORT',
  s3: 'DATAPLAT_S3_PORT',
  zookeeper: 'DATAPLAT_ZOOKEEPER_PORT',
  nifiClusterBase: 'DATAPLAT_NIFI_CLUSTER_BASE_PORT',
  trinoCluster: 'DATAPLAT_TRINO_CLUSTER_PORT',
  trinoClusterWorker: 'DATAPLAT_TRINO_CLUSTER_WORKER_PORT',
};

/**
 * Resolves options, then DATAPLAT_* environment variables, then defaults into a complete configuration.
 * Explicit options win over the environment.
 */
export function resolveStackConfig(options: StackOptions = {}, env: NodeJS.ProcessEnv = process.env): StackConfig {
  const profile = options.profile ?? parseProfile(env['DATAPLAT_STACK_PROFILE']) ?? 'default';
  const requested = options.services ?? parseServiceList(env['DATAPLAT_STACK_SERVICES']) ?? profileServiceNames(profile);
  const services = withDependencies(requested);

  const ports = { ...defaultPorts };
  for (const [key, variable] of Object.entries(portEnvironmentVariables) as Array<[keyof StackPorts, string]>) {
    const fromEnv = env[variable];
    if (fromEnv !== undefined && fromEnv !== '') ports[key] = parsePort(fromEnv, variable);
  }
  for (const [key, value] of Object.entries(options.ports ?? {}) as Array<[keyof StackPorts, number | undefined]>) {
    if (value !== undefined) ports[key] = parsePort(String(value), `ports.${key}`);
  }
  assertDistinctPorts(ports);

  const cacheDir = absolute(
    options.cacheDir ?? env['DATAPLAT_CACHE_DIR'] ?? join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'dataplat'),
  );
  const stateDir = absolute(options.stateDir ?? env['DATAPLAT_STACK_DIR'] ?? join(process.cwd(), '.dataplat', 'stack'));
  const readinessTimeoutMs = options.readinessTimeoutMs ?? parseTimeout(env['DATAPLAT_STACK_READY_TIMEOUT_SECONDS']) ?? 600_000;

  return {
    profile,
    services,
    cacheDir,
    stateDir,
    ports,
    credentials: { ...defaultCredentials, ...options.credentials },
    javaHome: options.javaHome ?? env['DATAPLAT_JAVA_HOME'] ?? undefined,
    python: options.python ?? env['DATAPLAT_PYTHON'] ?? undefined,
    mavenRepositoryUrl: (options.mavenRepositoryUrl ?? env['DATAPLAT_MAVEN_REPOSITORY'] ?? 'https://repo1.maven.org/maven2').replace(/\/+$/, ''),
    dagsFolder: absolute(options.dagsFolder ?? env['DATAPLAT_AIRFLOW_DAGS'] ?? join(stateDir, 'airflow', 'dags')),
    readinessTimeoutMs,
  };
}

export function parseServiceList(text: string | undefined): ServiceName[] | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return text.split(',').map((name) => assertServiceName(name.trim(), 'DATAPLAT_STACK_SERVICES'));
}

export function assertServiceName(name: string, where: string): ServiceName {
  if ((allServiceNames as readonly string[]).includes(name)) return name as ServiceName;
  throw new StackError({
    code: 'STACK_CONFIG_INVALID',
    message: `Unknown service "${name}" in ${where}.`,
    hint: `Known services: ${allServiceNames.join(', ')}.`,
  });
}

/** A profile name from the command line or DATAPLAT_STACK_PROFILE. */
export function parseProfile(text: string | undefined, where = 'DATAPLAT_STACK_PROFILE'): StackProfile | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const name = text.trim();
  if ((stackProfiles as readonly string[]).includes(name)) return name as StackProfile;
  throw new StackError({
    code: 'STACK_CONFIG_INVALID',
    message: `Unknown profile "${name}" in ${where}.`,
    hint: `Known profiles: ${stackProfiles.join(', ')}.`,
  });
}

/** Adds what each service needs, keeping the canonical order (dependencies first). */
export function withDependencies(requested: readonly ServiceName[]): ServiceName[] {
  const wanted = new Set<ServiceName>();
  const visit = (service: ServiceName): void => {
    if (wanted.has(service)) return;
    for (const dependency of serviceDependencies[service]) visit(dependency);
    wanted.add(service);
  };
  requested.forEach(visit);
  return allServiceNames.filter((service) => wanted.has(service));
}

function parsePort(text: string, where: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new StackError({
      code: 'STACK_CONFIG_INVALID',
      message: `${where} must be a TCP port number from 1 to 65535, got "${text}".`,
    });
  }
  return port;
}

/** Every port the stack would listen on, by name; the NiFi cluster's base expands to each node's five ports. */
function listeningPorts(ports: StackPorts): Array<[string, number]> {
  const { nifiClusterBase: _base, ...singlePorts } = ports;
  const nodePorts = nifiClusterNodePorts(ports).flatMap(({ node, ...named }) =>
    Object.entries(named).map(([kind, port]): [string, number] => [`nifi-cluster ${node} ${kind}`, port]),
  );
  return [...Object.entries(singlePorts), ...nodePorts];
}

function assertDistinctPorts(ports: StackPorts): void {
  const seen = new Map<number, string>();
  for (const [name, port] of listeningPorts(ports)) {
    if (port > 65_535) {
      throw new StackError({ code: 'STACK_CONFIG_INVALID', message: `The ${name} port would be ${port}: the NiFi cluster's base port leaves no room for its nodes.`, hint: 'Choose a DATAPLAT_NIFI_CLUSTER_BASE_PORT of at most 65502.' });
    }
    const other = seen.get(port);
    if (other) {
      throw new StackError({
        code: 'STACK_CONFIG_INVALID',
        message: `Ports ${other} and ${name} are both ${port}.`,
        hint: 'Give every service its own port (see the DATAPLAT_*_PORT variables).',
      });
    }
    seen.set(port, name);
  }
}

function parseTimeout(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new StackError({
      code: 'STACK_CONFIG_INVALID',
      message: `DATAPLAT_STACK_READY_TIMEOUT_SECONDS must be a positive number of seconds, got "${text}".`,
    });
  }
  return seconds * 1000;
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}
