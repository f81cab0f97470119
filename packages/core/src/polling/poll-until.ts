// The one polling loop of the @dataplat packages (async requests, run states, readiness of services):
// adaptive intervals, a deadline that says what was last seen, and cancellation.
import { DataplatError } from '../errors/dataplat-error.ts';
import { sleep } from '../timing/sleep.ts';

const pollingErrorBrand = Symbol.for('dataplat.polling-error');

/** Code TIMEOUT (the deadline passed; the message says what was last seen) or ABORTED (the signal fired). */
export class PollingError extends DataplatError {
  readonly [pollingErrorBrand] = true;
  override name = 'PollingError';
  declare readonly code: 'TIMEOUT' | 'ABORTED';

  constructor(options: { code: 'TIMEOUT' | 'ABORTED'; message: string; hint?: string | undefined; cause?: unknown }) {
    super(options);
  }

  static override isInstance(error: unknown): error is PollingError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[pollingErrorBrand] === true;
  }
}

export interface PollOptions {
  /** What is being waited for, for the timeout message, e.g. "process group 1234 to become idle". */
  description: string;
  timeoutMs: number;
  /** First delay between checks; grows by half each time up to `maxIntervalMs` (fast for quick operations, gentle for slow ones). */
  initialIntervalMs?: number | undefined;
  maxIntervalMs?: number | undefined;
  signal?: AbortSignal | undefined;
  hint?: string | undefined;
}

export type PollResult<Value> = { done: true; value: Value } | { done: false; progress?: string | undefined };

/**
 * Calls `check` until it reports done, with adaptive intervals, a deadline and cancellation.
 * Throws a PollingError with code `TIMEOUT` (saying the last progress seen) or `ABORTED`.
 */
export async function pollUntil<Value>(check: () => Promise<PollResult<Value>>, options: PollOptions): Promise<Value> {
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.initialIntervalMs ?? 100;
  const maxInterval = options.maxIntervalMs ?? 2000;
  for (;;) {
    throwIfAborted(options.signal, options.description);
    const result = await check();
    if (result.done) return result.value;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new PollingError({
        code: 'TIMEOUT',
        message: `Timed out after ${options.timeoutMs} ms waiting for ${options.description}${result.progress ? ` (last seen: ${result.progress})` : ''}.`,
        hint: options.hint ?? 'Raise timeoutMs, or look at the server for what is holding it up.',
      });
    }
    try {
      await sleep(Math.min(interval, remaining), options.signal);
    } catch (error) {
      throwIfAborted(options.signal, options.description);
      throw error;
    }
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}

function throwIfAborted(signal: AbortSignal | undefined, description: string): void {
  if (signal?.aborted) {
    throw new PollingError({ code: 'ABORTED', message: `Stopped waiting for ${description}: aborted.`, cause: signal.reason });
  }
}
