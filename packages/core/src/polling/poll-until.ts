import { DataplatError } from '../errors/dataplat-error.ts';

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
 * Throws a DataplatError with code `TIMEOUT` (saying the last progress seen) or `ABORTED`.
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
      throw new DataplatError({
        code: 'TIMEOUT',
        message: `Timed out after ${options.timeoutMs} ms waiting for ${options.description}${result.progress ? ` (last seen: ${result.progress})` : ''}.`,
        hint: options.hint ?? 'Raise timeoutMs, or look at the server for what is holding it up.',
      });
    }
    await sleep(Math.min(interval, remaining), options.signal, options.description);
    interval = Math.min(maxInterval, Math.ceil(interval * 1.5));
  }
}

function throwIfAborted(signal: AbortSignal | undefined, description: string): void {
  if (signal?.aborted) {
    throw new DataplatError({ code: 'ABORTED', message: `Stopped waiting for ${description}: aborted.`, cause: signal.reason });
  }
}

function sleep(milliseconds: number, signal: AbortSignal | undefined, description: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      try {
        throwIfAborted(signal, description);
      } catch (error) {
        reject(error as Error);
      }
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
