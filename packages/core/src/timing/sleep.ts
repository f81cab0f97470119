// The one abortable sleep of the @dataplat packages (retries, polling, run-once windows, process
// shutdowns), so none of them keeps a private copy with its own abort handling.

/**
 * Resolves after `milliseconds`; rejects with the signal's reason as soon as `signal` aborts (at once
 * when it already has). The timer is cleared on abort, so nothing is left pending.
 */
export function sleep(milliseconds: number, signal?: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
