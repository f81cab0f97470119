// Runs a managed flow once as a batch — what `flows run`, the generated Airflow DAGs and scripts use.
// The flow's group is stopped first, so "once" means exactly one trigger of each source.
import type { NifiClient, RunOnceOptions, RunOnceReport } from '@dataplat/nifi';
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
  ok: boolean;
}

export async function runFlow(nifi: NifiClient, flow: string, options: RunFlowOptions = {}): Promise<FlowRunResult> {
  const managed = findManagedFlow(await readInventory(nifi, options.parentGroupId, options.project), flow);
  options.onProgress?.('stopping the flow, then running it once');
  await nifi.processGroups.stop(managed.groupId, { signal: options.signal });
  const report = await nifi.processGroups.runOnce(managed.groupId, options);
  const errors = report.bulletins.filter((bulletin) => bulletin.level === 'ERROR');
  return { flow, report, errors, ok: errors.length === 0 };
}
