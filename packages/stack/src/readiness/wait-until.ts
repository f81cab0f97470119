// Waiting for a service of the stack to become ready, on core's pollUntil: fails fast with the log tail
// when a process of the service exits, and after the timeout with the last probe failure and the log tail.
import { DataplatError, isTransientError, pollUntil, PollingError } from '@dataplat/core';
import { StackError } from '../errors.ts';
import { tailFile, type StartedProcess } from '../process/managed-process.ts';

export interface WaitUntilOptions {
  service: string;
  /** What we wait for, for the timeout message, e.g. "GET /v1/info reports starting=false". */
  description: string;
  timeoutMs: number;
  /** Time between probes. Default 500 ms. */
  intervalMs?: number;
  /** Started processes of the service: waiting stops at once when one of them exits. */
  processes?: ReadonlyArray<{ name: string; process: StartedProcess }>;
  logFile: string;
}

/**
 * A probe failure that means "not ready yet": what core calls transient (refused, reset, timeouts, 502/503/504,
 * 429), and anything a booting server says that is not a @dataplat error (half-written JSON, a startup
 * page, a Trino "server starting" answer). A @dataplat error other than a transient one (a process that
 * exited, a login refused for good) ends the wait at once.
 */
export function isNotReadyYet(error: unknown): boolean {
  return isTransientError(error) || !DataplatError.isInstance(error);
}

/** Polls `probe` until it returns a value other than undefined (a probe that fails with isNotReadyYet counts as not ready yet). */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, options: WaitUntilOptions): Promise<T> {
  const intervalMs = options.intervalMs ?? 500;
  try {
    return await pollUntil(
      async () => {
        const exited = options.processes?.find((entry) => entry.process.hasExited());
        if (exited) {
          const code = await exited.process.exited;
          throw new StackError({
            code: 'STACK_SERVICE_EXITED',
            service: options.service,
            message: `${options.service}: process "${exited.name}" exited with code ${code} before the service was ready.`,
            logFile: options.logFile,
            logTail: await tailFile(options.logFile),
          });
        }
        const result = await probe();
        return result === undefined ? { done: false } : { done: true, value: result };
      },
      // A steady interval, also after failures: readiness probes are cheap, and a service should be seen as soon as it is up.
      {
        description: options.description,
        timeoutMs: options.timeoutMs,
        initialIntervalMs: intervalMs,
        maxIntervalMs: intervalMs,
        maxBackoffIntervalMs: intervalMs,
        isTransient: isNotReadyYet,
      },
    );
  } catch (error) {
    if (!(PollingError.isInstance(error) && error.code === 'TIMEOUT')) throw error;
    const lastFailure = error.cause;
    const reason = lastFailure instanceof Error ? ` Last attempt: ${lastFailure.message}` : '';
    throw new StackError({
      code: 'STACK_READINESS_TIMEOUT',
      service: options.service,
      message: `${options.service} was not ready after ${Math.round(options.timeoutMs / 1000)} s (waiting until ${options.description}).${reason}`,
      hint: 'Raise DATAPLAT_STACK_READY_TIMEOUT_SECONDS on a slow machine, or read the log below.',
      logFile: options.logFile,
      logTail: await tailFile(options.logFile),
      cause: lastFailure,
    });
  }
}
