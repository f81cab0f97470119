import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { downloadVerified } from '../../download/verified-download.ts';
import { cachedInstall } from '../../install/cached-install.ts';
import { loadOrCreateSecrets } from '../../install/persistent-secrets.ts';
import { writePrivateFile } from '../../install/private-files.ts';
import { ensureSelfSignedCertificate } from '../../tls/self-signed-certificate.ts';
import type { StackConfig } from '../../config/stack-config.ts';
import type { JavaRequirement } from '../../java/find-java.ts';
import { runInstallCommand } from '../../install/run-command.ts';
import { startProcess } from '../../process/managed-process.ts';
import { httpProbe } from '../../readiness/http-probe.ts';
import { waitUntil } from '../../readiness/wait-until.ts';
import { logFile, pidFile, serviceDir, type ServiceContext, type StackService } from '../service.ts';
import { renderTrinoConfig, trinoServerArguments, type TrinoFiles, type TrinoLayout } from './trino-config.ts';
import { trinoDistribution } from './trino-distribution.ts';

export const trinoJavaRequirement: JavaRequirement = { minimumMajor: trinoDistribution.minimumJava, neededBy: `Trino ${trinoDistribution.version}` };

export const trinoService: StackService = {
  name: 'trino',
  processNames: ['trino'],
  ports: (config) => [config.ports.trino, config.ports.trinoHttps],
  javaRequirement: trinoJavaRequirement,

  async install(context) {
    await installTrino(context);
  },

  async start(context) {
    const { config } = context;
    const java = await context.java();
    const layout = trinoLayout(context);
    const secrets = await loadOrCreateSecrets(join(serviceDir(config, 'trino'), 'secrets.json'), () => ({
      spoolingSharedSecretKey: randomBytes(32).toString('base64'),
      internalSharedSecret: randomBytes(32).toString('base64'),
      keystorePassword: randomBytes(24).toString('base64url'),
      jwtHmacKey: randomBytes(32).toString('base64'),
      passwordSalt: randomBytes(16).toString('hex'),
    }));
    await ensureSelfSignedCertificate(java, { service: 'trino', alias: 'trino', keystore: layout.keystore, pem: trinoCaFile(config), keystorePassword: secrets.keystorePassword });
    await writeTrinoNodeFiles(layout, renderTrinoConfig(config, layout, secrets));

    const serverProcess = await startProcess({
      command: java.java,
      args: trinoServerArguments(java.major, '2G', { id: 'dataplat-local', dataDir: layout.dataDir }, layout.etcDir, layout.installDir),
      cwd: serviceDir(config, 'trino'),
      env: { ...process.env, JAVA_HOME: java.home },
      logFile: logFile(config, 'trino', 'trino'),
      pidFile: pidFile(config, 'trino', 'trino'),
      marker: layout.etcDir,
    });
    return [{ name: 'trino', process: serverProcess }];
  },

  async waitUntilReady(context, processes) {
    const { config } = context;
    const options = { service: 'trino', timeoutMs: config.readinessTimeoutMs, processes, logFile: logFile(config, 'trino', 'trino') };
    await waitUntil(async () => ((await isStarted(context)) ? true : undefined), { ...options, description: 'GET /v1/info reports starting=false' });
    // Catalogs can answer NO_NODES_AVAILABLE for a few seconds after the server says it started.
    await waitUntil(async () => ((await countNations(context)) === 25 ? true : undefined), {
      ...options,
      description: 'SELECT count(*) FROM tpch.tiny.nation returns 25',
    });
    await waitUntil(async () => ((await warmUpTrino(`http://127.0.0.1:${config.ports.trino}`)) ? true : undefined), {
      ...options,
      description: 'the warm-up queries over the postgresql, iceberg and tpch catalogs answer',
    });
  },

  async isReady(context) {
    try {
      return (await isStarted(context)) && (await countNations(context)) === 25;
    } catch {
      return false;
    }
  },
};

/** Writes a Trino node's etc folder (0600 files: passwords and keys are in them) and makes its data and warehouse folders. */
export async function writeTrinoNodeFiles(layout: Pick<TrinoLayout, 'etcDir' | 'dataDir' | 'icebergWarehouseDir'>, files: TrinoFiles): Promise<void> {
  for (const [relativePath, content] of Object.entries(files)) {
    const file = join(layout.etcDir, relativePath);
    await mkdir(dirname(file), { recursive: true });
    await writePrivateFile(file, content);
  }
  await mkdir(layout.dataDir, { recursive: true });
  await mkdir(layout.icebergWarehouseDir, { recursive: true });
}

/** The PEM of the HTTPS port's self-signed certificate, for clients to trust. */
export function trinoCaFile(config: StackConfig): string {
  return join(serviceDir(config, 'trino'), 'tls', 'ca.pem');
}

export function trinoLayout(context: ServiceContext): TrinoLayout {
  const directory = serviceDir(context.config, 'trino');
  return {
    installDir: join(context.config.cacheDir, 'trino', trinoDistribution.version),
    etcDir: join(directory, 'etc'),
    keystore: join(directory, 'tls', 'keystore.p12'),
    dataDir: join(directory, 'data'),
    icebergWarehouseDir: join(directory, 'iceberg-warehouse'),
  };
}

