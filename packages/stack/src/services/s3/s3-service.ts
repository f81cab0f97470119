// S3-compatible object storage on loopback for Trino's spooling protocol: s3proxy (org.gaul:s3proxy,
// a real S3 API server — AWS signatures v2/v4, multipart, presigned URLs — over local files), one jar
// from Maven Central. Buckets are folders under its data directory.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackConfig } from '../../config/stack-config.ts';
import { downloadVerified } from '../../download/verified-download.ts';
import { startProcess } from '../../process/managed-process.ts';
import { httpProbe } from '../../readiness/http-probe.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import { logFile, pidFile, serviceDir, type StackService } from '../service.ts';
import { writePrivateFile } from '../../install/private-files.ts';

export const s3proxyRelease = {
  version: '4.1.0',
  path: 'org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar',
  sha256: 'a4d025969aaf796616ed4b1e2491d87d455ce84bb28cb9db086b2e6aaa68b48d',
} as const;

/** s3proxy accepts any region in signatures; clients sign for this one. */
export const s3Region = 'us-east-1';

/** The buckets the stack creates. */
export const stackBuckets = { trinoSpooling: 'trino-spooling' } as const;

export function s3DataDir(config: StackConfig): string {
  return join(serviceDir(config, 's3'), 'data');
}

/** s3proxy's configuration: loopback endpoint, one access key, the filesystem blob store. */
export function renderS3ProxyConfig(config: StackConfig): string {
  const { accessKey, secretKey } = config.credentials.s3;
  return [
    `s3proxy.endpoint=http://127.0.0.1:${config.ports.s3}`,
    's3proxy.authorization=aws-v2-or-v4',
    `s3proxy.identity=${accessKey}`,
    `s3proxy.credential=${secretKey}`,
    'jclouds.provider=filesystem',
    `jclouds.filesystem.basedir=${s3DataDir(config)}`,
    '',
  ].join('\n');
}

function jarPath(config: StackConfig): string {
  return join(config.cacheDir, 's3proxy', s3proxyRelease.version, 's3proxy.jar');
}

export const s3Service: StackService = {
  name: 's3',
  processNames: ['s3proxy'],
  ports: (config) => [config.ports.s3],
  javaRequirement: { minimumMajor: 17, neededBy: `s3proxy ${s3proxyRelease.version}` },

  async install(context) {
    const { config } = context;
    context.report({ type: 'service-install-step', service: 's3', step: `download ${s3proxyRelease.path}` });
    await downloadVerified({ url: `${config.mavenRepositoryUrl}/${s3proxyRelease.path}`, sha256: s3proxyRelease.sha256, destination: jarPath(config) });
  },

  async start(context) {
    const { config } = context;
    const java = await context.java();
    const directory = serviceDir(config, 's3');
    for (const bucket of Object.values(stackBuckets)) await mkdir(join(s3DataDir(config), bucket), { recursive: true });
    const configFile = join(directory, 's3proxy.conf');
    await writePrivateFile(configFile, renderS3ProxyConfig(config));
    const serverProcess = await startProcess({
      command: java.java,
      args: ['-Xmx256m', '-jar', jarPath(config), '--properties', configFile],
      cwd: directory,
      env: { ...process.env, JAVA_HOME: java.home },
      logFile: logFile(config, 's3', 's3proxy'),
      pidFile: pidFile(config, 's3', 's3proxy'),
      marker: configFile,
    });
    return [{ name: 's3proxy', process: serverProcess }];
  },

  async waitUntilReady(context, processes) {
    const { config } = context;
    await waitUntil(async () => ((await answersS3(config)) ? true : undefined), {
      service: 's3',
      timeoutMs: config.readinessTimeoutMs,
      processes,
      logFile: logFile(config, 's3', 's3proxy'),
      description: 'the S3 endpoint answers (403 to an unsigned request)',
    });
  },

  async isReady(context) {
    try {
      return await answersS3(context.config);
    } catch {
      return false;
    }
  },
};

/** An unsigned request gets S3's AccessDenied: the API is up. */
async function answersS3(config: StackConfig): Promise<boolean> {
  const response = await httpProbe(`http://127.0.0.1:${config.ports.s3}/`);
  return response.status === 403 && response.body.includes('AccessDenied');
}
