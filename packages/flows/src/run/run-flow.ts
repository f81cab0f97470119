// Runs a managed flow once as a batch — what `flows run`, the generated Airflow DAGs and scripts use.
// Each source is triggered exactly once, everything downstream processes what they produced, and then
// every component is put back in the run state it had before (a flow that was running runs again).
// Listening sources (ListenHTTP and the like) wait for data rather than fetch it: triggering them once
// means nothing, so they are not triggered — they are paused for the run and listen again after it.
import { flattenTree, type NifiClient, type RunOnceOptions, type RunOnceReport } from '@dataplat/nifi';
import { findManagedFlow, readInventory } from '../deploy/inventory.ts';

export interface RunFlowOptions extends RunOnceOptions {
  /** Process group holding the managed flows. Default `root`. */
  parentGroupId?: string | undefined;
  /** The project the flow belongs to (see `flows --project`); default none. */
  project?: string | undefined;
  onProgress?: ((step: string) => void) | undefined;
}

export interface FlowRunResult {
  flow: string;
  report: RunOnceReport;
  /** ERROR bulletins raised during the run: a run with any counts as failed. */
  errors: RunOnceReport['bulletins'];
  /** No ERROR bulletin and no cluster node lost during the run (`report.lostNodes`: their share of the data was not processed). */
  ok: boolean;
  /** Sources that listen for data (ListenHTTP, HandleHttpRequest, …): not triggered, paused during the run. */
  listening: string[];
  /** Processors and ports running before the run, started again after it. */
  restarted: number;
}

/** Processor types that receive data from outside rather than fetch it. */
const listeningType = /\.(Listen[A-Za-z0-9]*|HandleHttpRequest)$/;

export async function runFlow(nifi: NifiClient, flow: string, options: RunFlowOptions = {}): Promise<FlowRunResult> {
  const managed = findManagedFlow(await readInventory(nifi, options.parentGroupId, options.project), flow);
  const groupId = managed.groupId;
  const before = flattenTree(await nifi.processGroups.tree(groupId, { signal: options.signal }));
  const components = before.flatMap((group) => [...group.contents.processors, ...group.contents.inputPorts, ...group.contents.outputPorts]);
  const wasRunning = new Set(components.filter((component) => component.component?.state === 'RUNNING').map((component) => component.id));
  const processors = before.flatMap((group) => group.contents.processors);
  const destinations = new Set(before.flatMap((group) => group.contents.connections.map((connection) => connection.component?.destination?.id)));
  const sources = processors.filter((processor) => !destinations.has(processor.id) && processor.component?.state !== 'DISABLED');
  const listening = sources.filter((source) => listeningType.test(source.component?.type ?? ''));

  options.onProgress?.(listening.length ? `stopping the flow (listeners ${listening.map((source) => source.component?.name).join(', ')} are not triggered), then running it once` : 'stopping the flow, then running it once');
  await nifi.processGroups.stop(groupId, { signal: options.signal });
  let report: RunOnceReport;
  try {
    report = await nifi.processGroups.runOnce(groupId, {
      ...options,
      ...(options.sources ? {} : { sourceIds: sources.filter((source) => !listening.includes(source)).map((source) => source.id) }),
      // Listeners stay stopped for the run: nothing new comes in while it drains and is counted.
      keepStopped: [...(options.keepStopped ?? []), ...listening.map((source) => source.id)],
    });
  } catch (error) {
    // The run's own error is what matters; restoring is still attempted.
    await restoreRunStates(nifi, groupId, wasRunning, options.onProgress).catch(() => undefined);
    throw error;
  }
  const restarted = await restoreRunStates(nifi, groupId, wasRunning, options.onProgress);
  const errors = report.bulletins.filter((bulletin) => bulletin.level === 'ERROR');
  return { flow, report, errors, ok: errors.length === 0 && report.lostNodes.length === 0, listening: listening.map((source) => source.component?.name ?? source.id), restarted };
}

/** Starts again, in one request, what was running before the run (with the revisions it has now); returns how many. */
async function restoreRunStates(nifi: NifiClient, groupId: string, wasRunning: ReadonlySet<string>, onProgress: RunFlowOptions['onProgress']): Promise<number> {
  if (wasRunning.size === 0) return 0;
  onProgress?.(`starting again the ${wasRunning.size} component(s) that were running`);
  const now = flattenTree(await nifi.processGroups.tree(groupId));
  const toStart = now.flatMap((group) => [...group.contents.processors, ...group.contents.inputPorts, ...group.contents.outputPorts]).filter((component) => wasRunning.has(component.id) && component.component?.state === 'STOPPED');
  if (toStart.length > 0) await nifi.processGroups.start(groupId, { components: toStart.map((component) => ({ id: component.id, revision: component.revision })) });
  return toStart.length;
}
