// Deleting a process group the way NiFi requires — stop, wait for threads, empty queues, disable
// services, then one DELETE — with a preflight that refuses before changing anything when the
// group is wired to components outside it. NiFi deletes a group atomically, so a failure at any
// step leaves the whole group in place (stopped), never half-deleted.
import { HttpError } from '@dataplat/core';
import { acknowledgement, callOptions, revisionOf, type NifiContext } from '../client/nifi-context.ts';
import { NifiError } from '../client/nifi-errors.ts';
import { getGroupFlow } from './process-group-flow.ts';
import { emptyGroupQueues, type DropResult } from './queues.ts';
import { disableControllerServices, stopProcessGroup, type WaitOptions } from './scheduling.ts';

export interface DeleteGroupResult {
  /** Flowfiles dropped from the group's queues before deleting it. */
  dropped: DropResult;
}

export async function deleteProcessGroup(context: NifiContext, groupId: string, options: WaitOptions = {}): Promise<DeleteGroupResult> {
  const call = callOptions(options);
  const group = await context.api.get('/process-groups/{id}', { ...call, path: { id: groupId } });
  const parentGroupId = group.component?.parentGroupId;
  if (!parentGroupId) {
    throw new NifiError({ code: 'NIFI_CONFLICT', message: 'The root process group cannot be deleted.', hint: 'Delete its child groups instead.' });
  }
  const parent = await getGroupFlow(context, parentGroupId, options);
  const crossing = parent.contents.connections.filter(
    (connection) => connection.component.source?.groupId === groupId || connection.component.destination?.groupId === groupId,
  );
  if (crossing.length > 0) {
    throw new NifiError({
      code: 'NIFI_GROUP_CONNECTED',
      message: `Process group "${group.component?.name}" (${groupId}) has ${crossing.length} connection(s) to components outside it; nothing was changed.`,
      hint: `Delete those connections first: ${crossing.map((connection) => connection.id).join(', ')}.`,
    });
  }

  await stopProcessGroup(context, groupId, options);
  const dropped = await emptyGroupQueues(context, groupId, { timeoutMs: options.waitTimeoutMs, signal: options.signal });
  await disableControllerServices(context, groupId, options);
  const current = await context.api.get('/process-groups/{id}', { ...call, path: { id: groupId } });
  const revision = revisionOf(context, current);
  try {
    await context.api.delete('/process-groups/{id}', { ...call, path: { id: groupId }, query: { version: revision.version, clientId: revision.clientId, ...acknowledgement(context, options) } });
  } catch (error) {
    // The group existed just above: a 404 here is a repeated DELETE whose first attempt NiFi carried out
    // (its answer was lost), so the group is gone, as asked.
    if (!(HttpError.isInstance(error) && error.status === 404)) throw error;
  }
  return { dropped };
}