export async function installTrino(context: ServiceContext): Promise<void> {
  const { config } = context;
  const installDir = trinoLayout(context).installDir;
  await cachedInstall(installDir, { ...trinoDistribution }, async (stagingDir) => {
    const archive = join(config.cacheDir, 'downloads', 'trino-server-476.tar.gz');
    context.report({ type: 'service-install-step', service: 'trino', step: `download ${trinoDistribution.path}` });
    await downloadVerified({ url: `${config.mavenRepositoryUrl}/${trinoDistribution.path}`, sha256: trinoDistribution.sha256, destination: archive });
    context.report({ type: 'service-install-step', service: 'trino', step: 'extract' });
    // GNU tar: the archive stores most jars as hard links between plugin folders, so extract it whole…
    await runInstallCommand('trino', 'tar', ['-xzf', archive, '-C', stagingDir, '--strip-components=1']);
    // …then keep only the plugins the stack configures (removing a hard link keeps the other names).
    const pluginDir = join(stagingDir, 'plugin');
    for (const plugin of await readdir(pluginDir)) {
      if (!(trinoDistribution.plugins as readonly string[]).includes(plugin)) await rm(join(pluginDir, plugin), { recursive: true, force: true });
    }
    await rm(archive, { force: true });
  });
}

async function isStarted({ config }: ServiceContext): Promise<boolean> {
  const response = await httpProbe(`http://127.0.0.1:${config.ports.trino}/v1/info`);
  return response.status === 200 && (JSON.parse(response.body) as { starting?: boolean }).starting === false;
}

async function countNations(context: ServiceContext): Promise<number | undefined> {
  const rows = await runTrinoStatement(`http://127.0.0.1:${context.config.ports.trino}`, 'SELECT count(*) FROM tpch.tiny.nation');
  return rows[0]?.[0] as number | undefined;
}

/**
 * What the first query on a new Trino pays, paid once while the stack starts (beside NiFi and Airflow, which
 * take longer), so that a dashboard's first question does not: loading the postgresql and iceberg connectors'
 * code and the PostgreSQL driver, their first JDBC connections (Iceberg's JDBC table catalog included), and
 * compiling the planner's and the operators' hot paths — joins, aggregations, window and date functions —
 * from bytecode to machine code. Reads only; nothing is written.
 */
export const trinoWarmUpStatements = [
  'SELECT count(*) FROM postgresql.information_schema.schemata',
  // Through the connector's JDBC read path (splits, a result set, type mapping), whatever tables exist yet.
  "SELECT * FROM TABLE(postgresql.system.query(query => 'SELECT 1 AS warm_up'))",
  'SELECT count(*) FROM iceberg.information_schema.schemata',
  `SELECT n.name, date_trunc('month', o.orderdate) AS month, count(*) AS orders, count_if(o.orderpriority = '1-URGENT') AS urgent,
          round(avg(o.totalprice), 1) AS average_price, rank() OVER (ORDER BY sum(o.totalprice) DESC) AS rank
   FROM tpch.tiny.orders o JOIN tpch.tiny.customer c ON c.custkey = o.custkey JOIN tpch.tiny.nation n ON n.nationkey = c.nationkey
   WHERE o.orderdate >= DATE '1995-01-01' GROUP BY n.name, date_trunc('month', o.orderdate) ORDER BY rank LIMIT 10`,
] as const;

/** Runs the warm-up statements in turn; true once all answered. */
export async function warmUpTrino(baseUrl: string): Promise<boolean> {
  for (const statement of trinoWarmUpStatements) await runTrinoStatement(baseUrl, statement);
  return true;
}

interface StatementResponse {
  nextUri?: string;
  data?: unknown[][];
  error?: { message: string; errorName: string };
}

/**
 * Minimal client-protocol loop for readiness checks only (the real client is @dataplat/trino):
 * POST the statement, follow nextUri until it disappears, collect data, throw on an error.
 */
export async function runTrinoStatement(baseUrl: string, sql: string, user = 'dataplat'): Promise<unknown[][]> {
  const headers = { 'X-Trino-User': user, 'X-Trino-Source': 'dataplat-stack' };
  let response = await httpProbe(`${baseUrl}/v1/statement`, { method: 'POST', headers, body: sql, timeoutMs: 30_000 });
  const rows: unknown[][] = [];
  for (let page = 0; page < 10_000; page++) {
    if (response.status !== 200) throw new Error(`Trino answered HTTP ${response.status}: ${response.body.slice(0, 200)}`);
    const result = JSON.parse(response.body) as StatementResponse;
    if (result.error) throw new Error(`${result.error.errorName}: ${result.error.message}`);
    if (result.data) rows.push(...result.data);
    if (!result.nextUri) return rows;
    response = await httpProbe(result.nextUri, { headers, timeoutMs: 30_000 });
  }
  throw new Error('Trino statement did not finish within 10000 pages');
}
