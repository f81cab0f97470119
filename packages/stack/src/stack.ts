import { mkdir, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  allServiceNames,
  dependenciesOf,
  profileServiceNames,
  withDependencies,
  resolveStackConfig,
  type ServiceName,
  type StackConfig,
  type StackOptions,
} from './config/stack-config.ts';
import { describeEndpoints, type StackEndpoints } from './endpoints.ts';
import { StackError } from './errors.ts';
import { privateDirectory, writePrivateFile } from './install/private-files.ts';
import { findJava, type JavaInstallation } from './java/find-java.ts';
import { isRecordedProcessAlive, readPidFile, stopRecordedProcess } from './process/managed-process.ts';
import { airflowService } from './services/airflow/airflow-service.ts';
import { copyDagFolders, waitForParsedDags } from './services/airflow/load-dags.ts';
import { nifiClusterService } from './services/nifi/nifi-cluster-service.ts';
import { nifiHttpService, nifiHttpsService } from './services/nifi/nifi-service.ts';
import { postgresService } from './services/postgres/postgres-service.ts';
import { s3Service } from './services/s3/s3-service.ts';
import { missingNodesToStart, pidFile, serviceDir, type ServiceContext, type StackService } from './services/service.ts';
import { trinoClusterService } from './services/trino/trino-cluster-service.ts';
import { trinoService } from './services/trino/trino-service.ts';
import { zookeeperService } from './services/zookeeper/zookeeper-service.ts';
import type { NodeReadiness, StackEvent } from './stack-events.ts';

const services: Record<ServiceName, StackService> = {
  postgres: postgresService,
  s3: s3Service,
  nifi: nifiHttpService,
  'nifi-https': nifiHttpsService,
  trino: trinoService,
  airflow: airflowService,
  zookeeper: zookeeperService,
  'nifi-cluster': nifiClusterService,
  'trino-cluster': trinoClusterService,
};

export interface StackRunOptions extends StackOptions {
  onEvent?: ((event: StackEvent) => void) | undefined;
}

export interface StartStackOptions extends StackRunOptions {
  /**
   * Folders of Airflow DAG files to copy into the stack's DAG folder before Airflow starts (`up --load-dags`);
   * files of the same name are replaced, others are kept. startStack then waits until Airflow lists a DAG from
   * each top-level file that defines one, and fails with STACK_DAG_IMPORT_FAILED when one does not import.
   */
  loadDags?: readonly string[] | undefined;
}

export interface ServiceTiming {
  service: ServiceName;
  reused: boolean;
  installMs: number;
  startToReadyMs: number;
  totalMs: number;
  /** Clustered services started by this call: when each node it started became ready, counted from the start. */
  nodes?: NodeReadiness[];
  /** Set when only these processes of a clustered service were started, its other nodes kept running (see killStackService). */
  startedProcesses?: string[];
}

export interface RunningStack {
  config: StackConfig;
  endpoints: StackEndpoints;
  timings: ServiceTiming[];
  /** What `loadDags` copied, per folder, and the DAGs Airflow lists from those files (empty without it). */
  loadedDags: Array<{ source: string; files: string[]; dagIds: string[] }>;
}

/**
 * Installs (cached), starts and waits for the configured services, in parallel where dependencies
 * allow. Idempotent: services that are already running and ready are reused.
 */
export async function startStack(options: StartStackOptions = {}): Promise<RunningStack> {
  const config = resolveStackConfig(options);
  const context = createContext(config, options.onEvent);
  const loadDags = options.loadDags ?? [];
  if (loadDags.length > 0 && !config.services.includes('airflow')) {
    throw new StackError({
      code: 'STACK_CONFIG_INVALID',
      message: `Loading DAGs (--load-dags) needs the airflow service, which is not among ${config.services.join(', ')}.`,
      hint: 'Add airflow to the services, or name none (all services).',
    });
  }
  await mkdir(config.stateDir, { recursive: true });
  // Before Airflow starts, so its first parse already sees them; a running Airflow picks them up within seconds.
  await mkdir(config.dagsFolder, { recursive: true });
  const copiedAt = new Date();
  const loadedDags = await copyDagFolders(loadDags, config.dagsFolder);
  // Fail before any download when no suitable Java exists.
  if (config.services.some((name) => services[name].javaRequirement)) await context.java();

  const timings: ServiceTiming[] = [];
  const ready = new Map<ServiceName, Promise<void>>();
  for (const name of config.services) {
    ready.set(name, bringUp(services[name], context, ready, timings));
  }
  const outcomes = await Promise.allSettled(ready.values());
  const failures = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  if (failures.length > 0) {
    const [first] = failures;
    if (failures.length === 1 && StackError.isInstance(first)) throw first;
    throw new StackError({
      code: 'STACK_SERVICE_FAILED',
      message: failures.map((failure) => (failure instanceof Error ? failure.message : String(failure))).join('\n\n'),
      hint: 'Services that did start are still running; `dataplat-stack down` stops them.',
      cause: first,
    });
  }

  const dagIdsOf = loadedDags.length > 0 ? (await waitForParsedDags(config, loadedDags.flatMap((folder) => folder.dagFiles), copiedAt)).dagIds : {};
  const loaded = loadedDags.map((folder) => ({ source: folder.source, files: folder.files, dagIds: folder.dagFiles.flatMap((file) => dagIdsOf[file] ?? []).sort() }));
  for (const folder of loaded) context.report({ type: 'dags-loaded', service: 'airflow', source: folder.source, fileCount: folder.files.length, dagIds: folder.dagIds });

  // Describe every running service, not only the ones this call started (`up nifi` on a running stack).
  const running: ServiceName[] = [];
  for (const name of allServiceNames) if (await allProcessesAlive(services[name], config)) running.push(name);
  const endpoints = describeEndpoints({ ...config, services: withDependencies([...config.services, ...running]) });
  await writePrivateFile(join(config.stateDir, 'endpoints.json'), `${JSON.stringify(endpoints, null, 2)}\n`);
  timings.sort((left, right) => config.services.indexOf(left.service) - config.services.indexOf(right.service));
  return { config, endpoints, timings, loadedDags: loaded };
}

