// How flow test copies are told apart from everything else in NiFi, and how leftovers of runs that died
// (SIGKILL, a crash, a lost connection) are found and removed by the next run. A copy is a process group
// and a parameter context, both named `dataplat-flows-test <run> …` and both carrying a marker — in the
// group's comments, in the context's description — that says which run made them, on which host, with
// which process, when. A leftover is one whose process is gone (same host) or that is older than the
// sweep age (another host's run: its process can't be checked). Nothing without the marker is touched.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { NifiClient } from '@dataplat/nifi';

export const testCopyPrefix = 'dataplat-flows-test';
const markerLine = 'managed-by: dataplat-flows-test';
/** Leftovers of runs on other hosts are removed once this old (no test case runs for an hour). */
export const defaultSweepAgeMs = 60 * 60_000;

export interface TestCopyMarker {
  runId: string;
  host: string;
  pid: number;
  startedAt: string;
  flow: string;
  case: string;
  file: string;
}

export interface TestRun {
  runId: string;
  host: string;
  pid: number;
  startedAt: string;
}

export function newTestRun(now = new Date()): TestRun {
  return { runId: randomBytes(4).toString('hex'), host: hostname(), pid: process.pid, startedAt: now.toISOString() };
}

/** The names and marker of one case's copy: group and context share the name. */
export function testCopyNames(run: TestRun, caseIndex: number, details: { flow: string; case: string; file: string }): { groupName: string; contextName: string; marker: string } {
  const name = `${testCopyPrefix} ${run.runId} ${details.flow} case ${caseIndex + 1}`;
  const marker: TestCopyMarker = { runId: run.runId, host: run.host, pid: run.pid, startedAt: run.startedAt, ...details };
  return { groupName: name, contextName: name, marker: `${markerLine}\n${JSON.stringify(marker)}` };
}

export function readTestCopyMarker(text: string | undefined): TestCopyMarker | undefined {
  if (!text?.startsWith(`${markerLine}\n`)) return undefined;
  try {
    const parsed = JSON.parse(text.slice(markerLine.length + 1)) as Partial<TestCopyMarker>;
    return typeof parsed.runId === 'string' && typeof parsed.host === 'string' && typeof parsed.pid === 'number' && typeof parsed.startedAt === 'string' ? (parsed as TestCopyMarker) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a marked copy is a leftover: its run's process is gone (this host), or it is older than the sweep age. */
export function isLeftover(marker: TestCopyMarker, current: TestRun, sweepAgeMs: number, now = Date.now(), processAlive = isProcessAlive): boolean {
  if (marker.runId === current.runId) return false;
  if (marker.host === current.host && !processAlive(marker.pid)) return true;
  const started = Date.parse(marker.startedAt);
  return Number.isNaN(started) || now - started > sweepAgeMs;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SweptLeftovers {
  groups: string[];
  parameterContexts: string[];
}

/** Deletes the leftover copies under the parent (groups first, then the contexts no group uses any more). */
export async function sweepLeftovers(nifi: NifiClient, parentGroupId: string, current: TestRun, sweepAgeMs = defaultSweepAgeMs): Promise<SweptLeftovers> {
  const swept: SweptLeftovers = { groups: [], parameterContexts: [] };
  const parent = await nifi.processGroups.flow(parentGroupId);
  for (const group of parent.contents.processGroups) {
    const marker = group.component?.name?.startsWith(testCopyPrefix) ? readTestCopyMarker(group.component.comments) : undefined;
    if (!marker || !isLeftover(marker, current, sweepAgeMs)) continue;
    await nifi.processGroups.delete(group.id);
    swept.groups.push(group.component!.name!);
  }
  for (const context of await nifi.parameterContexts.list()) {
    const marker = context.component.name?.startsWith(testCopyPrefix) ? readTestCopyMarker(context.component.description) : undefined;
    if (!marker || !isLeftover(marker, current, sweepAgeMs) || (context.component.boundProcessGroups ?? []).length > 0) continue;
    await nifi.parameterContexts.delete(context.id);
    swept.parameterContexts.push(context.component.name!);
  }
  return swept;
}
