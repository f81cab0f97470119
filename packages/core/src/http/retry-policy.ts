// How often and how long the transport waits before repeating a request: retry options, Retry-After, backoff.
// Which failures are transient at all is decided in one place, errors/transient-errors.ts.
export interface RetryOptions {
  /** Retries after the first attempt (0 disables retrying). Default 3. */
  retries?: number;
  /** Delay before the first retry; doubles on each further retry. Default 250 ms. */
  initialDelayMs?: number;
  /** Upper bound of a computed backoff delay. Default 8 s. */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the error is thrown instead. Default 60 s. */
  maxRetryAfterMs?: number;
  /**
   * How many of the retries may follow a request timeout (each costs a whole timeoutMs, so one stalled
   * server doesn't hold a call for retries × timeoutMs; waits ride out longer stalls themselves). Default 1.
   */
  timeoutRetries?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { retries: 0, initialDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0, timeoutRetries: 0 };
  return {
    retries: options?.retries ?? 3,
    initialDelayMs: options?.initialDelayMs ?? 250,
    maxDelayMs: options?.maxDelayMs ?? 8000,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? 60_000,
    timeoutRetries: options?.timeoutRetries ?? 1,
  };
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter (spreads retries of many clients hitting the same server). */
export function backoffDelay(policy: RetryPolicy, retryNumber: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retryNumber - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
