// The one polling loop of the @dataplat packages (async requests, run states, readiness of services):
// adaptive intervals, transient failures ridden out until the wait's own deadline, a deadline that says
// what was last seen and the last error met, and cancellation.
import { DataplatError } from '../errors/dataplat-error.ts';
import { isTransientError } from '../errors/transient-errors.ts';
import { sleep } from '../timing/sleep.ts';

const pollingErrorBrand = Symbol.for('dataplat.polling-error');

/**
 * Code TIMEOUT (the deadline passed; the message says what was last seen and the last transient error,
 * which is also the `cause`) or ABORTED (the signal fired).
 */
export class PollingError extends DataplatError {
  readonly [pollingErrorBrand] = true;
  override name = 'PollingError';
  declare readonly code: 'TIMEOUT' | 'ABORTED';
  /** Checks that failed with a transient error and were ridden out (0 for ABORTED). */
  readonly transientFailures: number;

  constructor(options: { code: 'TIMEOUT' | 'ABORTED'; message: string; hint?: string | undefined; cause?: unknown; transientFailures?: number | undefined }) {
    super(options);
    this.transientFailures = options.transientFailures ?? 0;
  }

  static override isInstance(error: unknown): error is PollingError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[pollingErrorBrand] === true;
  }
}

export interface PollOptions {
  /** What is being waited for, for the timeout message, e.g. "process group 1234 to become idle". */
  description: string;
  /** The whole wait's deadline: no check, retry or request timeout inside it ends the wait earlier (except a permanent error). */
  timeoutMs: number;
  /** First delay between checks; grows by half each time up to `maxIntervalMs` (fast for quick operations, gentle for slow ones). */
  initialIntervalMs?: number | undefined;
  maxIntervalMs?: number | undefined;
  signal?: AbortSignal | undefined;
  hint?: string | undefined;
  /**
   * Which failures of a check are ridden out (polling goes on, backing off) instead of ending the wait at
   * once. Default: core's isTransientError (NETWORK, TIMEOUT, 429, 502/503/504).
   */
  isTransient?: ((error: unknown) => boolean) | undefined;
  /** Longest delay between checks after transient failures (it doubles on each). Default max(maxIntervalMs, 5 s). */
  maxBackoffIntervalMs?: number | undefined;
}

export type PollResult<Value> = { done: true; value: Value } | { done: false; progress?: string | undefined };

/**
 * One check. `signal` fires when the caller aborts or the wait's deadline passes: hand it to the
 * requests the check makes, so none outlives the wait.
 */
export type PollCheck<Value> = (signal: AbortSignal) => Promise<PollResult<Value>>;

/** Delays between checks after transient failures grow up to this by default (a restarting server needs seconds). */
const defaultBackoffCeilingMs = 5000;
/** The longest delay setTimeout takes; longer ones fire at once. */
const maxTimerMs = 2 ** 31 - 1;

/**
 * Calls `check` until it reports done, with adaptive intervals, a deadline and cancellation. A check
 * that fails with a transient error (see `isTransient`) is retried after a growing delay until the
 * deadline; any other error is thrown at once. Throws a PollingError with code `TIMEOUT` (saying the
 * last progress and the last error seen, the latter also as `cause`) or `ABORTED`.
 */
export async function pollUntil<Value>(check: PollCheck<Value>, options: PollOptions): Promise<Value> {
  const startedAt = Date.now();
  const deadline = startedAt + options.timeoutMs;
  const isTransient = options.isTransient ?? isTransientError;
  const maxInterval = options.maxIntervalMs ?? 2000;
  const backoffCeiling = options.maxBackoffIntervalMs ?? Math.max(maxInterval, defaultBackoffCeilingMs);
  let interval = options.initialIntervalMs ?? 100;
  let lastProgress: string | undefined;
  let lastError: unknown;
  let transientFailures = 0;
  let checks = 0;

  // The deadline as a signal: it cancels a check's requests in flight, and a check that ignores it still loses the race.
  const deadlineController = new AbortController();
  // Timers overflow past 2^31-1 ms (about 24.8 days) and would fire at once: a longer deadline is re-armed
  // in steps, and an infinite one has no timer at all.
  let deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  const armDeadline = () => {
    const remaining = deadline - Date.now();
    if (!Number.isFinite(remaining)) return;
    if (remaining > maxTimerMs) deadlineTimer = setTimeout(armDeadline, maxTimerMs);
    else deadlineTimer = setTimeout(() => deadlineController.abort(new Error(`the deadline of ${options.timeoutMs} ms passed`)), Math.max(0, remaining));
    deadlineTimer.unref?.();
  };
  armDeadline();
  const checkSignal = options.signal ? AbortSignal.any([options.signal, deadlineController.signal]) : deadlineController.signal;
  const deadlinePassed = new Promise<never>((_, reject) => {
    checkSignal.addEventListener('abort', () => reject(checkSignal.reason as Error), { once: true });
  });
  deadlinePassed.catch(() => undefined);

  const timeout = (inFlight: boolean) => {
    const seen = [
      lastProgress ? `last seen: ${lastProgress}` : undefined,
      lastError !== undefined ? `last error: ${firstLine(lastError)}` : undefined,
      transientFailures > 0 ? `${transientFailures} of ${checks} checks failed transiently` : undefined,
      inFlight ? 'a check was still waiting for an answer at the deadline' : undefined,
    ].filter((part) => part !== undefined);
    return new PollingError({
      code: 'TIMEOUT',
      message: `Timed out after ${options.timeoutMs} ms waiting for ${options.description}${seen.length ? ` (${seen.join('; ')})` : ''}.`,
      hint: options.hint ?? 'Raise timeoutMs, or look at the server for what is holding it up.',
      cause: lastError,
      transientFailures,
    });
  };

  try {
    for (;;) {
      throwIfAborted(options.signal, options.description);
      if (checks > 0 && Date.now() >= deadline) throw timeout(false);
      checks += 1;
      let succeeded = false;
      try {
        const pending = check(checkSignal);
        pending.catch(() => undefined); // a check that lost the race to the deadline must not surface later
        const result = await Promise.race([pending, deadlinePassed]);
        if (result.done) return result.value;
        lastProgress = result.progress ?? lastProgress;
        succeeded = true;
      } catch (error) {
        throwIfAborted(options.signal, options.description);
        if (deadlineController.signal.aborted) throw timeout(true);
        if (!isTransient(error)) throw error;
        lastError = error;
        transientFailures += 1;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw timeout(false);
      const delay = succeeded ? interval : Math.min(backoffCeiling, interval * 2);
      try {
        await sleep(Math.min(delay, remaining), options.signal);
      } catch (error) {
        throwIfAborted(options.signal, options.description);
        throw error;
      }
      interval = succeeded ? Math.min(maxInterval, Math.ceil(interval * 1.5)) : delay;
    }
  } finally {
    clearTimeout(deadlineTimer);
  }
}

/** An error's first line (its message without the hint) and its code, for a one-line mention. */
function firstLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split('\n')[0]!;
  const code = (error as Error & { code?: unknown }).code;
  return `${error.message.split('\n')[0]!}${typeof code === 'string' ? ` [${code}]` : ''}`;
}

function throwIfAborted(signal: AbortSignal | undefined, description: string): void {
  if (signal?.aborted) {
    throw new PollingError({ code: 'ABORTED', message: `Stopped waiting for ${description}: aborted.`, cause: signal.reason });
  }
}
