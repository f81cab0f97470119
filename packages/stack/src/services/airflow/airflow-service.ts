import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { StackError } from '../../errors.ts';
import { stackPackageRoot } from '../../package-root.ts';
import { cachedInstall } from '../../install/cached-install.ts';
import { loadOrCreateSecrets } from '../../install/persistent-secrets.ts';
import { writePrivateFile } from '../../install/private-files.ts';
import { runInstallCommand } from '../../install/run-command.ts';
import { startProcess } from '../../process/managed-process.ts';
import { httpProbe } from '../../readiness/http-probe.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import { logFile, pidFile, serviceDir, type ServiceContext, type StackService } from '../service.ts';
import { airflowComponentArguments, airflowComponents, airflowEnvironment, simpleAuthManagerPasswords, type AirflowSecrets } from './airflow-config.ts';

const execFileAsync = promisify(execFile);

export const airflowVersion = '3.3.2';
const locksDir = join(stackPackageRoot(), 'locks');

interface AirflowHealth {
  metadatabase?: { status?: string };
  scheduler?: { status?: string | null };
  triggerer?: { status?: string | null };
  dag_processor?: { status?: string | null } | null;
}

export const airflowService: StackService = {
  name: 'airflow',
  processNames: airflowComponents,
  ports: (config) => [config.ports.airflow],

  async install(context) {
    await installAirflow(context);
  },

  async start(context) {
    const { config } = context;
    const venv = await installAirflow(context);
    const directory = serviceDir(config, 'airflow');
    const airflowHome = join(directory, 'home');
    await mkdir(airflowHome, { recursive: true });
    await mkdir(config.dagsFolder, { recursive: true });
    await writePrivateFile(join(airflowHome, 'simple-auth-manager-passwords.json'), simpleAuthManagerPasswords(config));
    const env = {
      PATH: `${join(venv, 'bin')}:${process.env['PATH'] ?? '/usr/bin:/bin'}`,
      HOME: process.env['HOME'] ?? airflowHome,
      LANG: 'C.UTF-8',
      ...airflowEnvironment(config, airflowHome, await stackSecrets(directory)),
    };
    const airflow = join(venv, 'bin', 'airflow');

    // Schema migrations run once before the components; they are quick when already applied.
    const migrateLog = logFile(config, 'airflow', 'db-migrate');
    await mkdir(dirname(migrateLog), { recursive: true });
    try {
      const { stdout, stderr } = await execFileAsync(airflow, ['db', 'migrate'], { env, cwd: directory, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 });
      await writeFile(migrateLog, `${stdout}\n${stderr}`);
    } catch (error) {
      const output = error as { stdout?: string; stderr?: string };
      await writeFile(migrateLog, `${output.stdout ?? ''}\n${output.stderr ?? ''}`);
      throw new StackError({
        code: 'STACK_SERVICE_FAILED',
        service: 'airflow',
        message: '`airflow db migrate` failed.',
        logFile: migrateLog,
        logTail: `${output.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n'),
        cause: error,
      });
    }

    return Promise.all(
      airflowComponents.map(async (component) => ({
        name: component,
        process: await startProcess({
          command: airflow,
          args: airflowComponentArguments(component),
          cwd: directory,
          env,
          logFile: logFile(config, 'airflow', component),
          pidFile: pidFile(config, 'airflow', component),
          marker: airflow,
        }),
      })),
    );
  },

  async waitUntilReady(context, processes) {
    const { config } = context;
    const options = { service: 'airflow', timeoutMs: config.readinessTimeoutMs, processes, logFile: logFile(config, 'airflow', 'api-server') };
    await waitUntil(async () => ((await isHealthy(context)) ? true : undefined), {
      ...options,
      description: 'GET /api/v2/monitor/health reports metadatabase, scheduler, dag processor and triggerer healthy',
    });
    await waitUntil(async () => ((await canListDags(context)) ? true : undefined), {
      ...options,
      description: 'POST /auth/token issues a token that lists DAGs',
    });
  },

  async isReady(context) {
    try {
      return (await isHealthy(context)) && (await canListDags(context));
    } catch {
      return false;
    }
  },
};

async function isHealthy({ config }: ServiceContext): Promise<boolean> {
  const response = await httpProbe(`http://127.0.0.1:${config.ports.airflow}/api/v2/monitor/health`);
  if (response.status !== 200) return false;
  const health = JSON.parse(response.body) as AirflowHealth;
  return [health.metadatabase?.status, health.scheduler?.status, health.triggerer?.status, health.dag_processor?.status].every(
    (status) => status === 'healthy',
  );
}

async function canListDags({ config }: ServiceContext): Promise<boolean> {
  const baseUrl = `http://127.0.0.1:${config.ports.airflow}`;
  const { username, password } = config.credentials.airflow.admin;
  const token = await httpProbe(`${baseUrl}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (token.status !== 201) return false;
  const accessToken = (JSON.parse(token.body) as { access_token: string }).access_token;
  const dags = await httpProbe(`${baseUrl}/api/v2/dags?limit=1`, { headers: { authorization: `Bearer ${accessToken}` } });
  return dags.status === 200;
}

/** Secrets generated once per stack and reused, so tokens and encrypted values survive restarts. */
function stackSecrets(directory: string): Promise<AirflowSecrets> {
  return loadOrCreateSecrets(join(directory, 'secrets.json'), () => ({
    jwtSecret: randomBytes(32).toString('base64url'),
    apiSecretKey: randomBytes(32).toString('base64url'),
    // Fernet wants URL-safe base64 of 32 bytes, with its padding.
    fernetKey: randomBytes(32).toString('base64').replaceAll('+', '-').replaceAll('/', '_'),
  }));
}

/** A Python 3.10–3.13 interpreter (Airflow 3.3's supported range). */
async function findPython(explicit: string | undefined): Promise<{ command: string; version: string }> {
  const candidates = explicit ? [explicit] : ['python3.12', 'python3.11', 'python3.13', 'python3.10', 'python3'];
  const seen: string[] = [];
  for (const command of candidates) {
    try {
      const { stdout } = await execFileAsync(command, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])']);
      const version = stdout.trim();
      const [major, minor] = version.split('.').map(Number);
      if (major === 3 && minor !== undefined && minor >= 10 && minor <= 13) return { command, version };
      seen.push(`${command} (${version})`);
    } catch {
      // not installed
    }
  }
  throw new StackError({
    code: 'STACK_PYTHON_NOT_FOUND',
    service: 'airflow',
    message: `Airflow ${airflowVersion} needs Python 3.10–3.13; found ${seen.length > 0 ? seen.join(', ') : 'no python3'}.`,
    hint: 'Install a supported Python and point DATAPLAT_PYTHON at it.',
  });
}

/** Airflow in its own virtualenv in the cache, installed with uv from the committed, hash-pinned lock. */
async function installAirflow(context: ServiceContext): Promise<string> {
  const { config } = context;
  const python = await findPython(config.python);
  const airflowLock = await readFile(join(locksDir, 'airflow.lock.txt'), 'utf8');
  const uvLock = join(locksDir, 'uv.lock.txt');
  const lockHash = createHash('sha256').update(airflowLock).digest('hex').slice(0, 12);
  const installDir = join(config.cacheDir, 'airflow', `${airflowVersion}-py${python.version}-${lockHash}`);
  await cachedInstall(
    installDir,
    { airflowVersion, python: python.version, lockHash },
    async (targetDir) => {
      context.report({ type: 'service-install-step', service: 'airflow', step: `virtualenv with Python ${python.version}` });
      const tools = join(targetDir, 'tools');
      await runInstallCommand('airflow', python.command, ['-m', 'venv', tools]);
      await runInstallCommand('airflow', join(tools, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--require-hashes', '-r', uvLock]);
      const uv = join(tools, 'bin', 'uv');
      const venv = join(targetDir, 'venv');
      await runInstallCommand('airflow', uv, ['venv', '--quiet', '--python', python.command, venv]);
      context.report({ type: 'service-install-step', service: 'airflow', step: `uv pip sync airflow.lock.txt (Airflow ${airflowVersion})` });
      await runInstallCommand('airflow', uv, ['pip', 'sync', '--quiet', '--require-hashes', '--python', join(venv, 'bin', 'python'), join(locksDir, 'airflow.lock.txt')], {
        env: { ...process.env, UV_CACHE_DIR: join(config.cacheDir, 'uv-cache') },
      });
    },
    { buildInPlace: true },
  );
  return join(installDir, 'venv');
}
