// Runs a managed flow once as a batch — what `flows run`, the generated Airflow DAGs and scripts use.
// The flow's group is stopped first, so "once" means exactly one trigger of each source.
import { DataplatError } from '@dataplat/core';
import type { NifiClient, RunOnceOptions, RunOnceReport } from '@dataplat/nifi';
import { listManagedFlows } from '../deploy/managed-flows.ts';

export interface RunFlowOptions extends RunOnceOptions {
  /** Process group holding the managed flows. Default `root`. */
  parentGroupId?: string | undefined;
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
  const parentGroupId = options.parentGroupId ?? 'root';
  const managed = (await listManagedFlows(nifi, parentGroupId)).find((entry) => entry.flow === flow);
  if (!managed) {
    throw new DataplatError({ code: 'FLOWS_UNKNOWN_FLOW', message: `No managed flow "${flow}" under process group ${parentGroupId}.`, hint: 'Apply it first (flows apply), or check the name with flows status.' });
  }
  options.onProgress?.('stopping the flow, then running it once');
  await nifi.processGroups.stop(managed.groupId, { signal: options.signal });
  const report = await nifi.processGroups.runOnce(managed.groupId, options);
  const errors = report.bulletins.filter((bulletin) => bulletin.level === 'ERROR');
  return { flow, report, errors, ok: errors.length === 0 };
}
