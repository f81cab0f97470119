import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent } from 'undici';
import type { StackConfig } from '../../config/stack-config.ts';
import { loadOrCreateSecrets } from '../../install/persistent-secrets.ts';
import { restrictFile, writePrivateFile } from '../../install/private-files.ts';
import { ensureSelfSignedCertificate } from '../../tls/self-signed-certificate.ts';
import { runInstallCommand } from '../../install/run-command.ts';
import type { JavaInstallation, JavaRequirement } from '../../java/find-java.ts';
import { startProcess } from '../../process/managed-process.ts';
import { httpProbe } from '../../readiness/http-probe.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import { logFile, pidFile, serviceDir, type ServiceContext, type StackService } from '../service.ts';
import { installNifi } from './nifi-install.ts';
import {
  nifiJvmArguments,
  nifiPorts,
  renderAuthorizers,
  renderLoginIdentityProviders,
  renderLogback,
  renderNifiProperties,
  renderStateManagement,
  type NifiInstanceLayout,
  type NifiInstanceSecrets,
  type NifiMode,
} from './nifi-config.ts';

/** NiFi 2.x needs Java 21; the JDK's javac and jar package the NARs the stack assembles. */
export const nifiJavaRequirement: JavaRequirement = { minimumMajor: 21, neededBy: 'NiFi 2', needsCompiler: true };

function createNifiService(mode: NifiMode): StackService {
  const name = mode === 'http' ? 'nifi' : 'nifi-https';
  return {
    name,
    processNames: ['nifi'],
    ports: (config) => Object.values(nifiPorts(config, mode)),
    javaRequirement: nifiJavaRequirement,

    async install(context) {
      await installNifi(context);
    },

    async start(context) {
      const { config } = context;
      const java = await context.java();
      const layout = instanceLayout(config, name, await installNifi(context));
      const ports = nifiPorts(config, mode);
      const secrets = await instanceSecrets(layout.instanceDir);
      await mkdir(layout.confDir, { recursive: true });
      await mkdir(layout.logsDir, { recursive: true });
      const write = (file: string, content: string) => writePrivateFile(join(layout.confDir, file), content);
      await write('nifi.properties', renderNifiProperties(mode, ports, layout, secrets));
      await write('state-management.xml', renderStateManagement(layout.instanceDir));
      await write('logback.xml', renderLogback());
      await removeDriversLink(layout);
      if (mode === 'https') {
        const { username, password } = config.credentials.nifi;
        await write('login-identity-providers.xml', renderLoginIdentityProviders(username, hashPassword(password)));
        await write('authorizers.xml', renderAuthorizers(username));
        await ensureTlsMaterial(java, layout, secrets);
      }

      const serverProcess = await startProcess({
        command: java.java,
        args: [...nifiJvmArguments(ports, layout), '--class-path', `${layout.installDir}/lib/*:${layout.confDir}`, 'org.apache.nifi.NiFi'],
        cwd: layout.instanceDir,
        env: { ...process.env, JAVA_HOME: java.home, NIFI_HOME: layout.instanceDir },
        logFile: logFile(config, name, 'nifi'),
        pidFile: pidFile(config, name, 'nifi'),
        marker: layout.confDir,
      });
      return [{ name: 'nifi', process: serverProcess }];
    },

    async waitUntilReady(context, processes) {
      const { config } = context;
      const options = { service: name, timeoutMs: config.readinessTimeoutMs, processes, logFile: logFile(config, name, 'nifi') };
      const ports = nifiPorts(config, mode);
      await waitUntil(async () => ((await httpProbe(`http://127.0.0.1:${ports.management}/health`)).status === 200 ? true : undefined), {
        ...options,
        description: `the management server's GET /health answers 200`,
      });
      await waitUntil(async () => ((await rootGroupStatus(context, mode)) === 200 ? true : undefined), {
        ...options,
        description: `GET /nifi-api/flow/process-groups/root answers 200${mode === 'https' ? ' with a token from POST /access/token' : ''}`,
      });
    },

    async isReady(context) {
      try {
        return (await rootGroupStatus(context, mode)) === 200;
      } catch {
        return false;
      }
    },
  };
}

