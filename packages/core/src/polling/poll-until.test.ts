// pollUntil: adaptive intervals, deadline messages, cancellation, and which failures a wait rides out
// (transient: NETWORK, TIMEOUT, 429, 502/503/504, refused connections) or stops on at once (everything else).
import { describe, expect, it } from 'vitest';
import { DataplatError } from '../errors/dataplat-error.ts';
import { HttpError, RequestFailedError } from '../http/http-errors.ts';
import { pollUntil, PollingError, type PollResult } from './poll-until.ts';

function httpError(status: number): HttpError {
  return new HttpError({ code: `HTTP_${status}`, message: `GET /thing failed with HTTP ${status}`, status, method: 'GET', url: 'http://service.test/thing', responseBody: '', isRetryable: [429, 502, 503, 504].includes(status) });
}

function requestFailed(code: 'NETWORK' | 'TIMEOUT'): RequestFailedError {
  return new RequestFailedError({ code, message: `GET /thing ${code === 'TIMEOUT' ? 'timed out after 30000 ms' : 'failed: connect ECONNREFUSED'}`, method: 'GET', url: 'http://service.test/thing', isRetryable: true });
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

/** A check that throws the given failures in order, then reports done. */
function failingThenDone(failures: unknown[]): { check: () => Promise<PollResult<string>>; calls: () => number } {
  let calls = 0;
  return {
    check: async () => {
      const failure = failures[calls++];
      if (failure !== undefined) throw failure;
      return { done: true, value: 'finished' };
    },
    calls: () => calls,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

describe('pollUntil', () => {
  it('returns the value once the check reports done', async () => {
    let calls = 0;
    const value = await pollUntil(async () => (++calls === 3 ? { done: true, value: 'ready' } : { done: false }), {
      description: 'the thing',
      timeoutMs: 5000,
      initialIntervalMs: 1,
    });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('keeps deadlines longer than a timer can hold (30 days, Infinity) instead of timing out at once', async () => {
    for (const timeoutMs of [30 * 24 * 3_600_000, Number.POSITIVE_INFINITY]) {
      let calls = 0;
      const value = await pollUntil(async () => (++calls === 3 ? { done: true, value: timeoutMs } : { done: false }), { description: 'a long wait', timeoutMs, initialIntervalMs: 20 });
      expect(value).toBe(timeoutMs);
      expect(calls).toBe(3);
    }
  });

  it('times out with the last progress in the message', async () => {
    const error = await rejection(pollUntil(async () => ({ done: false, progress: '3 queued' }), { description: 'the group to drain', timeoutMs: 30, initialIntervalMs: 5 }));
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect((error as Error).message).toContain('the group to drain (last seen: 3 queued)');
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 20);
    await expect(pollUntil(async () => ({ done: false }), { description: 'x', timeoutMs: 10_000, initialIntervalMs: 1000, signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });

  it('rides out NETWORK, TIMEOUT, 429, 502, 503, 504 and refused connections, then returns the value', async () => {
    const failures = [requestFailed('NETWORK'), requestFailed('TIMEOUT'), httpError(429), httpError(502), httpError(503), httpError(504), refused];
    const { check, calls } = failingThenDone(failures);
    await expect(pollUntil(check, { description: 'the run to finish', timeoutMs: 20_000, initialIntervalMs: 1, maxIntervalMs: 2 })).resolves.toBe('finished');
    expect(calls()).toBe(failures.length + 1);
  });

  it.each([400, 401, 403, 404, 409, 500])('stops at once on HTTP %i (permanent)', async (status) => {
    const permanent = httpError(status);
    const { check, calls } = failingThenDone([permanent]);
    expect(await rejection(pollUntil(check, { description: 'x', timeoutMs: 10_000, initialIntervalMs: 1 }))).toBe(permanent);
    expect(calls()).toBe(1);
  });

  it('stops at once on an error of an API of its own and on an aborted request', async () => {
    const own = new DataplatError({ code: 'AIRFLOW_DAG_PAUSED', message: 'paused', cause: refused });
    expect(await rejection(pollUntil(failingThenDone([own]).check, { description: 'x', timeoutMs: 10_000 }))).toBe(own);
    const aborted = new RequestFailedError({ code: 'ABORTED', message: 'aborted', method: 'GET', url: 'http://service.test/', isRetryable: false });
    expect(await rejection(pollUntil(failingThenDone([aborted]).check, { description: 'x', timeoutMs: 10_000 }))).toBe(aborted);
  });

  it('names the last transient error at its deadline, as message and cause', async () => {
    let calls = 0;
    const lastError = httpError(503);
    const error = await rejection(
      pollUntil(
        async () => {
          calls += 1;
          if (calls === 1) return { done: false, progress: 'state running' };
          throw calls % 2 === 0 ? requestFailed('TIMEOUT') : lastError;
        },
        // A deadline of 1 s with 5-ms intervals: room for several failed checks even on a loaded machine (with 150 ms,
        // a busy CI sometimes ran only the first check before the deadline, leaving no error to name).
        { description: 'run "r1" of DAG "d" to finish', timeoutMs: 1000, initialIntervalMs: 5, maxIntervalMs: 5 },
      ),
    );
    expect(PollingError.isInstance(error)).toBe(true);
    const timeout = error as PollingError;
    expect(timeout.code).toBe('TIMEOUT');
    expect(timeout.message).toMatch(/^Timed out after 1000 ms waiting for run "r1" of DAG "d" to finish \(last seen: state running; last error: .*(HTTP 503|timed out)/);
    expect([lastError.message, requestFailed('TIMEOUT').message]).toContain((timeout.cause as Error).message);
    expect(timeout.transientFailures).toBe(calls - 1);
  });

  it('ends by its deadline while a check hangs, and aborts the hanging check through its signal', async () => {
    let checkSignal: AbortSignal | undefined;
    const started = Date.now();
    const error = await rejection(
      pollUntil(
        (signal) => {
          checkSignal = signal;
          return new Promise<PollResult<void>>(() => undefined); // never answers, like a black-holed request
        },
        { description: 'a stalled server', timeoutMs: 100 },
      ),
    );
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect((error as Error).message).toContain('a check was still waiting for an answer at the deadline');
    expect(checkSignal?.aborted).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops at once when aborted while backing off after transient failures', async () => {
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    setTimeout(() => controller.abort(reason), 30);
    const error = await rejection(
      pollUntil(
        async () => {
          throw httpError(503);
        },
        { description: 'x', timeoutMs: 60_000, initialIntervalMs: 10_000, signal: controller.signal },
      ),
    );
    expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
  });

  it('uses the isTransient given instead of the default', async () => {
    const booting = new SyntaxError('Unexpected token < in JSON');
    const { check, calls } = failingThenDone([booting, booting]);
    await expect(pollUntil(check, { description: 'x', timeoutMs: 5000, initialIntervalMs: 1, isTransient: (error) => error instanceof SyntaxError })).resolves.toBe('finished');
    expect(calls()).toBe(3);
    expect(await rejection(pollUntil(failingThenDone([booting]).check, { description: 'x', timeoutMs: 5000 }))).toBe(booting);
  });
});
