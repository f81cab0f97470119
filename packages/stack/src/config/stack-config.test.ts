import { describe, expect, it } from 'vitest';
import { StackError } from '../errors.ts';
import { defaultPorts, nifiClusterNodePorts, resolveStackConfig, withDependencies } from './stack-config.ts';

describe('resolveStackConfig', () => {
  it('uses loopback defaults, all services and the XDG cache', () => {
    const config = resolveStackConfig({}, { XDG_CACHE_HOME: '/cache-home' });
    expect(config.services).toEqual(['postgres', 's3', 'nifi', 'nifi-https', 'trino', 'airflow']);
    expect(config.ports).toEqual(defaultPorts);
    expect(config.cacheDir).toBe('/cache-home/dataplat');
    expect(config.mavenRepositoryUrl).toBe('https://repo1.maven.org/maven2');
  });

  it('reads DATAPLAT_* variables, and explicit options win over them', () => {
    const env = { DATAPLAT_TRINO_PORT: '28081', DATAPLAT_CACHE_DIR: '/from-env', DATAPLAT_STACK_SERVICES: 'trino', DATAPLAT_MAVEN_REPOSITORY: 'https://mirror.example/maven2/' };
    const fromEnv = resolveStackConfig({}, env);
    expect(fromEnv.ports.trino).toBe(28081);
    expect(fromEnv.cacheDir).toBe('/from-env');
    expect(fromEnv.services).toEqual(['postgres', 's3', 'trino']);
    expect(fromEnv.mavenRepositoryUrl).toBe('https://mirror.example/maven2');
    const explicit = resolveStackConfig({ ports: { trino: 38081 }, cacheDir: '/explicit' }, env);
    expect(explicit.ports.trino).toBe(38081);
    expect(explicit.cacheDir).toBe('/explicit');
  });

  it('rejects a bad port, naming the variable', () => {
    expect(() => resolveStackConfig({}, { DATAPLAT_NIFI_PORT: 'eighty' })).toThrowError(/DATAPLAT_NIFI_PORT must be a TCP port number/);
    expect(() => resolveStackConfig({ ports: { trino: 70_000 } }, {})).toThrowError(/ports.trino/);
  });

  it('rejects two services on one port', () => {
    try {
      resolveStackConfig({ ports: { trino: defaultPorts.airflow } }, {});
      expect.unreachable();
    } catch (error) {
      expect(StackError.isInstance(error) && error.code).toBe('STACK_CONFIG_INVALID');
      expect((error as Error).message).toMatch(/trino and airflow are both 18082|airflow.*trino/);
    }
  });

  it('rejects unknown service names with the list of known ones', () => {
    expect(() => resolveStackConfig({}, { DATAPLAT_STACK_SERVICES: 'nifi,kafka' })).toThrowError(/Unknown service "kafka".*\n.*Known services: postgres, s3, nifi/);
  });
});

describe('withDependencies', () => {
  it('adds postgres for trino and airflow and keeps the canonical order', () => {
    expect(withDependencies(['airflow'])).toEqual(['postgres', 'airflow']);
    expect(withDependencies(['trino', 'nifi'])).toEqual(['postgres', 's3', 'nifi', 'trino']);
    expect(withDependencies(['nifi-https'])).toEqual(['nifi-https']);
  });
});

describe('the cluster profile', () => {
  it('adds ZooKeeper, the NiFi cluster and the Trino cluster to the default services, which stay as they are', () => {
    expect(resolveStackConfig({}, {}).services).toEqual(['postgres', 's3', 'nifi', 'nifi-https', 'trino', 'airflow']);
    expect(resolveStackConfig({ profile: 'cluster' }, {}).services).toEqual(['postgres', 's3', 'nifi', 'nifi-https', 'trino', 'airflow', 'zookeeper', 'nifi-cluster', 'trino-cluster']);
    expect(resolveStackConfig({}, { DATAPLAT_STACK_PROFILE: 'cluster' }).profile).toBe('cluster');
    expect(withDependencies(['nifi-cluster'])).toEqual(['zookeeper', 'nifi-cluster']);
    expect(withDependencies(['trino-cluster'])).toEqual(['postgres', 's3', 'trino-cluster']);
    expect(() => resolveStackConfig({}, { DATAPLAT_STACK_PROFILE: 'ha' })).toThrowError(/Unknown profile "ha"/);
  });

  it('gives every NiFi node its own web, management, protocol and load-balance port, none shared with another service or 8080', () => {
    const config = resolveStackConfig({ profile: 'cluster' }, {});
    const nodes = nifiClusterNodePorts(config.ports);
    expect(nodes.map((node) => node.node)).toEqual(['node-1', 'node-2', 'node-3']);
    const nodePorts = nodes.flatMap(({ node: _node, ...ports }) => Object.values(ports));
    const { nifiClusterBase: _base, ...otherPorts } = config.ports;
    const everyPort = [...nodePorts, ...Object.values(otherPorts)];
    expect(nodePorts).toHaveLength(12);
    expect(new Set(everyPort).size).toBe(everyPort.length);
    expect(everyPort).not.toContain(8080);
    expect(everyPort).not.toContain(2181);
  });

  it('refuses a base port that makes a node collide with another service, or run past 65535', () => {
    expect(() => resolveStackConfig({ ports: { nifiClusterBase: defaultPorts.trino - 21 } }, {})).toThrowError(/nifi-cluster node-1 clusterProtocol.*18081|trino.*18081/);
    expect(() => resolveStackConfig({}, { DATAPLAT_NIFI_CLUSTER_BASE_PORT: '65510' })).toThrowError(/leaves no room for its nodes/);
  });
});
