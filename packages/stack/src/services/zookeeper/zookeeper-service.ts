// The cluster profile's ZooKeeper: one standalone server on loopback, where the NiFi cluster elects its
// coordinator and primary node and keeps cluster-wide component state.
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { StackConfig } from '../../config/stack-config.ts';
import { downloadVerified } from '../../download/verified-download.ts';
import { writePrivateFile } from '../../install/private-files.ts';
import { startProcess } from '../../process/managed-process.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import { logFile, pidFile, serviceDir, type StackService } from '../service.ts';
import { renderZooConfig, renderZookeeperLogback, zookeeperJvmArguments } from './zookeeper-config.ts';
import { zookeeperRelease } from './zookeeper-release.ts';

function cachedJar(config: StackConfig, path: string): string {
  return join(config.cacheDir, 'maven', path);
}

export const zookeeperService: StackService = {
  name: 'zookeeper',
  processNames: ['zookeeper'],
  ports: (config) => [config.ports.zookeeper],
  javaRequirement: { minimumMajor: 11, neededBy: `ZooKeeper ${zookeeperRelease.version}` },

  async install(context) {
    const { config } = context;
    context.report({ type: 'service-install-step', service: 'zookeeper', step: `download ${zookeeperRelease.jars.length} jars from Maven Central` });
    await Promise.all(
      zookeeperRelease.jars.map((jar) =>
        downloadVerified({ url: `${config.mavenRepositoryUrl}/${jar.path}`, sha256: jar.sha256, destination: cachedJar(config, jar.path) }),
      ),
    );
  },

  async start(context) {
    const { config } = context;
    const java = await context.java();
    const directory = serviceDir(config, 'zookeeper');
    const dataDir = join(directory, 'data');
    await mkdir(dataDir, { recursive: true });
    const configFile = join(directory, 'zoo.cfg');
    const logbackFile = join(directory, 'logback.xml');
    await writePrivateFile(configFile, renderZooConfig(config, dataDir));
    await writePrivateFile(logbackFile, renderZookeeperLogback());
    const serverProcess = await startProcess({
      command: java.java,
      args: [
        ...zookeeperJvmArguments(logbackFile),
        '-cp',
        zookeeperRelease.jars.map((jar) => cachedJar(config, jar.path)).join(':'),
        zookeeperRelease.mainClass,
        configFile,
      ],
      cwd: directory,
      env: { ...process.env, JAVA_HOME: java.home },
      logFile: logFile(config, 'zookeeper', 'zookeeper'),
      pidFile: pidFile(config, 'zookeeper', 'zookeeper'),
      marker: configFile,
    });
    return [{ name: 'zookeeper', process: serverProcess }];
  },

  async waitUntilReady(context, processes) {
    const { config } = context;
    await waitUntil(async () => ((await isServing(config)) ? true : undefined), {
      service: 'zookeeper',
      timeoutMs: config.readinessTimeoutMs,
      processes,
      logFile: logFile(config, 'zookeeper', 'zookeeper'),
      description: `the four-letter word srvr answers "Mode: standalone" on 127.0.0.1:${config.ports.zookeeper}`,
    });
  },

  async isReady(context) {
    try {
      return await isServing(context.config);
    } catch {
      return false;
    }
  },
};

async function isServing(config: StackConfig): Promise<boolean> {
  return (await fourLetterWord(config.ports.zookeeper, 'srvr')).includes('Mode: standalone');
}

/** Sends one of ZooKeeper's four-letter commands and returns what the server writes before closing. */
export function fourLetterWord(port: number, word: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs);
    socket.once('connect', () => socket.write(word));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    socket.once('timeout', () => {
      socket.destroy();
      reject(new Error(`ZooKeeper did not answer ${word} within ${timeoutMs} ms`));
    });
    socket.once('error', reject);
  });
}
