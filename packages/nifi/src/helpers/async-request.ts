// NiFi's long-running operations are submit/poll/delete requests: one runner for all of them that never leaves one behind.
import { HttpError, pollUntil, sleep } from '@dataplat/core';
import { isRefusedUntilStable, NifiError } from '../client/nifi-errors.ts';

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
  /**
   * The request says what the result must be (a context's values, a group's contents), so when the cluster
   * refused it before changing anything (a node connecting) it is submitted again — `submit` reads the
   * current revision each time — until the deadline. Leave unset for requests that are not declarative.
   */
  repeatWhenClusterRefuses?: boolean;
  /**
   * Other failures after which this declarative request, submitted again, can succeed (NiFi changed nothing and
   * the cause moves on by itself); repeated 1-5 s apart until the deadline, like a cluster's refusal.
   */
  repeatWhen?(failure: string): boolean;
}

/**
 * NiFi's long-running operations (replace, parameter updates, queue drops, provenance queries) are
 * "submit, poll, delete" requests. This runs one to completion and always deletes the request on NiFi,
 * also after a failure, a timeout or an abort, so nothing is left behind. The submit (a POST) is sent
 * once per attempt; status reads ride out transient failures (pollUntil) until `timeoutMs`. A request that
 * ends refused by a settling cluster is NIFI_CLUSTER_UNSTABLE, and a declarative one is submitted again (as
 * it is after the failures its `repeatWhen` names).
 */
export async function runAsyncRequest<Submitted, Status>(steps: AsyncRequestSteps<Submitted, Status>, options: AsyncRequestOptions = {}): Promise<Status> {
  const deadline = performance.now() + (options.timeoutMs ?? 300_000);
  for (let attempt = 1; ; attempt++) {
    const status = await runOnce(steps, Math.max(1, deadline - performance.now()), options.signal);
    const failure = steps.failureOf(status);
    if (!failure) return status;
    const refused = isRefusedUntilStable(failure);
    const delayMs = Math.min(5000, 1000 * attempt);
    const repeatable = (refused && steps.repeatWhenClusterRefuses === true) || steps.repeatWhen?.(failure) === true;
    if (repeatable && performance.now() + delayMs < deadline) {
      await sleep(delayMs, options.signal);
      continue;
    }
    throw new NifiError({
      code: refused ? 'NIFI_CLUSTER_UNSTABLE' : 'NIFI_ASYNC_REQUEST_FAILED',
      message: `NiFi could not complete ${steps.description}${attempt > 1 ? ` (${attempt} attempts)` : ''}: ${failure}`,
      hint: refused ? 'The cluster refused the change while it settled (a node connecting); nothing was changed. Try again once every node is CONNECTED (cluster.nodes()).' : undefined,
    });
  }
}

async function runOnce<Submitted, Status>(steps: AsyncRequestSteps<Submitted, Status>, timeoutMs: number, signal: AbortSignal | undefined): Promise<Status> {
  const submitted = await steps.submit();
  let status: Status | undefined;
  try {
    status = await pollUntil(
      async (pollSignal) => {
        const current = await steps.poll(submitted, pollSignal);
        return steps.isComplete(current) ? { done: true, value: current } : { done: false, progress: steps.progressOf?.(current) };
      },
      { description: steps.description, timeoutMs, signal, initialIntervalMs: 100, maxIntervalMs: 1000 },
    );
  } finally {
    await steps.remove(submitted).catch((error: unknown) => {
      // Already gone is fine; anything else must not hide the original outcome.
      if (!(HttpError.isInstance(error) && error.status === 404) && status !== undefined) throw error;
    });
  }
  return status;
}
