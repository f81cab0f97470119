// How the results of status, run, destroy and unlock read for people (with --json the objects themselves are printed).
import type { RunOnceReport } from '@dataplat/nifi';
import type { NotConnectedNode } from '../../deploy/cluster-nodes.ts';
import type { DestroyedFlow } from '../../deploy/inventory.ts';
import { describeHolder } from '../../deploy/lock-holder.ts';
import type { LockInfo } from '../../deploy/lock.ts';

export interface FlowStatus {
  flow: string;
  groupId: string;
  running: number;
  stopped: number;
  invalid: number;
  queued: number;
  bulletins: number;
  /** With --bulletins. */
  bulletinMessages?: Array<{ timestamp: string; level: string; source: string; message: string }> | undefined;
}

export function formatStatus(rows: readonly FlowStatus[]): string {
  if (rows.length === 0) return 'No managed flows.';
  return rows
    .flatMap((row) => [
      `${row.flow}: ${row.running} running, ${row.stopped} stopped, ${row.invalid} invalid, ${row.queued} queued, ${row.bulletins} bulletin(s)`,
      ...(row.bulletinMessages ?? []).map((bulletin) => `  ${bulletin.timestamp} ${bulletin.level} ${bulletin.source}: ${bulletin.message}`),
    ])
    .join('\n');
}

export function formatRunReport(flow: string, report: RunOnceReport, listening: readonly string[], restarted: number): string {
  return [
    `${flow}: ${report.flowFilesIn} flowfile(s) in, ${report.flowFilesOut} out, ${report.durationMs} ms, ${report.bulletins.length} bulletin(s)`,
    ...(listening.length ? [`  listening sources, not triggered (they wait for data): ${listening.join(', ')}`] : []),
    ...(restarted ? [`  ${restarted} component(s) that were running are running again`] : []),
    ...report.processors.map((processor) => `  ${processor.name}: in ${processor.flowFilesIn}, out ${processor.flowFilesOut}, tasks ${processor.tasks}`),
    ...(report.lostNodes.length ? [`  cluster node(s) lost during the run: ${report.lostNodes.join(', ')} — the totals miss their share, which may still sit on them`] : []),
    ...(report.nodes ?? []).map((node) => `  node ${node.name}${node.lost ? ' (lost)' : ''}: in ${node.flowFilesIn}, out ${node.flowFilesOut}, ${node.bytesIn} bytes in, ${node.bytesOut} bytes out`),
    ...report.bulletins.map((bulletin) => `  ${bulletin.level} ${bulletin.sourceName}: ${bulletin.message}`),
  ].join('\n');
}

/** The warning of an apply or destroy that goes on with cluster nodes not connected. */
export function acknowledgedText(nodes: readonly NotConnectedNode[]): string {
  return `going on although NiFi cluster node(s) are not connected (acknowledged): ${nodes.map((node) => `${node.name} (${node.status})`).join(', ')}; they take the cluster's flow when they rejoin`;
}

export function formatDestroyed(destroyed: readonly DestroyedFlow[]): string {
  return destroyed
    .map((entry) => {
      const context = entry.parameterContext;
      const contextLine = !context ? '' : context.deleted ? `; parameter context "${context.name}" deleted` : `; parameter context "${context.name}" kept (${context.reason})`;
      return `- flow ${entry.flow} deleted (${entry.droppedFlowFiles} queued flowfile(s) dropped)${contextLine}`;
    })
    .join('\n');
}

export function formatUnlocked(lock: LockInfo): string {
  return `Removed apply lock ${lock.lockId} on process group ${lock.parentGroupId}, held by ${describeHolder(lock.holder)} since ${lock.since} (last renewed ${lock.renewedAt}).`;
}
