import { StackError } from '../errors.ts';
import { tailFile, type StartedProcess } from '../process/managed-process.ts';

export interface WaitUntilOptions {
  service: string;
  /** What we wait for, for the timeout message, e.g. "GET /v1/info reports starting=false". */
  description: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Started processes of the service: waiting stops at once when one of them exits. */
  processes?: ReadonlyArray<{ name: string; process: StartedProcess }>;
  logFile: string;
}

/**
 * Polls `probe` until it returns a value other than undefined. Fails fast with the log tail when a
 * process of the service exits, and after the timeout with the last probe failure and the log tail.
 */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, options: WaitUntilOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastFailure: unknown;
  for (;;) {
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
    try {
      const result = await probe();
      if (result !== undefined) return result;
      lastFailure = undefined;
    } catch (error) {
      lastFailure = error;
    }
    if (Date.now() >= deadline) {
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
    await new Promise((resolvePromise) => setTimeout(resolvePromise, options.intervalMs ?? 500));
  }
}