async function bringUp(
  service: StackService,
  context: ServiceContext,
  ready: Map<ServiceName, Promise<void>>,
  timings: ServiceTiming[],
): Promise<void> {
  const startedAt = performance.now();
  const { config } = context;
  try {
    context.report({ type: 'service-install-start', service: service.name });
    await service.install(context);
    const installMs = performance.now() - startedAt;
    context.report({ type: 'service-install-end', service: service.name, durationMs: installMs });

    // A dependency that fails makes this service fail too, with the dependency's error.
    await Promise.all(dependenciesOf(service.name).map((dependency) => ready.get(dependency)));

    const alive = await aliveProcessNames(service, config);
    if (alive.length === service.processNames.length && (await service.isReady(context))) {
      const totalMs = performance.now() - startedAt;
      timings.push({ service: service.name, reused: true, installMs, startToReadyMs: 0, totalMs });
      context.report({ type: 'service-ready', service: service.name, reused: true, startToReadyMs: 0, totalMs });
      return;
    }
    // A clustered service with some nodes alive: start only the missing ones, the others keep serving.
    const missing = missingNodesToStart(service, alive);
    const onlyNodes = service.nodes && missing ? { nodes: service.nodes, names: missing } : undefined;
    if (onlyNodes) {
      for (const name of onlyNodes.names) await stopRecordedProcess(pidFile(config, service.name, name)); // its stale PID file
      await assertPortsFree(service.name, onlyNodes.names.flatMap((name) => onlyNodes.nodes.ports(config, name)));
    } else {
      await stopService(service, config); // leftovers of a crashed or half-started run
      await assertPortsFree(service.name, service.ports(config));
    }
    context.report({ type: 'service-start', service: service.name, ...(onlyNodes ? { processes: onlyNodes.names } : {}) });
    // Its data, logs, configuration and keystores: readable by the stack's user only.
    await privateDirectory(serviceDir(config, service.name));
    const startRequestedAt = performance.now();
    const processes = onlyNodes ? await onlyNodes.nodes.start(context, onlyNodes.names) : await service.start(context);
    const nodes = (await service.waitUntilReady(context, processes)) ?? undefined;
    const startToReadyMs = performance.now() - startRequestedAt;
    const totalMs = performance.now() - startedAt;
    const started = { ...(onlyNodes ? { startedProcesses: onlyNodes.names } : {}), ...(nodes ? { nodes } : {}) };
    timings.push({ service: service.name, reused: false, installMs, startToReadyMs, totalMs, ...started });
    context.report({ type: 'service-ready', service: service.name, reused: false, startToReadyMs, totalMs, ...started });
  } catch (error) {
    context.report({ type: 'service-failed', service: service.name, message: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/**
 * Stops the given services and only those (default: every service of every profile, so nothing is left
 * running), dependents before their dependencies. Leaves data in place.
 */
export async function stopStack(options: StackRunOptions = {}): Promise<void> {
  const config = resolveStackConfig({ ...options, services: options.services ?? allServiceNames });
  // Exactly the named services: what they depend on (PostgreSQL, S3, ZooKeeper) may serve others and stays up.
  const requested = options.services ?? allServiceNames;
  const named = allServiceNames.filter((name) => requested.includes(name));
  const isDependencyOfAnother = (name: ServiceName) => allServiceNames.some((other) => dependenciesOf(other).includes(name));
  const stopInParallel = async (names: ServiceName[]) =>
    Promise.all(
      names.map(async (name) => {
        const wasRunning = await stopService(services[name], config);
        options.onEvent?.({ type: 'service-stop', service: name, wasRunning });
      }),
    );
  // Dependents first (in parallel), then what they depend on (PostgreSQL), so nothing loses its database mid-shutdown.
  await stopInParallel(named.filter((name) => !isDependencyOfAnother(name)));
  await stopInParallel(named.filter(isDependencyOfAnother));
}

export interface KillServiceOptions extends StackOptions {
  /** Only these processes of the service (e.g. Airflow's `api-server`); default all of them. */
  processes?: readonly string[] | undefined;
}

/**
 * For fault tests: ends a service's processes the way a crash does (SIGKILL, no shutdown), leaving its
 * data as it was at that moment. `startStack({ services: [name] })` brings it back: a clustered service
 * (`nifi-cluster`, `trino-cluster`) with some nodes still alive gets only its missing nodes started and is
 * waited for until complete again; any other service with a process missing is restarted whole. Returns the
 * processes that were running.
 */
export async function killStackService(name: ServiceName, options: KillServiceOptions = {}): Promise<string[]> {
  const config = resolveStackConfig({ ...options, services: [name] });
  const service = services[name];
  const unknown = (options.processes ?? []).filter((processName) => !service.processNames.includes(processName));
  if (unknown.length > 0) {
    throw new StackError({ code: 'STACK_CONFIG_INVALID', message: `${name} has no process ${unknown.join(', ')}.`, hint: `Its processes: ${service.processNames.join(', ')}.` });
  }
  const killed: string[] = [];
  for (const processName of options.processes ?? service.processNames) {
    if (await stopRecordedProcess(pidFile(config, name, processName), { signal: 'SIGKILL', graceMs: 0 })) killed.push(processName);
  }
  return killed;
}

export interface ServiceStatus {
  service: ServiceName;
  state: 'ready' | 'starting-or-unhealthy' | 'stopped';
  processes: Array<{ name: string; pid: number | undefined; alive: boolean }>;
}

/** The status of the given services, default those of the profile (options.profile, default 'default'). */
export async function getStackStatus(options: StackOptions = {}): Promise<ServiceStatus[]> {
  const config = resolveStackConfig({ ...options, services: options.services ?? profileServiceNames(options.profile ?? 'default') });
  const context = createContext(config, undefined);
  return Promise.all(
    config.services.map(async (name): Promise<ServiceStatus> => {
      const service = services[name];
      const processes = await Promise.all(
        service.processNames.map(async (processName) => {
          const record = await readPidFile(pidFile(config, name, processName));
          return { name: processName, pid: record?.pid, alive: await isRecordedProcessAlive(record) };
        }),
      );
      const anyAlive = processes.some((entry) => entry.alive);
      const state = !anyAlive ? 'stopped' : processes.every((entry) => entry.alive) && (await service.isReady(context)) ? 'ready' : 'starting-or-unhealthy';
      return { service: name, state, processes };
    }),
  );
}

/** The endpoints a running stack wrote, for tests and scripts in other processes. */
export async function readStackEndpoints(options: StackOptions = {}): Promise<StackEndpoints> {
  const config = resolveStackConfig(options);
  const file = join(config.stateDir, 'endpoints.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StackEndpoints;
  } catch (error) {
    throw new StackError({
      code: 'STACK_NOT_RUNNING',
      message: `No running stack found in ${config.stateDir} (${file} is missing).`,
      hint: 'Start it with `dataplat-stack up`.',
      cause: error,
    });
  }
}

async function stopService(service: StackService, config: StackConfig): Promise<boolean> {
  let wasRunning = false;
  for (const processName of [...service.processNames].reverse()) {
    const stopped = await stopRecordedProcess(pidFile(config, service.name, processName), {
      ...(service.stopSignal ? { signal: service.stopSignal } : {}),
    });
    wasRunning ||= stopped;
  }
  return wasRunning;
}

async function aliveProcessNames(service: StackService, config: StackConfig): Promise<string[]> {
  const alive: string[] = [];
  for (const processName of service.processNames) {
    if (await isRecordedProcessAlive(await readPidFile(pidFile(config, service.name, processName)))) alive.push(processName);
  }
  return alive;
}

async function allProcessesAlive(service: StackService, config: StackConfig): Promise<boolean> {
  return (await aliveProcessNames(service, config)).length === service.processNames.length;
}

async function assertPortsFree(name: ServiceName, ports: readonly number[]): Promise<void> {
  for (const port of ports) {
    if (await isListening(port)) {
      throw new StackError({
        code: 'STACK_PORT_IN_USE',
        service: name,
        message: `${name} cannot start: something else already listens on 127.0.0.1:${port}.`,
        hint: `Stop that process, or give ${name} another port (DATAPLAT_*_PORT variables or the ports option).`,
      });
    }
  }
}

export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolvePromise(false);
    });
    socket.once('error', () => resolvePromise(false));
  });
}

function createContext(config: StackConfig, onEvent: ((event: StackEvent) => void) | undefined): ServiceContext {
  let javaPromise: Promise<JavaInstallation> | undefined;
  // One Java for the whole stack, chosen to satisfy every selected service at once.
  const requirements = config.services.flatMap((name) => services[name].javaRequirement ?? []);
  return {
    config,
    report: (event) => onEvent?.(event),
    java() {
      javaPromise ??= findJava(requirements, config.javaHome);
      return javaPromise;
    },
  };
}