export const nifiHttpService = createNifiService('http');
export const nifiHttpsService = createNifiService('https');

/**
 * Removes the `drivers` link that stacks before flows' assets put in NiFi's working directory: JDBC drivers reach
 * NiFi as parameter-context assets now, and a flow that still names ./drivers must fail here as on any NiFi.
 */
export async function removeDriversLink(layout: NifiInstanceLayout): Promise<void> {
  await rm(join(layout.instanceDir, 'drivers'), { force: true, recursive: true });
}

function instanceLayout(config: StackConfig, name: string, installDir: string): NifiInstanceLayout {
  const instanceDir = serviceDir(config, name === 'nifi' ? 'nifi' : 'nifi-https');
  return { installDir, instanceDir, confDir: join(instanceDir, 'conf'), logsDir: join(instanceDir, 'logs') };
}

async function rootGroupStatus({ config }: ServiceContext, mode: NifiMode): Promise<number> {
  const { web } = nifiPorts(config, mode);
  if (mode === 'http') return (await httpProbe(`http://127.0.0.1:${web}/nifi-api/flow/process-groups/root`)).status;

  const caCertificate = await readFile(join(serviceDir(config, 'nifi-https'), 'tls', 'ca.pem'), 'utf8');
  const dispatcher = new Agent({ connect: { ca: caCertificate } });
  try {
    const baseUrl = `https://localhost:${web}/nifi-api`;
    const { username, password } = config.credentials.nifi;
    const token = await httpProbe(`${baseUrl}/access/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
      dispatcher,
    });
    if (token.status !== 201) return token.status;
    return (await httpProbe(`${baseUrl}/flow/process-groups/root`, { headers: { authorization: `Bearer ${token.body}` }, dispatcher })).status;
  } finally {
    await dispatcher.close();
  }
}

/** PBKDF2-SHA256 in the format the single-user login provider reads. */
export function hashPassword(password: string, salt = randomBytes(16), iterations = 210_000): string {
  const hash = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  return `pbkdf2-sha256$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function instanceSecrets(instanceDir: string): Promise<NifiInstanceSecrets> {
  return loadOrCreateSecrets(join(instanceDir, 'secrets.json'), () => ({
    sensitivePropertiesKey: randomBytes(24).toString('base64url'),
    keystorePassword: randomBytes(24).toString('base64url'),
    truststorePassword: randomBytes(24).toString('base64url'),
  }));
}

/**
 * A self-signed server certificate for localhost/127.0.0.1, once per instance: keystore.p12 for NiFi,
 * tls/ca.pem for clients to trust, and truststore.p12 holding it (NiFi wants a truststore).
 */
async function ensureTlsMaterial(java: JavaInstallation, layout: NifiInstanceLayout, secrets: NifiInstanceSecrets): Promise<void> {
  const truststore = join(layout.confDir, 'truststore.p12');
  const pem = join(layout.instanceDir, 'tls', 'ca.pem');
  const { created } = await ensureSelfSignedCertificate(java, {
    service: 'nifi-https',
    alias: 'nifi',
    keystore: join(layout.confDir, 'keystore.p12'),
    pem,
    keystorePassword: secrets.keystorePassword,
  });
  if (!created && (await stat(truststore).then(() => true, () => false))) {
    await restrictFile(truststore);
    return;
  }
  await rm(truststore, { force: true });
  const env = { ...process.env, DATAPLAT_TRUSTSTORE_PASSWORD: secrets.truststorePassword };
  await runInstallCommand('nifi-https', join(java.home, 'bin', 'keytool'), [
    '-importcert', '-noprompt', '-alias', 'nifi', '-file', pem, '-keystore', truststore, '-storetype', 'PKCS12', '-storepass:env', 'DATAPLAT_TRUSTSTORE_PASSWORD',
  ], { env });
  await restrictFile(truststore);
}
