// Live counters of a group: what "idle" and "drained" are decided on.
import { pollUntil } from '@dataplat/core';
import { callOptions, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';

export type GroupStatusSnapshot = NifiSchemas['ProcessGroupStatusSnapshotDTO'] & { terminatedThreadCount?: number };

/** The aggregate status of a group including all descendants (counters cover NiFi's last 5 minutes). */
export async function getGroupStatus(context: NifiContext, groupId: string, options?: CallOptions): Promise<GroupStatusSnapshot> {
  const answer = await context.api.get('/flow/process-groups/{id}/status', {
    ...callOptions(options),
    path: { id: groupId },
    query: { recursive: true },
  });
  return answer.processGroupStatus?.aggregateSnapshot ?? {};
}

export interface IdleOptions extends CallOptions {
  /** Default 5 minutes. */
  waitTimeoutMs?: number | undefined;
  /** The group must stay idle this long before it counts as idle (catches flowfiles between two processors). Default 1 s. */
  settleMs?: number | undefined;
}

/**
 * Waits until nothing is queued and no thread is active in the group (recursively), for a settle window.
 * Transient failures of a status read (NiFi restarting, a stalled answer) are ridden out until the deadline.
 */
export async function waitUntilIdle(context: NifiContext, groupId: string, options: IdleOptions = {}): Promise<GroupStatusSnapshot> {
  const settleMs = options.settleMs ?? 1000;
  let idleSince: number | undefined;
  return pollUntil(
    async (signal) => {
      const snapshot = await getGroupStatus(context, groupId, { timeoutMs: options.timeoutMs, signal });
      const queued = snapshot.flowFilesQueued ?? 0;
      const threads = (snapshot.activeThreadCount ?? 0) + (snapshot.terminatedThreadCount ?? 0);
      if (queued > 0 || threads > 0) {
        idleSince = undefined;
        return { done: false, progress: `${queued} queued, ${threads} active thread(s)` };
      }
      idleSince ??= Date.now();
      return Date.now() - idleSince >= settleMs ? { done: true, value: snapshot } : { done: false, progress: 'idle, settling' };
    },
    {
      description: `process group ${groupId} to become idle`,
      timeoutMs: options.waitTimeoutMs ?? 300_000,
      signal: options.signal,
      initialIntervalMs: 200,
      maxIntervalMs: Math.max(250, Math.min(2000, settleMs / 2)),
      hint: 'Check for processors that are stuck or a queue whose destination is stopped.',
    },
  );
}
