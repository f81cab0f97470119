// NiFi's long-running operations are submit/poll/delete requests: one runner for all of them that never leaves one behind.
import { HttpError, pollUntil } from '@dataplat/core';
import { NifiError } from '../client/nifi-errors.ts';

export interface AsyncRequestOptions {
  /** Overall deadline for the request to complete. Default 5 minutes. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

interface AsyncRequestSteps<Submitted, Status> {
  description: string;
  submit(): Promise<Submitted>;
  /** One status read; `signal` fires on abort or at the deadline, so pass it to the request. */
  poll(submitted: Submitted, signal: AbortSignal): Promise<Status>;
  remove(submitted: Submitted): Promise<unknown>;
  /** Whether the request has finished (successfully or not). */
  isComplete(status: Status): boolean;
  /** The failure NiFi reported, if any. */
  failureOf(status: Status): string | undefined;
  progressOf?(status: Status): string | undefined;
}

/**
 * NiFi's long-running operations (replace, parameter updates, queue drops, provenance queries) are
 * "submit, poll, delete" requests. This runs one to completion and always deletes the request on NiFi,
 * also after a failure, a timeout or an abort, so nothing is left behind. The submit (a POST) is sent
 * once; status reads ride out transient failures (pollUntil) until `timeoutMs`.
 */
export async function runAsyncRequest<Submitted, Status>(steps: AsyncRequestSteps<Submitted, Status>, options: AsyncRequestOptions = {}): Promise<Status> {
  const submitted = await steps.submit();
  let status: Status | undefined;
  try {
    status = await pollUntil(
      async (signal) => {
        const current = await steps.poll(submitted, signal);
        return steps.isComplete(current) ? { done: true, value: current } : { done: false, progress: steps.progressOf?.(current) };
      },
      { description: steps.description, timeoutMs: options.timeoutMs ?? 300_000, signal: options.signal, initialIntervalMs: 100, maxIntervalMs: 1000 },
    );
  } finally {
    await steps.remove(submitted).catch((error: unknown) => {
      // Already gone is fine; anything else must not hide the original outcome.
      if (!(HttpError.isInstance(error) && error.status === 404) && status !== undefined) throw error;
    });
  }
  const failure = steps.failureOf(status);
  if (failure) {
    throw new NifiError({ code: 'NIFI_ASYNC_REQUEST_FAILED', message: `NiFi could not complete ${steps.description}: ${failure}` });
  }
  return status;
}
