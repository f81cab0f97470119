// The "drain first" update strategy: stop what brings data in, let everything queued flow out, then
// update. If the flow doesn't drain in time, the sources are started again and nothing is updated.
import { DataplatError } from '@dataplat/core/errors';
import { flattenTree, type NifiClient } from '@dataplat/nifi';

export async function drainFlow(nifi: NifiClient, flow: string, groupId: string, timeoutMs: number): Promise<void> {
  const tree = await nifi.processGroups.tree(groupId);
  const groups = flattenTree(tree);
  const destinations = new Set(groups.flatMap((group) => group.contents.connections.map((connection) => connection.component?.destination?.id)));
  const sources = groups.flatMap((group) => group.contents.processors).filter((processor) => !destinations.has(processor.id) && processor.component?.state === 'RUNNING');
  for (const source of sources) await nifi.processors.setRunState(source.id!, 'STOPPED');
  const restart = async () => {
    for (const source of sources) await nifi.processors.setRunState(source.id!, 'RUNNING');
  };
  try {
    await nifi.processGroups.waitUntilIdle(groupId, { waitTimeoutMs: timeoutMs });
  } catch (error) {
    await restart();
    throw new DataplatError({
      code: 'FLOWS_DRAIN_TIMEOUT',
      message: `Flow "${flow}" did not drain within ${Math.round(timeoutMs / 1000)} s after its sources (${sources.map((source) => source.component?.name).join(', ') || 'none'}) were stopped; it was not updated and its sources run again.`,
      hint: 'Look for stopped or failing processors holding data (flows status), raise --drain-timeout, or update with --update-strategy replace.',
      cause: error,
    });
  }
}
