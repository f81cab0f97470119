import { execFile } from 'node:child_process';
import { chown, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { StackConfig } from '../../config/stack-config.ts';
import { StackError } from '../../errors.ts';
import { writePrivateFile } from '../../install/private-files.ts';
import { runInstallCommand } from '../../install/run-command.ts';
import { startProcess, tailFile } from '../../process/managed-process.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import { logFile, pidFile, serviceDir, type ServiceContext, type StackService } from '../service.ts';

const execFileAsync = promisify(execFile);

/** Databases the stack creates: Airflow's metadata, the Iceberg JDBC catalog, and the examples' data. */
export const stackDatabases = { airflow: 'airflow', iceberg: 'iceberg', examples: 'examples' } as const;

interface PostgresBinaries {
  binDir: string;
  version: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

export const postgresService: StackService = {
  name: 'postgres',
  processNames: ['postgres'],
  stopSignal: 'SIGINT', // "fast" shutdown: roll back open transactions instead of waiting for clients
  ports: (config) => [config.ports.postgres],

  async install(context) {
    await findOrInstallPostgres(context);
  },

  async start(context) {
    const { config } = context;
    const binaries = await findOrInstallPostgres(context);
    const directory = serviceDir(config, 'postgres');
    const dataDir = join(directory, 'data');
    const socketDir = join(directory, 'socket');
    const runAs = await postgresRunAs();
    await mkdir(socketDir, { recursive: true });
    await mkdir(join(directory, 'logs'), { recursive: true });
    // The stack makes every service folder 0700 (its owner only): PostgreSQL's must belong to the user it runs as.
    if (runAs) await chownTree(directory, runAs);
    if (runAs) await assertReachableBy(runAs, directory);

    const initialized = await stat(join(dataDir, 'PG_VERSION')).then(() => true, () => false);
    if (!initialized) {
      await rm(dataDir, { recursive: true, force: true });
      await mkdir(dataDir, { recursive: true, mode: 0o700 });
      const passwordFile = join(directory, '.initdb-password');
      await writePrivateFile(passwordFile, `${config.credentials.postgres.password}\n`);
      if (runAs) await chownTree(directory, runAs);
      try {
        await runInstallCommand(
          'postgres',
          join(binaries.binDir, 'initdb'),
          ['-D', dataDir, '-U', config.credentials.postgres.user, `--pwfile=${passwordFile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--no-locale'],
          { ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C' } },
        );
      } finally {
        await rm(passwordFile, { force: true });
      }
    } else if (runAs) {
      // The data folder is the server's already; only folders made since (socket) need handing over.
      await chown(directory, runAs.uid, runAs.gid);
      await chown(socketDir, runAs.uid, runAs.gid);
    }

    const serverProcess = await startProcess({
      command: join(binaries.binDir, 'postgres'),
      args: postgresServerArguments(config, dataDir, socketDir),
      cwd: directory,
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C' },
      logFile: logFile(config, 'postgres', 'postgres'),
      pidFile: pidFile(config, 'postgres', 'postgres'),
      marker: dataDir,
      uid: runAs?.uid,
      gid: runAs?.gid,
    });
    return [{ name: 'postgres', process: serverProcess }];
  },

  async waitUntilReady(context, processes) {
    const { config } = context;
    await waitUntil(async () => ((await isAcceptingConnections(context)) ? true : undefined), {
      service: 'postgres',
      description: 'pg_isready succeeds',
      timeoutMs: config.readinessTimeoutMs,
      processes,
      logFile: logFile(config, 'postgres', 'postgres'),
    });
    await createStackDatabases(context);
  },

  async isReady(context) {
    return isAcceptingConnections(context);
  },
};

/** Server settings: loopback only, its own socket folder, and durability traded for speed (test data). */
export function postgresServerArguments(config: StackConfig, dataDir: string, socketDir: string): string[] {
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(config.ports.postgres),
    unix_socket_directories: socketDir,
    max_connections: '200',
    shared_buffers: '128MB',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    log_min_messages: 'warning',
  };
  return ['-D', dataDir, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

async function isAcceptingConnections({ config }: ServiceContext): Promise<boolean> {
  const binaries = await findPostgresBinaries();
  if (!binaries) return false;
  try {
    await execFileAsync(join(binaries.binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(config.ports.postgres)]);
    return true;
  } catch {
    return false;
  }
}

/** Runs SQL through psql as the stack's superuser; returns unaligned tuples. */
export async function runPsql(config: StackConfig, sql: string, database = 'postgres'): Promise<string> {
  const binaries = await findPostgresBinaries();
  if (!binaries) throw new StackError({ code: 'STACK_POSTGRES_NOT_INSTALLED', message: 'psql is not installed.' });
  const { stdout } = await execFileAsync(
    join(binaries.binDir, 'psql'),
    ['-X', '-v', 'ON_ERROR_STOP=1', '-tA', '-h', '127.0.0.1', '-p', String(config.ports.postgres), '-U', config.credentials.postgres.user, '-d', database, '-c', sql],
    { env: { ...process.env, PGPASSWORD: config.credentials.postgres.password, PGCONNECT_TIMEOUT: '5' } },
  );
  return stdout;
}

/**
 * Tables of Iceberg's JDBC catalog (its "V1" layout). Trino's Iceberg connector does not create
 * them, so the stack does, in the iceberg database.
 */
export const icebergJdbcCatalogTables = `
CREATE TABLE IF NOT EXISTS iceberg_tables (
  catalog_name VARCHAR(255) NOT NULL, table_namespace VARCHAR(255) NOT NULL, table_name VARCHAR(255) NOT NULL,
  metadata_location VARCHAR(1000), previous_metadata_location VARCHAR(1000), iceberg_type VARCHAR(5),
  PRIMARY KEY (catalog_name, table_namespace, table_name));
CREATE TABLE IF NOT EXISTS iceberg_namespace_properties (
  catalog_name VARCHAR(255) NOT NULL, namespace VARCHAR(255) NOT NULL, property_key VARCHAR(255), property_value VARCHAR(1000),
  PRIMARY KEY (catalog_name, namespace, property_key));`;

async function createStackDatabases(context: ServiceContext): Promise<void> {
  const existing = new Set((await runPsql(context.config, 'SELECT datname FROM pg_database')).split('\n').map((line) => line.trim()));
  for (const database of Object.values(stackDatabases)) {
    if (!existing.has(database)) await runPsql(context.config, `CREATE DATABASE ${database}`);
  }
  await runPsql(context.config, icebergJdbcCatalogTables, stackDatabases.iceberg);
}

async function findPostgresBinaries(): Promise<PostgresBinaries | undefined> {
  const fromEnv = process.env['DATAPLAT_POSTGRES_BIN'];
  if (fromEnv) return { binDir: fromEnv, version: 'configured' };
  let versions: string[];
  try {
    versions = await readdir('/usr/lib/postgresql');
  } catch {
    return undefined;
  }
  const installed: PostgresBinaries[] = [];
  for (const version of versions) {
    const binDir = join('/usr/lib/postgresql', version, 'bin');
    if (await stat(join(binDir, 'postgres')).then(() => true, () => false)) installed.push({ binDir, version });
  }
  installed.sort((left, right) => Number(right.version) - Number(left.version));
  return installed[0];
}

/** PostgreSQL from Debian's packages: installed with apt-get when missing and we are root. */
async function findOrInstallPostgres(context: ServiceContext): Promise<PostgresBinaries> {
  const found = await findPostgresBinaries();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  const hasApt = await stat('/usr/bin/apt-get').then(() => true, () => false);
  if (!isRoot || !hasApt) {
    throw new StackError({
      code: 'STACK_POSTGRES_NOT_INSTALLED',
      service: 'postgres',
      message: 'PostgreSQL server binaries were not found under /usr/lib/postgresql.',
      hint: hasApt
        ? 'Install them with `sudo apt-get install postgresql`, or set DATAPLAT_POSTGRES_BIN to a folder with initdb, postgres and psql.'
        : 'Install PostgreSQL and set DATAPLAT_POSTGRES_BIN to the folder with initdb, postgres and psql.',
    });
  }
  context.report({ type: 'service-install-step', service: 'postgres', step: 'apt-get install postgresql' });
  const installLog = logFile(context.config, 'postgres', 'apt-install');
  await mkdir(join(serviceDir(context.config, 'postgres'), 'logs'), { recursive: true });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = await execFileAsync('apt-get', ['update', '-q'], { env, maxBuffer: 64 * 1024 * 1024 });
    const install = await execFileAsync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'postgresql'], { env, maxBuffer: 64 * 1024 * 1024 });
    await writeFile(installLog, `${update.stdout}\n${update.stderr}\n${install.stdout}\n${install.stderr}`);
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    await writeFile(installLog, `${output.stdout ?? ''}\n${output.stderr ?? ''}`);
    throw new StackError({
      code: 'STACK_POSTGRES_NOT_INSTALLED',
      service: 'postgres',
      message: 'apt-get install postgresql failed.',
      logFile: installLog,
      logTail: await tailFile(installLog),
      cause: error,
    });
  }
  const installed = await findPostgresBinaries();
  if (!installed) {
    throw new StackError({ code: 'STACK_POSTGRES_NOT_INSTALLED', service: 'postgres', message: 'apt-get installed postgresql but no server binaries appeared under /usr/lib/postgresql.' });
  }
  return installed;
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user (or nobody). */
async function postgresRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  for (const user of ['postgres', 'nobody']) {
    try {
      const uid = Number((await execFileAsync('id', ['-u', user])).stdout.trim());
      const gid = Number((await execFileAsync('id', ['-g', user])).stdout.trim());
      return { uid, gid };
    } catch {
      // try the next account
    }
  }
  throw new StackError({ code: 'STACK_CONFIG_INVALID', service: 'postgres', message: 'Running as root, but there is no postgres or nobody account to run PostgreSQL as.' });
}

async function assertReachableBy(runAs: RunAs, directory: string): Promise<void> {
  await mkdir(directory, { recursive: true });
  try {
    await execFileAsync('test', ['-x', directory], { uid: runAs.uid, gid: runAs.gid });
  } catch {
    throw new StackError({
      code: 'STACK_CONFIG_INVALID',
      service: 'postgres',
      message: `PostgreSQL runs as an unprivileged user (uid ${runAs.uid}) that cannot reach ${directory}.`,
      hint: 'Put the stack directory where every user can traverse the parent folders (DATAPLAT_STACK_DIR), not under /root.',
    });
  }
}

async function chownTree(directory: string, runAs: RunAs): Promise<void> {
  await chown(directory, runAs.uid, runAs.gid);
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    await chown(join(entry.parentPath, entry.name), runAs.uid, runAs.gid).catch(() => undefined);
  }
}
