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
  /** Waits until the service really serves requests; a clustered service returns when each of its nodes became ready. */
  waitUntilReady(context: ServiceContext, processes: readonly RunningProcess[]): Promise<void | NodeReadiness[]>;
  /** One quick readiness probe, for `status` and to reuse an already-running stack. */
  isReady(context: ServiceContext): Promise<boolean>;
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
