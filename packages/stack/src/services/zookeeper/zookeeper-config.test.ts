// The cluster profile's ZooKeeper configuration: standalone, client port on loopback only, no AdminServer on 8080.
import { describe, expect, it } from 'vitest';
import { resolveStackConfig } from '../../config/stack-config.ts';
import { renderZooConfig, zookeeperConnectString } from './zookeeper-config.ts';
import { zookeeperRelease } from './zookeeper-release.ts';

describe('renderZooConfig', () => {
  const config = resolveStackConfig({ profile: 'cluster', ports: { zookeeper: 28181 } }, {});
  const lines = renderZooConfig(config, '/state/zookeeper/data').trim().split('\n');

  it('serves clients on 127.0.0.1 only, with the AdminServer off', () => {
    expect(lines).toEqual(expect.arrayContaining(['clientPort=28181', 'clientPortAddress=127.0.0.1', 'admin.enableServer=false', 'dataDir=/state/zookeeper/data']));
    expect(lines.some((line) => line.startsWith('server.'))).toBe(false);
    expect(zookeeperConnectString(config)).toBe('127.0.0.1:28181');
  });
});

describe('zookeeperRelease', () => {
  it('pins every jar by SHA-256, including metrics-core and snappy-java that the pom leaves to the user', () => {
    expect(zookeeperRelease.jars.every((jar) => /^[0-9a-f]{64}$/.test(jar.sha256))).toBe(true);
    const names = zookeeperRelease.jars.map((jar) => jar.path.split('/').at(-1));
    expect(names).toEqual(expect.arrayContaining(['zookeeper-3.9.5.jar', 'zookeeper-jute-3.9.5.jar', 'metrics-core-4.1.12.1.jar', 'snappy-java-1.1.10.5.jar', 'logback-classic-1.3.15.jar']));
    expect(new Set(names).size).toBe(names.length);
  });
});
