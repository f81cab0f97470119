import { join } from 'node:path';
import type { ServiceName, StackConfig } from '../config/stack-config.ts';
import type { JavaInstallation, JavaRequirement } from '../java/find-java.ts';
import type { StartedProcess } from '../process/managed-process.ts';
import type { NodeReadiness, StackEvent } from '../stack-events.ts';

export interface ServiceContext {
  config: StackConfig;
  /** The Java installation chosen for the whole stack (only services with a javaRequirement ask). */
  java(): Promise<JavaInstallation>;
  report(event: StackEvent): void;
}

export interface RunningProcess {
  name: string;
  process: StartedProcess;
}

/** One server of the stack: how to install it into the cache, start it, and know that it is ready. */
export interface StackService {
  name: ServiceName;
  /** Processes in start order; stopped in reverse. */
  processNames: readonly string[];
  /** The TCP ports the service listens on, checked to be free before a start. */
  ports(config: StackConfig): number[];
  javaRequirement?: JavaRequirement | undefined;
  /** Signal for a graceful stop (PostgreSQL: SIGINT, a fast shutdown). */
  stopSignal?: NodeJS.Signals | undefined;
  /** Downloads and assembles the service into the cache; idempotent and cheap when cached. */
  install(context: ServiceContext): Promise<void>;
  /** Writes configuration and starts the processes, returning without waiting for readiness. */
  start(context: ServiceContext): Promise<RunningProcess[]>;
  /**
   * Clustered services, whose nodes can start alone while the others keep serving: when some of the service's
   * processes are alive and others are not (a node crashed or was killed), startStack starts only the missing
   * ones with this, then waits with waitUntilReady. Services without it are restarted whole.
   */
  nodes?: ClusterNodes | undefined;
  /**
   * Waits until the service really serves requests. `processes` are the ones this start launched (all of
   * them, or the missing nodes of a clustered service): a clustered service waits until it is complete
   * again and returns when each of those nodes became ready.
   */
  waitUntilReady(context: ServiceContext, processes: readonly RunningProcess[]): Promise<void | NodeReadiness[]>;
  /** One quick readiness probe, for `status` and to reuse an already-running stack. */
  isReady(context: ServiceContext): Promise<boolean>;
}

/** Starting single nodes of a clustered service (see StackService.nodes). */
export interface ClusterNodes {
  /** The TCP ports of one node (a process name), checked to be free before it starts. */
  ports(config: StackConfig, processName: string): number[];
  /** Writes the nodes' configuration and starts them (in processNames order), returning without waiting for readiness. */
  start(context: ServiceContext, processNames: readonly string[]): Promise<RunningProcess[]>;
}

/**
 * Which processes a start launches alone, given the ones alive: the missing nodes of a clustered service some of
 * whose nodes still run; undefined when the service is to be (re)started whole — nothing alive, nothing missing
 * (alive yet not ready), or a service without single-node starts.
 */
export function missingNodesToStart(service: Pick<StackService, 'processNames' | 'nodes'>, alive: readonly string[]): string[] | undefined {
  const missing = service.processNames.filter((name) => !alive.includes(name));
  return service.nodes && missing.length > 0 && missing.length < service.processNames.length ? missing : undefined;
}

export function serviceDir(config: StackConfig, service: ServiceName): string {
  return join(config.stateDir, service);
}

export function logFile(config: StackConfig, service: ServiceName, processName: string): string {
  return join(config.stateDir, service, 'logs', `${processName}.log`);
}

export function pidFile(config: StackConfig, service: ServiceName, processName: string): string {
  return join(config.stateDir, service, 'run', `${processName}.pid`);
}
