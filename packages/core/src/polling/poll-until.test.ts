// pollUntil: adaptive intervals, deadline messages and cancellation.
import { describe, expect, it } from 'vitest';
import { pollUntil } from './poll-until.ts';

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

  it('times out with the last progress in the message', async () => {
    const error = await pollUntil(async () => ({ done: false, progress: '3 queued' }), { description: 'the group to drain', timeoutMs: 30, initialIntervalMs: 5 }).catch(
      (caught: unknown) => caught,
    );
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
});
